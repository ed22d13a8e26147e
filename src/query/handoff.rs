//! `handoff`: how the baton passes from a giver to a receiver, one giver working day at a time.
//!
//! A day whose free time overlaps the receiver's availability hands over live (sync), in every shared
//! window long enough, ranked by [`rank_sync_windows`]; any other day hands over in writing (async) at
//! the end of the giver's day, to be picked up when the receiver next works. Each day's best pass is
//! chosen once, by [`best_per_day`]: the relay ([`super::relay()`]) chains those around the team, the
//! app's handoffs view lists mine, and its next handoff is [`upcoming_handoff`]: one ranking for the
//! CLI, the relay and the app.

use std::borrow::Borrow;
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
    /// Among the day's sync windows, the place in [`rank_sync_windows`]'s order (1: the one closest to
    /// the end of the giver's day); async: 1.
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

/// Orders one giver day's sync windows best first, the order their [`Handoff::rank`] numbers: the
/// window closest to the end of the giver's day first (the latest end), and of two that end together
/// the longer.
///
/// The later the pass, the more of the giver's day goes with the baton. The windows of one
/// day in [`handoffs`] are disjoint, so their ends differ and the tie rule never decides there; it
/// makes the order total for any windows.
///
/// ```
/// use baton::query::rank_sync_windows;
/// use baton::Interval;
/// use chrono::{TimeZone, Utc};
///
/// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
/// let mut windows = [
///     Interval { start: at(9), end: at(12) },
///     Interval { start: at(15), end: at(16) },
/// ];
/// rank_sync_windows(&mut windows);
/// // The shorter window wins: it is the later one.
/// assert_eq!(windows[0], Interval { start: at(15), end: at(16) });
/// ```
pub fn rank_sync_windows(windows: &mut [Interval]) {
    windows.sort_by(|a, b| b.end.cmp(&a.end).then(b.duration().cmp(&a.duration())));
}

/// Each giver day's best pass among `handoffs`, in their order: rank 1 in [`rank_sync_windows`]'s
/// order for a day that hands over live, the day's one pass for a day that hands over in writing.
///
/// The one choice of "the day's handoff": the relay keeps these, the app's handoffs view lists mine,
/// and [`upcoming_handoff`] picks among them. It takes owned handoffs or references alike.
pub fn best_per_day<H: Borrow<Handoff>>(
    handoffs: impl IntoIterator<Item = H>,
) -> impl Iterator<Item = H> {
    handoffs.into_iter().filter(|h| h.borrow().rank == 1)
}

/// The next baton pass at `now` among `handoffs` (as [`handoffs`] returns them, giver days in order):
/// the first giver day whose best pass, rank 1 in [`rank_sync_windows`]'s order, is still ahead or
/// under way, that is a sync window that has not ended or an async pass whose giver day has not ended.
///
/// This is the desktop app's "next handoff". Rank 1 is the day's latest-ending window, so while any sync
/// window of a day is open, rank 1 is too: the choice never skips to the next day while today can
/// still hand over live, and it points at the same window the CLI ranks first, even when an earlier
/// window of that day (rank 2 or below) starts sooner.
pub fn upcoming_handoff(handoffs: &[Handoff], now: Instant) -> Option<&Handoff> {
    best_per_day(handoffs).find(|h| match h.kind {
        HandoffKind::Sync => h.end > now,
        HandoffKind::Async => h.start > now,
    })
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
    /// Count calendar busy times as available time.
    pub include_busy: bool,
}

/// The baton passes from `from` to `to` for each of the giver's working days in the span, chronological;
/// a day's sync windows come best first, ranked by [`rank_sync_windows`].
pub fn handoffs(schedule: &TeamSchedule<'_>, q: &HandoffQuery) -> Vec<Handoff> {
    let giver = &schedule.members[q.from];
    let receiver = schedule.members[q.to].available(q.include_focus, q.include_busy);
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
        let mut free = if q.include_focus {
            working.clone()
        } else {
            working.difference(&giver.focus)
        };
        if !q.include_busy && !giver.busy.is_empty() {
            free = free.difference(&giver.busy);
        }
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
            rank_sync_windows(&mut windows);
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn utc(d: u32, h: u32, m: u32) -> Instant {
        Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
    }

    fn iv(d: u32, from: u32, to: u32) -> Interval {
        Interval {
            start: utc(d, from, 0),
            end: utc(d, to, 0),
        }
    }

    #[test]
    fn sync_windows_rank_latest_end_first_then_longer() {
        // Out of order, and two windows ending at 16:00 (overlapping, as a caller other than
        // `handoffs` may pass): the latest end wins whatever its length, and a tie goes to the longer.
        let mut windows = [iv(2, 9, 10), iv(2, 15, 16), iv(2, 11, 14), iv(2, 13, 16)];
        rank_sync_windows(&mut windows);
        assert_eq!(
            windows,
            [iv(2, 13, 16), iv(2, 15, 16), iv(2, 11, 14), iv(2, 9, 10)]
        );
    }

    fn handoff(kind: HandoffKind, day: u32, window: Interval, rank: u32) -> Handoff {
        Handoff {
            kind,
            giver_day: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            start: window.start,
            end: window.end,
            rank,
            giver_last_hour: window,
            receiver_period: window,
        }
    }

    /// Monday and Tuesday hand over live in two windows each, the later one ranked first; Wednesday
    /// hands over in writing at 17:00.
    fn three_days() -> [Handoff; 5] {
        [
            handoff(HandoffKind::Sync, 2, iv(2, 15, 16), 1),
            handoff(HandoffKind::Sync, 2, iv(2, 10, 11), 2),
            handoff(HandoffKind::Sync, 3, iv(3, 15, 16), 1),
            handoff(HandoffKind::Sync, 3, iv(3, 10, 11), 2),
            handoff(HandoffKind::Async, 4, iv(4, 17, 21), 1),
        ]
    }

    #[test]
    fn best_per_day_keeps_each_days_rank_one_sync_or_async() {
        let found = three_days();
        let by_ref: Vec<&Handoff> = best_per_day(&found).collect();
        assert_eq!(by_ref, [&found[0], &found[2], &found[4]]);
        let owned: Vec<Handoff> = best_per_day(found.clone()).collect();
        assert_eq!(
            owned,
            [found[0].clone(), found[2].clone(), found[4].clone()]
        );
    }

    #[test]
    fn upcoming_handoff_is_the_first_day_whose_best_pass_is_ahead() {
        // Monday's windows have both ended by Monday 18:00; Tuesday's best window is its later one, even
        // though the earlier one comes first; Wednesday is async at 17:00.
        let found = three_days();
        let at = |d, h| upcoming_handoff(&found, utc(d, h, 0)).cloned();
        // Under way: Monday's best window is still open at 15:00.
        assert_eq!(at(2, 15), Some(found[0].clone()));
        // Monday 18:00 and Tuesday 09:00 both point at Tuesday's rank 1, not its sooner rank 2.
        assert_eq!(at(2, 18), Some(found[2].clone()));
        assert_eq!(at(3, 9), Some(found[2].clone()));
        // An async pass counts until the giver's day ends, then there is nothing left.
        assert_eq!(at(4, 16), Some(found[4].clone()));
        assert_eq!(at(4, 17), None);
    }

    #[test]
    fn busy_times_of_either_side_move_the_live_handoff_and_can_be_counted_as_available() {
        use crate::calendar::busy::MemberBusy;
        use crate::calendar::{Occurrence, OccurrenceKind};
        use crate::team::schedule::TeamSchedule;
        use crate::team::Team;
        // London (GMT in early March) 09:00-17:00 hands to New York (EST until 8 March) 09:00-17:00:
        // they share 14:00-17:00 UTC. Ana's meeting 16:00-17:00 UTC and Bo's 14:00-14:30 leave
        // 14:30-16:00.
        let mut team = Team::from_toml_str(
            r#"
name = "T"
members = [
  { name = "Ana", time_zone = "Europe/London", hours = ["mon-fri 09:00-17:00"] },
  { name = "Bo", time_zone = "America/New_York", hours = ["mon-fri 09:00-17:00"] },
]
"#,
            "t.toml",
        )
        .unwrap();
        let meeting = |uid: &str, from: (u32, u32), to: (u32, u32)| Occurrence {
            uid: uid.into(),
            interval: Interval::new(utc(3, from.0, from.1), utc(3, to.0, to.1)).unwrap(),
            all_day: None,
            kind: OccurrenceKind::Busy,
            title: None,
        };
        for (m, busy) in team.members.iter_mut().zip([
            meeting("ana", (16, 0), (17, 0)),
            meeting("bo", (14, 0), (14, 30)),
        ]) {
            m.busy = std::sync::Arc::new(MemberBusy::new(vec![busy], m.time_zone));
        }
        let day = Interval::new(utc(3, 0, 0), utc(4, 0, 0)).unwrap();
        let schedule = TeamSchedule::build(&team, day, Duration::days(2));
        let q = |include_busy| HandoffQuery {
            from: 0,
            to: 1,
            min_sync: Duration::minutes(15),
            include_focus: false,
            include_busy,
        };
        let live = |include_busy| -> Vec<Interval> {
            handoffs(&schedule, &q(include_busy))
                .iter()
                .filter(|h| h.kind == HandoffKind::Sync)
                .map(|h| Interval::new(h.start, h.end).unwrap())
                .collect()
        };
        assert_eq!(
            live(false),
            [Interval::new(utc(3, 14, 30), utc(3, 16, 0)).unwrap()]
        );
        assert_eq!(
            live(true),
            [iv(3, 14, 17)],
            "--include-busy: the whole shared time"
        );
    }
}
