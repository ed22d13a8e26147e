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
/// The check runs three times, a second apart, on a short-lived thread: WebKit may still be settling
/// right after the close, and a process younger than a second is never touched (WebKit aborts when a
/// helper it is launching dies before reporting in).
pub fn after_destroyed<R: Runtime, M: Manager<R>>(app: &M, destroyed: &str) {
    if app
        .webview_windows()
        .keys()
        .any(|label| label.as_str() != destroyed)
    {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let app = app.app_handle().clone();
        std::thread::spawn(move || {
            for _ in 0..3 {
                std::thread::sleep(std::time::Duration::from_secs(1));
                if !app.webview_windows().is_empty() {
                    return;
                }
                end_network_processes();
            }
        });
    }
}

/// Sends SIGTERM to this process's `WebKitNetworkProcess` children that are at least a second old.
#[cfg(target_os = "linux")]
fn end_network_processes() {
    use nix::sys::signal::{kill, Signal};
    use nix::unistd::{sysconf, Pid, SysconfVar};
    let me = std::process::id().to_string();
    let ticks_per_sec = sysconf(SysconfVar::CLK_TCK).ok().flatten().unwrap_or(100) as f64;
    let uptime = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|u| u.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
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
        let fields: Vec<&str> = tail.split_whitespace().collect();
        let ppid = fields.get(1).copied().unwrap_or_default();
        // Field 22 of stat (the 20th after the comm): start time in clock ticks since boot.
        let started = fields
            .get(19)
            .and_then(|t| t.parse::<f64>().ok())
            .map_or(uptime, |t| t / ticks_per_sec);
        if ppid == me && comm.starts_with("WebKitNetworkPr") && uptime - started >= 1.0 {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        }
    }
}
