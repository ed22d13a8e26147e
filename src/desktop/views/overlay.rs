//! Who is where now: every teammate's state and when it changes, my focus, and my next handoff; the
//! compact overlay and the tray show this one payload. [`next_wakeup`] says when it next changes on its
//! own, so the shell sleeps until then instead of polling.

use chrono::{Datelike, Duration, Timelike};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use super::{my_zone, next_handoff, parse_instant, NextHandoff, Presence};
use crate::query;
use crate::team::focus::{self, FocusLength, FocusSession};
use crate::team::schedule::TeamSchedule;
use crate::team::Team;
use crate::time::interval::{format_utc, Instant, Interval};
use crate::time::local_days_span;

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
    use chrono::{TimeZone, Utc};

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
