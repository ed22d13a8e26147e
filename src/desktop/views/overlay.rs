//! Who is where now: every teammate's state and when it changes, my focus, and my next handoff; the
//! compact overlay and the tray show this one payload. [`next_wakeup`] says when it next changes on its
//! own, so the shell sleeps until then instead of polling.

use chrono::{Duration, Timelike};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use super::{
    coverage_gaps, my_zone, next_handoff, parse_instant, CoverageGapView, NextHandoff, Presence,
    WARNING_DAYS,
};
use crate::query;
use crate::team::focus::{self, FocusLength, FocusSession};
use crate::team::schedule::TeamSchedule;
use crate::team::Team;
use crate::time::interval::{format_utc, Instant, Interval};
use crate::time::local_days_span;
use crate::time::locale::TimeLocale;

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
    /// Focus time protected this week (from the person's first day of the week, in my zone), in minutes.
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
    /// The first coverage gap of the coming week that a normal week does not have, for the tray's
    /// warning line.
    pub coverage_warning: Option<CoverageGapView>,
    /// While I am in a meeting of my calendars (working or not): when it ends, RFC 3339 UTC.
    pub meeting_until: Option<String>,
    /// A calendar that could not be read at its last check ("Work (CalDAV): the server refused the
    /// user name or password"), for the tray's warning line; the last good copy stays in use.
    pub calendar_error: Option<String>,
}

/// The week containing `now` in `tz`, from the person's first day of the week (this process's
/// [`TimeLocale::current`]: the locale's, or the `week_start` setting), as the week views count it.
fn week_of(tz: Tz, now: Instant) -> Interval {
    week_from(tz, now, TimeLocale::current().week_start)
}

/// The week containing `now` in `tz` that begins on `first`.
fn week_from(tz: Tz, now: Instant, first: chrono::Weekday) -> Interval {
    let today = now.with_timezone(&tz).date_naive();
    local_days_span(tz, crate::query::week::week_start(today, first), 7)
}

/// The team at one instant, expanded once for everything the overlay and the focus actions read then:
/// my focus (this week), my next handoff (the coming week, with a week's look-ahead) and when a new
/// session ends (the next two days).
///
/// A request builds one `Moment` and hands it down, so it loads the team once and expands it once; each
/// reader takes a [`TeamSchedule::within`] cut of the range it always used, so every answer is the one
/// a separate expansion of that range gave.
#[derive(Debug, Clone)]
pub struct Moment<'a> {
    /// The team.
    pub team: &'a Team,
    /// The instant.
    pub now: Instant,
    /// The team expanded over every range below.
    schedule: TeamSchedule<'a>,
}

impl<'a> Moment<'a> {
    /// Expands `team` once over every range read at `now`.
    pub fn new(team: &'a Team, now: Instant) -> Moment<'a> {
        let ranges = [
            focus_range(team, now),
            next_handoff_range(now),
            start_focus_range(now),
        ];
        let start = ranges.iter().map(|(span, _)| span.start).min();
        let end = ranges.iter().map(|(span, ahead)| span.end + *ahead).max();
        let all = Interval {
            start: start.unwrap_or(now),
            end: end.unwrap_or(now),
        };
        Moment {
            team,
            now,
            schedule: TeamSchedule::build(team, all, Duration::zero()),
        }
    }

    /// The week of my focus view (and at least the day ahead).
    pub fn focus_schedule(&self) -> TeamSchedule<'a> {
        let (span, ahead) = focus_range(self.team, self.now);
        self.schedule.within(span, ahead)
    }

    /// From a day ago to a week ahead, with a week's look-ahead for an async pass near its end.
    pub fn next_handoff_schedule(&self) -> TeamSchedule<'a> {
        let (span, ahead) = next_handoff_range(self.now);
        self.schedule.within(span, ahead)
    }

    /// From a day ago to two days ahead: where a session started now ends.
    pub fn start_focus_schedule(&self) -> TeamSchedule<'a> {
        let (span, ahead) = start_focus_range(self.now);
        self.schedule.within(span, ahead)
    }
}

fn focus_range(team: &Team, now: Instant) -> (Interval, Duration) {
    let week = week_of(my_zone(team), now);
    let span = Interval {
        start: week.start.min(now),
        end: week.end.max(now + Duration::days(1)),
    };
    (span, Duration::zero())
}

fn next_handoff_range(now: Instant) -> (Interval, Duration) {
    let span = Interval {
        start: now - Duration::days(1),
        end: now + Duration::days(7),
    };
    (span, Duration::days(7))
}

fn start_focus_range(now: Instant) -> (Interval, Duration) {
    let span = Interval {
        start: now - Duration::days(1),
        end: now + Duration::days(2),
    };
    (span, Duration::zero())
}

/// Focus state at `now`; `sessions` must include those of the current week.
pub fn focus_view(team: &Team, sessions: &[FocusSession], now: Instant) -> FocusView {
    focus_view_at(&Moment::new(team, now), sessions)
}

/// [`focus_view`] at `moment`.
pub fn focus_view_at(moment: &Moment<'_>, sessions: &[FocusSession]) -> FocusView {
    let (team, now) = (moment.team, moment.now);
    let week = week_of(my_zone(team), now);
    let schedule = moment.focus_schedule();
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
    overlay_at(&Moment::new(team, now), sessions)
}

/// [`overlay`] at `moment`, with `sessions` those of the week around it.
pub fn overlay_at(moment: &Moment<'_>, sessions: &[FocusSession]) -> OverlayView {
    let (team, now) = (moment.team, moment.now);
    let me = team.me_index();
    let focus = focus_view_at(moment, sessions);
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
                time_zone: m.zone_at(now).name().into(),
                is_me: Some(s.member) == me,
                presence,
                until: until.map(format_utc),
            }
        })
        .collect();
    OverlayView {
        now: format_utc(now),
        time_zone: team
            .me()
            .map_or(my_zone(team), |m| m.zone_at(now))
            .name()
            .into(),
        me: me.and_then(|i| members.get(i).cloned()),
        members,
        next_handoff: next_handoff(moment),
        focus,
        coverage_warning: coverage_gaps(team, now, WARNING_DAYS).into_iter().next(),
        meeting_until: team
            .me()
            .and_then(|m| m.busy.busy.interval_at(now))
            .map(|iv| format_utc(iv.end)),
        calendar_error: None,
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
    use crate::desktop::views::fixtures::team;
    use chrono::{TimeZone, Utc, Weekday};

    #[test]
    fn this_week_begins_on_the_persons_first_day() {
        // Tuesday 10 March 2026, 20:00 in New York (00:00 UTC on the 11th).
        let now = Utc.with_ymd_and_hms(2026, 3, 11, 0, 0, 0).unwrap();
        let ny = chrono_tz::America::New_York;
        let sunday = week_from(ny, now, Weekday::Sun);
        // Sunday 8 March 00:00 EST is 05:00 UTC; that week has the 23-hour DST day.
        assert_eq!(
            sunday.start,
            Utc.with_ymd_and_hms(2026, 3, 8, 5, 0, 0).unwrap()
        );
        assert_eq!(
            sunday.end,
            Utc.with_ymd_and_hms(2026, 3, 15, 4, 0, 0).unwrap()
        );
        let monday = week_from(ny, now, Weekday::Mon);
        assert_eq!(
            monday.start,
            Utc.with_ymd_and_hms(2026, 3, 9, 4, 0, 0).unwrap()
        );
        let saturday = week_from(ny, now, Weekday::Sat);
        assert_eq!(
            saturday.start,
            Utc.with_ymd_and_hms(2026, 3, 7, 5, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_moment_cuts_each_reader_the_schedule_it_used_to_build() {
        let t = team();
        // A Sunday night before London's DST change, a Monday morning, and a Wednesday noon.
        for now in [
            Utc.with_ymd_and_hms(2026, 3, 28, 23, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 3, 30, 7, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 4, 1, 11, 0, 30).unwrap(),
        ] {
            let moment = Moment::new(&t, now);
            for ((span, ahead), cut) in [
                (focus_range(&t, now), moment.focus_schedule()),
                (next_handoff_range(now), moment.next_handoff_schedule()),
                (start_focus_range(now), moment.start_focus_schedule()),
            ] {
                assert!(
                    moment.schedule.expanded.start <= span.start
                        && span.end + ahead <= moment.schedule.expanded.end,
                    "the one expansion covers {span:?} + {ahead}, so nothing is expanded again"
                );
                let built = TeamSchedule::build(&t, span, ahead);
                assert_eq!((cut.span, cut.expanded), (built.span, built.expanded));
                assert_eq!(cut.members, built.members, "at {now}: {span:?} + {ahead}");
            }
        }
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
}
