//! What the desktop app shows: one serialisable payload per view, computed here from the team, the
//! focus sessions and a `now` passed in, so the shell stays a thin, clock-free adapter and every view is
//! testable at any instant.
//!
//! Instants cross to the UI as RFC 3339 UTC strings ending in `Z`; the UI formats them in any zone with
//! `Intl.DateTimeFormat`. Local day boundaries are computed here (with the one compatible rule), so a DST
//! day arrives with its real 23 or 25 hours. The TypeScript types of these payloads are generated with
//! ts-rs into `ui/src/bindings.ts` (see `tests/it/bindings.rs`).

use chrono::{Datelike, Duration, Timelike};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::focus::{self, FocusLength, FocusSession};
use crate::interval::{format_utc, Instant, Interval, IntervalSet};
use crate::query::{self, HandoffKind, HandoffQuery, RelayQuery, Status};
use crate::schedule::TeamSchedule;
use crate::spec::DateRange;
use crate::team::{MemberFile, Problem, Team, TeamFile};
use crate::time::{local_days_span, parse_time_zone, start_of_day};

/// Shortest shared window that counts as a live handoff in the app (as in the CLI).
const MIN_SYNC_MINUTES: i64 = 15;

/// A span of time, UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct Block {
    /// Start, RFC 3339 UTC.
    pub start: String,
    /// End (exclusive), RFC 3339 UTC.
    pub end: String,
}

impl From<Interval> for Block {
    fn from(iv: Interval) -> Self {
        Block {
            start: format_utc(iv.start),
            end: format_utc(iv.end),
        }
    }
}

fn blocks(set: &IntervalSet) -> Vec<Block> {
    set.intervals().iter().map(|&iv| iv.into()).collect()
}

/// A member's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "bindings.ts")]
pub enum Presence {
    /// In working hours, not in focus.
    Working,
    /// In a scheduled focus block or an on-demand session.
    Focus,
    /// Outside working hours.
    Off,
}

impl From<Status> for Presence {
    fn from(s: Status) -> Self {
        match s {
            Status::Working => Presence::Working,
            Status::Focus => Presence::Focus,
            Status::Off => Presence::Off,
        }
    }
}

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
    /// With no working hours in the range: when the member is next working after it (within a year);
    /// `None` when they work in the range or have no hours in the year after it.
    pub back: Option<String>,
}

/// A baton pass between two teammates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct HandoffWindow {
    /// `sync` (both working) or `async` (written; the baton waits).
    #[ts(type = "\"sync\" | \"async\"")]
    pub kind: String,
    /// The giver.
    pub from: String,
    /// The giver's zone.
    pub from_time_zone: String,
    /// The receiver.
    pub to: String,
    /// The receiver's zone.
    pub to_time_zone: String,
    /// Sync: start of the shared window. Async: the end of the giver's day.
    pub start: String,
    /// Sync: end of the shared window. Async: when the receiver starts.
    pub end: String,
    /// Length of the window (sync) or of the wait (async), in minutes.
    pub minutes: i64,
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
}

/// A teammate right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct PresenceRow {
    /// Member name.
    pub name: String,
    /// IANA zone.
    pub time_zone: String,
    /// Whether this is me.
    pub is_me: bool,
    /// State now.
    pub presence: Presence,
    /// When that changes; `None`: not within a year ([`query::NOW_HORIZON_DAYS`]), which for someone
    /// off means no working hours in the next year.
    pub until: Option<String>,
}

/// The next baton pass from me.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct NextHandoff {
    /// The window.
    pub window: HandoffWindow,
    /// When to hand over: the start of a sync window or of my last working hour before an async one.
    pub at: String,
}

/// My focus state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct FocusView {
    /// An on-demand session is running.
    pub session: bool,
    /// When it ends.
    pub session_ends: Option<String>,
    /// Whole minutes left, rounded up.
    pub minutes_left: Option<i64>,
    /// A scheduled focus block is on now.
    pub scheduled: bool,
    /// End of my current working period ("Focus until …"), when I am working.
    pub end_of_day: Option<String>,
    /// Focus time protected this week (Monday to Sunday in my zone), in minutes.
    pub protected_minutes_this_week: i64,
}

/// Who is where now: the compact overlay and the tray.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct OverlayView {
    /// The instant it was computed for.
    pub now: String,
    /// My zone (UTC when the team has no `me`).
    pub time_zone: String,
    /// My state, with on-demand focus taken into account.
    pub me: Option<PresenceRow>,
    /// Every teammate, in team order.
    pub members: Vec<PresenceRow>,
    /// My next baton pass, if any in the coming week.
    pub next_handoff: Option<NextHandoff>,
    /// My focus.
    pub focus: FocusView,
}

/// The handoffs view: mine for the coming days, and the team's relay.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct HandoffsView {
    /// My zone, which gaps are shown in (UTC when the team has no `me`).
    pub time_zone: String,
    /// Me.
    pub me: Option<String>,
    /// Who I hand to.
    pub next: Option<String>,
    /// My baton passes, soonest first.
    pub mine: Vec<HandoffWindow>,
    /// The relay order, east to west.
    pub order: Vec<String>,
    /// The relay's passes, each day's best, in time order.
    pub relay: Vec<HandoffWindow>,
    /// Times nobody works.
    pub gaps: Vec<Block>,
    /// Covered hours scaled to a week.
    pub covered_hours_per_week: f64,
}

/// An error as it crosses IPC: a code the UI acts on, a message for people, and per-field problems for
/// the editor's inline messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct ErrorPayload {
    /// `invalid` (see `problems`), `not_found`, `focus` (a focus session cannot start) or `storage`;
    /// the intake API also answers `malformed` (not JSON), `forbidden`, `unauthorized`,
    /// `unsupported_media_type`, `too_large` and `rate_limited`.
    pub code: String,
    /// What went wrong and what to do.
    pub message: String,
    /// For `invalid`: each bad field.
    pub problems: Vec<FieldProblem>,
}

/// One invalid field, for an inline message in the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct FieldProblem {
    /// The field: `name`, `time_zone`, `hours[1]`, `focus[0]`, `days_off[2]`, `me`.
    pub field: String,
    /// What is wrong and what is valid.
    pub message: String,
    /// For an unknown time zone, the closest valid names.
    pub suggestions: Vec<String>,
}

impl FieldProblem {
    /// A problem with `field`, with no suggestions.
    pub fn new(field: &str, message: &str) -> FieldProblem {
        FieldProblem {
            field: field.into(),
            message: message.into(),
            suggestions: vec![],
        }
    }
}

impl From<Problem> for FieldProblem {
    fn from(p: Problem) -> Self {
        FieldProblem {
            field: p.field,
            message: p.message,
            suggestions: p.suggestions,
        }
    }
}

/// A teammate as the editor edits it: the team file's fields, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct MemberDraft {
    /// Name.
    pub name: String,
    /// IANA zone.
    pub time_zone: String,
    /// Weekly hours, one spec per entry.
    pub hours: Vec<String>,
    /// Weekly focus blocks.
    pub focus: Vec<String>,
    /// Days off and ranges.
    pub days_off: Vec<String>,
}

impl From<MemberFile> for MemberDraft {
    fn from(m: MemberFile) -> Self {
        MemberDraft {
            name: m.name,
            time_zone: m.time_zone,
            hours: m.hours,
            focus: m.focus,
            days_off: m.days_off,
        }
    }
}

/// The team as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct TeamDraft {
    /// Team name.
    pub name: String,
    /// Me.
    pub me: Option<String>,
    /// Members in order.
    pub members: Vec<MemberDraft>,
}

impl From<&Team> for TeamDraft {
    fn from(team: &Team) -> Self {
        let file = team.to_file();
        TeamDraft {
            name: file.name,
            me: file.me,
            members: file.members.into_iter().map(Into::into).collect(),
        }
    }
}

/// One setting as the settings view shows it (see [`crate::settings::SETTINGS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct SettingRow {
    /// The key, e.g. `focus_shortcut`.
    pub key: String,
    /// The stored value; `None` when the user never set it (or reset it) and the default applies.
    pub value: Option<String>,
    /// The value in force: the stored one, else the default.
    pub effective: String,
    /// The default.
    pub default: String,
    /// What it does and which values are valid.
    pub description: String,
    /// Read once when Baton starts, so a change applies at the next start.
    pub next_start: bool,
}

/// How a program reaches the notification intake: where to post and with which token.
#[derive(Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct IntakeView {
    /// `POST` notifications here: the loopback URL at the configured port (a changed port applies at
    /// the next start).
    pub url: String,
    /// The file holding the token.
    pub token_file: String,
    /// The bearer token.
    pub token: String,
}

impl std::fmt::Debug for IntakeView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Like the token itself, never in a log.
        f.debug_struct("IntakeView")
            .field("url", &self.url)
            .field("token_file", &self.token_file)
            .finish_non_exhaustive()
    }
}

/// The team with `draft` saved: replacing the member named `original` (case-insensitively), or added at
/// the end when `original` is `None`. Every problem of the draft comes back, field by field.
pub fn save_member(
    team: &Team,
    original: Option<&str>,
    draft: MemberDraft,
) -> Result<Team, Vec<FieldProblem>> {
    let mut file: TeamFile = team.to_file();
    let member = MemberFile {
        name: draft.name.trim().to_string(),
        time_zone: draft.time_zone.trim().to_string(),
        hours: non_blank(draft.hours),
        focus: non_blank(draft.focus),
        days_off: non_blank(draft.days_off),
    };
    let renamed_me = match original {
        Some(old) => {
            let Some(i) = file
                .members
                .iter()
                .position(|m| m.name.eq_ignore_ascii_case(old))
            else {
                return Err(vec![FieldProblem {
                    field: "name".into(),
                    message: format!("there is no teammate named '{old}' any more"),
                    suggestions: vec![],
                }]);
            };
            file.members[i] = member.clone();
            file.me
                .as_deref()
                .is_some_and(|me| me.eq_ignore_ascii_case(old))
        }
        None => {
            file.members.push(member.clone());
            false
        }
    };
    if renamed_me {
        file.me = Some(member.name.clone());
    }
    file.validate(None).map_err(|problems| {
        problems
            .into_iter()
            .filter(|p| p.member.as_deref() == Some(member.name.as_str()) || p.member.is_none())
            .map(FieldProblem::from)
            .collect()
    })
}

/// The team without the member named `name`. Removing `me` clears `me`.
pub fn remove_member(team: &Team, name: &str) -> Result<Team, FieldProblem> {
    let mut file = team.to_file();
    let before = file.members.len();
    file.members.retain(|m| !m.name.eq_ignore_ascii_case(name));
    if file.members.len() == before {
        return Err(FieldProblem {
            field: "name".into(),
            message: format!("there is no teammate named '{name}'"),
            suggestions: vec![],
        });
    }
    if file
        .me
        .as_deref()
        .is_some_and(|me| me.eq_ignore_ascii_case(name))
    {
        file.me = None;
    }
    file.validate(None)
        .map_err(|mut p| FieldProblem::from(p.remove(0)))
}

fn non_blank(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// My zone: the `me` member's, else UTC.
pub fn my_zone(team: &Team) -> Tz {
    team.me().map_or(Tz::UTC, |m| m.time_zone)
}

/// The teammate I hand to: the next in the east-to-west relay after me.
pub fn next_teammate(team: &Team, at: Instant) -> Option<usize> {
    let me = team.me_index()?;
    if team.members.len() < 2 {
        return None;
    }
    let order = query::relay_order(team, at);
    let k = order.iter().position(|&i| i == me)?;
    Some(order[(k + 1) % order.len()])
}

fn window(team: &Team, h: &query::Handoff, from: usize, to: usize) -> HandoffWindow {
    HandoffWindow {
        kind: match h.kind {
            HandoffKind::Sync => "sync",
            HandoffKind::Async => "async",
        }
        .into(),
        from: team.members[from].name.clone(),
        from_time_zone: team.members[from].time_zone.name().into(),
        to: team.members[to].name.clone(),
        to_time_zone: team.members[to].time_zone.name().into(),
        start: format_utc(h.start),
        end: format_utc(h.end),
        minutes: h.duration().num_minutes(),
    }
}

fn handoff_query(from: usize, to: usize) -> HandoffQuery {
    HandoffQuery {
        from,
        to,
        min_sync: Duration::minutes(MIN_SYNC_MINUTES),
        include_focus: false,
    }
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
            let off: IntervalSet = m
                .days_off
                .iter()
                .map(|r| {
                    let days = (r.last - r.first).num_days() + 1;
                    local_days_span(
                        m.time_zone,
                        r.first,
                        u32::try_from(days).unwrap_or(u32::MAX),
                    )
                })
                .collect();
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
    })
}

/// The Monday-to-Sunday week containing `now` in `tz`.
fn week_of(tz: Tz, now: Instant) -> Interval {
    let today = now.with_timezone(&tz).date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    local_days_span(tz, monday, 7)
}

/// Focus state at `now`; `sessions` must include those of the current week.
pub fn focus_view(team: &Team, sessions: &[FocusSession], now: Instant) -> FocusView {
    let tz = my_zone(team);
    let week = week_of(tz, now);
    let schedule = TeamSchedule::build(
        team,
        Interval {
            start: week.start.min(now),
            end: week.end.max(now + Duration::days(1)),
        },
        Duration::zero(),
    );
    let me = team.me_index();
    let session = sessions.iter().find(|s| s.is_active(now));
    let scheduled = me.is_some_and(|i| {
        let m = &schedule.members[i];
        m.focus.contains(now) && m.working.contains(now)
    });
    let end_of_day = focus::focus_end(&schedule, now, FocusLength::UntilEndOfDay).ok();
    FocusView {
        session: session.is_some(),
        session_ends: session.map(|s| format_utc(s.end())),
        minutes_left: session.map(|s| {
            let secs = (s.end() - now).num_seconds();
            (secs + 59) / 60
        }),
        scheduled,
        end_of_day: end_of_day.map(format_utc),
        protected_minutes_this_week: focus::protected_time(&schedule, sessions, week).num_minutes(),
    }
}

/// Everyone's state now, my next handoff and my focus: the overlay and the tray.
pub fn overlay(team: &Team, sessions: &[FocusSession], now: Instant) -> OverlayView {
    let me = team.me_index();
    let focus = focus_view(team, sessions, now);
    let states = query::now(team, now);
    let members: Vec<PresenceRow> = states
        .iter()
        .map(|s| {
            let m = &team.members[s.member];
            let mut presence = Presence::from(s.status);
            let mut until = s.next_change.map(|(t, _)| t);
            if Some(s.member) == me && focus.session && presence != Presence::Off {
                presence = Presence::Focus;
                until = sessions
                    .iter()
                    .find(|f| f.is_active(now))
                    .map(FocusSession::end);
            }
            PresenceRow {
                name: m.name.clone(),
                time_zone: m.time_zone.name().into(),
                is_me: Some(s.member) == me,
                presence,
                until: until.map(format_utc),
            }
        })
        .collect();
    OverlayView {
        now: format_utc(now),
        time_zone: my_zone(team).name().into(),
        me: me.and_then(|i| members.get(i).cloned()),
        members,
        next_handoff: next_handoff(team, now),
        focus,
    }
}

/// My next baton pass after `now` within a week: a sync window still open, or an async one whose giver
/// hour has not passed, chosen by [`query::upcoming_handoff`].
pub fn next_handoff(team: &Team, now: Instant) -> Option<NextHandoff> {
    let me = team.me_index()?;
    let next = next_teammate(team, now)?;
    let span = Interval {
        start: now - Duration::days(1),
        end: now + Duration::days(7),
    };
    let schedule = TeamSchedule::build(team, span, Duration::days(7));
    let found = query::handoffs(&schedule, &handoff_query(me, next));
    let h = query::upcoming_handoff(&found, now)?;
    let at = match h.kind {
        HandoffKind::Sync => h.start,
        HandoffKind::Async => h.giver_last_hour.start,
    };
    Some(NextHandoff {
        window: window(team, h, me, next),
        at: format_utc(at.max(now)),
    })
}

/// My handoffs and the team's relay for `days` days from today in my zone.
pub fn handoffs(team: &Team, now: Instant, days: u32) -> HandoffsView {
    let tz = my_zone(team);
    let today = now.with_timezone(&tz).date_naive();
    let span = local_days_span(tz, today, days.clamp(1, 14));
    let schedule = TeamSchedule::build(team, span, Duration::days(7));
    let me = team.me_index();
    let next = next_teammate(team, now);
    let mine = match (me, next) {
        (Some(a), Some(b)) => query::handoffs(&schedule, &handoff_query(a, b))
            .iter()
            .filter(|h| h.rank == 1)
            .map(|h| window(team, h, a, b))
            .collect(),
        _ => vec![],
    };
    let relay = query::relay(
        &schedule,
        &RelayQuery {
            order: None,
            min_sync: Duration::minutes(MIN_SYNC_MINUTES),
            include_focus: false,
        },
    );
    HandoffsView {
        time_zone: tz.name().into(),
        me: me.map(|i| team.members[i].name.clone()),
        next: next.map(|i| team.members[i].name.clone()),
        mine,
        order: relay
            .order
            .iter()
            .map(|&i| team.members[i].name.clone())
            .collect(),
        relay: relay
            .links
            .iter()
            .map(|l| window(team, &l.handoff, l.from, l.to))
            .collect(),
        gaps: blocks(&relay.gaps),
        covered_hours_per_week: (relay.covered_hours_per_week * 10.0).round() / 10.0,
    }
}

/// The tray's icon and menu labels, computed from the overlay state at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayMenu {
    /// Which icon to show.
    pub icon: Presence,
    /// The first, informational line: "Working · 14:05", "In focus until 15:00", "Off hours · 21:40",
    /// "Off · back Mon 06 Apr 09:00" (a day or more away), "Off · no working hours in the next year".
    pub status: String,
    /// While a session runs: "Stop focus (N min left)".
    pub stop_focus: Option<String>,
    /// "Focus until 17:30" when I am working (the end of my working period).
    pub focus_until: Option<String>,
    /// "Next handoff: Kenji, 17:30 (in 2 h)", or "No handoff this week".
    pub next_handoff: String,
}

/// `t` as HH:MM in `tz`.
fn clock(t: Instant, tz: Tz) -> String {
    t.with_timezone(&tz).format("%H:%M").to_string()
}

fn parse_instant(s: &str) -> Option<Instant> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.to_utc())
}

/// "in 5 min", "in 1 h 20 min", "in 3 h", "in 2 days": how far `t` is from `now`, rounded up to the
/// minute, coarser as it gets further.
pub fn relative(now: Instant, t: Instant) -> String {
    let minutes = ((t - now).num_seconds().max(0) + 59) / 60;
    match minutes {
        0 => "now".into(),
        1..=59 => format!("in {minutes} min"),
        60..=119 if minutes % 60 != 0 => format!("in 1 h {} min", minutes % 60),
        60..=2879 => format!("in {} h", (minutes + 30) / 60),
        _ => format!("in {} days", (minutes + 720) / 1440),
    }
}

/// The tray for `view` (computed at `now`).
pub fn tray_menu(view: &OverlayView, now: Instant) -> TrayMenu {
    let tz = parse_time_zone(&view.time_zone).unwrap_or(Tz::UTC);
    let presence = view.me.as_ref().map_or(Presence::Off, |m| m.presence);
    let until = view
        .me
        .as_ref()
        .and_then(|m| m.until.as_deref())
        .and_then(parse_instant);
    let status = match (presence, until) {
        (Presence::Focus, Some(u)) => format!("In focus until {}", clock(u, tz)),
        (Presence::Focus, None) => "In focus".into(),
        (Presence::Working, _) => format!("Working · {}", clock(now, tz)),
        (Presence::Off, None) => "Off · no working hours in the next year".into(),
        (Presence::Off, Some(u)) if u - now >= Duration::days(1) => format!(
            "Off · back {}",
            u.with_timezone(&tz).format("%a %d %b %H:%M")
        ),
        (Presence::Off, _) => format!("Off hours · {}", clock(now, tz)),
    };
    let stop_focus = view
        .focus
        .minutes_left
        .filter(|_| view.focus.session)
        .map(|m| format!("Stop focus ({m} min left)"));
    let focus_until = view
        .focus
        .end_of_day
        .as_deref()
        .and_then(parse_instant)
        .map(|t| format!("Focus until {}", clock(t, tz)));
    let next_handoff = view
        .next_handoff
        .as_ref()
        .and_then(|h| Some((h, parse_instant(&h.at)?)))
        .map_or_else(
            || "No handoff this week".to_string(),
            |(h, at)| match parse_instant(&h.window.end) {
                Some(end) if at <= now && h.window.kind == "sync" => {
                    format!("Handoff now: {}, until {}", h.window.to, clock(end, tz))
                }
                _ => format!(
                    "Next handoff: {}, {} ({})",
                    h.window.to,
                    clock(at, tz),
                    relative(now, at)
                ),
            },
        );
    TrayMenu {
        icon: presence,
        status,
        stop_focus,
        focus_until,
        next_handoff,
    }
}

/// The tray's line about held notifications: "No notifications held", "1 notification held",
/// "12 notifications held".
pub fn held_label(held: usize) -> String {
    match held {
        0 => "No notifications held".into(),
        1 => "1 notification held".into(),
        n => format!("{n} notifications held"),
    }
}

/// The next instant at which anything in `view` (computed at `now`) changes on its own: a teammate's
/// state, a focus session's end, my next handoff, and (while a session runs) the next whole minute for its
/// countdown. The app's scheduler sleeps until then.
pub fn next_wakeup(view: &OverlayView, now: Instant) -> Option<Instant> {
    let mut candidates: Vec<Instant> = view
        .members
        .iter()
        .filter_map(|m| m.until.as_deref().and_then(parse_instant))
        .collect();
    if view.focus.session {
        candidates.extend(view.focus.session_ends.as_deref().and_then(parse_instant));
        let into_minute = i64::from(now.second());
        candidates
            .push(now.with_nanosecond(0).unwrap_or(now) + Duration::seconds(60 - into_minute));
    }
    candidates.extend(
        view.next_handoff
            .as_ref()
            .and_then(|h| parse_instant(&h.at)),
    );
    candidates.into_iter().filter(|&t| t > now).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_label_counts_in_words() {
        assert_eq!(held_label(0), "No notifications held");
        assert_eq!(held_label(1), "1 notification held");
        assert_eq!(held_label(12), "12 notifications held");
    }
    use chrono::{TimeZone, Utc};

    fn team() -> Team {
        Team::from_toml_str(
            r#"
name = "T"
me = "Ana"
[[members]]
name = "Ana"
time_zone = "Europe/London"
hours = ["mon-fri 09:00-17:00"]
focus = ["mon 09:00-11:00"]
days_off = ["2026-03-31"]
[[members]]
name = "Bo"
time_zone = "America/New_York"
hours = ["mon-fri 09:00-17:00"]
"#,
            "t.toml",
        )
        .unwrap()
    }

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
    fn focus_session_shows_in_overlay_and_sets_the_wakeup() {
        let t = team();
        // Tuesday 31 March is Ana's day off; use Wednesday 1 April 2026, 12:00:30 BST (11:00:30 UTC).
        let now = Utc.with_ymd_and_hms(2026, 4, 1, 11, 0, 30).unwrap();
        let session = FocusSession {
            id: 1,
            started_at: now,
            ends_at: now + Duration::minutes(25),
            stopped_at: None,
        };
        let v = overlay(&t, &[session], now);
        let me = v.me.clone().unwrap();
        assert_eq!(me.presence, Presence::Focus);
        assert_eq!(v.focus.minutes_left, Some(25));
        assert_eq!(v.focus.end_of_day.as_deref(), Some("2026-04-01T16:00:00Z"));
        assert_eq!(
            next_wakeup(&v, now),
            Some(Utc.with_ymd_and_hms(2026, 4, 1, 11, 1, 0).unwrap()),
            "the countdown ticks on the next whole minute"
        );
        // Without a session the next event is Bo's day starting at 09:00 EDT, 13:00 UTC.
        assert_eq!(
            next_wakeup(&overlay(&t, &[], now), now),
            Some(Utc.with_ymd_and_hms(2026, 4, 1, 13, 0, 0).unwrap())
        );
    }

    #[test]
    fn tray_labels() {
        let t = team();
        let now = Utc.with_ymd_and_hms(2026, 4, 1, 11, 0, 30).unwrap();
        let idle = tray_menu(&overlay(&t, &[], now), now);
        assert_eq!(idle.icon, Presence::Working);
        assert_eq!(idle.status, "Working · 12:00");
        assert_eq!(idle.focus_until.as_deref(), Some("Focus until 17:00"));
        assert_eq!(idle.stop_focus, None);
        // Ana (London) hands to Bo (New York) in the shared window from 13:00 UTC = 14:00 BST.
        assert_eq!(idle.next_handoff, "Next handoff: Bo, 14:00 (in 2 h)");
        let session = FocusSession {
            id: 1,
            started_at: now,
            ends_at: now + Duration::minutes(50),
            stopped_at: None,
        };
        let busy = tray_menu(&overlay(&t, &[session], now), now);
        assert_eq!(busy.icon, Presence::Focus);
        assert_eq!(busy.status, "In focus until 12:50");
        assert_eq!(busy.stop_focus.as_deref(), Some("Stop focus (50 min left)"));
        assert_eq!(relative(now, now + Duration::minutes(80)), "in 1 h 20 min");
        // Inside the shared window (14:00-17:00 BST) the pass is live.
        let during = Utc.with_ymd_and_hms(2026, 4, 1, 14, 0, 0).unwrap();
        assert_eq!(
            tray_menu(&overlay(&t, &[], during), during).next_handoff,
            "Handoff now: Bo, until 17:00"
        );
        assert_eq!(relative(now, now + Duration::hours(50)), "in 2 days");
    }

    #[test]
    fn tray_and_calendar_give_a_far_return_and_the_horizon() {
        // Ana (London) is off from Thursday 2 April to Friday 17 April 2026: back Monday 20 April at
        // 09:00 BST, 08:00Z, 18 days after Wednesday 1 April 18:00 BST.
        let mut file = team().to_file();
        file.members[0].days_off = vec!["2026-04-02..2026-04-17".into()];
        let t = file.validate(None).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 4, 1, 17, 0, 0).unwrap();
        let v = overlay(&t, &[], now);
        assert_eq!(
            v.me.as_ref().unwrap().until.as_deref(),
            Some("2026-04-20T08:00:00Z")
        );
        assert_eq!(tray_menu(&v, now).status, "Off · back Mon 20 Apr 09:00");
        let cal = calendar(&t, &[], now, Some("2026-04-06"), 7, None).unwrap();
        assert_eq!(cal.members[0].back.as_deref(), Some("2026-04-20T08:00:00Z"));
        assert_eq!(cal.members[1].back, None, "Bo works that week");
        // With no hours at all there is no return within the horizon.
        file.members[0].hours = vec![];
        file.members[0].focus = vec![];
        let t = file.validate(None).unwrap();
        let v = overlay(&t, &[], now);
        assert_eq!(v.me.as_ref().unwrap().until, None);
        assert_eq!(
            tray_menu(&v, now).status,
            "Off · no working hours in the next year"
        );
    }

    #[test]
    fn editor_saves_renames_and_reports_fields() {
        let t = team();
        let mut draft: MemberDraft = t.to_file().members[0].clone().into();
        draft.name = "Ana B".into();
        let saved = save_member(&t, Some("ana"), draft.clone()).unwrap();
        assert_eq!(saved.me.as_deref(), Some("Ana B"), "renaming me keeps me");
        draft.time_zone = "Europe/Lodnon".into();
        draft.hours = vec!["mon-fri 09:00-17:00".into(), "funday 10-12".into()];
        let problems = save_member(&t, Some("Ana"), draft).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["time_zone", "hours[1]"]);
        assert!(problems[0]
            .suggestions
            .contains(&"Europe/London".to_string()));
        let dup = MemberDraft {
            name: "bo".into(),
            time_zone: "UTC".into(),
            hours: vec![],
            focus: vec![],
            days_off: vec![],
        };
        assert_eq!(save_member(&t, None, dup).unwrap_err()[0].field, "name");
        let without = remove_member(&t, "Ana").unwrap();
        assert_eq!(without.me, None);
        assert_eq!(remove_member(&t, "Zed").unwrap_err().field, "name");
    }
}
