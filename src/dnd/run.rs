//! The runner's do-not-disturb loop: it sleeps until the next instant the answer of [`due`] may
//! change (a session's end, a block's start or end, a working-hours edge) or the database changes,
//! then switches the desktop to match. The record comes first: written before turning on, cleared
//! after restoring, so a crash in between is put right at the next start.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{Duration, Utc};
use tokio::sync::Notify;

use super::{detect, due, BackendKind, Choice, DndError, DoNotDisturb, Silence, Token};
use crate::store::dnd::DndRecord;
use crate::store::settings::{self, DESKTOP_DND, FOCUS_SILENCES_DESKTOP, OFF_HOURS_SILENCE};
use crate::store::{HeldStore, Store, StoreError};
use crate::team::focus::FocusSession;
use crate::team::Team;
use crate::time::interval::{Instant, Interval};

/// What the do-not-disturb loop reports, for the runner's log.
#[derive(Debug)]
pub enum DndEvent<'a> {
    /// The backend Baton switches, found at start or after `desktop_dnd` changed.
    Using(&'a str),
    /// No backend: why (the setting is off, no known desktop, no bus).
    Unavailable(&'a str),
    /// Baton turned do-not-disturb on (or, when it was on already, leaves it on and will not turn
    /// it off).
    On {
        /// The backend's name.
        backend: &'a str,
        /// It was on already.
        found_on: bool,
        /// Why now.
        silence: Silence,
    },
    /// Baton put back what it found.
    Restored {
        /// The backend's name.
        backend: &'a str,
        /// It was on before, so it stays on.
        found_on: bool,
    },
    /// A record of an earlier run was found with focus still on: do-not-disturb stays on.
    Resumed(&'a str),
    /// A backend failed (reported once per distinct failure); focus goes on without it.
    Failed(&'a DndError),
    /// The record of what Baton changed could not be read or written.
    Store(&'a StoreError),
}

/// What the loop reads from the database at each wake.
struct Inputs {
    choice: Choice,
    wanted: super::Wanted,
    team: Option<Team>,
    sessions: Vec<FocusSession>,
    record: Option<DndRecord>,
}

fn read(store: &Store, now: Instant) -> Result<Inputs, StoreError> {
    store.snapshot(|store| {
        let flag = |key: &str| -> Result<bool, StoreError> {
            Ok(settings::flag(key, store.setting(key)?.as_deref()))
        };
        let choice = Choice::from_setting(&store.setting(DESKTOP_DND)?.unwrap_or_else(|| {
            settings::default_value(DESKTOP_DND)
                .unwrap_or("auto")
                .into()
        }));
        let wanted = super::Wanted {
            in_focus: flag(FOCUS_SILENCES_DESKTOP)?,
            off_hours: flag(OFF_HOURS_SILENCE)?,
        };
        let sessions = store.focus_sessions(Interval {
            start: now - Duration::days(1),
            end: now + crate::notify::policy::LOOKAHEAD,
        })?;
        Ok(Inputs {
            choice,
            wanted,
            team: store.load_team()?,
            sessions,
            record: store.dnd_record()?,
        })
    })
}

/// Do-not-disturb Baton holds now.
struct Holding {
    backend: Arc<dyn DoNotDisturb>,
    found_on: bool,
    token: Token,
    /// Taken over from an earlier run's record: to be turned on again (a Plasma inhibition died
    /// with that run) if focus still runs.
    adopted: bool,
}

/// The loop's state between wakes.
struct Switch<R> {
    db: PathBuf,
    held: HeldStore,
    find: Box<dyn Fn(Choice) -> Finding + Send + Sync>,
    report: Arc<R>,
    choice: Option<Choice>,
    backend: Option<Arc<dyn DoNotDisturb>>,
    holding: Option<Holding>,
    last_failure: Option<String>,
}

impl<R: Fn(DndEvent<'_>) + Send + Sync + 'static> Switch<R> {
    async fn store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (held, db) = (self.held.clone(), self.db.clone());
        tokio::task::spawn_blocking(move || held.with(&db, |_: &StoreError| true, f))
            .await
            .unwrap_or_else(|e| {
                Err(StoreError::File {
                    path: String::new(),
                    source: std::io::Error::other(format!("the database task failed: {e}")),
                })
            })
    }

    fn failed(&mut self, e: &DndError) {
        let text = e.to_string();
        if self.last_failure.as_ref() != Some(&text) {
            (self.report)(DndEvent::Failed(e));
            self.last_failure = Some(text);
        }
    }

    async fn choose(&mut self, choice: Choice) {
        if self.choice == Some(choice) {
            return;
        }
        // Another backend from now: put the old one back first.
        self.restore().await;
        self.choice = Some(choice);
        let found = match choice {
            Choice::Off => Err("turned off (desktop_dnd is off)".to_string()),
            choice => (self.find)(choice).await,
        };
        self.backend = match found {
            Ok(b) => {
                (self.report)(DndEvent::Using(b.name()));
                Some(b)
            }
            Err(why) => {
                (self.report)(DndEvent::Unavailable(&why));
                None
            }
        };
    }

    /// Takes over an earlier run's record: the backend it names is held.
    async fn adopt(&mut self, record: DndRecord) {
        let kind = BackendKind::from_key(&record.backend);
        let same = self
            .backend
            .as_ref()
            .filter(|b| Some(b.kind()) == kind)
            .cloned();
        let backend = match (same, kind) {
            (Some(b), _) => Ok(b),
            (None, Some(kind)) => (self.find)(Choice::Only(kind)).await,
            (None, None) => Err(format!("unknown backend \"{}\"", record.backend)),
        };
        match backend {
            Ok(backend) => {
                self.holding = Some(Holding {
                    backend,
                    found_on: record.found_on,
                    token: Token::default(),
                    adopted: true,
                })
            }
            Err(why) => {
                self.failed(&DndError::Failed {
                    backend: record.backend.clone(),
                    message: format!("cannot restore what an earlier run changed: {why}"),
                });
                // Nothing can be done with it; forgetting it lets focus use the backend in force.
                if let Err(e) = self.store(|s| s.clear_dnd()).await {
                    (self.report)(DndEvent::Store(&e));
                }
            }
        }
    }

    async fn turn_on(&mut self, silence: Silence) {
        if let Some(h) = &mut self.holding {
            if h.adopted {
                h.adopted = false;
                let name = h.backend.name();
                if !h.found_on {
                    let on = h.backend.turn_on().await;
                    match on {
                        Ok(token) => h.token = token,
                        Err(e) => return self.failed(&e),
                    }
                }
                (self.report)(DndEvent::Resumed(name));
            }
            return;
        }
        let Some(backend) = self.backend.clone() else {
            return;
        };
        let found_on = match backend.is_on().await {
            Ok(on) => on,
            Err(e) => return self.failed(&e),
        };
        let key = backend.kind().key();
        // Durable first: the record is committed before anything changes.
        if let Err(e) = self
            .store(move |s| s.record_dnd(key, found_on, Utc::now()))
            .await
        {
            return (self.report)(DndEvent::Store(&e));
        }
        let token = if found_on {
            Token::default()
        } else {
            match backend.turn_on().await {
                Ok(token) => token,
                Err(e) => {
                    self.failed(&e);
                    // Nothing changed: nothing to restore.
                    if let Err(e) = self.store(|s| s.clear_dnd()).await {
                        (self.report)(DndEvent::Store(&e));
                    }
                    return;
                }
            }
        };
        self.last_failure = None;
        (self.report)(DndEvent::On {
            backend: backend.name(),
            found_on,
            silence,
        });
        self.holding = Some(Holding {
            backend,
            found_on,
            token,
            adopted: false,
        });
    }

    async fn restore(&mut self) {
        let Some(h) = self.holding.take() else {
            return;
        };
        if !h.found_on {
            if let Err(e) = h.backend.restore(h.token.clone()).await {
                self.failed(&e);
                // Kept, record and all: tried again at the next wake, or by the next run.
                self.holding = Some(h);
                return;
            }
        }
        if let Err(e) = self.store(|s| s.clear_dnd()).await {
            (self.report)(DndEvent::Store(&e));
        }
        self.last_failure = None;
        (self.report)(DndEvent::Restored {
            backend: h.backend.name(),
            found_on: h.found_on,
        });
    }
}

/// Runs until `stop`: switches the desktop's do-not-disturb with focus (see the module docs) and
/// restores it before returning. `changed` is pinged after writes to the database (a session
/// started or stopped, a setting changed); `report` hears what happens.
pub async fn run(
    db: PathBuf,
    changed: Arc<Notify>,
    stop: impl Future<Output = ()> + Send,
    report: impl Fn(DndEvent<'_>) + Send + Sync + 'static,
) {
    run_with(db, changed, stop, report, |choice| Box::pin(detect(choice))).await
}

/// How [`run_with`] finds the backend of a choice ([`detect`] for [`run`]); also asked for
/// `Choice::Only(kind)` to restore what an earlier run's record names.
pub type Finding = Pin<Box<dyn Future<Output = Result<Arc<dyn DoNotDisturb>, String>> + Send>>;

/// [`run`] with the backends `find` gives (a recording double in tests).
pub async fn run_with(
    db: PathBuf,
    changed: Arc<Notify>,
    stop: impl Future<Output = ()> + Send,
    report: impl Fn(DndEvent<'_>) + Send + Sync + 'static,
    find: impl Fn(Choice) -> Finding + Send + Sync + 'static,
) {
    tokio::pin!(stop);
    let mut switch = Switch {
        db,
        held: HeldStore::default(),
        find: Box::new(find),
        report: Arc::new(report),
        choice: None,
        backend: None,
        holding: None,
        last_failure: None,
    };
    let mut first = true;
    loop {
        let now = Utc::now();
        let next = match switch.store(move |s| read(s, now)).await {
            Ok(inputs) => {
                switch.choose(inputs.choice).await;
                // An earlier run's record is taken over once, at the first good read.
                if std::mem::take(&mut first) {
                    if let Some(record) = inputs.record {
                        switch.adopt(record).await;
                    }
                }
                let due = due(inputs.team.as_ref(), &inputs.sessions, inputs.wanted, now);
                match due.silence {
                    Some(silence) if inputs.choice != Choice::Off => switch.turn_on(silence).await,
                    _ => switch.restore().await,
                }
                Some(due.next_change)
            }
            Err(e) => {
                (switch.report)(DndEvent::Store(&e));
                None
            }
        };
        let timer = async {
            match next {
                Some(at) => crate::time::clock::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = &mut stop => break,
            () = changed.notified() => {}
            () = timer => {}
        }
    }
    switch.restore().await;
}

/// What `baton focus status` says about the desktop's do-not-disturb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DndStatus {
    /// The backend Baton would switch, or why there is none.
    pub backend: Result<&'static str, String>,
    /// What Baton changed and has not restored yet (a runner holds it, or one died holding it).
    pub held: Option<DndRecord>,
}

/// The backend `choice` (the `desktop_dnd` setting) finds on this machine, beside `held`, the record
/// of what Baton changed (see [`crate::store::Store::dnd_record`]).
pub async fn status(choice: Choice, held: Option<DndRecord>) -> DndStatus {
    DndStatus {
        backend: detect(choice).await.map(|b| b.name()),
        held,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::dnd::RecordingDnd;
    use crate::store::settings::DESKTOP_DND;

    /// The loop on a temp database with `dnd` as every backend, stopped by the returned sender.
    struct Harness {
        db: PathBuf,
        changed: Arc<Notify>,
        dnd: RecordingDnd,
        events: Arc<Mutex<Vec<String>>>,
        stop: Option<tokio::sync::oneshot::Sender<()>>,
        task: Option<tokio::task::JoinHandle<()>>,
        _dir: tempfile::TempDir,
    }

    impl Harness {
        fn start(dnd: RecordingDnd, before: impl FnOnce(&mut Store)) -> Harness {
            let dir = tempfile::tempdir().unwrap();
            let db = dir.path().join("baton.db");
            let mut store = Store::open(&db).unwrap();
            store.set_setting(DESKTOP_DND, "dunst").unwrap();
            before(&mut store);
            let changed = Arc::new(Notify::new());
            let events = Arc::new(Mutex::new(Vec::new()));
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let double = dnd.clone();
            let heard = events.clone();
            let task = tokio::spawn(run_with(
                db.clone(),
                changed.clone(),
                async move {
                    let _ = stopped.await;
                },
                move |e| heard.lock().unwrap().push(format!("{e:?}")),
                move |_| {
                    let double = double.clone();
                    Box::pin(async move { Ok(Arc::new(double) as Arc<dyn DoNotDisturb>) })
                },
            ));
            Harness {
                db,
                changed,
                dnd,
                events,
                stop: Some(stop),
                task: Some(task),
                _dir: dir,
            }
        }

        fn write(&self, f: impl FnOnce(&mut Store)) {
            f(&mut Store::open(&self.db).unwrap());
            self.changed.notify_one();
        }

        fn record(&self) -> Option<DndRecord> {
            Store::open(&self.db).unwrap().dnd_record().unwrap()
        }

        async fn until(&self, what: &str, done: impl Fn(&Harness) -> bool) {
            for _ in 0..1000 {
                if done(self) {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            panic!(
                "{what} never happened: calls {:?}, events {:?}",
                self.dnd.calls(),
                self.events.lock().unwrap()
            );
        }

        async fn stop(&mut self) {
            let _ = self.stop.take().unwrap().send(());
            self.task.take().unwrap().await.unwrap();
        }
    }

    fn focus(store: &mut Store) {
        let now = Utc::now();
        store.start_focus(now, now + Duration::minutes(30)).unwrap();
    }

    #[tokio::test]
    async fn focus_turns_it_on_after_recording_and_its_end_restores() {
        let mut h = Harness::start(RecordingDnd::new(false), |_| {});
        h.write(focus);
        h.until("on", |h| h.dnd.is_on_now()).await;
        assert_eq!(
            h.record().map(|r| (r.backend, r.found_on)),
            Some(("dunst".into(), false))
        );
        h.write(|s| {
            s.stop_focus(Utc::now()).unwrap();
        });
        h.until("restored", |h| !h.dnd.is_on_now() && h.record().is_none())
            .await;
        h.stop().await;
        assert_eq!(h.dnd.calls(), ["is_on", "turn_on", "restore"]);
    }

    #[tokio::test]
    async fn found_on_is_left_on() {
        let mut h = Harness::start(RecordingDnd::new(true), focus);
        h.until("recorded", |h| h.record().is_some_and(|r| r.found_on))
            .await;
        h.stop().await;
        assert!(h.dnd.is_on_now());
        assert_eq!(h.dnd.calls(), ["is_on"], "never turned on nor off");
        assert_eq!(h.record(), None, "stopping clears the record");
    }

    #[tokio::test]
    async fn stopping_during_focus_restores() {
        let mut h = Harness::start(RecordingDnd::new(false), focus);
        h.until("on", |h| h.dnd.is_on_now()).await;
        h.stop().await;
        assert!(!h.dnd.is_on_now());
        assert_eq!(h.record(), None);
    }

    #[tokio::test]
    async fn an_earlier_runs_record_is_restored_when_no_focus_is_due() {
        let dnd = RecordingDnd::new(true);
        let mut h = Harness::start(dnd, |s| s.record_dnd("dunst", false, Utc::now()).unwrap());
        h.until("restored", |h| h.record().is_none()).await;
        h.stop().await;
        assert!(!h.dnd.is_on_now(), "found off, so put back off");
        assert_eq!(
            h.dnd.calls(),
            ["restore"],
            "the found state comes from the record"
        );
    }

    #[tokio::test]
    async fn an_earlier_runs_record_during_focus_keeps_it_on() {
        let dnd = RecordingDnd::new(true);
        let mut h = Harness::start(dnd, |s| {
            s.record_dnd("dunst", false, Utc::now()).unwrap();
            focus(s);
        });
        h.until("resumed", |h| {
            h.events
                .lock()
                .unwrap()
                .iter()
                .any(|e| e.starts_with("Resumed"))
        })
        .await;
        assert!(h.dnd.is_on_now() && h.record().is_some());
        h.stop().await;
        assert_eq!(h.dnd.calls(), ["turn_on", "restore"]);
    }

    #[tokio::test]
    async fn desktop_dnd_off_switches_nothing() {
        let mut h = Harness::start(RecordingDnd::new(false), |s| {
            s.set_setting(DESKTOP_DND, "off").unwrap();
            focus(s);
        });
        h.until("read", |h| {
            h.events
                .lock()
                .unwrap()
                .iter()
                .any(|e| e.starts_with("Unavailable"))
        })
        .await;
        h.stop().await;
        assert_eq!(h.dnd.calls(), Vec::<String>::new());
    }
}
