//! The delivery policy: which held notifications reach the person this machine belongs to (the team's
//! `me`), when, and how, as one pure function of the held items, my schedule, my focus sessions, the
//! settings, recent breakthroughs and `now`. No clock, no I/O: the delivery loop asks [`plan`] at `now`,
//! sends what it says, marks it delivered, and sleeps until [`Plan::next_wake`] (or the next arrival).
//!
//! The rules, for me:
//!
//! * **Critical** items are delivered at once, one by one, at any hour. They are never held by the cap
//!   and do not use it up: the cap tames noisy allow-lists and keywords; a sender who says "critical"
//!   means a fire, and a fire that can be held is not critical.
//! * **Urgent** items (an allow-listed source or sender, or a keyword in the title or body; see
//!   [`PolicySettings`]) received in working hours are delivered at once, one by one, in focus or not,
//!   unless their source is over the cap: more than `urgent_cap_per_hour` breakthroughs in the hour up
//!   to the item's arrival. A capped item waits for the next digest, which says so. Received outside
//!   working hours, an urgent item is an ordinary one: only critical reaches me off-hours.
//! * **Everything else** is held and released as one digest at the first **delivery point** at or after
//!   it arrived: the first free moment of a working period (start of day; when a period opens in focus,
//!   focus wins and the start-of-day digest comes when it ends), the end of a focus block or session
//!   inside working hours, or a cadence tick in free time (working, not in focus). Ticks are local
//!   wall-clock times in my zone resolved with the compatible rule of [`crate::time`]; `every N` ticks
//!   lie on a grid anchored at local midnight (`every 30m` = :00 and :30). With `instant`, an item
//!   arriving in free time is released when it arrives.
//! * A digest goes out only in free time. Items whose point passed while the app was not running wait
//!   for the next point (never a delivery at night because the laptop woke at 02:00).
//!
//! Whether an urgent item was capped depends only on what happened before it arrived, so repeated plans
//! agree: a capped item never breaks through later when the hour has slid on.
//!
//! Speed: the [`Timeline`] is built once per plan (my schedule over the horizon and every delivery
//! point); each item then costs a rule match and a binary search.

pub mod config;
mod timeline;
mod verdict;

use std::collections::HashMap;

use chrono::Duration;

use crate::notify::notification::{Item, Urgency};
use crate::team::focus::FocusSession;
use crate::team::Team;
use crate::time::interval::Instant;

pub use config::{Cadence, PolicySettings, ReplyTargets, DEFAULT_CADENCE};
pub use timeline::{DeliveryPoint, DigestKind, Timeline, LOOKAHEAD, LOOKBACK};
pub use verdict::{needs_fresh_breakthroughs, verdict, Delivery, Verdict};

/// The window the urgent cap counts in.
pub const CAP_WINDOW: Duration = Duration::hours(1);

/// Everything the policy reads besides the held items.
#[derive(Debug, Clone, Copy)]
pub struct PolicyContext<'a> {
    /// The team; the policy works for its `me`.
    pub team: &'a Team,
    /// My on-demand focus sessions (past, running and planned; those around the held items matter).
    pub sessions: &'a [FocusSession],
    /// The policy's settings.
    pub settings: &'a PolicySettings,
    /// Non-critical items already delivered one by one (breakthroughs): `(source, received_at)`, covering
    /// at least the hour before [`cap_history_from`] (older entries are ignored). The arrival instant is
    /// used so that a plan repeated later reaches the same decisions.
    pub breakthroughs: &'a [(String, Instant)],
    /// The instant to plan at.
    pub now: Instant,
}

/// What to deliver now, and when to ask again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Items to deliver one by one now (critical, or urgent within the cap), oldest first.
    pub urgent: Vec<i64>,
    /// Items to deliver together now as one digest.
    pub digest: Option<DigestPlan>,
    /// When the next held item is due (or, when something is held beyond the timeline, its end);
    /// `None` when nothing is left held.
    pub next_wake: Option<Instant>,
}

/// One digest: its items, why it goes out, and what the cap held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestPlan {
    /// Why it goes out now.
    pub kind: DigestKind,
    /// The items, oldest first.
    pub items: Vec<i64>,
    /// Urgent items in it that waited because their source was over the cap: `(source, count)`, sorted
    /// by source.
    pub capped: Vec<(String, usize)>,
    /// The cap they were over, per source per hour.
    pub cap_per_hour: u32,
    /// For [`DigestKind::FocusEnded`]: how long the focus lasted, in whole minutes, when known.
    pub focus_minutes: Option<u32>,
}

/// From when the store should pass breakthroughs ([`PolicyContext::breakthroughs`]): an hour before the
/// oldest held item (or before `now`).
pub fn cap_history_from(held: &[Item], now: Instant) -> Instant {
    held.iter().map(|i| i.received_at).fold(now, Instant::min) - CAP_WINDOW
}

/// The plan at `ctx.now` for the `held` items (see the module docs for the rules).
///
/// ```
/// use baton::notify::notification::{Item, Urgency};
/// use baton::notify::policy::{plan, PolicyContext, PolicySettings};
/// use chrono::{TimeZone, Utc};
/// let team = baton::Team::from_toml_str(r#"
/// name = "T"
/// me = "ana"
/// [[members]]
/// name = "Ana"
/// time_zone = "Europe/London"
/// hours = ["mon-fri 09:00-17:00"]
/// "#, "t.toml").unwrap();
/// let settings = PolicySettings::default(); // digests at 10:00, 13:00 and 16:00 local
/// let item = Item {
///     id: 7, source: "ci".into(), group: None, sender: None, title: "Build failed".into(), body: None,
///     urgency: Urgency::Normal, url: None,
///     received_at: Utc.with_ymd_and_hms(2026, 1, 5, 10, 30, 0).unwrap(), // Monday 10:30 GMT
/// };
/// let ctx = PolicyContext {
///     team: &team, sessions: &[], settings: &settings, breakthroughs: &[],
///     now: item.received_at,
/// };
/// let p = plan(&ctx, std::slice::from_ref(&item));
/// assert!(p.urgent.is_empty() && p.digest.is_none());
/// assert_eq!(p.next_wake, Some(Utc.with_ymd_and_hms(2026, 1, 5, 13, 0, 0).unwrap()));
/// ```
pub fn plan(ctx: &PolicyContext<'_>, held: &[Item]) -> Plan {
    let now = ctx.now;
    let timeline = timeline_for(ctx, held);
    let breaks = breakthroughs(ctx, &timeline, held);
    let (working_now, free_now) = (timeline.is_working(now), timeline.is_free(now));
    // Where an item whose point passed unseen waits when now is not free time.
    let next_free_point = timeline.next_point(now).map(|p| p.at);
    let mut urgent = Vec::new();
    let mut digest = Vec::new();
    let mut capped: HashMap<&str, usize> = HashMap::new();
    let mut latest_release: Option<Instant> = None;
    let mut next_wake: Option<Instant> = None;
    let mut wake = |t: Instant| next_wake = Some(next_wake.map_or(t, |w| w.min(t)));
    for (item, decision) in held.iter().zip(&breaks) {
        let received = item.received_at;
        if matches!(decision, Decision::Critical | Decision::BreaksThrough) {
            if received > now {
                wake(received);
                continue;
            }
            if *decision == Decision::Critical || working_now {
                urgent.push(item);
                continue;
            }
        }
        match timeline.release(received) {
            Some(p) if p.at > now => wake(p.at),
            Some(p) if free_now => {
                digest.push(item);
                latest_release = Some(latest_release.map_or(p.at, |l| l.max(p.at)));
                if *decision == Decision::Capped {
                    *capped.entry(item.source.as_str()).or_default() += 1;
                }
            }
            Some(_) => wake(next_free_point.unwrap_or(timeline.horizon().end)),
            None => wake(timeline.horizon().end),
        }
    }
    urgent.sort_by_key(|i| (i.received_at, i.id));
    let digest = (!digest.is_empty()).then(|| {
        // The latest point at or before now names the digest, unless an item was released after it
        // (an `instant` arrival in free time, or a catch-up): then it is the cadence's.
        let point = timeline
            .last_point(now)
            .filter(|p| latest_release.is_none_or(|l| l <= p.at));
        let kind = point.map_or(DigestKind::Cadence, |p| p.kind);
        let mut plan = digest_plan(kind, digest, capped, ctx.settings.urgent_cap_per_hour);
        plan.focus_minutes = point.and_then(|p| p.focus_minutes);
        plan
    });
    Plan {
        urgent: urgent.iter().map(|i| i.id).collect(),
        digest,
        next_wake,
    }
}

/// Everything held, now, as one digest (the person asked): critical and urgent items included, and the
/// cap's count reported as in a planned digest.
pub fn deliver_now(ctx: &PolicyContext<'_>, held: &[Item]) -> Plan {
    if held.is_empty() {
        return Plan {
            urgent: Vec::new(),
            digest: None,
            next_wake: None,
        };
    }
    let timeline = timeline_for(ctx, held);
    let breaks = breakthroughs(ctx, &timeline, held);
    let mut capped: HashMap<&str, usize> = HashMap::new();
    for (item, d) in held.iter().zip(&breaks) {
        if *d == Decision::Capped {
            *capped.entry(item.source.as_str()).or_default() += 1;
        }
    }
    Plan {
        urgent: Vec::new(),
        digest: Some(digest_plan(
            DigestKind::Manual,
            held.iter().collect(),
            capped,
            ctx.settings.urgent_cap_per_hour,
        )),
        next_wake: None,
    }
}

/// When a held item is due to go out, by the rules of [`plan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// On its own at this instant (`now` when it is already due): critical, or urgent within the cap.
    Urgent(Instant),
    /// In the digest at this point (at `now` when its point has passed and I am free).
    Digest(DeliveryPoint),
    /// No delivery point lies within the timeline (a long absence): not known yet.
    Unknown,
}

/// When each of the `held` items (in their order) will go out if nothing changes: the answers [`plan`]
/// would give at each future instant, read from the same timeline and cap decisions, for the inbox to
/// show held items grouped as they will be delivered.
pub fn releases(ctx: &PolicyContext<'_>, held: &[Item]) -> Vec<Release> {
    let now = ctx.now;
    let timeline = timeline_for(ctx, held);
    let breaks = breakthroughs(ctx, &timeline, held);
    let (working_now, free_now) = (timeline.is_working(now), timeline.is_free(now));
    let next_free_point = timeline.next_point(now);
    held.iter()
        .zip(&breaks)
        .map(|(item, decision)| {
            let received = item.received_at;
            if matches!(decision, Decision::Critical | Decision::BreaksThrough) {
                if received > now {
                    return Release::Urgent(received);
                }
                if *decision == Decision::Critical || working_now {
                    return Release::Urgent(now);
                }
            }
            match timeline.release(received) {
                Some(p) if p.at > now => Release::Digest(p),
                Some(p) if free_now => Release::Digest(DeliveryPoint { at: now, ..p }),
                Some(_) => next_free_point.map_or(Release::Unknown, Release::Digest),
                None => Release::Unknown,
            }
        })
        .collect()
}

/// When `item` should be answered by (see [`Timeline::reply_by`]): critical when received, high within
/// 4 of my working hours, normal 24, low 48 (the defaults of [`ReplyTargets`]).
///
/// Build `timeline` once for a whole inbox with [`Timeline::new`], from the oldest item's arrival.
pub fn reply_by(item: &Item, timeline: &Timeline) -> Instant {
    timeline.reply_by(item.urgency, item.received_at)
}

/// Whether `item` is past its reply-by time at `now` (an item is due *at* its reply-by, overdue after).
pub fn overdue(item: &Item, timeline: &Timeline, now: Instant) -> bool {
    now > reply_by(item, timeline)
}

/// The timeline a plan over `held` needs: from the oldest held item to the lookahead after now.
fn timeline_for(ctx: &PolicyContext<'_>, held: &[Item]) -> Timeline {
    let from = held
        .iter()
        .map(|i| i.received_at)
        .fold(ctx.now, Instant::min);
    Timeline::new(ctx.team, ctx.sessions, ctx.settings, from, ctx.now)
}

/// How the urgent rules treat one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// Critical: always passes.
    Critical,
    /// Urgent, received in working hours, within the cap: passes when I am working.
    BreaksThrough,
    /// Urgent, received in working hours, over the cap: waits for the digest.
    Capped,
    /// Ordinary (or urgent but received off-hours).
    Held,
}

/// The urgent rules for every held item, in `held` order. The cap is decided at each item's arrival
/// from the breakthroughs before it (recorded ones and held items that break through), so it does not
/// depend on when the plan runs.
fn breakthroughs(ctx: &PolicyContext<'_>, timeline: &Timeline, held: &[Item]) -> Vec<Decision> {
    let settings = ctx.settings;
    let mut rules = config::UrgentMatcher::new(settings);
    let mut out: Vec<Decision> = held
        .iter()
        .map(|item| {
            if item.urgency == Urgency::Critical {
                Decision::Critical
            } else if timeline.is_working(item.received_at) && rules.matches(item) {
                Decision::BreaksThrough
            } else {
                Decision::Held
            }
        })
        .collect();
    let mut candidates: Vec<usize> = (0..held.len())
        .filter(|&i| out[i] == Decision::BreaksThrough)
        .collect();
    if candidates.is_empty() {
        return out;
    }
    candidates.sort_by_key(|&i| (held[i].received_at, held[i].id));
    // Per source: recorded breakthroughs (sorted) and those decided here (in arrival order).
    let mut recorded: HashMap<&str, Vec<Instant>> = HashMap::new();
    for (source, at) in ctx.breakthroughs {
        recorded.entry(source.as_str()).or_default().push(*at);
    }
    for times in recorded.values_mut() {
        times.sort_unstable();
    }
    let mut decided: HashMap<&str, Vec<Instant>> = HashMap::new();
    let cap = settings.urgent_cap_per_hour as usize;
    for i in candidates {
        let (source, at) = (held[i].source.as_str(), held[i].received_at);
        let in_window = |times: &[Instant]| {
            times.partition_point(|&t| t <= at) - times.partition_point(|&t| t <= at - CAP_WINDOW)
        };
        let before = recorded.get(source).map_or(0, |t| in_window(t))
            + decided.get(source).map_or(0, |t| in_window(t));
        if before < cap {
            decided.entry(source).or_default().push(at);
        } else {
            out[i] = Decision::Capped;
        }
    }
    out
}

fn digest_plan(
    kind: DigestKind,
    mut items: Vec<&Item>,
    capped: HashMap<&str, usize>,
    cap_per_hour: u32,
) -> DigestPlan {
    items.sort_by_key(|i| (i.received_at, i.id));
    let mut capped: Vec<(String, usize)> = capped
        .into_iter()
        .map(|(s, n)| (s.to_string(), n))
        .collect();
    capped.sort();
    DigestPlan {
        kind,
        items: items.iter().map(|i| i.id).collect(),
        capped,
        cap_per_hour,
        focus_minutes: None,
    }
}

#[cfg(test)]
mod tests;
