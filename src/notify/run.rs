//! A runner's run, from start to stop, written once for both runners: `baton daemon` and the desktop
//! app's tray process. [`Runner::start`] takes the runner lock ([`crate::notify::runner`]) and reads
//! the intake's configuration; [`Runner::run`] watches the database, runs the delivery loop, binds and
//! serves the intake, and stops when asked, the delivery loop last.
//!
//! What differs between the two runners is passed in rather than decided here: how notifications are
//! shown (a [`Notifier`]), what else a write to the database sets off (the tray redraws its menu), when
//! to stop (SIGTERM for the daemon; never for the tray, which ends with its process), what to do
//! without an intake ([`WithoutIntake`]), and how each says what happened ([`RunnerEvent`], worded by
//! the caller so each log keeps its voice). Beside delivery it runs the team follower
//! ([`crate::team::source::follow::run`]), so both runners keep a followed team current, and the
//! do-not-disturb loop ([`crate::dnd::run`]), which restores the desktop before the runner stops.
//!
//! ```no_run
//! use std::sync::Arc;
//! use baton::notify::delivery::DesktopNotifier;
//! use baton::notify::run::{Runner, WithoutIntake};
//! use baton::notify::runner::DAEMON;
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let runner = Runner::start(std::path::Path::new("/tmp/baton.db"), DAEMON)?;
//! let stopped = runner
//!     .run(
//!         Arc::new(DesktopNotifier),
//!         || {},
//!         async { let _ = tokio::signal::ctrl_c().await; },
//!         WithoutIntake::Stop,
//!         |event| eprintln!("{event:?}"),
//!     )
//!     .await?;
//! eprintln!("stopped, {} connections cut", stopped.cut);
//! # Ok(()) }
//! ```

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;
use tokio::sync::{watch, Notify};

use crate::notify::delivery::{self, Notifier};
use crate::notify::intake::{self, IntakeConfig, IntakeError, Stopped};
use crate::notify::runner::{RunnerError, RunnerLock};
use crate::store::watch::DbWatcher;
use crate::store::{Store, StoreError};
use crate::team::source::follow::{self, FollowEvent};

/// Why a runner could not start.
#[derive(Debug, Error)]
pub enum StartError {
    /// The runner lock is held by another runner, or could not be taken.
    #[error(transparent)]
    Lock(RunnerError),
    /// The database could not be opened.
    #[error(transparent)]
    Store(StoreError),
    /// The intake's settings or token file are not usable.
    #[error(transparent)]
    Intake(IntakeError),
}

/// Why a runner stopped other than when asked.
#[derive(Debug, Error)]
pub enum RunError {
    /// The intake could not listen, or failed while serving (with [`WithoutIntake::Stop`]).
    #[error(transparent)]
    Intake(#[from] IntakeError),
    /// The delivery loop's task failed (it panicked).
    #[error("{0}")]
    Delivery(String),
}

/// What a runner does when its intake cannot listen (its port taken, say) or fails while serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithoutIntake {
    /// Stop delivering too and return the error: `baton daemon`, whose whole job is the intake and
    /// delivery, refuses to run half-way.
    Stop,
    /// Report it ([`RunnerEvent::NoIntake`], [`RunnerEvent::IntakeStopped`]) and go on delivering
    /// held notifications until shut down: the tray, whose menu and focus sessions are worth having
    /// without an intake.
    Deliver,
}

/// Something a runner reports while it runs, for its caller to word in its own log.
#[derive(Debug)]
pub enum RunnerEvent<'a> {
    /// The database cannot be watched: writes by other processes are seen only at the next intake
    /// commit or timed wake-up.
    NotWatching(&'a ::notify::Error),
    /// An address could not be bound, with the reason (no IPv6 loopback here); the intake listens on
    /// the others.
    Skipped(&'a str),
    /// The intake listens.
    Listening {
        /// Where: 127.0.0.1 first, then ::1 when it could be bound.
        addrs: &'a [SocketAddr],
        /// Notifications one source may send per minute.
        rate_per_minute: u32,
        /// Notifications all sources together may send per minute.
        rate_total_per_minute: u32,
    },
    /// The intake could not listen; delivery goes on ([`WithoutIntake::Deliver`] only).
    NoIntake(&'a IntakeError),
    /// The intake failed while serving; delivery goes on ([`WithoutIntake::Deliver`] only).
    IntakeStopped(&'a IntakeError),
    /// The followed team source was read, or could not be (see [`crate::team::source::follow`]).
    Team(&'a FollowEvent<'a>),
    /// A calendar was read, or could not be (see [`crate::calendar::sync`]).
    Calendar(&'a crate::calendar::sync::CalendarSynced),
    /// The desktop's do-not-disturb was switched, or could not be (see [`crate::dnd`]).
    Dnd(&'a crate::dnd::DndEvent<'a>),
}

/// A runner that has started: it holds the runner lock of its database and its intake's
/// configuration, and runs with [`Runner::run`]. Dropping it lets another runner start.
#[derive(Debug)]
pub struct Runner {
    db: PathBuf,
    intake: IntakeConfig,
    lock: RunnerLock,
    /// The delivery loop's ping and the do-not-disturb loop's, made here so that
    /// [`Runner::focus_changed`] can hand them out before the run starts.
    wake: Arc<Notify>,
    dnd_changed: Arc<Notify>,
}

/// Tells a runner that its own process started or stopped focus (the tray's menu, its shortcut), so
/// the desktop's do-not-disturb and the delivery loop follow at once instead of after the database
/// watcher's settling ([`crate::store::watch::SETTLE`], 150 ms).
#[derive(Debug, Clone)]
pub struct FocusChanged {
    wake: Arc<Notify>,
    dnd: Arc<Notify>,
}

impl FocusChanged {
    /// Wakes both loops; they read the database and follow it.
    pub fn ping(&self) {
        self.dnd.notify_one();
        self.wake.notify_one();
    }
}

impl Runner {
    /// A handle that wakes this runner's do-not-disturb and delivery loops at once (see
    /// [`FocusChanged`]).
    pub fn focus_changed(&self) -> FocusChanged {
        FocusChanged {
            wake: self.wake.clone(),
            dnd: self.dnd_changed.clone(),
        }
    }

    /// Takes the runner lock of the database at `db` as `who` ([`crate::notify::runner::DAEMON`] or
    /// [`crate::notify::runner::DESKTOP_APP`]), without waiting, then reads the intake's configuration
    /// (creating the token file on first run).
    pub fn start(db: &Path, who: &str) -> Result<Runner, StartError> {
        let lock = RunnerLock::acquire(db, who).map_err(StartError::Lock)?;
        let store = Store::open(db).map_err(StartError::Store)?;
        let intake = IntakeConfig::load(&store, db).map_err(StartError::Intake)?;
        Ok(Runner {
            db: db.to_path_buf(),
            intake,
            lock,
            wake: Arc::new(Notify::new()),
            dnd_changed: Arc::new(Notify::new()),
        })
    }

    /// Runs until `shutdown` completes: the database watcher, the delivery loop showing notifications
    /// through `notifier`, and the intake. `changed` is called (on the watcher's thread) once writes to
    /// the database have settled, whoever wrote (this runner too), beside waking the delivery loop;
    /// `report` hears what happens.
    ///
    /// The watcher starts when this is called, before the returned future first runs, so a caller
    /// that reads the database after calling it misses no write. The intake is bound next, then the
    /// delivery loop starts (so a daemon refused its port delivers nothing), then the intake serves.
    /// On `shutdown` the intake stops accepting, gives the requests in flight their grace period,
    /// and only then the delivery loop is stopped; the future resolves once everything accepted is
    /// stored. [`Stopped::cut`] is 0 when the intake did not serve to the end.
    pub fn run(
        self,
        notifier: Arc<dyn Notifier>,
        changed: impl Fn() + Send + 'static,
        shutdown: impl Future<Output = ()> + Send + 'static,
        without_intake: WithoutIntake,
        report: impl Fn(RunnerEvent<'_>) + Send + Sync + 'static,
    ) -> impl Future<Output = Result<Stopped, RunError>> + Send + 'static {
        let report = Arc::new(report);
        let Runner {
            db,
            intake,
            lock,
            wake,
            dnd_changed,
        } = self;
        // One ping for both: the intake's commits (at once) and other processes' writes to the
        // database (a focus session stopped from the CLI, a setting changed; after they settle).
        // The team follower's own ping: a source followed or unfollowed by another process.
        let team_changed = Arc::new(Notify::new());
        // The calendar loop's: a calendar added or removed, a teammate's feed in a new team version.
        let calendars_changed = Arc::new(Notify::new());
        // The do-not-disturb loop's (`dnd_changed`): a session started or stopped, a focus rule or
        // setting changed; also pinged at once through `focus_changed`.
        let watcher = {
            let wake = wake.clone();
            let team_changed = team_changed.clone();
            let calendars_changed = calendars_changed.clone();
            let dnd_changed = dnd_changed.clone();
            DbWatcher::start(&db, move || {
                changed();
                wake.notify_one();
                team_changed.notify_one();
                calendars_changed.notify_one();
                dnd_changed.notify_one();
            })
        };
        if let Err(e) = &watcher {
            report(RunnerEvent::NotWatching(e));
        }
        let watcher = watcher.ok();
        async move {
            // Both held until the runner stops.
            let _held = (lock, watcher);
            let (rate_per_minute, rate_total_per_minute) =
                (intake.rate_per_minute, intake.rate_total_per_minute);
            let listening = match intake::bind(intake).await {
                Ok(listening) => Some(listening),
                Err(e) if without_intake == WithoutIntake::Deliver => {
                    report(RunnerEvent::NoIntake(&e));
                    None
                }
                Err(e) => return Err(e.into()),
            };
            if let Some(listening) = &listening {
                for skipped in listening.skipped() {
                    report(RunnerEvent::Skipped(skipped));
                }
                report(RunnerEvent::Listening {
                    addrs: listening.addrs(),
                    rate_per_minute,
                    rate_total_per_minute,
                });
            }
            let (stop, stopping) = watch::channel(false);
            let stop = Arc::new(stop);
            let until_stopped = |mut rx: watch::Receiver<bool>| async move {
                let _ = rx.wait_for(|s| *s).await;
            };
            // Beside delivery: the followed team source, read again when it changes.
            let follower = tokio::spawn(follow::run(
                db.clone(),
                team_changed,
                until_stopped(stopping.clone()),
                {
                    let report = report.clone();
                    move |event: FollowEvent<'_>| report(RunnerEvent::Team(&event))
                },
            ));
            // And the calendars, read at start, on wake and every `calendar_refresh`.
            let calendars = tokio::spawn(crate::calendar::sync::run(
                db.clone(),
                calendars_changed,
                until_stopped(stopping.clone()),
                {
                    let report = report.clone();
                    move |synced: &crate::calendar::sync::CalendarSynced| {
                        report(RunnerEvent::Calendar(synced))
                    }
                },
            ));
            // And the desktop's do-not-disturb, switched with focus and restored on the way out.
            let dnd = tokio::spawn(crate::dnd::run(
                db.clone(),
                dnd_changed,
                until_stopped(stopping.clone()),
                {
                    let report = report.clone();
                    move |event: crate::dnd::DndEvent<'_>| report(RunnerEvent::Dnd(&event))
                },
            ));
            let delivery = tokio::spawn(delivery::run(
                db.clone(),
                notifier,
                wake.clone(),
                until_stopped(stopping.clone()),
            ));
            let signalled = stop.clone();
            tokio::spawn(async move {
                shutdown.await;
                let _ = signalled.send(true);
            });
            let served = match listening {
                Some(listening) => {
                    match listening
                        .serve(&db, wake, until_stopped(stopping.clone()))
                        .await
                    {
                        Err(e) if without_intake == WithoutIntake::Deliver => {
                            report(RunnerEvent::IntakeStopped(&e));
                            until_stopped(stopping).await;
                            Ok(Stopped { cut: 0 })
                        }
                        served => served,
                    }
                }
                None => {
                    until_stopped(stopping).await;
                    Ok(Stopped { cut: 0 })
                }
            };
            // Also when serving failed: the delivery loop must not outlive the server.
            let _ = stop.send(true);
            let _ = follower.await;
            let _ = calendars.await;
            let _ = dnd.await;
            delivery
                .await
                .map_err(|e| RunError::Delivery(e.to_string()))?;
            Ok(served?)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, TcpListener};
    use std::sync::Mutex;

    use super::*;
    use crate::notify::delivery::RecordingNotifier;
    use crate::notify::runner::DAEMON;
    use crate::store::settings::INTAKE_PORT;

    /// A database whose intake port is held by another program, and that program's socket.
    fn database_with_a_taken_port(dir: &Path) -> (PathBuf, TcpListener) {
        let squatter = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = squatter.local_addr().unwrap().port();
        let db = dir.join("baton.db");
        Store::open(&db)
            .unwrap()
            .set_setting(INTAKE_PORT, &port.to_string())
            .unwrap();
        (db, squatter)
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_runner_that_needs_its_intake_stops_when_the_port_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let (db, _squatter) = database_with_a_taken_port(dir.path());
        let runner = Runner::start(&db, DAEMON).unwrap();
        let result = runtime().block_on(runner.run(
            Arc::new(RecordingNotifier::new()),
            || {},
            std::future::pending(),
            WithoutIntake::Stop,
            |_| {},
        ));
        assert!(
            matches!(result, Err(RunError::Intake(IntakeError::PortTaken { .. }))),
            "{result:?}"
        );
        assert!(
            Runner::start(&db, DAEMON).is_ok(),
            "a runner that stopped lets the next one start"
        );
    }

    #[test]
    fn a_delivering_runner_goes_on_without_its_intake_until_shut_down() {
        let dir = tempfile::tempdir().unwrap();
        let (db, _squatter) = database_with_a_taken_port(dir.path());
        let runner = Runner::start(&db, DAEMON).unwrap();
        let heard = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let runtime = runtime();
        let run = runtime.spawn({
            let heard = heard.clone();
            runner.run(
                Arc::new(RecordingNotifier::new()),
                || {},
                async move {
                    let _ = stopped.await;
                },
                WithoutIntake::Deliver,
                move |event| heard.lock().unwrap().push(format!("{event:?}")),
            )
        });
        let since = std::time::Instant::now();
        while heard.lock().unwrap().is_empty() {
            assert!(
                since.elapsed() < std::time::Duration::from_secs(10),
                "nothing reported"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(
            heard.lock().unwrap()[0].starts_with("NoIntake(PortTaken"),
            "{heard:?}"
        );
        assert!(
            !run.is_finished(),
            "without an intake it still runs, delivering"
        );
        assert!(
            matches!(
                Runner::start(&db, DAEMON),
                Err(StartError::Lock(RunnerError::AlreadyRunning { .. }))
            ),
            "it still holds the runner lock"
        );
        stop.send(()).unwrap();
        let result = runtime.block_on(run).unwrap();
        assert!(matches!(result, Ok(Stopped { cut: 0 })), "{result:?}");
    }
}
