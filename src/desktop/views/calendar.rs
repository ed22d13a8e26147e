//! The team calendar: each teammate's working hours, focus and days off over a few local days in a
//! chosen zone, and my handoffs in them. Days are walked on the local calendar, so a DST day has its
//! real length, and my on-demand focus sessions are drawn with my scheduled blocks.

use chrono::Duration;
use serde::Serialize;
use ts_rs::TS;

use super::{
    blocks, handoff_query, my_zone, next_teammate, window, Block, FieldProblem, HandoffWindow,
    TeamSourceView,
};
use crate::query::{self, Status};
use crate::team::focus::FocusSession;
use crate::team::schedule::TeamSchedule;
use crate::team::spec::DateRange;
use crate::team::{Member, Team};
use crate::time::interval::{format_utc, Instant, Interval, IntervalSet};
use crate::time::{local_days_span, parse_time_zone, start_of_day};

/// One local day of the calendar, in the viewer's zone.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct CalendarDay {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// Local midnight starting it.
    pub start: String,
    /// Local midnight ending it.
    pub end: String,
    /// Its real length in hours (23 or 25 on DST days; 23.5 on Lord Howe's).
    pub hours: f64,
}

/// One teammate's row of the calendar.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct CalendarRow {
    /// Member name.
    pub name: String,
    /// IANA zone.
    pub time_zone: String,
    /// Whether this is the team's `me`.
    pub is_me: bool,
    /// Working hours, focus included.
    pub working: Vec<Block>,
    /// Scheduled focus blocks (and, for me, on-demand sessions).
    pub focus: Vec<Block>,
    /// Days off, as the member's local days.
    pub days_off: Vec<Block>,
    /// Public holidays of the member's region in the range, each a local day with its name; drawn as
    /// days off.
    pub holidays: Vec<HolidayBlock>,
    /// Trips overlapping the range, each with the zone the member works in then.
    pub trips: Vec<TripBlock>,
    /// Busy times from the member's calendars (meetings); titles only on my own row.
    pub busy: Vec<BusyBlock>,
    /// Out-of-office days from the member's calendars, as the member's local days (days off too).
    pub away: Vec<Block>,
    /// With no working hours in the range: when the member is next working after it (within a year);
    /// `None` when they work in the range or have no hours in the year after it.
    pub back: Option<String>,
}

/// A busy time from a calendar on a calendar row.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct BusyBlock {
    /// Start, RFC 3339 UTC.
    pub start: String,
    /// End (exclusive), RFC 3339 UTC.
    pub end: String,
    /// The event's title: on my own row only (a teammate's calendar gives free/busy alone).
    pub title: Option<String>,
}

/// A public holiday on a calendar row: the member's local day and the holiday's name.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct HolidayBlock {
    /// Local midnight starting the day, RFC 3339 UTC.
    pub start: String,
    /// Local midnight ending it.
    pub end: String,
    /// The holiday's name, as the region's data gives it.
    pub name: String,
}

/// A trip on a calendar row: from local midnight of its first day to local midnight after its last,
/// both in the trip's zone ([`crate::team::Member::zone_at`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct TripBlock {
    /// Start, RFC 3339 UTC.
    pub start: String,
    /// End (exclusive), RFC 3339 UTC.
    pub end: String,
    /// The IANA zone in force during the trip.
    pub time_zone: String,
}

/// The team calendar overlay.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct CalendarView {
    /// Team name.
    pub team: String,
    /// The zone days are laid out in.
    pub time_zone: String,
    /// Start of the first day.
    pub start: String,
    /// End of the last day.
    pub end: String,
    /// The instant the view was computed for.
    pub now: String,
    /// The days, in order, each with its real length.
    pub days: Vec<CalendarDay>,
    /// One row per teammate, in team order.
    pub members: Vec<CalendarRow>,
    /// The team's `me`.
    pub me: Option<String>,
    /// The teammate I hand to (next west in the relay).
    pub next: Option<String>,
    /// Handoffs from me to `next` in the range.
    pub handoffs: Vec<HandoffWindow>,
    /// Where the team comes from and how its last check went, for the banner and "Which one is you?"
    /// (read with the team by [`crate::desktop::actions::calendar`]; `None` from [`calendar`] alone).
    pub source: Option<TeamSourceView>,
    /// The calendars that could not be read at their last check, each "name: error" (the last good
    /// copy of each stays drawn), for the calendar's banner; filled by [`crate::desktop::actions`].
    pub calendar_errors: Vec<String>,
}

/// The calendar for `days` local days from `from` (`YYYY-MM-DD`; default: today) in `zone` (default:
/// mine).
///
/// On-demand focus `sessions` are drawn on my row with the scheduled blocks.
pub fn calendar(
    team: &Team,
    sessions: &[FocusSession],
    now: Instant,
    from: Option<&str>,
    days: u32,
    zone: Option<&str>,
) -> Result<CalendarView, FieldProblem> {
    let tz = match zone.map(str::trim).filter(|z| !z.is_empty()) {
        Some(name) => parse_time_zone(name).ok_or_else(|| FieldProblem {
            field: "time_zone".into(),
            message: format!(
                "unknown time zone \"{name}\"; use an IANA name such as Europe/London"
            ),
            suggestions: crate::time::suggest_time_zones(name, 5)
                .into_iter()
                .map(String::from)
                .collect(),
        })?,
        None => my_zone(team),
    };
    let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => match text.parse::<DateRange>() {
            Ok(r) if r.first == r.last => r.first,
            _ => {
                return Err(FieldProblem {
                    field: "from".into(),
                    message: format!("'{text}' is not a date; use YYYY-MM-DD"),
                    suggestions: vec![],
                })
            }
        },
        None => now.with_timezone(&tz).date_naive(),
    };
    let days = days.clamp(1, 31);
    let span = local_days_span(tz, from, days);
    let schedule = TeamSchedule::build(team, span, Duration::days(2));
    let me = team.me_index();
    let on_demand: IntervalSet = sessions.iter().filter_map(FocusSession::interval).collect();
    let members = team
        .members
        .iter()
        .zip(&schedule.members)
        .enumerate()
        .map(|(i, (m, s))| {
            let focus = if Some(i) == me {
                s.focus.union(&on_demand.intersection(&s.working))
            } else {
                s.focus.clone()
            };
            let off = days_off_set(m, span);
            let holidays = holiday_blocks(m, span);
            let (busy, away) = calendar_blocks(m, span);
            let trips = trip_blocks(m, span);
            let working = s.working.clip(span);
            let back = if working.is_empty() {
                match query::next_change(m, span.end) {
                    (Status::Off, next) => next.map(|(t, _)| format_utc(t)),
                    _ => Some(format_utc(span.end)),
                }
            } else {
                None
            };
            CalendarRow {
                name: m.name.clone(),
                time_zone: m.time_zone.name().into(),
                is_me: Some(i) == me,
                back,
                working: blocks(&working),
                focus: blocks(&focus.clip(span)),
                days_off: blocks(&off.clip(span)),
                holidays,
                trips,
                busy,
                away,
            }
        })
        .collect();
    let day_list = (0..days)
        .filter_map(|d| {
            let date = from.checked_add_days(chrono::Days::new(u64::from(d)))?;
            let start = start_of_day(tz, date);
            let end = start_of_day(tz, date.succ_opt()?);
            Some(CalendarDay {
                date: date.format("%Y-%m-%d").to_string(),
                start: format_utc(start),
                end: format_utc(end),
                hours: (end - start).num_seconds() as f64 / 3600.0,
            })
        })
        .collect();
    let next = next_teammate(team, span.start);
    let handoffs = match (me, next) {
        (Some(a), Some(b)) => query::handoffs(&schedule, &handoff_query(a, b))
            .iter()
            .filter(|h| h.start < span.end)
            .map(|h| window(team, h, a, b))
            .collect(),
        _ => vec![],
    };
    Ok(CalendarView {
        team: team.name.clone(),
        time_zone: tz.name().into(),
        start: format_utc(span.start),
        end: format_utc(span.end),
        now: format_utc(now),
        days: day_list,
        members,
        me: me.map(|i| team.members[i].name.clone()),
        next: next.map(|i| team.members[i].name.clone()),
        handoffs,
        source: None,
        calendar_errors: vec![],
    })
}

/// The member's calendar busy times (with my own titles) and out-of-office days that overlap `span`.
fn calendar_blocks(m: &Member, span: Interval) -> (Vec<BusyBlock>, Vec<Block>) {
    let busy = m
        .busy
        .events
        .iter()
        .filter(|e| e.kind == crate::calendar::OccurrenceKind::Busy)
        .filter_map(|e| {
            let shown = e.interval.intersection(&span)?;
            Some(BusyBlock {
                start: format_utc(shown.start),
                end: format_utc(shown.end),
                title: e.title.clone(),
            })
        })
        .collect();
    let away: IntervalSet = m
        .busy
        .out_of_office
        .iter()
        .map(|&d| local_days_span(m.zone_on(d), d, 1))
        .collect();
    (busy, blocks(&away.clip(span)))
}

/// The member's days off that overlap `span`, each its local day in the zone in force on it (a day
/// off during a trip is the trip zone's day, as the schedule reads it).
fn days_off_set(m: &Member, span: Interval) -> IntervalSet {
    // A day a zone away from the span's ends can still overlap it: look one date beyond each end.
    let first = span.start.with_timezone(&m.time_zone).date_naive() - Duration::days(1);
    let last = span.end.with_timezone(&m.time_zone).date_naive() + Duration::days(1);
    m.days_off
        .iter()
        .flat_map(|r| {
            r.first
                .max(first)
                .iter_days()
                .take_while(move |d| *d <= r.last.min(last))
        })
        .map(|date| local_days_span(m.zone_on(date), date, 1))
        .collect()
}

/// The member's public holidays that overlap `span`, each its local day in the zone in force on it.
fn holiday_blocks(m: &Member, span: Interval) -> Vec<HolidayBlock> {
    let Some(calendar) = &m.holidays else {
        return vec![];
    };
    // A day a zone away from the span's ends can still overlap it: look one date beyond each end.
    let first = span.start.with_timezone(&m.time_zone).date_naive() - Duration::days(1);
    let last = span.end.with_timezone(&m.time_zone).date_naive() + Duration::days(1);
    calendar
        .between(first, last)
        .filter_map(|(date, name)| {
            let zone = m.zone_on(date);
            let day = Interval::new(
                start_of_day(zone, date),
                start_of_day(zone, date.succ_opt()?),
            )?;
            let shown = day.intersection(&span)?;
            Some(HolidayBlock {
                start: format_utc(shown.start),
                end: format_utc(shown.end),
                name: name.to_string(),
            })
        })
        .collect()
}

/// The member's trips that overlap `span`, clipped to it.
fn trip_blocks(m: &Member, span: Interval) -> Vec<TripBlock> {
    m.travel
        .iter()
        .filter_map(|trip| {
            let end = start_of_day(trip.time_zone, trip.to.succ_opt()?);
            let held = Interval::new(start_of_day(trip.time_zone, trip.from), end)?;
            let shown = held.intersection(&span)?;
            Some(TripBlock {
                start: format_utc(shown.start),
                end: format_utc(shown.end),
                time_zone: trip.time_zone.name().into(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desktop::views::fixtures::team;
    use chrono::{TimeZone, Utc};

    #[test]
    fn calendar_days_have_their_real_length() {
        // London springs forward on Sunday 29 March 2026: that day has 23 hours.
        let v = calendar(
            &team(),
            &[],
            Utc.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap(),
            Some("2026-03-28"),
            3,
            None,
        )
        .unwrap();
        assert_eq!(v.time_zone, "Europe/London");
        let hours: Vec<f64> = v.days.iter().map(|d| d.hours).collect();
        assert_eq!(hours, vec![24.0, 23.0, 24.0]);
        assert_eq!(
            v.days[2].start, "2026-03-29T23:00:00Z",
            "Monday starts at BST midnight"
        );
        // Monday 30 March: Ana works 09:00-17:00 BST = 08:00-16:00 UTC, focus 08:00-10:00 UTC.
        assert_eq!(v.members[0].working[0].start, "2026-03-30T08:00:00Z");
        assert_eq!(v.members[0].focus[0].end, "2026-03-30T10:00:00Z");
        assert_eq!(v.next.as_deref(), Some("Bo"), "New York is west of London");
        // Ana's 16:00-17:00 UTC... overlaps Bo's 13:00-21:00 UTC (09:00 EDT) from 13:00 to 16:00 UTC.
        assert_eq!(v.handoffs[0].kind, "sync");
        assert_eq!(
            (v.handoffs[0].start.as_str(), v.handoffs[0].end.as_str()),
            ("2026-03-30T13:00:00Z", "2026-03-30T16:00:00Z")
        );
    }

    #[test]
    fn calendar_in_another_zone_and_bad_zone() {
        let t = team();
        let now = Utc.with_ymd_and_hms(2026, 3, 30, 12, 0, 0).unwrap();
        let day = Some("2026-03-30");
        let v = calendar(&t, &[], now, day, 1, Some("Asia/Kolkata")).unwrap();
        assert_eq!(v.start, "2026-03-29T18:30:00Z");
        let e = calendar(&t, &[], now, day, 1, Some("Asia/Kolkatta")).unwrap_err();
        let bad_from = calendar(&t, &[], now, Some("2026-3-30"), 1, None).unwrap_err();
        assert_eq!(bad_from.field, "from", "dates are YYYY-MM-DD");
        assert_eq!(e.field, "time_zone");
        assert!(e.suggestions.contains(&"Asia/Kolkata".to_string()));
    }

    #[test]
    fn holidays_and_trips_are_drawn_in_the_zone_in_force() {
        let team = Team::from_toml_str(
            r#"
name = "T"
members = [
  { name = "Ana", time_zone = "Europe/Berlin", holidays = "DE-BY", hours = ["mon-fri 09:00-17:00"],
    travel = [{ from = "2026-06-05", to = "2026-06-07", time_zone = "Asia/Tokyo" }] },
]
"#,
            "t.toml",
        )
        .unwrap();
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let v = calendar(&team, &[], now, Some("2026-06-04"), 2, Some("UTC")).unwrap();
        let row = &v.members[0];
        // Corpus Christi, Thursday 4 June 2026, is a holiday in Bavaria: Berlin's day is 22:00Z to 22:00Z.
        assert_eq!(row.holidays.len(), 1, "{:?}", row.holidays);
        assert_eq!(
            (row.holidays[0].start.as_str(), row.holidays[0].end.as_str()),
            ("2026-06-04T00:00:00Z", "2026-06-04T22:00:00Z"),
            "clipped to the UTC range at its start"
        );
        assert!(
            row.holidays[0].name.contains("Corpus Christi"),
            "{}",
            row.holidays[0].name
        );
        // The trip holds from Tokyo's midnight starting 5 June (15:00Z on the 4th) and runs past the range.
        assert_eq!(row.trips.len(), 1);
        assert_eq!(row.trips[0].start, "2026-06-04T15:00:00Z");
        assert_eq!(row.trips[0].end, v.end);
        assert_eq!(row.trips[0].time_zone, "Asia/Tokyo");
        // Friday 5 June is worked 09:00-17:00 Tokyo time: 00:00-08:00Z.
        assert_eq!(row.working[0].start, "2026-06-05T00:00:00Z");
        assert_eq!(row.working[0].end, "2026-06-05T08:00:00Z");
        // Taken off instead, Friday is Tokyo's day, and Thursday (home) Berlin's.
        let team = Team::from_toml_str(
            r#"
name = "T"
members = [
  { name = "Ana", time_zone = "Europe/Berlin", hours = ["mon-fri 09:00-17:00"],
    travel = [{ from = "2026-06-05", to = "2026-06-07", time_zone = "Asia/Tokyo" }],
    days_off = ["2026-06-04..2026-06-05"] },
]
"#,
            "t.toml",
        )
        .unwrap();
        let v = calendar(&team, &[], now, Some("2026-06-03"), 3, Some("UTC")).unwrap();
        let row = &v.members[0];
        let off: Vec<_> = row
            .days_off
            .iter()
            .map(|b| (b.start.as_str(), b.end.as_str()))
            .collect();
        // Berlin's Thursday (22:00Z on the 3rd) runs into Tokyo's Friday (from 15:00Z on the 4th,
        // which is before Berlin's Thursday ends), to Tokyo's midnight: one block.
        assert_eq!(off, [("2026-06-03T22:00:00Z", "2026-06-05T15:00:00Z")]);
        let worked: Vec<_> = row
            .working
            .iter()
            .map(|b| (b.start.as_str(), b.end.as_str()))
            .collect();
        assert_eq!(
            worked,
            [("2026-06-03T07:00:00Z", "2026-06-03T15:00:00Z")],
            "Wednesday only"
        );
    }
}
