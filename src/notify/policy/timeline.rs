//! My time, laid out once for the policy: when I work, when I am free (working and not in focus), and
//! every instant at which a held digest may go out, so that each held item is answered with one binary
//! search instead of walking the schedule.

use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::Serialize;

use crate::notify::notification::Urgency;
use crate::team::focus::FocusSession;
use crate::team::Team;
use crate::time::interval::{Instant, Interval, IntervalSet};
use crate::time::ZoneWindow;

use super::config::{Cadence, PolicySettings, ReplyTargets};

/// How far back the timeline reaches at most: items held longer are treated as received at its start
/// (their digest point and reply-by lie far in the past anyway).
pub const LOOKBACK: Duration = Duration::days(28);
/// How far ahead of `now` the timeline reaches: long enough for a 48-working-hour reply-by over a
/// fortnight off, and for the next working period after any ordinary holiday.
pub const LOOKAHEAD: Duration = Duration::days(35);
/// Expanded before the start so that a working or free period running into the start keeps its real
/// start (and no delivery point appears where the expansion was cut).
const PAD: Duration = Duration::days(2);

/// Why a digest goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestKind {
    /// The first free moment of a working period: what was held while I was off (or, when the period
    /// opens in focus, off and then in focus).
    StartOfDay,
    /// A focus block or session ended inside working hours.
    FocusEnded,
    /// A tick of the digest cadence (or, with `instant`, an item arriving in free time).
    Cadence,
    /// The person asked for everything now.
    Manual,
}

/// An instant at which held items may be delivered as a digest, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeliveryPoint {
    /// When.
    pub at: Instant,
    /// Why.
    pub kind: DigestKind,
    /// For [`DigestKind::FocusEnded`]: how long the focus that just ended lasted, in whole minutes.
    pub focus_minutes: Option<u32>,
}

/// My working time, free time and delivery points over a horizon around `now`.
#[derive(Debug, Clone)]
pub struct Timeline {
    tz: Tz,
    /// Items received before it are treated as received at its start.
    horizon: Interval,
    working: IntervalSet,
    free: IntervalSet,
    points: Vec<DeliveryPoint>,
    instant: bool,
    /// Working seconds before each working interval starts (counted from the expansion's start).
    worked_before: Vec<i64>,
    reply: ReplyTargets,
}

impl Timeline {
    /// Lays out the time of the team's `me` from `from` (clamped to [`LOOKBACK`] before `now`) to
    /// [`LOOKAHEAD`] after `now`.
    ///
    /// Focus is the team's focus blocks for me plus the on-demand `sessions`. With no `me`, or a `me`
    /// with no hours, all time counts as working (in my zone, or UTC with no `me`): holding everything
    /// for a person whose hours Baton does not know would hold it forever.
    pub fn new(
        team: &Team,
        sessions: &[FocusSession],
        settings: &PolicySettings,
        from: Instant,
        now: Instant,
    ) -> Timeline {
        let start = from.min(now).max(now - LOOKBACK);
        let horizon = Interval {
            start,
            end: now + LOOKAHEAD,
        };
        let span = Interval {
            start: start - PAD,
            end: horizon.end,
        };
        let me = team.me();
        // Labels read in the zone I am in now (a trip's, while I travel); cadence ticks in the zone of
        // each date (see `delivery_points`).
        let tz = me.map_or(Tz::UTC, |m| m.zone_at(now));
        let zone_on = |date: NaiveDate| me.map_or(Tz::UTC, |m| m.zone_on(date));
        let (working, scheduled_focus) = match me.filter(|m| !m.hours.is_empty()) {
            Some(m) => {
                let schedule = m.expand(span);
                (schedule.working, schedule.focus)
            }
            None => (IntervalSet::from_intervals([span]), IntervalSet::new()),
        };
        let on_demand: IntervalSet = sessions.iter().filter_map(FocusSession::interval).collect();
        let focus = scheduled_focus.union(&on_demand);
        let free = working.difference(&focus);
        let points = delivery_points(zone_on, &working, &free, &settings.cadence, span);
        let mut worked_before = Vec::with_capacity(working.intervals().len());
        let mut total = 0;
        for iv in working.intervals() {
            worked_before.push(total);
            total += iv.duration().num_seconds();
        }
        Timeline {
            tz,
            horizon,
            working,
            free,
            points,
            instant: settings.cadence == Cadence::Instant,
            worked_before,
            reply: settings.reply,
        }
    }

    /// The zone local times are read in: mine at `now` (a trip's zone while I travel), or UTC.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// The instants the timeline answers for.
    pub fn horizon(&self) -> Interval {
        self.horizon
    }

    /// Whether I am working at `t` (in focus or not).
    pub fn is_working(&self, t: Instant) -> bool {
        self.working.contains(t)
    }

    /// Whether I am working and not in focus at `t`.
    pub fn is_free(&self, t: Instant) -> bool {
        self.free.contains(t)
    }

    /// My working time (focus included), within the timeline.
    pub fn working(&self) -> &IntervalSet {
        &self.working
    }

    /// Working time not in focus, within the timeline.
    pub fn free(&self) -> &IntervalSet {
        &self.free
    }

    /// Every delivery point, in time order.
    pub fn points(&self) -> &[DeliveryPoint] {
        &self.points
    }

    /// When an ordinary (not breaking-through) item received at `received` is released: the first
    /// delivery point at or after it, or `received` itself with the `instant` cadence in free time.
    /// `None` when no delivery point lies within the horizon.
    pub fn release(&self, received: Instant) -> Option<DeliveryPoint> {
        let received = received.max(self.horizon.start);
        if self.instant && self.free.contains(received) {
            return Some(DeliveryPoint {
                at: received,
                kind: DigestKind::Cadence,
                focus_minutes: None,
            });
        }
        self.next_point(received)
    }

    /// The first delivery point at or after `t`.
    pub fn next_point(&self, t: Instant) -> Option<DeliveryPoint> {
        let i = self.points.partition_point(|p| p.at < t);
        self.points.get(i).copied()
    }

    /// The last delivery point at or before `t`.
    pub fn last_point(&self, t: Instant) -> Option<DeliveryPoint> {
        let i = self.points.partition_point(|p| p.at <= t);
        i.checked_sub(1).map(|i| self.points[i])
    }

    /// When an item of `urgency` received at `received` should be answered by: the reply target counted
    /// in my working hours (nights, weekends and days off skipped; focus counts as working). Critical
    /// items are due when received. When the timeline holds too little working time (a few hours a
    /// month), the rest is counted as wall-clock time from its end: a late bound, never an early one.
    pub fn reply_by(&self, urgency: Urgency, received: Instant) -> Instant {
        let needed = self.reply.working_time(urgency).num_seconds();
        if needed == 0 {
            return received;
        }
        let from = received.max(self.horizon.start);
        let ivs = self.working.intervals();
        // Working seconds before `from`, then the instant where `needed` more have passed.
        let i = ivs.partition_point(|iv| iv.end <= from);
        let Some(&iv) = ivs.get(i) else {
            return from.max(self.horizon.end) + Duration::seconds(needed);
        };
        let done_before = self.worked_before[i] + (from - iv.start).num_seconds().max(0);
        let target = done_before + needed;
        // The last interval starting with less than the target worked: the target is reached in it
        // (at its end at the latest, so a deadline is the end of a day rather than the next morning),
        // unless it is the last interval of the timeline.
        let k = self.worked_before[i..].partition_point(|&w| w < target) + i - 1;
        let iv = ivs[k];
        let into = target - self.worked_before[k];
        if into <= iv.duration().num_seconds() {
            iv.start + Duration::seconds(into)
        } else {
            // Not enough working time in the whole timeline: a bound, counted on from its end.
            self.horizon.end + Duration::seconds(into - iv.duration().num_seconds())
        }
    }
}

/// Free-period starts (start of day, focus ended) and cadence ticks within free time, sorted, one per
/// instant (a period start wins over a tick at the same instant).
///
/// A cadence's clock times are read on each local date in the zone in force on that date
/// (`zone_on`: the home zone, or a trip's), by the one gap-and-fold rule, as working hours are.
fn delivery_points(
    zone_on: impl Fn(NaiveDate) -> Tz,
    working: &IntervalSet,
    free: &IntervalSet,
    cadence: &Cadence,
    span: Interval,
) -> Vec<DeliveryPoint> {
    let mut points = Vec::new();
    let mut last_period: Option<Instant> = None;
    let mut last_free_end: Option<Instant> = None;
    for iv in free.intervals() {
        let period = working.interval_at(iv.start).map(|w| w.start);
        // Within one working period, the time between two free stretches is focus.
        let (kind, focus_minutes) = match last_free_end {
            Some(end) if period == last_period => (
                DigestKind::FocusEnded,
                u32::try_from((iv.start - end).num_minutes()).ok(),
            ),
            _ => (DigestKind::StartOfDay, None),
        };
        last_period = period;
        last_free_end = Some(iv.end);
        // A free period cut by the expansion's start has no real start in view.
        if iv.start > span.start {
            points.push(DeliveryPoint {
                at: iv.start,
                kind,
                focus_minutes,
            });
        }
    }
    let minutes = cadence.local_minutes();
    if !minutes.is_empty() {
        let window = Interval {
            start: span.start - Duration::days(2),
            end: span.end + Duration::days(2),
        };
        // One offset table per zone met (home, and each trip's).
        let mut zones: Vec<(Tz, ZoneWindow)> = Vec::new();
        let mut last_date: Option<NaiveDate> = None;
        for iv in free.intervals() {
            // Every zone's local date is within a day of the UTC date, so these dates cover the
            // interval in whichever zone is in force; a tick outside it is dropped below.
            let mut date = iv.start.date_naive().pred_opt().unwrap_or(NaiveDate::MIN);
            let end = iv.end.date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
            if let Some(d) = last_date {
                date = date.max(d.succ_opt().unwrap_or(d));
            }
            while date <= end {
                let tz = zone_on(date);
                let zone = match zones.iter().position(|(z, _)| *z == tz) {
                    Some(i) => &zones[i].1,
                    None => {
                        zones.push((tz, ZoneWindow::new(tz, window)));
                        &zones[zones.len() - 1].1
                    }
                };
                let midnight = date.and_time(NaiveTime::MIN);
                for &m in &minutes {
                    let at = zone.resolve(midnight + Duration::minutes(i64::from(m)));
                    if free.contains(at) {
                        points.push(DeliveryPoint {
                            at,
                            kind: DigestKind::Cadence,
                            focus_minutes: None,
                        });
                    }
                }
                last_date = Some(date);
                match date.succ_opt() {
                    Some(d) => date = d,
                    None => break,
                }
            }
        }
    }
    // Period starts were pushed first and the sort is stable, so they survive the dedup.
    points.sort_by_key(|p| p.at);
    points.dedup_by_key(|p| p.at);
    points
}
