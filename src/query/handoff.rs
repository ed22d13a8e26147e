//! `handoff`: how the baton passes from a giver to a receiver, one giver working day at a time.
//!
//! A day whose free time overlaps the receiver's availability hands over live (sync), in every shared
//! window long enough, best first; any other day hands over in writing (async) at the end of the giver's
//! day, to be picked up when the receiver next works. The relay ([`super::relay()`]) chains the same
//! handoffs around the team.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::team::schedule::{MemberSchedule, TeamSchedule};
use crate::time::interval::{Instant, Interval, IntervalSet};

/// Whether a handoff happens live or in writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HandoffKind {
    /// Giver and receiver overlap: hand over in a call or chat.
    Sync,
    /// They do not overlap that day: the giver writes it up, the receiver picks it up later.
    Async,
}

/// One baton pass from a giver to a receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    /// Live or written.
    pub kind: HandoffKind,
    /// The giver's local working day this handoff closes.
    pub giver_day: NaiveDate,
    /// Sync: start of the shared window. Async: the end of the giver's day.
    pub start: Instant,
    /// Sync: end of the shared window. Async: when the receiver's next working period starts.
    pub end: Instant,
    /// Among the day's sync windows, 1 for the one closest to the end of the giver's day; async: 1.
    pub rank: u32,
    /// The giver's last working hour of the day (shorter if the day's last stretch is shorter).
    pub giver_last_hour: Interval,
    /// The receiver's working period the handoff lands in.
    pub receiver_period: Interval,
}

impl Handoff {
    /// Async: how long the baton waits between giver and receiver. Sync: the window's length.
    pub fn duration(&self) -> Duration {
        self.end - self.start
    }
}

/// What [`handoffs`] looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffQuery {
    /// The giver's team index.
    pub from: usize,
    /// The receiver's team index.
    pub to: usize,
    /// Shortest shared window that counts as a live handoff.
    pub min_sync: Duration,
    /// Count focus blocks as available time.
    pub include_focus: bool,
}

/// The baton passes from `from` to `to` for each of the giver's working days in the span, chronological;
/// a day's sync windows come best first.
pub fn handoffs(schedule: &TeamSchedule<'_>, q: &HandoffQuery) -> Vec<Handoff> {
    let giver = &schedule.members[q.from];
    let receiver = schedule.members[q.to].available(q.include_focus);
    handoffs_between(schedule.span, giver, &receiver, q)
}

/// [`handoffs`] for one giver against a receiver's availability, which [`super::relay()`] computes once
/// per member instead of once per link.
pub(super) fn handoffs_between(
    span: Interval,
    giver: &MemberSchedule,
    receiver: &IntervalSet,
    q: &HandoffQuery,
) -> Vec<Handoff> {
    let mut by_day: BTreeMap<NaiveDate, Vec<Interval>> = BTreeMap::new();
    for s in &giver.shifts {
        by_day.entry(s.date).or_default().push(s.interval);
    }
    let mut out = Vec::new();
    for (date, shifts) in by_day {
        let working = IntervalSet::from_intervals(shifts);
        let free = if q.include_focus {
            working.clone()
        } else {
            working.difference(&giver.focus)
        };
        // A day that is all focus still ends, and the baton still passes then: with no free time to
        // share, it gets the async handoff from the end of the working day.
        let day = if free.is_empty() { &working } else { &free };
        let Some(last) = day.intervals().last().copied() else {
            continue;
        };
        if day.clip(span).is_empty() {
            continue;
        }
        let giver_last_hour = Interval {
            start: last.start.max(last.end - Duration::hours(1)),
            end: last.end,
        };
        let shared = free.intersection(receiver).clip(span).at_least(q.min_sync);
        if !shared.is_empty() {
            let mut windows: Vec<Interval> = shared.intervals().to_vec();
            windows.sort_by(|a, b| b.end.cmp(&a.end).then(b.duration().cmp(&a.duration())));
            for (rank, w) in windows.into_iter().enumerate() {
                out.push(Handoff {
                    kind: HandoffKind::Sync,
                    giver_day: date,
                    start: w.start,
                    end: w.end,
                    rank: u32::try_from(rank + 1).unwrap_or(u32::MAX),
                    giver_last_hour,
                    receiver_period: receiver.interval_at(w.start).unwrap_or(w),
                });
            }
            continue;
        }
        let idx = receiver.intervals().partition_point(|i| i.end <= last.end);
        if let Some(&next) = receiver.intervals().get(idx) {
            let start = next.start.max(last.end);
            out.push(Handoff {
                kind: HandoffKind::Async,
                giver_day: date,
                start: last.end,
                end: start,
                rank: 1,
                giver_last_hour,
                receiver_period: Interval {
                    start,
                    end: next.end,
                },
            });
        }
    }
    out
}
