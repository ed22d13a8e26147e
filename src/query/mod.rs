//! The questions Baton answers about a team: hours, who is working now, when people overlap, how the baton
//! passes from one teammate to the next, and how the team relays work around the clock.
//!
//! Every query is a pure function of a [`TeamSchedule`] (or a team and an instant): no clock, no I/O.
//! Results name members by their index in the team; the CLI and the desktop app render names and local
//! times at the edge.

pub mod report;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::interval::{Instant, Interval, IntervalSet};
use crate::schedule::{MemberSchedule, TeamSchedule};
use crate::team::Team;
use crate::time::offset_at;

/// Each member's working and focus intervals within the schedule's span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberHours {
    /// Index of the member in the team.
    pub member: usize,
    /// Working intervals, normalised.
    pub working: IntervalSet,
    /// Focus intervals, normalised.
    pub focus: IntervalSet,
}

/// Working and focus time of the chosen members, clipped to the span.
pub fn hours(schedule: &TeamSchedule<'_>, members: &[usize]) -> Vec<MemberHours> {
    members
        .iter()
        .map(|&i| {
            let m = &schedule.members[i];
            MemberHours {
                member: i,
                working: m.working.clip(schedule.span),
                focus: m.focus.clip(schedule.span),
            }
        })
        .collect()
}

/// What a member is doing at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Inside working hours and not in a focus block.
    Working,
    /// Inside a focus block (focus takes precedence over working).
    Focus,
    /// Outside working hours.
    Off,
}

/// A member's state at an instant and when it next changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberNow {
    /// Index of the member in the team.
    pub member: usize,
    /// State at the instant.
    pub status: Status,
    /// When the state next changes, if it does within [`NOW_HORIZON_DAYS`].
    pub next_change: Option<(Instant, Status)>,
}

/// How far ahead [`now`] looks for the next change of state: a year, leap or not. Past it the answer is
/// "no change" (for someone off: no working hours in the next year).
pub const NOW_HORIZON_DAYS: i64 = 366;

/// The windows [`now`] expands in turn, in days after the instant: most changes are within a day or two,
/// a holiday within weeks, so the year is only expanded for someone who has no hours in it.
const NOW_WINDOWS_DAYS: &[i64] = &[2, 8, 32, 128, NOW_HORIZON_DAYS];

/// Every member's state at `at` and when it next changes, looking up to [`NOW_HORIZON_DAYS`] ahead.
pub fn now(team: &Team, at: Instant) -> Vec<MemberNow> {
    team.members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (status, next_change) = next_change(m, at);
            MemberNow {
                member: i,
                status,
                next_change,
            }
        })
        .collect()
}

/// One member's state at `at` and its next change within [`NOW_HORIZON_DAYS`], expanding only as far as
/// needed.
pub fn next_change(m: &crate::team::Member, at: Instant) -> (Status, Option<(Instant, Status)>) {
    let horizon = at + Duration::days(NOW_HORIZON_DAYS);
    let mut status = None;
    let mut from = at;
    for &days in NOW_WINDOWS_DAYS {
        let until = at + Duration::days(days);
        // Expand a day past the window: the end of an expansion looks like the end of every shift, so
        // only boundaries strictly before it are real.
        let s = m.expand(Interval {
            start: from - Duration::days(1),
            end: until + Duration::days(1),
        });
        let now_status = *status.get_or_insert_with(|| status_at(&s, at));
        if m.hours.is_empty() && m.focus.is_empty() {
            return (now_status, None);
        }
        let mut t = from;
        while let Some(c) = next_boundary(&s, t).filter(|&c| c <= until.min(horizon)) {
            let st = status_at(&s, c);
            if st != now_status {
                return (now_status, Some((c, st)));
            }
            t = c;
        }
        from = until;
    }
    (status.unwrap_or(Status::Off), None)
}

fn status_at(s: &MemberSchedule, t: Instant) -> Status {
    if s.focus.contains(t) {
        Status::Focus
    } else if s.working.contains(t) {
        Status::Working
    } else {
        Status::Off
    }
}

fn next_boundary(s: &MemberSchedule, t: Instant) -> Option<Instant> {
    match (s.working.next_change_after(t), s.focus.next_change_after(t)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What [`overlap`] looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlapQuery {
    /// Member indexes to consider.
    pub members: Vec<usize>,
    /// Shortest window worth reporting.
    pub min: Duration,
    /// `None`: windows when all members are available. `Some(k)`: windows when at least `k` are.
    pub at_least: Option<usize>,
    /// Count focus blocks as available time.
    pub include_focus: bool,
}

/// A window when enough members are available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlapWindow {
    /// The window.
    pub interval: Interval,
    /// Who is available throughout it (team indexes, ascending).
    pub members: Vec<usize>,
    /// The fewest members available at any moment of it (`members.len()` unless it is a maximal window).
    pub min_count: usize,
    /// The most members available at any moment of it.
    pub max_count: usize,
}

/// An at-least answer in maximal windows: see [`overlap_maximal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlapSummary {
    /// Maximal windows in time order, each listing who is available throughout it.
    pub windows: Vec<OverlapWindow>,
    /// The best slot: of the stretches between two changes of who is available (at least `min` long),
    /// the one with the most members, then the soonest; it lists everyone in it.
    pub best: Option<OverlapWindow>,
}

/// The windows found, chronological, and the best of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// Windows in time order.
    pub windows: Vec<OverlapWindow>,
    /// Index into `windows` of the best slot: the most members, then the soonest.
    pub best: Option<usize>,
}

/// Windows within the span when the chosen members are available together.
pub fn overlap(schedule: &TeamSchedule<'_>, q: &OverlapQuery) -> Overlap {
    let avail: Vec<IntervalSet> = q
        .members
        .iter()
        .map(|&i| {
            schedule.members[i]
                .available(q.include_focus)
                .clip(schedule.span)
        })
        .collect();
    let windows = match q.at_least {
        None => {
            let mut members = q.members.clone();
            members.sort_unstable();
            IntervalSet::intersect_all(&avail)
                .unwrap_or_default()
                .at_least(q.min)
                .intervals()
                .iter()
                .map(|&interval| OverlapWindow {
                    interval,
                    members: members.clone(),
                    min_count: members.len(),
                    max_count: members.len(),
                })
                .collect()
        }
        Some(k) => at_least_windows(&q.members, &avail, k.max(1), q.min),
    };
    let best = windows
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| {
            a.members
                .len()
                .cmp(&b.members.len())
                .then(b.interval.start.cmp(&a.interval.start))
        })
        .map(|(i, _)| i);
    Overlap { windows, best }
}

/// Windows when at least `q.at_least` of the members are available, each as long as the count stays at
/// or above it (however often who is available changes inside), and the best slot.
///
/// This is the compact answer for a large team: [`overlap`] cuts a window at every change of who is
/// available and lists everyone in each, which for 1,000 members is hundreds of windows of hundreds of
/// members. Here each window lists only who is available throughout it, with the fewest and most members
/// available at any moment; the best slot is the stretch [`overlap`] would pick, with everyone in it.
/// Without `at_least` it is [`overlap`]'s answer (membership never changes inside a window).
pub fn overlap_maximal(schedule: &TeamSchedule<'_>, q: &OverlapQuery) -> OverlapSummary {
    let Some(k) = q.at_least else {
        let o = overlap(schedule, q);
        let best = o.best.map(|b| o.windows[b].clone());
        return OverlapSummary {
            windows: o.windows,
            best,
        };
    };
    let k = k.max(1);
    let avail: Vec<IntervalSet> = q
        .members
        .iter()
        .map(|&i| {
            schedule.members[i]
                .available(q.include_focus)
                .clip(schedule.span)
        })
        .collect();
    let mut events: Vec<(Instant, bool, usize)> = Vec::new();
    for (slot, set) in avail.iter().enumerate() {
        for iv in set.intervals() {
            events.push((iv.start, true, slot));
            events.push((iv.end, false, slot));
        }
    }
    events.sort_unstable_by_key(|e| e.0);
    let mut present = vec![false; avail.len()];
    let mut count = 0usize;
    // The open maximal window (start, fewest, most) and the open stretch of constant membership
    // (start, count).
    let mut open: Option<(Instant, usize, usize)> = None;
    let mut stretch: Option<(Instant, usize)> = None;
    let mut maximal: Vec<(Interval, usize, usize)> = Vec::new();
    let mut best: Option<(Interval, usize)> = None;
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        let mut changed = false;
        while i < events.len() && events[i].0 == t {
            let (_, starts, slot) = events[i];
            if present[slot] != starts {
                present[slot] = starts;
                changed = true;
                if starts {
                    count += 1;
                } else {
                    count -= 1;
                }
            }
            i += 1;
        }
        if changed {
            if let Some((start, n)) = stretch.take() {
                let iv = Interval { start, end: t };
                if iv.duration() >= q.min && best.is_none_or(|(_, m)| n > m) {
                    best = Some((iv, n));
                }
            }
        }
        if count < k {
            if let Some((start, lo, hi)) = open.take() {
                maximal.push((Interval { start, end: t }, lo, hi));
            }
        }
        if i >= events.len() {
            break;
        }
        if count >= k {
            let w = open.get_or_insert((t, count, count));
            w.1 = w.1.min(count);
            w.2 = w.2.max(count);
            stretch.get_or_insert((t, count));
        }
    }
    // Who is available throughout an interval: everyone whose availability holds it whole.
    let throughout = |iv: Interval| -> Vec<usize> {
        let mut who: Vec<usize> = avail
            .iter()
            .enumerate()
            .filter(|(_, set)| set.interval_at(iv.start).is_some_and(|a| a.end >= iv.end))
            .map(|(slot, _)| q.members[slot])
            .collect();
        who.sort_unstable();
        who
    };
    let windows = maximal
        .into_iter()
        .filter(|(iv, _, _)| iv.duration() >= q.min)
        .map(|(interval, min_count, max_count)| OverlapWindow {
            interval,
            members: throughout(interval),
            min_count,
            max_count,
        })
        .collect();
    OverlapSummary {
        windows,
        best: best.map(|(interval, n)| OverlapWindow {
            interval,
            members: throughout(interval),
            min_count: n,
            max_count: n,
        }),
    }
}

/// Sweep over every start and end: between two consecutive event times the set of available members is
/// constant, so each stretch with at least `k` members is one window.
fn at_least_windows(
    members: &[usize],
    avail: &[IntervalSet],
    k: usize,
    min: Duration,
) -> Vec<OverlapWindow> {
    let mut events: Vec<(Instant, bool, usize)> = Vec::new();
    for (slot, set) in avail.iter().enumerate() {
        for iv in set.intervals() {
            events.push((iv.start, true, slot));
            events.push((iv.end, false, slot));
        }
    }
    events.sort_unstable_by_key(|e| e.0);
    let mut present = vec![false; members.len()];
    let mut count = 0usize;
    let mut windows: Vec<OverlapWindow> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        while i < events.len() && events[i].0 == t {
            let (_, starts, slot) = events[i];
            if present[slot] != starts {
                present[slot] = starts;
                if starts {
                    count += 1;
                } else {
                    count -= 1;
                }
            }
            i += 1;
        }
        let Some(&(next, _, _)) = events.get(i) else {
            break;
        };
        if count >= k {
            let mut who: Vec<usize> = present
                .iter()
                .enumerate()
                .filter(|(_, p)| **p)
                .map(|(s, _)| members[s])
                .collect();
            who.sort_unstable();
            match windows.last_mut() {
                Some(w) if w.interval.end == t && w.members == who => w.interval.end = next,
                _ => windows.push(OverlapWindow {
                    interval: Interval {
                        start: t,
                        end: next,
                    },
                    min_count: who.len(),
                    max_count: who.len(),
                    members: who,
                }),
            }
        }
    }
    windows.retain(|w| w.interval.duration() >= min);
    windows
}

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

fn handoffs_between(
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

/// What [`relay`] looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayQuery {
    /// Members in relay order; `None` orders the whole team east to west.
    pub order: Option<Vec<usize>>,
    /// Shortest shared window that counts as a live handoff.
    pub min_sync: Duration,
    /// Count focus blocks as available time.
    pub include_focus: bool,
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
        .map(|m| m.available(q.include_focus))
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
            };
            let found = handoffs_between(schedule.span, &schedule.members[from], &avail[to], &hq);
            links.extend(
                found
                    .into_iter()
                    .filter(|h| h.rank == 1)
                    .map(|handoff| RelayLink { from, to, handoff }),
            );
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn utc(d: u32, h: u32, m: u32) -> Instant {
        Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
    }

    #[test]
    fn maximal_windows_span_membership_changes_and_keep_the_best_slot() {
        // All in UTC on Monday 2 March: A 09-17, B 10-12 and 13-15, C 11-16, D 14-18.
        let team = Team::from_toml_str(
            r#"
name = "T"
[[members]]
name = "A"
time_zone = "UTC"
hours = ["mon 09:00-17:00"]
[[members]]
name = "B"
time_zone = "UTC"
hours = ["mon 10:00-12:00, 13:00-15:00"]
[[members]]
name = "C"
time_zone = "UTC"
hours = ["mon 11:00-16:00"]
[[members]]
name = "D"
time_zone = "UTC"
hours = ["mon 14:00-18:00"]
"#,
            "t.toml",
        )
        .unwrap();
        let span = Interval {
            start: utc(2, 0, 0),
            end: utc(3, 0, 0),
        };
        let s = TeamSchedule::build(&team, span, Duration::zero());
        let q = OverlapQuery {
            members: vec![0, 1, 2, 3],
            min: Duration::minutes(30),
            at_least: Some(2),
            include_focus: false,
        };
        let m = overlap_maximal(&s, &q);
        // Two or more: 10-17 without a break (A with B, C or D), counts from 2 to 4 (14-15: everyone).
        let got: Vec<(Instant, Instant, Vec<usize>, usize, usize)> = m
            .windows
            .iter()
            .map(|w| {
                (
                    w.interval.start,
                    w.interval.end,
                    w.members.clone(),
                    w.min_count,
                    w.max_count,
                )
            })
            .collect();
        assert_eq!(got, vec![(utc(2, 10, 0), utc(2, 17, 0), vec![0], 2, 4)]);
        let best = m.best.unwrap();
        assert_eq!(
            (best.interval.start, best.interval.end, best.members.clone()),
            (utc(2, 14, 0), utc(2, 15, 0), vec![0, 1, 2, 3])
        );
        // The detailed answer cuts the same time at every change and picks the same best slot.
        let detail = overlap(&s, &q);
        assert_eq!(detail.windows.len(), 7, "{:?}", detail.windows);
        assert_eq!(detail.best.map(|b| detail.windows[b].clone()), Some(best));
        assert_eq!(
            (
                detail.windows[0].interval.start,
                detail.windows[6].interval.end
            ),
            (utc(2, 10, 0), utc(2, 17, 0))
        );
        // At least 4 is the one hour everyone is there.
        let all = overlap_maximal(
            &s,
            &OverlapQuery {
                at_least: Some(4),
                ..q
            },
        );
        assert_eq!(all.windows.len(), 1);
        assert_eq!(all.windows[0].members, vec![0, 1, 2, 3]);
        assert_eq!((all.windows[0].min_count, all.windows[0].max_count), (4, 4));
    }
}
