//! `overlap`: when the chosen members are available together, or when at least `k` of them are.
//!
//! Both answers sweep over every start and end of the members' availability: between two consecutive
//! event times who is available is constant. [`overlap`] cuts a window at every change of who is
//! available (exact, and small for a few people); [`overlap_maximal`] keeps each window as long as the
//! count holds, the compact answer for a large team.

use chrono::Duration;

use crate::team::schedule::TeamSchedule;
use crate::time::interval::{Instant, Interval, IntervalSet};

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
    /// Count calendar busy times as available time.
    pub include_busy: bool,
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
    let windows = match q.at_least {
        None => {
            let mut members = q.members.clone();
            members.sort_unstable();
            // Each member's availability only as long as the common time is not empty yet: in a big
            // team spread over the world it empties after a few, and the rest are never computed.
            let mut common: Option<IntervalSet> = None;
            for &i in &q.members {
                if common.as_ref().is_some_and(IntervalSet::is_empty) {
                    break;
                }
                let mine = schedule.members[i]
                    .available(q.include_focus, q.include_busy)
                    .clip(schedule.span);
                common = Some(match common {
                    None => mine,
                    Some(c) => c.intersection(&mine),
                });
            }
            common
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
        Some(k) => at_least_windows(&q.members, &availability(schedule, q), k.max(1), q.min),
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
    let avail = availability(schedule, q);
    let mut sweep = Sweep::new(&avail);
    // The open maximal window (start, fewest, most) and the open stretch of constant membership
    // (start, count).
    let mut open: Option<(Instant, usize, usize)> = None;
    let mut stretch: Option<(Instant, usize)> = None;
    let mut maximal: Vec<(Interval, usize, usize)> = Vec::new();
    let mut best: Option<(Interval, usize)> = None;
    while let Some((t, changed)) = sweep.advance() {
        let count = sweep.count;
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
        if sweep.upcoming().is_none() {
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
    let mut sweep = Sweep::new(avail);
    let mut windows: Vec<OverlapWindow> = Vec::new();
    while let Some((t, _)) = sweep.advance() {
        let Some(next) = sweep.upcoming() else {
            break;
        };
        if sweep.count >= k {
            let mut who: Vec<usize> = sweep
                .present
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

/// Each of `q.members`' availability within the span, in `q.members`' order (a member's slot).
fn availability(schedule: &TeamSchedule<'_>, q: &OverlapQuery) -> Vec<IntervalSet> {
    q.members
        .iter()
        .map(|&i| {
            schedule.members[i]
                .available(q.include_focus, q.include_busy)
                .clip(schedule.span)
        })
        .collect()
}

/// A sweep over every start and end of the slots' availability in time order. It stops at each event
/// time once, having applied all of that time's starts and ends, so between two stops who is available
/// is constant: the one walk both [`overlap`]'s `at_least` windows and [`overlap_maximal`] take.
struct Sweep {
    /// (time, a start, slot), sorted by time.
    events: Vec<(Instant, bool, usize)>,
    /// The first event not applied yet.
    next: usize,
    /// Whether each slot is available since the last stop.
    present: Vec<bool>,
    /// How many slots are.
    count: usize,
}

impl Sweep {
    fn new(avail: &[IntervalSet]) -> Sweep {
        let mut events: Vec<(Instant, bool, usize)> = Vec::new();
        for (slot, set) in avail.iter().enumerate() {
            for iv in set.intervals() {
                events.push((iv.start, true, slot));
                events.push((iv.end, false, slot));
            }
        }
        events.sort_unstable_by_key(|e| e.0);
        Sweep {
            events,
            next: 0,
            present: vec![false; avail.len()],
            count: 0,
        }
    }

    /// Stops at the next event time, applying every start and end there: that time, and whether who is
    /// available changed; `None` after the last.
    fn advance(&mut self) -> Option<(Instant, bool)> {
        let t = self.upcoming()?;
        let mut changed = false;
        while let Some(&(at, starts, slot)) = self.events.get(self.next) {
            if at != t {
                break;
            }
            if self.present[slot] != starts {
                self.present[slot] = starts;
                changed = true;
                if starts {
                    self.count += 1;
                } else {
                    self.count -= 1;
                }
            }
            self.next += 1;
        }
        Some((t, changed))
    }

    /// The next stop's time; `None` after the last.
    fn upcoming(&self) -> Option<Instant> {
        self.events.get(self.next).map(|e| e.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::team::Team;
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
members = [
  { name = "A", time_zone = "UTC", hours = ["mon 09:00-17:00"] },
  { name = "B", time_zone = "UTC", hours = ["mon 10:00-12:00, 13:00-15:00"] },
  { name = "C", time_zone = "UTC", hours = ["mon 11:00-16:00"] },
  { name = "D", time_zone = "UTC", hours = ["mon 14:00-18:00"] },
]
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
            include_busy: false,
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
