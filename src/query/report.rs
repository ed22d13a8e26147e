//! Query results dressed for people and programs: member names, each side's local times, durations.
//!
//! Reports are built from the pure query results and serialise to the stable JSON the CLI prints with
//! `--json` (and the desktop app receives): every instant is an RFC 3339 UTC string ending in `Z`, every
//! local time an RFC 3339 string with its offset. The CLI's human tables are rendered from the same
//! values, so the two outputs never disagree.

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};

use crate::query::{self, Handoff, HandoffKind, Status};
use crate::team::schedule::TeamSchedule;
use crate::team::{Member, Team};
use crate::time::interval::{format_utc, Instant, Interval, IntervalSet};
use crate::time::{format_offset, offset_at};

fn ser_utc<S: Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_utc(*t))
}

fn ser_opt_utc<S: Serializer>(t: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format_utc(*t)),
        None => s.serialize_none(),
    }
}

fn ser_local<S: Serializer>(t: &DateTime<Tz>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

fn ser_tz<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

fn ser_opt_tz<S: Serializer>(tz: &Option<Tz>, s: S) -> Result<S::Ok, S::Error> {
    match tz {
        Some(tz) => s.serialize_str(tz.name()),
        None => s.serialize_none(),
    }
}

/// The span a report covers.
#[derive(Debug, Clone, Serialize)]
pub struct RangeReport {
    /// First local date, in the viewer's zone.
    pub from: NaiveDate,
    /// Number of local days.
    pub days: u32,
    /// The viewer's zone the days are counted in.
    #[serde(serialize_with = "ser_tz")]
    pub time_zone: Tz,
    /// Start of the span (local midnight of `from`).
    #[serde(serialize_with = "ser_utc")]
    pub start: Instant,
    /// End of the span (local midnight `days` days later).
    #[serde(serialize_with = "ser_utc")]
    pub end: Instant,
}

impl RangeReport {
    /// Describes `span`, which starts at local midnight of `from` in `time_zone`.
    pub fn new(from: NaiveDate, days: u32, time_zone: Tz, span: Interval) -> Self {
        Self {
            from,
            days,
            time_zone,
            start: span.start,
            end: span.end,
        }
    }
}

/// An interval with its length, and its local times in one zone.
#[derive(Debug, Clone, Serialize)]
pub struct Span {
    /// Start, UTC.
    #[serde(serialize_with = "ser_utc")]
    pub start: Instant,
    /// End, UTC.
    #[serde(serialize_with = "ser_utc")]
    pub end: Instant,
    /// Length in minutes.
    pub minutes: i64,
    /// Start in the zone the report is about (the member's, or the viewer's).
    #[serde(serialize_with = "ser_local")]
    pub local_start: DateTime<Tz>,
    /// End in the same zone.
    #[serde(serialize_with = "ser_local")]
    pub local_end: DateTime<Tz>,
}

impl Span {
    /// `iv` with local times in `tz`.
    pub fn new(iv: Interval, tz: Tz) -> Self {
        Self::between(iv.start, iv.end, tz)
    }

    /// `[start, end)` with local times in `tz` (may be empty, as an async handoff with no wait).
    pub fn between(start: Instant, end: Instant, tz: Tz) -> Self {
        Self {
            start,
            end,
            minutes: (end - start).num_minutes(),
            local_start: start.with_timezone(&tz),
            local_end: end.with_timezone(&tz),
        }
    }

    fn all(set: &IntervalSet, tz: Tz) -> Vec<Span> {
        set.intervals()
            .iter()
            .map(|&iv| Span::new(iv, tz))
            .collect()
    }
}

/// A member's local view of a moment or span, for "both people's local times".
#[derive(Debug, Clone, Serialize)]
pub struct LocalView {
    /// Member name.
    pub name: String,
    /// Member's zone.
    #[serde(serialize_with = "ser_tz")]
    pub time_zone: Tz,
    /// Start in the member's local time.
    #[serde(serialize_with = "ser_local")]
    pub start: DateTime<Tz>,
    /// End in the member's local time.
    #[serde(serialize_with = "ser_local")]
    pub end: DateTime<Tz>,
}

impl LocalView {
    fn new(m: &Member, start: Instant, end: Instant) -> Self {
        Self {
            name: m.name.clone(),
            time_zone: m.time_zone,
            start: start.with_timezone(&m.time_zone),
            end: end.with_timezone(&m.time_zone),
        }
    }
}

/// `hours`: working and focus intervals per member.
#[derive(Debug, Clone, Serialize)]
pub struct HoursReport {
    /// The span covered.
    pub range: RangeReport,
    /// One entry per requested member.
    pub members: Vec<MemberHoursReport>,
}

/// One member's hours; local times are the member's.
#[derive(Debug, Clone, Serialize)]
pub struct MemberHoursReport {
    /// Member name.
    pub name: String,
    /// Member's zone.
    #[serde(serialize_with = "ser_tz")]
    pub time_zone: Tz,
    /// Working intervals, clipped to the range.
    pub working: Vec<Span>,
    /// Focus intervals, clipped to the range.
    pub focus: Vec<Span>,
    /// Busy intervals from the member's calendars (meetings), clipped to the range.
    pub busy: Vec<Span>,
    /// Total working minutes in the range.
    pub working_minutes: i64,
    /// Total focus minutes in the range.
    pub focus_minutes: i64,
}

impl HoursReport {
    /// Builds the report for `members` (team indexes).
    pub fn build(schedule: &TeamSchedule<'_>, range: RangeReport, members: &[usize]) -> Self {
        let members = query::hours(schedule, members)
            .into_iter()
            .map(|h| {
                let m = &schedule.team.members[h.member];
                MemberHoursReport {
                    name: m.name.clone(),
                    time_zone: m.time_zone,
                    working: Span::all(&h.working, m.time_zone),
                    focus: Span::all(&h.focus, m.time_zone),
                    busy: Span::all(&h.busy, m.time_zone),
                    working_minutes: h.working.total().num_minutes(),
                    focus_minutes: h.focus.total().num_minutes(),
                }
            })
            .collect();
        Self { range, members }
    }
}

/// `now`: each member's state at an instant.
#[derive(Debug, Clone, Serialize)]
pub struct NowReport {
    /// The instant asked about.
    #[serde(serialize_with = "ser_utc")]
    pub at: Instant,
    /// How far ahead changes are looked for: a `null` `next_change` means none within this many days.
    pub horizon_days: i64,
    /// One entry per member, in team order.
    pub members: Vec<MemberNowReport>,
}

/// One member's state now.
#[derive(Debug, Clone, Serialize)]
pub struct MemberNowReport {
    /// Member name.
    pub name: String,
    /// Member's zone.
    #[serde(serialize_with = "ser_tz")]
    pub time_zone: Tz,
    /// The member's local time at the instant, in the zone in force (a trip's, during one).
    #[serde(serialize_with = "ser_local")]
    pub local_time: DateTime<Tz>,
    /// The member's UTC offset at the instant, like `+05:45`, in the zone in force.
    pub utc_offset: String,
    /// During a trip, the trip's zone (then in force instead of `time_zone`); absent otherwise.
    #[serde(serialize_with = "ser_opt_tz", skip_serializing_if = "Option::is_none")]
    pub travel_time_zone: Option<Tz>,
    /// Working, in focus, or off.
    pub status: Status,
    /// When the status next changes (within `horizon_days`, a year), UTC.
    #[serde(serialize_with = "ser_opt_utc")]
    pub next_change: Option<Instant>,
    /// The status it changes to.
    pub next_status: Option<Status>,
}

impl NowReport {
    /// Builds the report at `at`.
    pub fn build(team: &Team, at: Instant) -> Self {
        let members = query::now(team, at)
            .into_iter()
            .map(|n| {
                let m = &team.members[n.member];
                let zone = m.zone_at(at);
                MemberNowReport {
                    name: m.name.clone(),
                    time_zone: m.time_zone,
                    local_time: at.with_timezone(&zone),
                    utc_offset: format_offset(offset_at(zone, at)),
                    travel_time_zone: m.trip_at(at).map(|t| t.time_zone),
                    status: n.status,
                    next_change: n.next_change.map(|c| c.0),
                    next_status: n.next_change.map(|c| c.1),
                }
            })
            .collect();
        Self {
            at,
            horizon_days: query::NOW_HORIZON_DAYS,
            members,
        }
    }
}

/// `overlap`: shared windows.
#[derive(Debug, Clone, Serialize)]
pub struct OverlapReport {
    /// The span covered.
    pub range: RangeReport,
    /// The members considered.
    pub members: Vec<String>,
    /// Shortest window reported, minutes.
    pub min_minutes: i64,
    /// `null`: all members; otherwise the minimum number present.
    pub at_least: Option<usize>,
    /// Whether focus blocks counted as available.
    pub include_focus: bool,
    /// Whether calendar busy times counted as available.
    pub include_busy: bool,
    /// `true`: a window ends at every change of who is available, and lists everyone in it. `false`
    /// (an `at_least` answer over more than [`DETAIL_MEMBERS`] members, without `--detail`): windows are
    /// maximal, each listing who is available throughout it, with `min_count` and `max_count`.
    pub detail: bool,
    /// Windows in time order.
    pub windows: Vec<WindowReport>,
    /// The best slot: most members, then soonest; it lists everyone in it.
    pub best: Option<WindowReport>,
}

/// Up to this many members considered, an `at_least` answer cuts its windows at every change of who is
/// available by default (the full detail stays small); beyond it, windows are maximal unless asked.
pub const DETAIL_MEMBERS: usize = 50;

/// One overlap window.
#[derive(Debug, Clone, Serialize)]
pub struct WindowReport {
    /// Start, UTC.
    #[serde(serialize_with = "ser_utc")]
    pub start: Instant,
    /// End, UTC.
    #[serde(serialize_with = "ser_utc")]
    pub end: Instant,
    /// Length in minutes.
    pub minutes: i64,
    /// Who is available throughout.
    pub members: Vec<String>,
    /// Each of them in their own local time.
    pub local: Vec<LocalView>,
    /// The fewest members available at any moment of the window.
    pub min_count: usize,
    /// The most members available at any moment of the window.
    pub max_count: usize,
}

impl OverlapReport {
    /// Builds the report for a query, in full detail when at most [`DETAIL_MEMBERS`] are considered.
    pub fn build(schedule: &TeamSchedule<'_>, range: RangeReport, q: &query::OverlapQuery) -> Self {
        Self::build_detail(schedule, range, q, q.members.len() <= DETAIL_MEMBERS)
    }

    /// Builds the report for a query; `detail` cuts `at_least` windows at every change of who is
    /// available ([`query::overlap()`]) instead of keeping them maximal ([`query::overlap_maximal`]).
    pub fn build_detail(
        schedule: &TeamSchedule<'_>,
        range: RangeReport,
        q: &query::OverlapQuery,
        detail: bool,
    ) -> Self {
        let team = schedule.team;
        let (windows, best) = if detail || q.at_least.is_none() {
            let o = query::overlap(schedule, q);
            let best = o.best.map(|b| o.windows[b].clone());
            (o.windows, best)
        } else {
            let o = query::overlap_maximal(schedule, q);
            (o.windows, o.best)
        };
        let window = |w: &query::OverlapWindow| WindowReport {
            start: w.interval.start,
            end: w.interval.end,
            minutes: w.interval.duration().num_minutes(),
            members: w
                .members
                .iter()
                .map(|&i| team.members[i].name.clone())
                .collect(),
            local: w
                .members
                .iter()
                .map(|&i| LocalView::new(&team.members[i], w.interval.start, w.interval.end))
                .collect(),
            min_count: w.min_count,
            max_count: w.max_count,
        };
        Self {
            range,
            members: q
                .members
                .iter()
                .map(|&i| team.members[i].name.clone())
                .collect(),
            min_minutes: q.min.num_minutes(),
            at_least: q.at_least,
            include_focus: q.include_focus,
            include_busy: q.include_busy,
            detail: detail || q.at_least.is_none(),
            best: best.as_ref().map(window),
            windows: windows.iter().map(window).collect(),
        }
    }
}

/// `handoff`: baton passes from one member to another.
#[derive(Debug, Clone, Serialize)]
pub struct HandoffReport {
    /// The span covered.
    pub range: RangeReport,
    /// The giver.
    pub from: String,
    /// The receiver.
    pub to: String,
    /// Per giver working day, chronological; a day's sync windows best first.
    pub handoffs: Vec<HandoffEntry>,
}

/// One baton pass.
#[derive(Debug, Clone, Serialize)]
pub struct HandoffEntry {
    /// `sync` (they overlap) or `async` (written handover).
    pub kind: HandoffKind,
    /// The giver's local working day.
    pub giver_day: NaiveDate,
    /// Sync: window start. Async: end of the giver's day.
    #[serde(serialize_with = "ser_utc")]
    pub start: Instant,
    /// Sync: window end. Async: start of the receiver's next working period.
    #[serde(serialize_with = "ser_utc")]
    pub end: Instant,
    /// Sync: window length. Async: how long the baton waits.
    pub minutes: i64,
    /// 1 for the day's preferred window (closest to the end of the giver's day).
    pub rank: u32,
    /// The giver's last working hour that day.
    pub giver_last_hour: Interval,
    /// The receiver's working period the handoff lands in.
    pub receiver_period: Interval,
    /// `start`..`end` in the giver's local time.
    pub giver_local: LocalView,
    /// `start`..`end` in the receiver's local time.
    pub receiver_local: LocalView,
}

impl HandoffEntry {
    fn new(team: &Team, from: usize, to: usize, h: &Handoff) -> Self {
        Self {
            kind: h.kind,
            giver_day: h.giver_day,
            start: h.start,
            end: h.end,
            minutes: h.duration().num_minutes(),
            rank: h.rank,
            giver_last_hour: h.giver_last_hour,
            receiver_period: h.receiver_period,
            giver_local: LocalView::new(&team.members[from], h.start, h.end),
            receiver_local: LocalView::new(&team.members[to], h.start, h.end),
        }
    }
}

impl HandoffReport {
    /// Builds the report for a query.
    pub fn build(schedule: &TeamSchedule<'_>, range: RangeReport, q: &query::HandoffQuery) -> Self {
        let team = schedule.team;
        let handoffs = query::handoffs(schedule, q)
            .iter()
            .map(|h| HandoffEntry::new(team, q.from, q.to, h))
            .collect();
        Self {
            range,
            from: team.members[q.from].name.clone(),
            to: team.members[q.to].name.clone(),
            handoffs,
        }
    }
}

/// `relay`: the follow-the-sun view.
#[derive(Debug, Clone, Serialize)]
pub struct RelayReport {
    /// The span covered.
    pub range: RangeReport,
    /// Members in relay order (each hands to the next, the last to the first).
    pub order: Vec<String>,
    /// Each day's chain of handoffs, by the viewer's local date of the handoff's start; a pass after the
    /// range is listed under its last day. Only days of the range appear.
    pub days: Vec<RelayDayReport>,
    /// When nobody in the relay is working.
    pub gaps: Vec<Span>,
    /// Hours in the range with somebody working.
    pub covered_hours: f64,
    /// The same scaled to a 168-hour week.
    pub covered_hours_per_week: f64,
}

/// One day of the relay.
#[derive(Debug, Clone, Serialize)]
pub struct RelayDayReport {
    /// The viewer's local date.
    pub date: NaiveDate,
    /// The day's handoffs, in time order.
    pub links: Vec<RelayLinkReport>,
}

/// One link of a day's chain.
#[derive(Debug, Clone, Serialize)]
pub struct RelayLinkReport {
    /// Giver.
    pub from: String,
    /// Receiver.
    pub to: String,
    /// The handoff.
    #[serde(flatten)]
    pub handoff: HandoffEntry,
}

impl RelayReport {
    /// Builds the report for a query.
    pub fn build(schedule: &TeamSchedule<'_>, range: RangeReport, q: &query::RelayQuery) -> Self {
        let team = schedule.team;
        let viewer = range.time_zone;
        let relay = query::relay(schedule, q);
        let first = range.from;
        let last = first
            .checked_add_days(chrono::Days::new(u64::from(range.days.saturating_sub(1))))
            .unwrap_or(first);
        let mut days: Vec<RelayDayReport> = Vec::new();
        for l in &relay.links {
            // The day the baton passes; a pass after the range (an async one at the end of a working day
            // that runs past its end) stays under the range's last day, which that working day reaches.
            let date = l
                .handoff
                .start
                .with_timezone(&viewer)
                .date_naive()
                .clamp(first, last);
            let link = RelayLinkReport {
                from: team.members[l.from].name.clone(),
                to: team.members[l.to].name.clone(),
                handoff: HandoffEntry::new(team, l.from, l.to, &l.handoff),
            };
            match days.last_mut() {
                Some(d) if d.date == date => d.links.push(link),
                _ => days.push(RelayDayReport {
                    date,
                    links: vec![link],
                }),
            }
        }
        Self {
            range,
            order: relay
                .order
                .iter()
                .map(|&i| team.members[i].name.clone())
                .collect(),
            days,
            gaps: Span::all(&relay.gaps, viewer),
            covered_hours: round2(relay.covered.num_seconds() as f64 / 3600.0),
            covered_hours_per_week: round2(relay.covered_hours_per_week),
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `relay --forecast`: the coverage gaps of the coming weeks (see [`crate::query::forecast`]).
#[derive(Debug, Clone, Serialize)]
pub struct ForecastReport {
    /// The instant the forecast starts at, UTC.
    #[serde(serialize_with = "ser_utc")]
    pub from: Instant,
    /// How many days it covers.
    pub days: u32,
    /// The gaps, in time order.
    pub gaps: Vec<crate::query::CoverageGap>,
}

/// `holidays`: one region's public holidays in a year.
#[derive(Debug, Clone, Serialize)]
pub struct HolidaysReport {
    /// The region, canonical (`DE-BY`).
    pub region: String,
    /// The country's English name, when the data has it.
    pub country: Option<String>,
    /// The year listed.
    pub year: i32,
    /// The holidays, in date order.
    pub holidays: Vec<HolidayEntry>,
}

/// One public holiday.
#[derive(Debug, Clone, Serialize)]
pub struct HolidayEntry {
    /// The local date.
    pub date: NaiveDate,
    /// Its name, in English.
    pub name: String,
}
