//! `relay`: the team's follow-the-sun relay: who hands to whom, each day's best handoffs, and when
//! nobody is working.
//!
//! A relay is a ring of [`super::handoff`] links, each member to the next and the last back to the
//! first, keeping only each day's best pass (rank 1); coverage is the union of the relay's working time.

use chrono::Duration;

use super::handoff::{best_per_day, handoffs_between, Handoff, HandoffQuery};
use crate::team::schedule::TeamSchedule;
use crate::team::Team;
use crate::time::interval::{Instant, IntervalSet};
use crate::time::offset_at;

/// What [`relay`] looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayQuery {
    /// Members in relay order; `None` orders the whole team east to west.
    pub order: Option<Vec<usize>>,
    /// Shortest shared window that counts as a live handoff.
    pub min_sync: Duration,
    /// Count focus blocks as available time.
    pub include_focus: bool,
    /// Count calendar busy times as available time.
    pub include_busy: bool,
}

/// One baton pass in the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayLink {
    /// Giver's team index.
    pub from: usize,
    /// Receiver's team index.
    pub to: usize,
    /// The day's best handoff between them.
    pub handoff: Handoff,
}

/// The team's follow-the-sun relay over the span.
#[derive(Debug, Clone, PartialEq)]
pub struct Relay {
    /// Members in relay order.
    pub order: Vec<usize>,
    /// Every day's best handoff of each link, by the giver's local working day, in time order. Each
    /// closes a working day that reaches into the span; an async pass may start after the span's end.
    pub links: Vec<RelayLink>,
    /// Times in the span when no member of the relay is working.
    pub gaps: IntervalSet,
    /// Total time in the span when at least one member is working.
    pub covered: Duration,
    /// Covered hours scaled to a 168-hour week.
    pub covered_hours_per_week: f64,
}

/// The whole team east to west by UTC offset at `at`, ties by name: the default relay order.
pub fn relay_order(team: &Team, at: Instant) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..team.members.len()).collect();
    idx.sort_by_key(|&i| {
        let m = &team.members[i];
        (
            std::cmp::Reverse(offset_at(m.time_zone, at)),
            m.name.to_lowercase(),
        )
    });
    idx
}

/// The relay: order, each day's chain of handoffs, and the coverage gaps.
///
/// The default order is east to west by UTC offset at the start of the span (ties by name), the way the
/// sun moves; each member hands to the next and the last hands back to the first.
pub fn relay(schedule: &TeamSchedule<'_>, q: &RelayQuery) -> Relay {
    let order = q
        .order
        .clone()
        .unwrap_or_else(|| relay_order(schedule.team, schedule.span.start));
    let avail: Vec<IntervalSet> = schedule
        .members
        .iter()
        .map(|m| m.available(q.include_focus, q.include_busy))
        .collect();
    let mut links = Vec::new();
    if order.len() >= 2 {
        for (k, &from) in order.iter().enumerate() {
            let to = order[(k + 1) % order.len()];
            let hq = HandoffQuery {
                from,
                to,
                min_sync: q.min_sync,
                include_focus: q.include_focus,
                include_busy: q.include_busy,
            };
            let found = handoffs_between(schedule.span, &schedule.members[from], &avail[to], &hq);
            links.extend(best_per_day(found).map(|handoff| RelayLink { from, to, handoff }));
        }
    }
    links.sort_by_key(|l| (l.handoff.start, l.handoff.end));

    let covered_set: IntervalSet = order
        .iter()
        .flat_map(|&i| {
            schedule.members[i]
                .working
                .clip(schedule.span)
                .intervals()
                .to_vec()
        })
        .collect();
    let covered = covered_set.total();
    let span_secs = schedule.span.duration().num_seconds();
    let covered_hours_per_week = if span_secs > 0 {
        covered.num_seconds() as f64 / span_secs as f64 * 168.0
    } else {
        0.0
    };
    Relay {
        order,
        links,
        gaps: covered_set.complement_within(schedule.span),
        covered,
        covered_hours_per_week,
    }
}
