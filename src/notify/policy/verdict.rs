//! What the policy decided for one item, in the recipient's own terms: when it will be shown, when the
//! sender should expect an answer, and why. Every intake answer carries it, so a bot can tell its
//! people "Ana will see this at 11:00" instead of waiting for an answer now.
//!
//! It is [`releases`](super::releases) for one item, read from a timeline built beforehand (the intake
//! keeps one per change of the team, the settings or focus), with the reason in words.

use serde::Serialize;
use ts_rs::TS;

use super::{breakthroughs, Decision, DigestKind, PolicyContext, Timeline, LOOKAHEAD};
use crate::notify::inbox::local_label;
use crate::notify::notification::{Item, Urgency};
use crate::time::interval::Instant;

/// How the item will reach the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "bindings.ts")]
pub enum Delivery {
    /// Shown now: critical, urgent within the cap, or free time with the `instant` cadence.
    Now,
    /// In the next digest of the cadence.
    Digest,
    /// In the digest at the start of the next working period.
    StartOfDay,
    /// In the digest when the running focus ends.
    EndOfFocus,
    /// Not known yet: no working time within the lookahead.
    Unknown,
    /// A repeated idempotency key whose item was already shown.
    Delivered,
    /// A repeated idempotency key whose item was already shown and marked done.
    Done,
    /// A repeated idempotency key whose item the desktop refused to show (it waits in the Inbox).
    Failed,
}

/// The policy's decision for one accepted item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// When it will be shown (its arrival when it is shown now); `None` when not known yet.
    pub deliver_at: Option<Instant>,
    /// How.
    pub delivery: Delivery,
    /// When the sender should have an answer by (counted in the recipient's working hours).
    pub reply_by: Instant,
    /// Why, in the recipient's terms: "Ana is in focus until 11:00 America/Sao_Paulo; it goes in the
    /// digest then".
    pub reason: String,
}

/// The verdict for `item` (received at or before `ctx.now`) from `timeline`, which must reach from the
/// item's arrival to past `ctx.now` (see [`Timeline::new`]).
///
/// ```
/// use baton::notify::notification::{Item, Urgency};
/// use baton::notify::policy::{verdict, Delivery, PolicyContext, PolicySettings, Timeline};
/// use chrono::{TimeZone, Utc};
/// let team = baton::Team::from_toml_str(r#"
/// name = "T"
/// me = "ana"
/// [[members]]
/// name = "Ana"
/// time_zone = "America/Sao_Paulo"
/// hours = ["mon-fri 09:00-17:00"]
/// "#, "t.toml").unwrap();
/// let settings = PolicySettings::default(); // digests at 10:00, 13:00 and 16:00 local
/// let now = Utc.with_ymd_and_hms(2026, 1, 6, 1, 0, 0).unwrap(); // Mon 22:00 in São Paulo
/// let item = Item {
///     id: 1, source: "ci".into(), group: None, sender: None, title: "Build failed".into(),
///     body: None, urgency: Urgency::Normal, url: None, received_at: now,
/// };
/// let ctx = PolicyContext { team: &team, sessions: &[], settings: &settings, breakthroughs: &[], now };
/// let v = verdict(&ctx, &Timeline::new(&team, &[], &settings, now, now), &item);
/// assert_eq!(v.delivery, Delivery::StartOfDay);
/// assert_eq!(v.deliver_at, Some(Utc.with_ymd_and_hms(2026, 1, 6, 12, 0, 0).unwrap()));
/// assert_eq!(
///     v.reason,
///     "outside Ana's working hours: it goes in the start-of-day digest, Tue 09:00 America/Sao_Paulo"
/// );
/// ```
pub fn verdict(ctx: &PolicyContext<'_>, timeline: &Timeline, item: &Item) -> Verdict {
    let now = ctx.now;
    let received = item.received_at;
    let tz = timeline.time_zone();
    let when = |t: Instant| format!("{} {}", local_label(t, now, tz), tz.name());
    let me = ctx.team.me();
    let who = me.map_or("you", |m| m.name.as_str());
    // "Ana is", "you are".
    let (is, has) = if me.is_some() {
        ("is", "has")
    } else {
        ("are", "have")
    };
    let whose = me.map_or_else(|| "your".to_string(), |m| format!("{}'s", m.name));
    let reply_by = timeline.reply_by(item.urgency, received);
    let decision = breakthroughs(ctx, timeline, std::slice::from_ref(item))[0];
    let now_verdict = |reason: String| Verdict {
        deliver_at: Some(received.max(now)),
        delivery: Delivery::Now,
        reply_by,
        reason,
    };
    if decision == Decision::Critical {
        return now_verdict(format!(
            "critical: shown to {who} now, at any hour and in focus"
        ));
    }
    let working_now = timeline.is_working(now);
    let free_now = timeline.is_free(now);
    if decision == Decision::BreaksThrough && working_now {
        return now_verdict(format!(
            "it matches {whose} urgent rules (urgent_sources, urgent_senders, urgent_keywords): \
             shown to {who} now, in focus or not"
        ));
    }
    let capped = if decision == Decision::Capped {
        format!(
            "urgent, but {} is over its cap of {} breakthroughs an hour, so it waits; ",
            item.source, ctx.settings.urgent_cap_per_hour
        )
    } else {
        String::new()
    };
    let point = match timeline.release(received) {
        Some(p) if p.at > now => p,
        Some(_) if free_now => {
            return now_verdict(format!(
                "{capped}{who} {is} working and not in focus, and digests are {}: shown now",
                ctx.settings.cadence
            ))
        }
        Some(_) => match timeline.next_point(now) {
            Some(p) => p,
            None => return unknown(reply_by, &capped, who, has),
        },
        None => return unknown(reply_by, &capped, who, has),
    };
    let (delivery, reason) = if !working_now {
        let next = match point.kind {
            DigestKind::StartOfDay => "the start-of-day digest".to_string(),
            _ => "the first digest of the next working period".to_string(),
        };
        (
            Delivery::StartOfDay,
            format!(
                "{capped}outside {whose} working hours: it goes in {next}, {}",
                when(point.at)
            ),
        )
    } else if !free_now {
        match point.kind {
            DigestKind::FocusEnded => (
                Delivery::EndOfFocus,
                format!(
                    "{capped}{who} {is} in focus until {}; it goes in the digest then",
                    when(point.at)
                ),
            ),
            _ => (
                Delivery::StartOfDay,
                format!(
                    "{capped}{who} {is} in focus to the end of the working day; it goes in the \
                     start-of-day digest, {}",
                    when(point.at)
                ),
            ),
        }
    } else {
        (
            Delivery::Digest,
            format!(
                "{capped}{who} {is} working; it goes in the next digest, {} (digests {})",
                when(point.at),
                ctx.settings.cadence
            ),
        )
    };
    Verdict {
        deliver_at: Some(point.at),
        delivery,
        reply_by,
        reason,
    }
}

fn unknown(reply_by: Instant, capped: &str, who: &str, has: &str) -> Verdict {
    Verdict {
        deliver_at: None,
        delivery: Delivery::Unknown,
        reply_by,
        reason: format!(
            "{capped}{who} {has} no working time in the next {} days; it is held until there is some",
            LOOKAHEAD.num_days()
        ),
    }
}

/// Whether a verdict for `item` needs breakthroughs newer than a cached context holds: only an item
/// that may break through (matches an urgent rule and is not critical) is decided by the cap.
pub fn needs_fresh_breakthroughs(ctx: &PolicyContext<'_>, item: &Item) -> bool {
    item.urgency != Urgency::Critical && ctx.settings.matches_urgent_rule(item)
}
