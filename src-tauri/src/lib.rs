//! Baton's desktop shell: a tray app over the `baton` core.
//!
//! Everything the app knows comes from the core and its store (the same database as the CLI). This crate
//! only adapts: commands are one core call each, the tray shows what [`baton::views::tray_menu`] computes,
//! and one scheduler task sleeps until [`baton::views::next_wakeup`] (a teammate's day starting or ending,
//! a focus session ending, the next handoff, or the next minute of a running session's countdown) or until
//! a command wakes it. Closing the main window destroys its webview, so an idle Baton is just this process.

mod commands;
mod scheduler;
mod tray;
mod windows;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use baton::store::{default_db_path, Store, DB_ENV};
use baton::views::ErrorPayload;
use tauri::{Manager, RunEvent};
use tokio::sync::Notify;

/// The app's state, built fully in `setup` before it is managed.
pub struct Shell {
    store: Mutex<Store>,
    /// Wakes the scheduler after anything changed (a command, a tray action).
    wake: Arc<Notify>,
}

impl Shell {
    /// The store, for one short operation.
    fn store(&self) -> Result<MutexGuard<'_, Store>, ErrorPayload> {
        self.store.lock().map_err(|_| ErrorPayload {
            code: "storage".into(),
            message: "the database is unavailable after an earlier failure; restart Baton".into(),
            problems: vec![],
        })
    }

    /// Tells the scheduler to recompute now.
    fn changed(&self) {
        self.wake.notify_one();
    }
}

/// The database: `BATON_DB`, else the OS data directory (as the CLI).
fn db_path() -> Result<PathBuf, String> {
    std::env::var_os(DB_ENV)
        .map(PathBuf::from)
        .or_else(default_db_path)
        .ok_or_else(|| format!("no data directory on this system; set {DB_ENV}"))
}

/// Opens the store, importing the sample team into an empty database so the first run shows something.
fn open_store() -> Result<Store, String> {
    let path = db_path()?;
    let mut store = Store::open(&path).map_err(|e| e.to_string())?;
    if store.load_team().map_err(|e| e.to_string())?.is_none() {
        store
            .replace_team(&baton::sample::team())
            .map_err(|e| e.to_string())?;
    }
    Ok(store)
}

/// Runs the desktop app.
pub fn run() {
    let builder = tauri::Builder::default();
    if let Err(e) = run_app(builder) {
        eprintln!("baton-desktop: {e}");
        std::process::exit(1);
    }
}

/// Builds and runs the app from `builder` (a real one, or a mock builder in tests).
pub fn run_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> Result<(), String> {
    let hidden = std::env::args().any(|a| a == "--hidden");
    let store = open_store()?;
    // The shortcut plugin only when a shortcut is set: its X11 backend wakes 20 times a second.
    let shortcut = tray::configured_shortcut(&store);
    let mut builder = builder
        // First, so a second launch hands over to this one before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            windows::show_main(app, None);
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ));
    if shortcut.is_some() {
        builder = builder.plugin(
            tauri_plugin_global_shortcut::Builder::new()
                .with_handler(tray::on_shortcut)
                .build(),
        );
    }
    let app = builder
        .invoke_handler(tauri::generate_handler![
            commands::calendar,
            commands::overlay,
            commands::handoffs,
            commands::team,
            commands::time_zones,
            commands::save_member,
            commands::remove_member,
            commands::import_team,
            commands::export_team,
            commands::start_focus,
            commands::stop_focus,
        ])
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                windows::after_destroyed(window.app_handle(), window.label());
            }
        })
        .setup(move |app| {
            let wake = Arc::new(Notify::new());
            app.manage(Shell {
                store: Mutex::new(store),
                wake: wake.clone(),
            });
            // The window first, so its web view starts loading while the tray is set up.
            if !hidden {
                windows::show_main(app.handle(), None);
            }
            tray::create(app.handle())?;
            if let Some(shortcut) = shortcut {
                tray::register_shortcut(app.handle(), shortcut);
            }
            tauri::async_runtime::spawn(scheduler::run(app.handle().clone(), wake));
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| e.to_string())?;
    app.run(|_app, event| {
        // Closing the last window keeps Baton in the tray; only "Quit" (an explicit exit code) ends it.
        if let RunEvent::ExitRequested {
            code: None, api, ..
        } = event
        {
            api.prevent_exit();
        }
    });
    Ok(())
}
