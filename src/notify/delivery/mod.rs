//! Delivery: held notifications reach the person as desktop notifications when the policy says so.
//!
//! [`deliver_due`] is one step: read the held items and what the policy needs from the store, ask
//! [`policy::plan`] at `now`, show what it releases through a [`Notifier`], and mark it delivered. An
//! item is marked only after its notification was shown, so a notifier failure (no notification
//! daemon, say) or a crash in between loses nothing: the item stays held and is shown at the next step.
//! The price is at-least-once: a process killed between showing and marking shows that item again
//! when it restarts. Nothing is ever dropped.
//!
//! A notifier fails in one of two ways ([`NotifyError`]). *Unavailable* (no notification service)
//! says nothing about the items, so they stay held and the step stops. *Refused* is about this
//! content, and trying again would fail again: left held, one such item would be the oldest held
//! one forever and stop every later delivery. So a refused urgent item is set aside as `failed`
//! with the reason, and a refused digest is split in halves, each tried as its own digest, until
//! the refused items are found and set aside: the good ones still arrive, in a few digests, and
//! the step goes on.
//!
//! [`run`] is the scheduler around it: it sleeps until the plan's next wake, an arrival, or a change
//! to the database, never on a polling timer; after a notifier failure it retries with a back-off
//! instead of spinning.
//!
//! The [`Notifier`] trait keeps the desktop out of the logic: [`DesktopNotifier`] talks to the
//! operating system (D-Bus on Linux), [`RecordingNotifier`] records calls for tests and benchmarks.

use std::collections::{HashMap, VecDeque};
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

use crate::notify::digest::{digest_text, urgent_text, NotificationText};
use crate::notify::notification::{DeliveredAs, Item, Urgency};
use crate::notify::policy::{
    self, DigestPlan, Plan, PolicyContext, PolicySettings, Timeline, LOOKAHEAD, LOOKBACK,
};
use crate::store::settings::{self, SettingError};
use crate::store::{Store, StoreError};
use crate::team::focus::FocusSession;
use crate::team::Team;
use crate::time::clock;
use crate::time::interval::{Instant, Interval};

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

/// Why a notification could not be shown.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NotifyError {
    /// The notifier refused this content: showing it again would fail again. Its items are set
    /// aside as failed, with this reason.
    #[error("the notification was refused: {0}")]
    Refused(String),
    /// The notification service is missing or not answering: nothing is wrong with the items, which
    /// stay held for a later try.
    #[error("{0}")]
    Unavailable(String),
}

/// Shows one desktop notification.
pub trait Notifier: Send + Sync + 'static {
    /// Shows `text` at `urgency`, or says why it could not (see [`NotifyError`] for what the caller
    /// does with each kind).
    fn show(&self, text: &NotificationText, urgency: Urgency) -> Result<(), NotifyError>;

    /// Shows a digest: as [`Notifier::show`], and where the notifier can, with a way to the Inbox.
    fn show_digest(&self, text: &NotificationText, urgency: Urgency) -> Result<(), NotifyError> {
        self.show(text, urgency)
    }
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

    /// Refuses, before any call, text the service cannot carry: a D-Bus string cannot hold NUL.
    /// zbus writes such a string without complaint and the bus then drops the connection, which
    /// would look like an unavailable service; hence the check here, on every platform.
    pub fn check(text: &NotificationText) -> Result<(), NotifyError> {
        for (part, s) in [("summary", &text.summary), ("body", &text.body)] {
            if s.contains('\0') {
                return Err(NotifyError::Refused(format!(
                    "the {part} holds a NUL character, which a desktop notification cannot carry"
                )));
            }
        }
        Ok(())
    }

    /// Classifies a failed call by notify-rust's message. Its error keeps its kind private (no
    /// accessor, no `source()`), so the message is all there is: zbus prints a D-Bus error reply as
    /// `org.freedesktop.DBus.Error.NAME: detail` and its own (de)serialisation failures with fixed
    /// words. The service saying the arguments are wrong, or zbus failing to encode them, is about
    /// the content: refused. Anything else (no bus, no service, a timeout, I/O) is unavailable, the
    /// safe side: the items stay held and are tried again with a back-off.
    pub fn classify(message: String) -> NotifyError {
        const REFUSED: [&str; 8] = [
            "org.freedesktop.DBus.Error.InvalidArgs",
            "org.freedesktop.DBus.Error.InvalidSignature",
            "org.freedesktop.DBus.Error.InconsistentMessage",
            "incorrect type",
            "Signature mismatch",
            "excess data",
            "Parameter `",
            "Conversion Error",
        ];
        if REFUSED.iter().any(|r| message.starts_with(r)) {
            NotifyError::Refused(message)
        } else {
            NotifyError::Unavailable(message)
        }
    }
}

/// The action key of "Open Inbox" on a digest; `default` is also sent, the key a click on the
/// notification itself invokes (dunst's `dunstctl action`, GNOME's click), and both open the Inbox.
pub const OPEN_INBOX_ACTION: &str = "open-inbox";
/// The action key of "Open" on an item with a link (`default`, a click, opens it too).
pub const OPEN_LINK_ACTION: &str = "open-link";

impl Notifier for DesktopNotifier {
    fn show(&self, text: &NotificationText, urgency: Urgency) -> Result<(), NotifyError> {
        Self::show_with(text, urgency, false)
    }

    fn show_digest(&self, text: &NotificationText, urgency: Urgency) -> Result<(), NotifyError> {
        Self::show_with(text, urgency, true)
    }
}

impl DesktopNotifier {
    /// The window program that opens the Inbox, when installed beside this one (a `baton daemon` on a
    /// machine without the desktop app has none, and its digests offer no action).
    #[cfg(all(unix, not(target_os = "macos")))]
    fn inbox_program() -> Option<PathBuf> {
        Some(crate::desktop::process::sibling_program("baton-desktop")).filter(|p| p.is_file())
    }

    /// Whether the notification service shows actions (dunst, GNOME Shell and Plasma do; some do
    /// not, and an action they cannot show must not be offered).
    #[cfg(all(unix, not(target_os = "macos")))]
    fn serves_actions() -> bool {
        notify_rust::get_capabilities().is_ok_and(|caps| caps.iter().any(|c| c == "actions"))
    }

    fn show_with(
        text: &NotificationText,
        urgency: Urgency,
        #[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(unused_variables))] digest: bool,
    ) -> Result<(), NotifyError> {
        Self::check(text)?;
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
        #[cfg(all(unix, not(target_os = "macos")))]
        if let Some(link) = text.link.clone().filter(|_| Self::serves_actions()) {
            // An item with a link: "Open" (and a click on the notification) opens it.
            n.action("default", "Open").action(OPEN_LINK_ACTION, "Open");
            let handle = n.show().map_err(|e| Self::classify(e.to_string()))?;
            std::thread::spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "default" || action == OPEN_LINK_ACTION {
                        if let Err(e) = open::that_detached(&link) {
                            eprintln!("baton: cannot open {link}: {e}");
                        }
                    }
                })
            });
            return Ok(());
        }
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            let inbox = Self::inbox_program().filter(|_| digest && Self::serves_actions());
            if let Some(program) = inbox {
                n.action("default", "Open Inbox")
                    .action(OPEN_INBOX_ACTION, "Open Inbox");
                let handle = n.show().map_err(|e| Self::classify(e.to_string()))?;
                // Waits, on a thread of its own, until the notification is clicked or closed (a
                // digest closes by itself within 30 s).
                std::thread::spawn(move || {
                    handle.wait_for_action(|action| {
                        if action == "default" || action == OPEN_INBOX_ACTION {
                            open_inbox(&program);
                        }
                    })
                });
                return Ok(());
            }
        }
        n.show()
            .map(drop)
            .map_err(|e| Self::classify(e.to_string()))
    }
}

/// Starts the window program on the Inbox (a running one is handed the request and shows it).
#[cfg(all(unix, not(target_os = "macos")))]
fn open_inbox(program: &Path) {
    match std::process::Command::new(program)
        .args(["--view", "inbox"])
        .stdin(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            let _ = child.wait();
        }
        Err(e) => eprintln!(
            "baton: cannot open the Inbox with {}: {e}",
            program.display()
        ),
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
/// shows nothing. It can be told to fail (as an unavailable service), to refuse every text holding a
/// marker (as a service refusing that content), and can append each call to a file as a JSON line
/// (`{"urgency": ..., "summary": ..., "body": ...}`), which is how `baton` obeys
/// [`NOTIFIER_LOG_ENV`]. A failed call is not recorded in [`RecordingNotifier::shown`]; a refused one
/// is in [`RecordingNotifier::refused`].
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    calls: Mutex<Vec<Shown>>,
    called: Condvar,
    failure: Mutex<Option<String>>,
    refuse: Mutex<Option<String>>,
    refusals: Mutex<Vec<Shown>>,
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

    /// From now on, every call whose summary or body contains `marker` is refused
    /// ([`NotifyError::Refused`]); `None`: nothing is.
    pub fn refuse_containing(&self, marker: Option<&str>) {
        *lock(&self.refuse) = marker.map(str::to_owned);
    }

    /// Every refused call so far, in order.
    pub fn refused(&self) -> Vec<Shown> {
        lock(&self.refusals).clone()
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
    fn show(&self, text: &NotificationText, urgency: Urgency) -> Result<(), NotifyError> {
        let at = std::time::Instant::now();
        if let Some(message) = lock(&self.failure).clone() {
            return Err(NotifyError::Unavailable(message));
        }
        if let Some(marker) = lock(&self.refuse).clone() {
            if text.summary.contains(&marker) || text.body.contains(&marker) {
                lock(&self.refusals).push(Shown {
                    at,
                    text: text.clone(),
                    urgency,
                });
                return Err(NotifyError::Refused(format!(
                    "the text contains {marker:?}"
                )));
            }
        }
        if let Some(log) = &self.log {
            let mut line = serde_json::json!({
                "urgency": urgency,
                "summary": text.summary,
                "body": text.body,
            });
            if let Some(link) = &text.link {
                line["link"] = serde_json::json!(link);
            }
            let line = line.to_string() + "\n";
            // One write per line, so a killed process leaves whole lines.
            lock(log).write_all(line.as_bytes()).map_err(|e| {
                NotifyError::Unavailable(format!("cannot write the notifier log: {e}"))
            })?;
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
    /// Items shown in the digest (empty when there was none). When the notifier refused the digest,
    /// it went out in parts, and these are the items of every part shown.
    pub digest: Vec<i64>,
    /// Items the notifier refused, now set aside as failed (with the reason), in order.
    pub failed: Vec<i64>,
    /// Why the notifier was unavailable, when it was: the items it was to show, and those after
    /// them, stay held.
    pub failure: Option<String>,
    /// How many items the plan released but stay held because the notifier was unavailable.
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
        let settings = settings::policy_settings(|key| {
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

/// Shows and marks what `plan` releases. A refused item is set aside as failed and a refused digest
/// split (see the module docs); the step stops at the first unavailable notifier.
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
        match notifier.show(&urgent_text(item), item.urgency) {
            Ok(()) => {
                store.mark_delivered(&[*id], now, DeliveredAs::Urgent)?;
                out.urgent.push(*id);
            }
            Err(NotifyError::Refused(reason)) => set_aside(store, &mut out, &[*id], &reason, now)?,
            Err(NotifyError::Unavailable(e)) => return Ok(failed(out, e, released)),
        }
    }
    let Some(digest) = plan.digest else {
        return Ok(out);
    };
    // Parts still to show, the next first; a refused part of several items is replaced by its two
    // halves, so the good items still go out and only the refused ones are set aside.
    let mut parts = VecDeque::from([digest]);
    while let Some(part) = parts.pop_front() {
        match notifier.show_digest(&digest_text(&part, held), Urgency::Normal) {
            Ok(()) => {
                store.mark_delivered(&part.items, now, DeliveredAs::Digest)?;
                out.digest.extend(&part.items);
            }
            Err(NotifyError::Refused(reason)) if part.items.len() == 1 => {
                set_aside(store, &mut out, &part.items, &reason, now)?;
            }
            Err(NotifyError::Refused(_)) => {
                let (first, second) = halves(part);
                parts.push_front(second);
                parts.push_front(first);
            }
            Err(NotifyError::Unavailable(e)) => return Ok(failed(out, e, released)),
        }
    }
    Ok(out)
}

/// `digest` as two digests of half its items each (the first keeps the note on what the cap held
/// back, so it is said once).
fn halves(digest: DigestPlan) -> (DigestPlan, DigestPlan) {
    let mut first = digest;
    let items = first.items.split_off(first.items.len() / 2);
    let second = DigestPlan {
        kind: first.kind,
        items,
        capped: vec![],
        cap_per_hour: first.cap_per_hour,
        focus_minutes: first.focus_minutes,
    };
    (first, second)
}

/// Marks `ids`, refused by the notifier with `reason`, as failed, so that they stop blocking what
/// comes after them.
fn set_aside(
    store: &mut Store,
    out: &mut Delivery,
    ids: &[i64],
    reason: &str,
    now: Instant,
) -> Result<(), DeliveryError> {
    store.mark_failed(ids, now, reason)?;
    for id in ids {
        eprintln!(
            "baton: the notification service refused item {id} ({reason}); it is set aside as \
             failed (see `baton inbox`) and delivery goes on"
        );
    }
    out.failed.extend(ids);
    Ok(())
}

fn failed(mut out: Delivery, error: String, released: usize) -> Delivery {
    out.undelivered = released - out.delivered() - out.failed.len();
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
/// make it late: [`crate::time::clock`]), a ping on `wake` (the intake pings it after each commit; a
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
