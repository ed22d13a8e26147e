//! Baton's tray process: the icon, its menu, the focus shortcut and the one scheduler, with no web view.
//!
//! The desktop app is two processes. This one runs all day; it links no WebKit, so an idle Baton costs
//! a tray icon's worth of memory. The window process (`baton-desktop`) is started on demand from the
//! menu and exits when its last window closes. They share nothing but the database: each watches it
//! ([`baton::store::watch`]) and redraws when the other (or the CLI) wrote, so there is no protocol between them.
//! Asking the window process to show a view is a second launch of it, which its single-instance guard
//! hands to the running one.
//!
//! Threads: the main thread runs the toolkit's event loop (tao, with GTK on Linux) and owns the icon;
//! a small tokio runtime runs the scheduler task, which owns the store, runs menu actions, and sleeps
//! until the next moment the menu changes ([`baton::desktop::views::next_wakeup`], on the wall clock so a
//! suspend does not make it late: [`baton::time::clock`]) or a message arrives, beside the notification
//! intake and delivery. Nothing polls.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod menu;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use baton::desktop::actions;
use baton::desktop::autostart;
use baton::desktop::process;
use baton::desktop::views::{self, ErrorPayload, OverlayView};
use baton::dnd::DndEvent;
use baton::notify::delivery::DesktopNotifier;
use baton::notify::run::{FocusChanged, Runner, RunnerEvent, StartError, WithoutIntake};
use baton::notify::runner::{self, RunnerError};
use baton::store::settings::{DEFAULT_FOCUS_SHORTCUT, FOCUS_SHORTCUT};
use baton::store::Store;
use baton::team::focus::FocusLength;
use chrono::{TimeDelta, Utc};
use global_hotkey::hotkey::HotKey;
use global_hotkey::{GlobalHotKeyEvent, GlobalHotKeyManager, HotKeyState};
use tao::event::{Event, StartCause};
use tao::event_loop::{ControlFlow, EventLoopBuilder, EventLoopProxy};
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use tray_icon::menu::MenuEvent;

/// When nothing is due within the core's look-ahead (a team with no hours), look again after a day.
const IDLE_RECHECK: TimeDelta = TimeDelta::days(1);

/// What the scheduler tells the event loop.
#[derive(Debug)]
enum ToTray {
    /// Show this state in the icon and menu, with the number of held notifications and the followed
    /// team's warning line, if its last check was refused.
    Show(Box<OverlayView>, usize, Option<String>),
    /// "Quit" was chosen.
    Quit,
}

/// What the scheduler is told.
#[derive(Debug)]
enum ToScheduler {
    /// The database changed (another process wrote); recompute.
    Changed,
    /// A menu item with this id was chosen.
    Menu(String),
    /// The focus shortcut was pressed.
    Shortcut,
}

fn main() {
    // First, before any thread starts.
    process::disable_gl_unless_set();
    if let Err(e) = run() {
        eprintln!("baton-tray: {e}");
        std::process::exit(1);
    }
}

/// The longest "Quit" waits for the runner to stop (the intake's grace period is 5 s; a restore's
/// D-Bus calls give up after 3 s).
const QUIT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

fn run() -> Result<(), String> {
    let db = actions::database_path()?;
    // One runner per database. A second tray (a second login, a window started twice) leaves quietly;
    // `baton daemon` on the same database is refused with its own message.
    let runner = match Runner::start(&db, runner::DESKTOP_APP) {
        Ok(runner) => runner,
        Err(StartError::Lock(RunnerError::AlreadyRunning { who, .. }))
            if who == runner::DESKTOP_APP =>
        {
            eprintln!("baton-tray: Baton is already running on {}", db.display());
            return Ok(());
        }
        Err(e) => return Err(e.to_string()),
    };
    let store = actions::open_with_sample(&db)?;
    let event_loop = EventLoopBuilder::<ToTray>::with_user_event().build();
    let proxy = event_loop.create_proxy();
    let (tx, rx) = mpsc::unbounded_channel();

    let menu_tx = tx.clone();
    MenuEvent::set_event_handler(Some(move |e: MenuEvent| {
        let _ = menu_tx.send(ToScheduler::Menu(e.id.0));
    }));
    let shortcut = register_shortcut(&store, tx.clone());
    // The intake and the delivery loop, with the database watcher: a write to the database (focus
    // stopped in the window, a setting changed from the CLI) also redraws the menu. The watcher starts
    // here, before the scheduler first reads the database. Without an intake (its port taken, say)
    // held items are still delivered.
    let watch_tx = tx.clone();
    let dnd_tx = tx.clone();
    let logged_db = db.clone();
    // "Quit" stops the runner before the process exits, so it restores the desktop's
    // do-not-disturb (any other end leaves the record for the next start to restore).
    let (quit, quitting) = tokio::sync::oneshot::channel::<()>();
    let mut quit = Some(quit);
    let focus_changed = runner.focus_changed();
    let notifications = runner.run(
        Arc::new(DesktopNotifier),
        move || {
            let _ = watch_tx.send(ToScheduler::Changed);
        },
        async move {
            let _ = quitting.await;
        },
        WithoutIntake::Deliver,
        move |event| {
            // A do-not-disturb that failed is shown once in the menu, until it works again.
            if let RunnerEvent::Dnd(dnd) = &event {
                if note_dnd(dnd) {
                    let _ = dnd_tx.send(ToScheduler::Changed);
                }
            }
            report(&logged_db, event)
        },
    );
    drop(tx);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the scheduler: {e}"))?;
    // SIGTERM (a logout, `kill`) ends the tray as "Quit" does: the runner stops first, so the
    // desktop's do-not-disturb is put back rather than left for the next start.
    #[cfg(unix)]
    {
        let proxy = proxy.clone();
        runtime.spawn(async move {
            use tokio::signal::unix::{signal, SignalKind};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    term.recv().await;
                    let _ = proxy.send_event(ToTray::Quit);
                }
                Err(e) => eprintln!("baton-tray: cannot listen for SIGTERM: {e}"),
            }
        });
    }
    runtime.spawn(schedule(store, rx, proxy, focus_changed));
    // Holds the runner lock and the watcher for as long as the process runs.
    let mut running = Some(runtime.spawn(notifications));

    let mut tray = None;
    event_loop.run(move |event, _, control_flow| {
        *control_flow = ControlFlow::Wait;
        // Held for the life of the loop: the shortcut's registration, the runtime its tasks run on.
        let _ = (&shortcut, &runtime);
        match event {
            Event::NewEvents(StartCause::Init) => match menu::create() {
                Ok(icon) => tray = Some(icon),
                Err(e) => eprintln!("baton-tray: cannot create the tray icon: {e}"),
            },
            Event::UserEvent(ToTray::Show(view, held, team_line)) => {
                if let Some(icon) = &tray {
                    menu::show(icon, &view, held, team_line.as_deref(), autostart_enabled());
                }
            }
            Event::UserEvent(ToTray::Quit) => {
                if let (Some(quit), Some(running)) = (quit.take(), running.take()) {
                    let _ = quit.send(());
                    // Bounded: the intake's grace period, then the do-not-disturb restore.
                    // The timer is made inside the runtime, which drives it.
                    let _ =
                        runtime.block_on(async { tokio::time::timeout(QUIT_WAIT, running).await });
                }
                *control_flow = ControlFlow::Exit
            }
            _ => {}
        }
    })
}

/// The menu's line for a do-not-disturb that failed, until it works again.
static DND_WARNING: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn dnd_warning() -> Option<String> {
    DND_WARNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// Keeps the menu's do-not-disturb warning in step with `event`; whether it changed.
fn note_dnd(event: &DndEvent<'_>) -> bool {
    let line = match event {
        DndEvent::Failed(e) => Some(format!("⚠ Do not disturb failed: {e}")),
        DndEvent::On { .. } | DndEvent::Restored { .. } | DndEvent::Resumed(_) => None,
        _ => return false,
    };
    let mut warning = DND_WARNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let changed = *warning != line;
    *warning = line;
    changed
}

/// The tray's log line for what its runner reports.
fn report(db: &Path, event: RunnerEvent<'_>) {
    match event {
        RunnerEvent::NotWatching(e) => eprintln!("baton-tray: cannot watch {}: {e}", db.display()),
        RunnerEvent::Skipped(skipped) => {
            eprintln!("baton-tray: notification intake not on {skipped}");
        }
        RunnerEvent::Listening { .. } => {}
        RunnerEvent::NoIntake(e) => eprintln!("baton-tray: no notification intake: {e}"),
        RunnerEvent::IntakeStopped(e) => {
            eprintln!("baton-tray: the notification intake stopped: {e}");
        }
        RunnerEvent::Team(event) => eprintln!("baton-tray: {event}"),
        RunnerEvent::Calendar(synced) => {
            if let baton::calendar::sync::CalendarOutcome::Failed { error } = &synced.outcome {
                eprintln!("baton-tray: calendar {}: {error}", synced.shown);
            }
        }
        RunnerEvent::Dnd(event) => match event {
            DndEvent::Using(name) => {
                eprintln!("baton-tray: focus switches {name}'s do not disturb")
            }
            DndEvent::Unavailable(why) => {
                eprintln!("baton-tray: focus does not switch the desktop's do not disturb: {why}")
            }
            DndEvent::On {
                backend, found_on, ..
            } => eprintln!(
                "baton-tray: {backend}'s do not disturb {}",
                if *found_on {
                    "was on already"
                } else {
                    "turned on"
                }
            ),
            DndEvent::Restored { backend, found_on } => eprintln!(
                "baton-tray: {backend}'s do not disturb {}",
                if *found_on {
                    "left on, as found"
                } else {
                    "turned off again"
                }
            ),
            DndEvent::Resumed(backend) => {
                eprintln!("baton-tray: {backend}'s do not disturb stays on: focus still runs")
            }
            DndEvent::Failed(e) => {
                eprintln!("baton-tray: do not disturb: {e}; focus goes on without it")
            }
            DndEvent::Store(e) => eprintln!("baton-tray: do not disturb: {e}"),
        },
    }
}

/// The scheduler: show the state, then sleep until it changes on its own or a message arrives.
async fn schedule(
    mut store: Store,
    mut rx: UnboundedReceiver<ToScheduler>,
    proxy: EventLoopProxy<ToTray>,
    focus_changed: FocusChanged,
) {
    loop {
        let now = Utc::now();
        // The menu's times in the person's clock (a changed time_format applies at the next redraw).
        actions::use_locale(&store);
        let next = match actions::overlay(&store, now) {
            Ok(view) => {
                let next = views::next_wakeup(&view, now);
                let held = store.held_count().unwrap_or_else(|e| {
                    eprintln!("baton-tray: {e}");
                    0
                });
                // The followed team's refusal first; else a do-not-disturb that failed.
                let team_line =
                    views::team_source_line(store.team_source().ok().flatten().as_ref())
                        .or_else(dnd_warning);
                if proxy
                    .send_event(ToTray::Show(Box::new(view), held, team_line))
                    .is_err()
                {
                    return;
                }
                next
            }
            Err(e) => {
                eprintln!("baton-tray: {}", e.message);
                None
            }
        };
        let until = next.unwrap_or_else(|| Utc::now() + IDLE_RECHECK);
        let first = tokio::select! {
            () = baton::time::clock::sleep_until(until) => continue,
            message = rx.recv() => match message {
                Some(message) => message,
                None => return,
            },
        };
        // Whatever else queued up meanwhile is handled before one redraw.
        let mut messages = vec![first];
        while let Ok(message) = rx.try_recv() {
            messages.push(message);
        }
        for message in messages {
            // An action may wait on D-Bus (a notification shown by "Deliver now"); the runtime's
            // other worker keeps the intake answering meanwhile.
            if tokio::task::block_in_place(|| act(&mut store, message, &focus_changed))
                == Flow::Quit
            {
                let _ = proxy.send_event(ToTray::Quit);
                return;
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Go,
    Quit,
}

/// Does what a message asks.
fn act(store: &mut Store, message: ToScheduler, focus_changed: &FocusChanged) -> Flow {
    let now = Utc::now();
    let minutes = |minutes| FocusLength::Minutes { minutes };
    // A focus started or stopped here: the runner's do-not-disturb and delivery follow at once.
    let focus = |result: Result<OverlayView, ErrorPayload>| {
        focus_changed.ping();
        result.map(drop)
    };
    let result = match message {
        ToScheduler::Changed => Ok(()),
        ToScheduler::Shortcut => focus(actions::toggle_focus(store, now)),
        ToScheduler::Menu(id) => match id.as_str() {
            "focus_25" => focus(actions::start_focus(store, now, minutes(25))),
            "focus_50" => focus(actions::start_focus(store, now, minutes(50))),
            "focus_90" => focus(actions::start_focus(store, now, minutes(90))),
            "focus_eod" => focus(actions::start_focus(store, now, FocusLength::UntilEndOfDay)),
            "focus_stop" => focus(actions::stop_focus(store, now)),
            "next_handoff" | "coverage" => {
                open_window(&["--view", "handoffs"]);
                Ok(())
            }
            "calendars" => {
                open_window(&["--view", "settings"]);
                Ok(())
            }
            "held" => {
                open_window(&["--view", "inbox"]);
                Ok(())
            }
            "show_team" => {
                open_window(&["--view", "calendar"]);
                Ok(())
            }
            "overlay" => {
                open_window(&["--overlay"]);
                Ok(())
            }
            "deliver_now" => actions::deliver_now(store, &DesktopNotifier, now).map(drop),
            "autostart" => {
                toggle_autostart();
                Ok(())
            }
            "quit" => {
                // Closes the window process too, if one runs; otherwise the launch ends at once.
                open_window(&["--quit"]);
                return Flow::Quit;
            }
            _ => Ok(()),
        },
    };
    if let Err(e) = result {
        eprintln!("baton-tray: {}", e.message);
    }
    Flow::Go
}

/// Launches the window process with `args`; a running one receives them instead.
fn open_window(args: &[&str]) {
    let program = process::sibling_program("baton-desktop");
    match Command::new(&program)
        .args(args)
        .stdin(Stdio::null())
        .spawn()
    {
        // Reaped on a thread of its own so it never lingers as a zombie.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => eprintln!("baton-tray: cannot start {}: {e}", program.display()),
    }
}

/// Whether Baton starts at login.
fn autostart_enabled() -> bool {
    std::env::current_exe().is_ok_and(|exe| autostart::enabled(&exe))
}

fn toggle_autostart() {
    let result =
        std::env::current_exe().and_then(|exe| autostart::set(&exe, !autostart::enabled(&exe)));
    if let Err(e) = result {
        eprintln!("baton-tray: cannot change start at login: {e}");
    }
}

/// Registers the focus shortcut from the settings, when one is set and valid. The manager is returned
/// to be kept alive: dropping it unregisters the shortcut.
fn register_shortcut(
    store: &Store,
    tx: UnboundedSender<ToScheduler>,
) -> Option<GlobalHotKeyManager> {
    let configured = store
        .setting(FOCUS_SHORTCUT)
        .ok()
        .flatten()
        .unwrap_or_else(|| DEFAULT_FOCUS_SHORTCUT.to_string());
    if configured.trim().is_empty() {
        return None;
    }
    let hotkey: HotKey = configured
        .parse()
        .map_err(|e| eprintln!("baton-tray: focus shortcut '{configured}' is not valid: {e}"))
        .ok()?;
    let manager = GlobalHotKeyManager::new()
        .and_then(|m| m.register(hotkey).map(|()| m))
        .map_err(|e| eprintln!("baton-tray: cannot register the focus shortcut: {e}"))
        .ok()?;
    GlobalHotKeyEvent::set_event_handler(Some(move |e: GlobalHotKeyEvent| {
        if e.state == HotKeyState::Pressed {
            let _ = tx.send(ToScheduler::Shortcut);
        }
    }));
    Some(manager)
}

#[cfg(test)]
mod tests {
    use baton::dnd::{DndError, Silence};

    use super::*;

    #[test]
    fn a_failed_do_not_disturb_is_a_menu_line_until_it_works_again() {
        let failure = DndError::Failed {
            backend: "dunst".into(),
            message: "no reply within 3 s".into(),
        };
        assert!(
            note_dnd(&DndEvent::Failed(&failure)),
            "the first failure shows"
        );
        let line = dnd_warning().expect("a warning line");
        assert!(line.starts_with("⚠ Do not disturb failed: "), "{line}");
        assert!(line.contains("no reply within 3 s"), "{line}");
        assert!(!note_dnd(&DndEvent::Failed(&failure)), "the same one once");
        assert!(
            !note_dnd(&DndEvent::Using("dunst")),
            "other news changes nothing"
        );
        assert!(dnd_warning().is_some());
        assert!(note_dnd(&DndEvent::On {
            backend: "dunst",
            found_on: false,
            silence: Silence::Focus,
        }));
        assert_eq!(dnd_warning(), None, "gone once it works");
    }
}
