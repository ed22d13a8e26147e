//! Baton's window process: the team calendar, editor, handoffs, focus, settings and the compact overlay, in a
//! Tauri shell over the `baton` core.
//!
//! The desktop app is two processes. The tray process (`baton-tray`, no WebKit) runs all day and starts
//! this one from its menu; this one exits when its last window closes, taking WebKit with it. Launching
//! this program also starts the tray when it is not running. The two share only the database, and each
//! redraws when the other writes ([`baton::store::watch`]). Commands are one core call each.

mod commands;
mod scheduler;
mod windows;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use baton::desktop::process;
use baton::desktop::views::{ErrorCode, ErrorPayload};
use baton::notify::runner::{self, RunnerError, RunnerLock};
use baton::store::Store;
use tauri::Manager;
use tokio::sync::Notify;

/// The app's state, built fully in `setup` before it is managed.
pub struct Shell {
    store: Mutex<Store>,
    /// The database's path (the intake's token file lives beside it).
    db: PathBuf,
    /// Wakes the scheduler after anything changed (a command, a tray action).
    wake: Arc<Notify>,
}

impl Shell {
    /// The store, for one short operation.
    fn store(&self) -> Result<MutexGuard<'_, Store>, ErrorPayload> {
        self.store.lock().map_err(|_| ErrorPayload {
            code: ErrorCode::Storage,
            message: "the database is unavailable after an earlier failure; restart Baton".into(),
            problems: vec![],
        })
    }

    /// Tells the scheduler to recompute now.
    fn changed(&self) {
        self.wake.notify_one();
    }
}

/// What a launch of this program asks for, from its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// The main window on a view (`--view calendar|editor|handoffs|focus|week|inbox|settings`; the calendar by
    /// default).
    Main(Option<String>),
    /// The compact overlay (`--overlay`).
    Overlay,
    /// Close the windows of the running window process, if any (`--quit`, sent by the tray's "Quit").
    Quit,
    /// Only make sure the tray runs (`--hidden`; "Start at login" registers the tray process itself).
    Hidden,
}

impl Launch {
    /// Reads the arguments (without the program name).
    pub fn from_args<S: AsRef<str>>(args: &[S]) -> Launch {
        let mut args = args.iter().map(AsRef::as_ref);
        let mut launch = Launch::Main(None);
        while let Some(arg) = args.next() {
            launch = match arg {
                "--view" => Launch::Main(args.next().map(String::from)),
                "--overlay" => Launch::Overlay,
                "--quit" => Launch::Quit,
                "--hidden" => Launch::Hidden,
                _ => continue,
            };
        }
        launch
    }
}

/// Starts the tray process beside this program; one already running for this database keeps running
/// and the new one leaves at once.
fn ensure_tray() {
    let program = process::sibling_program("baton-tray");
    let mut command = std::process::Command::new(&program);
    command.stdin(std::process::Stdio::null());
    // Its own process group: a terminal's Ctrl+C for the window does not end the tray.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    match command.spawn() {
        // Reaped on a thread of its own so that a tray which left at once is no zombie.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => eprintln!("baton-desktop: cannot start {}: {e}", program.display()),
    }
}

/// Opens what `launch` asks for in the running app.
fn open<R: tauri::Runtime, M: Manager<R> + tauri::Emitter<R>>(app: &M, launch: &Launch) {
    match launch {
        Launch::Main(view) => windows::show_main(app, view.as_deref()),
        Launch::Overlay => windows::show_overlay(app),
        Launch::Quit => app.app_handle().exit(0),
        Launch::Hidden => {}
    }
}

/// Runs the desktop app.
pub fn run() {
    // Before any thread starts (the tray's reaper in `run_app` is one); not in `run_app`, which tests
    // drive on threads of their own.
    process::disable_gl_unless_set();
    let builder = tauri::Builder::default();
    if let Err(e) = run_app(builder) {
        eprintln!("baton-desktop: {e}");
        std::process::exit(1);
    }
}

/// Builds and runs the app from `builder` (a real one, or a mock builder in tests).
pub fn run_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let launch = Launch::from_args(&args);
    let db = baton::desktop::actions::database_path()?;
    if launch != Launch::Quit {
        // The tray process is the desktop app's runner on this database; `baton daemon` is another.
        // A tray already holding the lock needs no second one started only to leave again.
        match RunnerLock::acquire(&db, runner::DESKTOP_APP) {
            Ok(free) => {
                drop(free);
                ensure_tray();
            }
            Err(RunnerError::AlreadyRunning { who, .. }) if who == runner::DESKTOP_APP => {}
            Err(e) => return Err(format!("cannot start: {e}")),
        }
    }
    if launch == Launch::Hidden {
        return Ok(());
    }
    let store = baton::desktop::actions::open_with_sample(&db)?;
    let first = launch.clone();
    let app = builder
        // First, so a second launch hands over to this one before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            open(app, &Launch::from_args(args.get(1..).unwrap_or_default()));
        }))
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
            commands::settings,
            commands::set_setting,
            commands::intake,
            commands::regenerate_token,
            commands::inbox,
            commands::deliver_now,
            commands::mark_done,
            commands::open_link,
            commands::welcome,
            commands::add_me,
            commands::set_start_at_login,
            commands::test_notification,
            commands::locale,
            commands::team_source,
            commands::sync_team,
            commands::follow_team,
            commands::unfollow_team,
            commands::set_me,
            commands::calendars,
            commands::sync_calendars,
            commands::add_calendar,
            commands::add_caldav,
            commands::remove_calendar,
            commands::publish_focus,
            commands::week,
            commands::desktop_dnd,
            commands::about,
        ])
        .setup(move |app| {
            let wake = Arc::new(Notify::new());
            app.manage(Shell {
                store: Mutex::new(store),
                db: db.clone(),
                wake: wake.clone(),
            });
            open(app.handle(), &first);
            let notify = wake.clone();
            let watcher = baton::store::watch::DbWatcher::start(&db, move || notify.notify_one())
                .map_err(|e| eprintln!("baton-desktop: cannot watch {}: {e}", db.display()))
                .ok();
            app.manage(Watching { _watcher: watcher });
            tauri::async_runtime::spawn(scheduler::run(app.handle().clone(), wake));
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| e.to_string())?;
    // With its last window closed the process ends; the tray process stays.
    app.run(|_app, _event| {});
    Ok(())
}

/// Keeps the database watcher alive as long as the app.
struct Watching {
    _watcher: Option<baton::store::watch::DbWatcher>,
}

#[cfg(test)]
mod tests {
    use super::Launch;

    #[test]
    fn launch_arguments_choose_what_opens() {
        assert_eq!(Launch::from_args::<&str>(&[]), Launch::Main(None));
        assert_eq!(
            Launch::from_args(&["--view", "handoffs"]),
            Launch::Main(Some("handoffs".into()))
        );
        assert_eq!(Launch::from_args(&["--overlay"]), Launch::Overlay);
        assert_eq!(Launch::from_args(&["--quit"]), Launch::Quit);
        assert_eq!(Launch::from_args(&["--hidden"]), Launch::Hidden);
        // Unknown arguments (a desktop file's %U, say) are ignored; the last request wins.
        assert_eq!(
            Launch::from_args(&["--unknown", "--overlay", "--view", "focus"]),
            Launch::Main(Some("focus".into()))
        );
    }
}
