//! What the intake answers for an accepted item: its id and the policy's [`Verdict`] (when the person
//! will see it, when the sender should expect an answer, and why), on every path.
//!
//! The policy's inputs (the team, focus, settings) and the timeline built from them are kept in a
//! [`PolicyCache`] between requests, so that a verdict costs a binary search rather than a schedule's
//! expansion. It is rebuilt when the store's [`policy_version`](Store::policy_version) moves (any write
//! to the team, focus, settings or calendars, by any process), when its timeline is
//! [`MAX_AGE`] old, or when the clock went back. The cap on breakthroughs depends on deliveries, which
//! the version does not follow, so an item that may break through is decided with breakthroughs read
//! afresh.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::notify::delivery::PolicyInputs;
use crate::notify::notification::{Item, ItemState, Urgency};
use crate::notify::policy::{self, Delivery, Timeline, Verdict};
use crate::store::{settings, Accepted, Store, StoreError, StoredNotification};
use crate::time::interval::{format_utc, Instant};

/// How long a cached timeline answers before it is rebuilt (its horizon reaches weeks ahead; this
/// only keeps its zone and its lookback current).
pub const MAX_AGE: Duration = Duration::minutes(10);

/// The answer to an accepted item, as JSON on the `/v1/notifications` path (and inside the other
/// paths' answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The stored item's id (the first one's, for a repeated idempotency key).
    pub id: i64,
    /// Whether the idempotency key was seen before and nothing new was stored.
    pub duplicate: bool,
    /// When Baton received it, RFC 3339 UTC.
    pub received_at: String,
    /// When it will be shown (its arrival when it is shown at once), RFC 3339 UTC; `null` when not
    /// known yet.
    pub deliver_at: Option<String>,
    /// How it goes out: `now`, `digest`, `start_of_day`, `end_of_focus`, `unknown`, or for a duplicate
    /// that already went out `delivered`, `done` or `failed`.
    pub delivery: String,
    /// When the sender should have an answer by, RFC 3339 UTC (`null` only when the policy could not
    /// be read).
    pub reply_by: Option<String>,
    /// Why, in the recipient's terms.
    pub reason: String,
}

impl Receipt {
    /// The receipt for `accepted`, received at `received_at`, with `verdict`.
    pub fn new(accepted: Accepted, received_at: Instant, verdict: &Verdict) -> Receipt {
        Receipt {
            id: accepted.id,
            duplicate: accepted.duplicate,
            received_at: format_utc(received_at),
            deliver_at: verdict.deliver_at.map(format_utc),
            delivery: serde_json::to_value(verdict.delivery)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            reply_by: Some(format_utc(verdict.reply_by)),
            reason: verdict.reason.clone(),
        }
    }

    /// The receipt of a stored item whose verdict could not be made (the policy's inputs could not
    /// be read): stored all the same, and said so.
    pub fn without_verdict(accepted: Accepted, received_at: Instant, why: &str) -> Receipt {
        Receipt {
            id: accepted.id,
            duplicate: accepted.duplicate,
            received_at: format_utc(received_at),
            deliver_at: None,
            delivery: "unknown".into(),
            reply_by: None,
            reason: format!("stored; when it will be shown is not known: {why}"),
        }
    }
}

/// How the compatible publishing paths map their senders' priorities (settings
/// [`settings::INTAKE_TOP_PRIORITY`] and [`settings::ALERT_SEVERITIES`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompatSettings {
    /// What ntfy's priority 5 and Gotify's 8 to 10 arrive as: high (default) or critical.
    pub top_priority: Urgency,
    /// An alert's `severity` label → urgency; other severities are normal.
    pub severities: Vec<(String, Urgency)>,
}

impl Default for CompatSettings {
    fn default() -> CompatSettings {
        CompatSettings {
            top_priority: Urgency::High,
            severities: settings::alert_severities(
                settings::default_value(settings::ALERT_SEVERITIES).unwrap_or_default(),
            )
            .unwrap_or_default(),
        }
    }
}

impl CompatSettings {
    /// The urgency of an alert with `severity` (any case).
    pub fn severity(&self, severity: Option<&str>) -> Urgency {
        severity
            .and_then(|s| {
                self.severities
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(s.trim()))
            })
            .map_or(Urgency::Normal, |(_, u)| *u)
    }
}

/// The policy's inputs and timeline at one version of the store.
#[derive(Debug)]
pub struct PolicyCache {
    version: i64,
    built_at: Instant,
    inputs: PolicyInputs,
    timeline: Timeline,
    /// The priority mappings of the compatible paths.
    pub compat: CompatSettings,
}

impl PolicyCache {
    /// Loads everything from `store` at `now`.
    pub fn load(store: &Store, now: Instant) -> Result<PolicyCache, String> {
        let read = |store: &Store| -> Result<PolicyCache, String> {
            let version = store.policy_version().map_err(|e| e.to_string())?;
            let inputs = PolicyInputs::load(store, &[], now).map_err(|e| e.to_string())?;
            let timeline = inputs.timeline(now, now);
            let setting = |key| -> Result<String, String> {
                Ok(store
                    .setting(key)
                    .map_err(|e: StoreError| e.to_string())?
                    .unwrap_or_else(|| settings::default_value(key).unwrap_or_default().into()))
            };
            let top_priority = setting(settings::INTAKE_TOP_PRIORITY)?
                .parse()
                .unwrap_or(Urgency::High);
            let severities = settings::alert_severities(&setting(settings::ALERT_SEVERITIES)?)
                .map_err(|e| e.to_string())?;
            // The answers' reasons are written on the person's clock: a changed `time_format` or
            // `week_start` moves the policy version, so a running `baton daemon` (or tray) takes
            // it up with the next cache, as the tray's labels do.
            crate::desktop::actions::use_locale(store);
            Ok(PolicyCache {
                version,
                built_at: now,
                inputs,
                timeline,
                compat: CompatSettings {
                    top_priority,
                    severities,
                },
            })
        };
        store
            .snapshot(|s| Ok::<_, StoreError>(read(s)))
            .map_err(|e| e.to_string())?
    }

    /// Whether this cache answers for the store at `version` at `now`.
    pub fn is_current(&self, version: i64, now: Instant) -> bool {
        self.version == version && now >= self.built_at && now - self.built_at < MAX_AGE
    }

    /// Whether this cache, read just before, may answer at `now` (the store may have moved on by a
    /// request's own commit, which is not a change the policy reads).
    pub fn is_current_enough(&self, now: Instant) -> bool {
        now >= self.built_at && now - self.built_at < MAX_AGE
    }

    /// Whether an answer for `item` needs the breakthroughs of the last hour read afresh.
    pub fn needs_breakthroughs(&self, item: &Item) -> bool {
        policy::needs_fresh_breakthroughs(&self.inputs.context(self.built_at), item)
    }

    /// The verdict for `item` at `now`, with `breakthroughs` when read afresh.
    pub fn verdict(
        &self,
        item: &Item,
        now: Instant,
        breakthroughs: Option<&[(String, Instant)]>,
    ) -> Verdict {
        let mut ctx = self.inputs.context(now);
        if let Some(b) = breakthroughs {
            ctx.breakthroughs = b;
        }
        // An item received before the cached timeline (a duplicate of an old one) needs its own.
        if item.received_at < self.timeline.horizon().start {
            let timeline = self.inputs.timeline(item.received_at, now);
            return policy::verdict(&ctx, &timeline, item);
        }
        policy::verdict(&ctx, &self.timeline, item)
    }

    /// The verdict for a duplicate: the stored item's own, or what became of it when it was already
    /// shown, done or refused.
    pub fn verdict_for_stored(&self, row: &StoredNotification, now: Instant) -> Verdict {
        let item = row.item();
        let tz = self.timeline.time_zone();
        let when = |t: Instant| {
            format!(
                "{} {}",
                crate::notify::inbox::local_label(t, now, tz),
                tz.name()
            )
        };
        let reply_by = self.timeline.reply_by(item.urgency, item.received_at);
        let gone = |deliver_at: Option<Instant>, delivery, reason: String| Verdict {
            deliver_at,
            delivery,
            reply_by,
            reason,
        };
        match row.state {
            ItemState::Held => self.verdict(&item, now, None),
            ItemState::Delivered => gone(
                row.delivered_at,
                Delivery::Delivered,
                format!(
                    "already sent: it was shown {}",
                    row.delivered_at.map_or_else(String::new, when)
                )
                .trim_end()
                .to_string(),
            ),
            ItemState::Done => gone(
                row.delivered_at,
                Delivery::Done,
                "already sent, and marked done".to_string(),
            ),
            ItemState::Failed => gone(
                None,
                Delivery::Failed,
                format!(
                    "already sent, but the desktop refused to show it ({}); it waits in the Inbox",
                    row.failure.as_deref().unwrap_or("no reason given")
                ),
            ),
        }
    }
}
