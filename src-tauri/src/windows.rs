//! The main window and the compact overlay, created on demand and destroyed when closed, so an idle tray
//! app carries no web view (and no WebKit processes).

use tauri::{Emitter, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

/// Shows the main window (creating it if it was closed), on `view` when given.
pub fn show_main<R: Runtime, M: Manager<R> + Emitter<R>>(app: &M, view: Option<&str>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
        if let Some(view) = view {
            let _ = w.emit("baton:navigate", view);
        }
        return;
    }
    // A new window reads the view to open from its URL hash.
    let url = format!("index.html#{}", view.unwrap_or("calendar"));
    let built = WebviewWindowBuilder::new(app, "main", WebviewUrl::App(url.into()))
        .title("Baton")
        .inner_size(1180.0, 760.0)
        .min_inner_size(720.0, 480.0)
        .build();
    if let Err(e) = built {
        eprintln!("baton-desktop: cannot open the main window: {e}");
    }
}

/// Shows the compact always-on-top overlay (creating it if needed).
pub fn show_overlay<R: Runtime, M: Manager<R>>(app: &M) {
    if let Some(w) = app.get_webview_window("overlay") {
        let _ = w.show();
        let _ = w.set_focus();
        return;
    }
    let built = WebviewWindowBuilder::new(app, "overlay", WebviewUrl::App("overlay.html".into()))
        .title("Baton overlay")
        .inner_size(320.0, 420.0)
        .resizable(false)
        .decorations(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .build();
    if let Err(e) = built {
        eprintln!("baton-desktop: cannot open the overlay: {e}");
    }
}

/// After a window is destroyed: once no web view window is left, end WebKit's network process.
///
/// WebKitGTK keeps its network process for the life of the web context, and Tauri keeps the context
/// alive on Linux after the last web view goes (tauri-runtime-wry, tauri issue #14626), so without this
/// an app with its window closed would carry about 60 MB of WebKit. A new window starts a fresh one.
pub fn after_destroyed<R: Runtime, M: Manager<R>>(app: &M, destroyed: &str) {
    if app
        .webview_windows()
        .keys()
        .any(|label| label.as_str() != destroyed)
    {
        return;
    }
    #[cfg(target_os = "linux")]
    end_network_processes();
}

/// Sends SIGTERM to this process's `WebKitNetworkProcess` children.
#[cfg(target_os = "linux")]
fn end_network_processes() {
    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`; comm may contain spaces, so split after its closing parenthesis.
        let Some((head, tail)) = stat.rsplit_once(')') else {
            continue;
        };
        let comm = head.split_once('(').map_or("", |(_, c)| c);
        let ppid = tail.split_whitespace().nth(1).unwrap_or_default();
        if ppid == me && comm.starts_with("WebKitNetworkPr") {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        }
    }
}
