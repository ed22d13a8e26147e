//! Delivery: held notifications reach the person as desktop notifications when the policy says so.
//!
//! [`deliver_due`] is one step: read the held items and what the policy needs from the store, ask
//! [`policy::plan`] at `now`, show what it releases through a [`Notifier`], and mark it delivered. An
//! item is marked only after its notification was shown, so a notifier failure (no notification
//! daemon, say) or a crash in between loses nothing: the item stays held and is shown at the next step.
//! The price is at-least-once: a process killed between showing and marking shows that item again
//! when it restarts. Nothing is ever dropped.
//!
//! [`run`] is the scheduler around it: it sleeps until the plan's next wake, an arrival, or a change
//! to the database, never on a polling timer; after a notifier failure it retries with a back-off
//! instead of spinning.
//!
//! The [`Notifier`] trait keeps the desktop out of the logic: [`DesktopNotifier`] talks to the
//! operating system (D-Bus on Linux), [`RecordingNotifier`] records calls for tests and benchmarks.

use std::collections::HashMap;
use std::fs::File;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use thiserror::Error;
use tokio::sync::Notify;

use crate::clock;
use crate::digest::{digest_text, urgent_text, NotificationText};
use crate::focus::FocusSession;
use crate::interval::{Instant, Interval};
use crate::notification::{DeliveredAs, Item, Urgency};
use crate::policy::{self, Plan, PolicyContext, PolicySettings, Timeline, LOOKAHEAD, LOOKBACK};
use crate::settings::SettingError;
use crate::store::{Store, StoreError};
use crate::team::Team;

/// The environment variable that makes the CLI and `baton daemon` write each notification as a JSON
/// line to a file instead of showing it: a hook for tests, with no D-Bus needed.
pub const NOTIFIER_LOG_ENV: &str = "BATON_NOTIFIER_LOG";
/// The first wait after a notifier failure; it doubles after each further failure.
pub const FIRST_RETRY: StdDuration = StdDuration::from_secs(60);
/// The longest wait after a notifier failure.
pub const MAX_RETRY: StdDuration = StdDuration::from_secs(30 * 60);
/// When the plan has nothing to wake for (nothing held), the scheduler still looks again after a
/// day; an arrival or a database write wakes it long before.
pub const IDLE_RECHECK: StdDuration = StdDuration::from_secs(24 * 3600);

/// Shows one desktop notification.
pub trait Notifier: Send + Sync + 'static {
    /// Shows `text` at `urgency`. An error says why it could not be shown; the caller keeps the
    /// items held and tries again later.
    fn show(&self, text: &NotificationText, urgency: Urgency) -> Result<(), String>;
}

/// The operating system's notifications: the freedesktop notification service over D-Bus on Linux
/// and the BSDs (dunst, GNOME Shell, KDE Plasma...), Notification Center on macOS, toasts on Windows.
///
/// Urgency maps to the service's low, normal and critical (high is normal: it interrupts, and
/// critical is for fires). A critical notification stays until dismissed; others stay long enough to
/// read: 6 s plus 2 s per body line, at most 30 s (a digest's body has a line per source).
#[derive(Debug, Clone, Copy, Default)]
pub struct DesktopNotifier;

impl DesktopNotifier {
    /// How long a notification with this text stays up (`None`: until dismissed).
    pub fn timeout(text: &NotificationText, urgency: Urgency) -> Option<StdDuration> {
        if urgency == Urgency::Critical {
            return None;
        }
        let lines = text.body.lines().count() as u64;
        Some(StdDuration::from_secs((6 + 2 * lines).min(30)))
    }
}

impl Notifier for DesktopNotifier {
    fn show(&self, text: &NotificationText, urgency: Urgency) -> Result<(), String> {
        let mut n = notify_rust::Notification::new();
        n.appname("Baton").summary(&text.summary);
        // The freedesktop body may carry markup (dunst renders it by default), so a title with
        // `&` or `<` must be escaped to show as written; the summary is plain text by the spec.
        #[cfg(all(unix, not(target_os = "macos")))]
        n.body(&escape_markup(&text.body)).urgency(match urgency {
            Urgency::Low => notify_rust::Urgency::Low,
            Urgency::Normal | Urgency::High => notify_rust::Urgency::Normal,
            Urgency::Critical => notify_rust::Urgency::Critical,
        });
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        n.body(&text.body);
        n.timeout(match Self::timeout(text, urgency) {
            None => notify_rust::Timeout::Never,
            Some(d) => {
                notify_rust::Timeout::Milliseconds(u32::try_from(d.as_millis()).unwrap_or(u32::MAX))
            }
        });
        n.show().map(drop).map_err(|e| e.to_string())
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn escape_markup(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One call a [`RecordingNotifier`] received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// When it was called (monotonic, for latency measurements).
    pub at: std::time::Instant,
    /// What it was asked to show.
    pub text: NotificationText,
    /// At what urgency.
    pub urgency: Urgency,
}

/// A notifier for tests and benchmarks: it records every call with the instant it happened and
/// shows nothing. It can be told to fail, and can append each call to a file as a JSON line
/// (`{"urgency": ..., "summary": ..., "body": ...}`), which is how `baton` obeys
/// [`NOTIFIER_LOG_ENV`]. A failed call is not recorded.
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    calls: Mutex<Vec<Shown>>,
    called: Condvar,
    failure: Mutex<Option<String>>,
    log: Option<Mutex<File>>,
}

impl RecordingNotifier {
    /// Records in memory only.
    pub fn new() -> RecordingNotifier {
        RecordingNotifier::default()
    }

    /// Records in memory and appends each call to the file at `path` (created if missing). A call
    /// whose line cannot be written fails, as a notifier whose service is gone would.
    pub fn logging_to(path: &Path) -> std::io::Result<RecordingNotifier> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(RecordingNotifier {
            log: Some(Mutex::new(file)),
            ..RecordingNotifier::default()
        })
    }

    /// From now on, every call fails with `message` (`None`: calls succeed again).
    pub fn set_failure(&self, message: Option<&str>) {
        *lock(&self.failure) = message.map(str::to_owned);
    }

    /// Every successful call so far, in order.
    pub fn shown(&self) -> Vec<Shown> {
        lock(&self.calls).clone()
    }

    /// Waits until at least `count` calls have been recorded, for at most `timeout`; returns whether
    /// they were.
    pub fn wait_for(&self, count: usize, timeout: StdDuration) -> bool {
        let calls = lock(&self.calls);
        let (calls, _) = self
            .called
            .wait_timeout_while(calls, timeout, |c| c.len() < count)
            .unwrap_or_else(PoisonError::into_inner);
        calls.len() >= count
    }
}

impl Notifier for RecordingNotifier {
    fn show(&self, text: &NotificationText, urgency: Urgency) -> Result<(), String> {
        let at = std::time::Instant::now();
        if let Some(message) = lock(&self.failure).clone() {
            return Err(message);
        }
        if let Some(log) = &self.log {
            let line = serde_json::json!({
                "urgency": urgency,
                "summary": text.summary,
                "body": text.body,
            })
            .to_string()
                + "\n";
            // One write per line, so a killed process leaves whole lines.
            lock(log)
                .write_all(line.as_bytes())
                .map_err(|e| format!("cannot write the notifier log: {e}"))?;
        }
        lock(&self.calls).push(Shown {
            at,
            text: text.clone(),
            urgency,
        });
        self.called.notify_all();
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why a delivery step failed (a notifier failure is not one: see [`Delivery::failure`]).
#[derive(Debug, Error)]
pub enum DeliveryError {
    /// The database could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored policy setting no longer validates.
    #[error("a stored setting is not valid: {0}; change it with `baton settings set`")]
    Setting(#[from] SettingError),
}

/// What one delivery step did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Delivery {
    /// Items shown on their own, in order.
    pub urgent: Vec<i64>,
    /// Items shown together in one digest (empty when there was none).
    pub digest: Vec<i64>,
    /// Why the notifier failed, when it did: the items it was to show, and those after them, stay
    /// held.
    pub failure: Option<String>,
    /// How many items the plan released but stay held because the notifier failed.
    pub undelivered: usize,
    /// When the policy wants to be asked again (`None`: nothing is left held, or a failure means
    /// the caller should retry on its own schedule).
    pub next_wake: Option<Instant>,
}

impl Delivery {
    /// How many items were delivered.
    pub fn delivered(&self) -> usize {
        self.urgent.len() + self.digest.len()
    }
}

/// What the policy reads besides the held items, loaded from the store.
#[derive(Debug, Clone)]
pub struct PolicyInputs {
    /// The stored team, or an empty one (no `me`: all time counts as working, see [`Timeline::new`]).
    pub team: Team,
    /// Focus sessions that reach into the span the policy looks at.
    pub sessions: Vec<FocusSession>,
    /// The policy's settings.
    pub settings: PolicySettings,
    /// Breakthroughs since [`policy::cap_history_from`].
    pub breakthroughs: Vec<(String, Instant)>,
}

impl PolicyInputs {
    /// Loads what a plan over `items` at `now` needs.
    pub fn load(
        store: &Store,
        items: &[Item],
        now: Instant,
    ) -> Result<PolicyInputs, DeliveryError> {
        let team = store.load_team()?.unwrap_or_else(|| Team {
            name: String::new(),
            me: None,
            members: Vec::new(),
        });
        let oldest = items.iter().map(|i| i.received_at).fold(now, Instant::min);
        // The timeline starts at most LOOKBACK before now, and expands a little before its start.
        let span = Interval {
            start: oldest.max(now - LOOKBACK) - Duration::days(3),
            end: now + LOOKAHEAD,
        };
        let sessions = store.focus_sessions(span)?;
        // A failed read is reported, never taken for "not set" (which would apply the defaults).
        let mut read_error = None;
        let settings = PolicySettings::from_lookup(|key| {
            store
                .setting(key)
                .map_err(|e| read_error = read_error.take().or(Some(e)))
                .ok()
                .flatten()
        })?;
        if let Some(e) = read_error {
            return Err(e.into());
        }
        let breakthroughs = store.breakthroughs_since(policy::cap_history_from(items, now))?;
        Ok(PolicyInputs {
            team,
            sessions,
            settings,
            breakthroughs,
        })
    }

    /// The policy's context at `now`.
    pub fn context(&self, now: Instant) -> PolicyContext<'_> {
        PolicyContext {
            team: &self.team,
            sessions: &self.sessions,
            settings: &self.settings,
            breakthroughs: &self.breakthroughs,
            now,
        }
    }

    /// The timeline for answering reply-by questions about items received from `from` on.
    pub fn timeline(&self, from: Instant, now: Instant) -> Timeline {
        Timeline::new(&self.team, &self.sessions, &self.settings, from, now)
    }
}

/// Delivers what the policy says is due at `now` (see the module docs): each urgent item on its own,
/// then the digest, each marked delivered only once shown.
///
/// The held items and the settings, team and focus sessions are read in one snapshot. `now` is taken
/// before that read, so an item committed in between can carry a later arrival time; such an item has
/// arrived, so the plan is made at the latest arrival it sees when that is later than `now`. Both keep
/// a batch together: nothing committed before a focus session was stopped follows the digest of its
/// end as a second notification a moment later.
pub fn deliver_due(
    store: &mut Store,
    notifier: &dyn Notifier,
    now: Instant,
) -> Result<Delivery, DeliveryError> {
    let Some((held, inputs, now)) = load_held(store, now)? else {
        return Ok(Delivery::default());
    };
    let plan = policy::plan(&inputs.context(now), &held);
    send(store, notifier, &held, plan, now)
}

/// The held items and the policy's inputs, read from one snapshot of the store (so a focus session
/// stopped by another process is never seen without the items committed before it), with `now`
/// moved up to the latest arrival among them; `None` when nothing is held.
fn load_held(
    store: &Store,
    now: Instant,
) -> Result<Option<(Vec<Item>, PolicyInputs, Instant)>, DeliveryError> {
    store.snapshot(|store| {
        let held = store.held_items()?;
        if held.is_empty() {
            return Ok(None);
        }
        let now = held.iter().map(|i| i.received_at).fold(now, Instant::max);
        let inputs = PolicyInputs::load(store, &held, now)?;
        Ok(Some((held, inputs, now)))
    })
}

/// Delivers everything held now as one digest, because the person asked (see
/// [`policy::deliver_now`]).
pub fn deliver_now(
    store: &mut Store,
    notifier: &dyn Notifier,
    now: Instant,
) -> Result<Delivery, DeliveryError> {
    let Some((held, inputs, now)) = load_held(store, now)? else {
        return Ok(Delivery::default());
    };
    let plan = policy::deliver_now(&inputs.context(now), &held);
    send(store, notifier, &held, plan, now)
}

/// Shows and marks what `plan` releases; stops at the first notifier failure.
fn send(
    store: &mut Store,
    notifier: &dyn Notifier,
    held: &[Item],
    plan: Plan,
    now: Instant,
) -> Result<Delivery, DeliveryError> {
    let by_id: HashMap<i64, &Item> = held.iter().map(|i| (i.id, i)).collect();
    let mut out = Delivery {
        next_wake: plan.next_wake,
        ..Delivery::default()
    };
    let released = plan.urgent.len() + plan.digest.as_ref().map_or(0, |d| d.items.len());
    for id in &plan.urgent {
        let Some(item) = by_id.get(id) else { continue };
        if let Err(e) = notifier.show(&urgent_text(item), item.urgency) {
            return Ok(failed(out, e, released));
        }
        store.mark_delivered(&[*id], now, DeliveredAs::Urgent)?;
        out.urgent.push(*id);
    }
    if let Some(digest) = plan.digest {
        let text = digest_text(&digest, held);
        if let Err(e) = notifier.show(&text, Urgency::Normal) {
            return Ok(failed(out, e, released));
        }
        store.mark_delivered(&digest.items, now, DeliveredAs::Digest)?;
        out.digest = digest.items;
    }
    Ok(out)
}

fn failed(mut out: Delivery, error: String, released: usize) -> Delivery {
    out.undelivered = released - out.delivered();
    eprintln!(
        "baton: cannot show a notification: {error}; {} item{} stay in the inbox",
        out.undelivered,
        if out.undelivered == 1 { "" } else { "s" }
    );
    out.failure = Some(error);
    out.next_wake = None;
    out
}

/// The delivery scheduler: delivers what is due from the database at `db` (through its own
/// connection), then sleeps until the plan's next wake (on the wall clock, so a suspend does not
/// make it late: [`crate::clock`]), a ping on `wake` (the intake pings it after each commit; a
/// database watcher can ping it after other processes' writes) or [`IDLE_RECHECK`], whichever comes
/// first, until `shutdown` resolves. After a notifier failure it waits
/// [`FIRST_RETRY`], doubling up to [`MAX_RETRY`], before trying again; pings during that wait are
/// kept for when it ends. Errors are written to standard error; it never gives up.
pub async fn run(
    db: PathBuf,
    notifier: Arc<dyn Notifier>,
    wake: Arc<Notify>,
    shutdown: impl Future<Output = ()>,
) {
    let mut shutdown = pin!(shutdown);
    let mut store: Option<Store> = None;
    let mut retry = FIRST_RETRY;
    loop {
        let (db2, notifier2) = (db.clone(), notifier.clone());
        let step = tokio::task::spawn_blocking(move || {
            let mut store = match store {
                Some(s) => s,
                None => match Store::open(&db2) {
                    Ok(s) => s,
                    Err(e) => return (None, Err(DeliveryError::from(e))),
                },
            };
            let result = deliver_due(&mut store, &*notifier2, Utc::now());
            (Some(store), result)
        })
        .await;
        // Back off (without listening for pings) after a failure; else sleep until the next wake.
        let backing_off = match step {
            Ok((s, Ok(delivery))) => {
                store = s;
                if delivery.failure.is_some() {
                    true
                } else {
                    retry = FIRST_RETRY;
                    let idle = Utc::now() + Duration::from_std(IDLE_RECHECK).unwrap_or_default();
                    let until = delivery.next_wake.map_or(idle, |w| w.min(idle));
                    tokio::select! {
                        () = &mut shutdown => return,
                        () = wake.notified() => {}
                        () = clock::sleep_until(until) => {}
                    }
                    false
                }
            }
            Ok((s, Err(e))) => {
                store = s;
                eprintln!(
                    "baton: delivery failed: {e}; retrying in {}s",
                    retry.as_secs()
                );
                true
            }
            Err(e) => {
                store = None;
                eprintln!("baton: delivery stopped unexpectedly: {e}; retrying");
                true
            }
        };
        if backing_off {
            let wait = retry;
            retry = (retry * 2).min(MAX_RETRY);
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests;
