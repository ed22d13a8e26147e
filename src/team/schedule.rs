//! Expanding weekly local-time rules into UTC intervals over a span of time.
//!
//! Expansion walks each member's *local calendar* day by day (never adding 24-hour steps), applies the
//! rules whose weekdays match, skips days off and public holidays, and resolves both ends of every span
//! with the compatible rule in [`crate::time`]. A span belongs to the local date it starts on: an
//! overnight shift starting on a day off (or a holiday) is dropped whole, and one starting the evening
//! before is kept, also when it reaches into the range or the day off. On a trip's dates (see
//! [`crate::team::travel`]) the local date and both ends of its spans are read in the trip's zone.

use std::collections::HashMap;
use std::rc::Rc;

use chrono::{Datelike, Days, Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::team::spec::{DateRange, WeeklyRule};
use crate::team::travel::Trip;
use crate::team::{Member, Team};
use crate::time::interval::{Interval, IntervalSet};
use crate::time::ZoneWindow;

/// One concrete span of work (or focus), with the member's local date it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    /// The member's local date the span starts on.
    pub date: NaiveDate,
    /// The span in UTC.
    pub interval: Interval,
}

/// A member's expanded schedule over a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSchedule {
    /// Working spans that reach into the span, sorted by start, unclipped and not merged (each keeps its
    /// local date, which handoffs use to tell one working day from the next).
    pub shifts: Vec<Shift>,
    /// Working time within the span.
    pub working: IntervalSet,
    /// Focus time within the span.
    pub focus: IntervalSet,
    /// Busy time from the member's calendars within the span (meetings; not only in working time).
    pub busy: IntervalSet,
}

impl MemberSchedule {
    /// Working time minus focus time (unless `include_focus`) and minus busy time (unless
    /// `include_busy`).
    pub fn available(&self, include_focus: bool, include_busy: bool) -> IntervalSet {
        let free = if include_focus {
            self.working.clone()
        } else {
            self.working.difference(&self.focus)
        };
        if include_busy || self.busy.is_empty() {
            free
        } else {
            free.difference(&self.busy)
        }
    }
}

impl Member {
    /// Expands this member's hours and focus blocks over `span`.
    pub fn expand(&self, span: Interval) -> MemberSchedule {
        self.expand_in(span, &mut ZoneTables::default())
    }

    /// [`Member::expand`], taking each zone's table from `tables` (made on first use), so the members
    /// of one expansion share a table per zone instead of each making its own.
    fn expand_in(&self, span: Interval, tables: &mut ZoneTables) -> MemberSchedule {
        let zones = Zones::new(self, span, tables);
        // The few holidays the walk can meet, looked up once rather than per date and rule set.
        let (first, last) = zones.dates(span);
        let holidays: Vec<NaiveDate> = self
            .holidays
            .as_ref()
            .map(|h| h.between(first, last).map(|(d, _)| d).collect())
            .unwrap_or_default();
        let off = |d| {
            self.days_off.iter().any(|r| r.contains(d))
                || holidays.contains(&d)
                || self.busy.is_out_of_office(d)
        };
        let shifts = expand_with(&zones, &self.hours, &off, span);
        let focus = expand_with(&zones, &self.focus, &off, span);
        MemberSchedule {
            working: shifts
                .iter()
                .map(|s| s.interval)
                .collect::<IntervalSet>()
                .clip(span),
            focus: focus
                .iter()
                .map(|s| s.interval)
                .collect::<IntervalSet>()
                .clip(span),
            busy: self.busy.busy.clip(span),
            shifts,
        }
    }
}

/// Every span of `rules` in `tz` that reaches into `span`, skipping spans that start on a day off.
pub fn expand_rules(
    tz: Tz,
    rules: &[WeeklyRule],
    days_off: &[DateRange],
    span: Interval,
) -> Vec<Shift> {
    let zones = Zones {
        home: Rc::new(zone_window(tz, span)),
        trips: Vec::new(),
    };
    expand_with(
        &zones,
        rules,
        &|d| days_off.iter().any(|r| r.contains(d)),
        span,
    )
}

/// The zones a member's dates are read in over one expansion: home, and each trip that matters.
struct Zones {
    home: Rc<ZoneWindow>,
    trips: Vec<(Trip, Rc<ZoneWindow>)>,
}

/// The zone tables of one expansion (one span), by zone.
#[derive(Default)]
struct ZoneTables {
    by_zone: HashMap<Tz, Rc<ZoneWindow>>,
}

impl ZoneTables {
    fn get(&mut self, tz: Tz, span: Interval) -> Rc<ZoneWindow> {
        self.by_zone
            .entry(tz)
            .or_insert_with(|| Rc::new(zone_window(tz, span)))
            .clone()
    }
}

impl Zones {
    fn new(member: &Member, span: Interval, tables: &mut ZoneTables) -> Self {
        // Any zone's local date at an instant is within a day of the UTC date; a span starts at most a
        // day before the date it reaches into.
        let near =
            |t: crate::time::interval::Instant, days: i64| (t + Duration::days(days)).date_naive();
        let (lo, hi) = (near(span.start, -2), near(span.end, 1));
        Zones {
            home: tables.get(member.time_zone, span),
            trips: member
                .travel
                .iter()
                .filter(|t| t.from <= hi && lo <= t.to)
                .map(|t| (*t, tables.get(t.time_zone, span)))
                .collect(),
        }
    }

    /// The zone the local `date` is read in.
    fn on(&self, date: NaiveDate) -> &ZoneWindow {
        self.trips
            .iter()
            .find(|(t, _)| t.contains(date))
            .map_or(&self.home, |(_, z)| z)
    }

    /// The first and last local dates a span reaching into `span` can start on, in any of the zones.
    fn dates(&self, span: Interval) -> (NaiveDate, NaiveDate) {
        let bounds = |tz: Tz| {
            let first = span
                .start
                .with_timezone(&tz)
                .date_naive()
                .pred_opt()
                .unwrap_or(NaiveDate::MIN);
            (first, span.end.with_timezone(&tz).date_naive())
        };
        // Dates outside the trips are read at home, so the home bounds hold for them; a trip's own
        // dates are bounded in its zone. Walking the hull of both only adds dates that find nothing.
        let mut out = bounds(self.home.time_zone());
        for (t, z) in &self.trips {
            let (f, l) = bounds(z.time_zone());
            let (f, l) = (f.max(t.from), l.min(t.to));
            if f <= l {
                out = (out.0.min(f), out.1.max(l));
            }
        }
        out
    }
}

/// The offsets of `tz` around `span`, wide enough for every local time an expansion of it resolves
/// (spans start up to a day before it and end up to two days after).
fn zone_window(tz: Tz, span: Interval) -> ZoneWindow {
    ZoneWindow::new(
        tz,
        Interval {
            start: span.start - Duration::days(4),
            end: span.end + Duration::days(4),
        },
    )
}

fn expand_with(
    zones: &Zones,
    rules: &[WeeklyRule],
    off: &dyn Fn(NaiveDate) -> bool,
    span: Interval,
) -> Vec<Shift> {
    let mut out = Vec::new();
    if rules.is_empty() {
        return out;
    }
    // A span can start up to a day before the local date of `span.start` (overnight) and no later than
    // the local date of `span.end`.
    let (first, last) = zones.dates(span);
    let mut date = first;
    while date <= last {
        if !off(date) {
            let zone = zones.on(date);
            let weekday = date.weekday();
            for rule in rules.iter().filter(|r| r.days.contains(weekday)) {
                for s in &rule.spans {
                    let start = zone.resolve(at_minutes(date, s.start.minutes()));
                    let end_day = if s.is_overnight() {
                        date.checked_add_days(Days::new(1)).unwrap_or(date)
                    } else {
                        date
                    };
                    let end = zone.resolve(at_minutes(end_day, s.end.minutes()));
                    if let Some(interval) =
                        Interval::new(start, end).filter(|i| i.intersection(&span).is_some())
                    {
                        out.push(Shift { date, interval });
                    }
                }
            }
        }
        match date.succ_opt() {
            Some(d) => date = d,
            None => break,
        }
    }
    out.sort_by_key(|s| s.interval.start);
    out
}

/// The local date-time `minutes` after midnight of `date` (1440 is the next midnight).
fn at_minutes(date: NaiveDate, minutes: u32) -> chrono::NaiveDateTime {
    date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minutes))
}

/// Every member of a team expanded over the same span.
#[derive(Debug, Clone)]
pub struct TeamSchedule<'a> {
    /// The team expanded.
    pub team: &'a Team,
    /// The span results are clipped to.
    pub span: Interval,
    /// The span actually expanded: `span` plus look-ahead, so a handoff near the end of the range can
    /// find the receiver's next working period.
    pub expanded: Interval,
    /// Per member, in team order.
    pub members: Vec<MemberSchedule>,
}

impl<'a> TeamSchedule<'a> {
    /// Expands every member of `team` over `span` plus `lookahead` after it.
    pub fn build(team: &'a Team, span: Interval, lookahead: Duration) -> Self {
        let expanded = Interval {
            start: span.start,
            end: span.end + lookahead,
        };
        let mut tables = ZoneTables::default();
        let members = team
            .members
            .iter()
            .map(|m| m.expand_in(expanded, &mut tables))
            .collect();
        Self {
            team,
            span,
            expanded,
            members,
        }
    }

    /// What `build(team, span, lookahead)` gives, cut from this schedule instead of expanding the team
    /// again, so one request expands once and each of its views reads the range it looks at.
    ///
    /// The cut is exact when `span` plus `lookahead` lies within [`TeamSchedule::expanded`]: expansion
    /// keeps every shift that reaches into the range, and a wider range only adds shifts that do not
    /// reach into the narrower one (see the test). Outside it, the team is expanded again.
    pub fn within(&self, span: Interval, lookahead: Duration) -> TeamSchedule<'a> {
        let expanded = Interval {
            start: span.start,
            end: span.end + lookahead,
        };
        if expanded.start < self.expanded.start || expanded.end > self.expanded.end {
            return Self::build(self.team, span, lookahead);
        }
        let members = self
            .members
            .iter()
            .map(|m| MemberSchedule {
                shifts: m
                    .shifts
                    .iter()
                    .filter(|s| s.interval.intersection(&expanded).is_some())
                    .copied()
                    .collect(),
                working: m.working.clip(expanded),
                focus: m.focus.clip(expanded),
                busy: m.busy.clip(expanded),
            })
            .collect();
        TeamSchedule {
            team: self.team,
            span,
            expanded,
            members,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_cut_is_what_building_the_narrower_range_gives() {
        // Overnight shifts, focus, a day off and a DST change (London springs forward on 29 March
        // 2026, New York on 8 March) near the edges of the cuts.
        let team = Team::from_toml_str(
            r#"
name = "T"
me = "Ana"
members = [
  { name = "Ana", time_zone = "Europe/London", hours = ["mon-fri 09:00-17:00", "sat 22:00-06:00"], focus = ["mon 09:00-11:00", "sun 01:00-03:00"], days_off = ["2026-03-31"] },
  { name = "Bo", time_zone = "America/New_York", hours = ["daily 00:00-24:00"], focus = ["tue 23:30-00:30"] },
  { name = "Kenji", time_zone = "Asia/Tokyo" },
]
"#,
            "t.toml",
        )
        .unwrap();
        let wide = TeamSchedule::build(
            &team,
            Interval {
                start: Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 4, 20, 0, 0, 0).unwrap(),
            },
            Duration::zero(),
        );
        for (d, h, days, lookahead) in [
            (2, 0, 7, 0),
            (7, 13, 3, 7),
            (27, 23, 2, 0),
            (28, 5, 7, 7),
            (31, 12, 1, 2),
        ] {
            let start = Utc.with_ymd_and_hms(2026, 3, d, h, 30, 0).unwrap();
            let span = Interval {
                start,
                end: start + Duration::days(days),
            };
            let lookahead = Duration::days(lookahead);
            let cut = wide.within(span, lookahead);
            let built = TeamSchedule::build(&team, span, lookahead);
            assert_eq!((cut.span, cut.expanded), (built.span, built.expanded));
            assert_eq!(
                cut.members, built.members,
                "from {start}, {days} days + {lookahead}"
            );
        }
    }
}
