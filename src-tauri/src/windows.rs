//! The main window and the compact overlay, created on demand; closing the last one ends this process.

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
