//! Focus sessions started on demand (from the tray, the UI or a shortcut), beside the scheduled focus
//! blocks of the team file.
//!
//! A session is a stored row with a planned end; stopping it early records when. It lives in the database
//! so it survives a restart of the app, and it is a plain interval so that everything else (the tray
//! label, the scheduler, protected hours) is arithmetic on instants. Lengths are chosen from a small,
//! validated set of inputs ([`FocusLength`]); "until the end of my day" reads the member's own hours.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::team::schedule::TeamSchedule;
use crate::time::interval::{Instant, Interval, IntervalSet};

/// Longest session that can be started in one go: a long working day.
pub const MAX_FOCUS_MINUTES: u32 = 12 * 60;

/// One on-demand focus session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FocusSession {
    /// Row id in the store.
    pub id: i64,
    /// When it started.
    pub started_at: Instant,
    /// When it was planned to end.
    pub ends_at: Instant,
    /// When it was stopped early, if it was.
    pub stopped_at: Option<Instant>,
}

impl FocusSession {
    /// When the session ends or ended: the planned end, or the earlier stop.
    pub fn end(&self) -> Instant {
        self.stopped_at
            .map_or(self.ends_at, |s| s.min(self.ends_at))
    }

    /// The time it covers (`None` when stopped the moment it started).
    pub fn interval(&self) -> Option<Interval> {
        Interval::new(self.started_at, self.end())
    }

    /// Whether it is running at `now`.
    pub fn is_active(&self, now: Instant) -> bool {
        self.interval().is_some_and(|iv| iv.contains(now))
    }
}

/// How long a new focus session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export_to = "bindings.ts")]
pub enum FocusLength {
    /// A fixed number of minutes (1 to 720).
    Minutes {
        /// Length in minutes.
        minutes: u32,
    },
    /// Until the end of my current working period.
    UntilEndOfDay,
}

/// Why a focus session cannot start.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FocusError {
    /// A length outside 1..=720 minutes.
    #[error("a focus session lasts 1 to {MAX_FOCUS_MINUTES} minutes, not {0}")]
    BadLength(u32),
    /// "Until the end of my day" with no `me` in the team.
    #[error("the team does not say which member you are (set `me` in the team file)")]
    NoMe,
    /// "Until the end of my day" outside working hours.
    #[error("you are outside your working hours, so there is no end of day to focus until; pick a length")]
    NotWorking,
}

/// When a session of `length` started at `now` ends.
///
/// `schedule` must cover `now` (the app builds it from today onwards).
pub fn focus_end(
    schedule: &TeamSchedule<'_>,
    now: Instant,
    length: FocusLength,
) -> Result<Instant, FocusError> {
    match length {
        FocusLength::Minutes { minutes } if (1..=MAX_FOCUS_MINUTES).contains(&minutes) => {
            Ok(now + Duration::minutes(i64::from(minutes)))
        }
        FocusLength::Minutes { minutes } => Err(FocusError::BadLength(minutes)),
        FocusLength::UntilEndOfDay => {
            let me = schedule.team.me_index().ok_or(FocusError::NoMe)?;
            schedule.members[me]
                .working
                .interval_at(now)
                .map(|iv| iv.end)
                .ok_or(FocusError::NotWorking)
        }
    }
}

/// Focus time protected within `span`: my scheduled focus blocks inside working hours, plus on-demand
/// sessions, counted once where they overlap.
pub fn protected_time(
    schedule: &TeamSchedule<'_>,
    sessions: &[FocusSession],
    span: Interval,
) -> Duration {
    let scheduled = schedule
        .team
        .me_index()
        .map(|i| {
            let m = &schedule.members[i];
            m.focus.intersection(&m.working)
        })
        .unwrap_or_default();
    let on_demand: IntervalSet = sessions.iter().filter_map(FocusSession::interval).collect();
    scheduled.union(&on_demand).clip(span).total()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::team::Team;
    use crate::time::local_days_span;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn team() -> Team {
        Team::from_toml_str(
            r#"
name = "T"
me = "ana"
members = [
  { name = "Ana", time_zone = "America/New_York", hours = ["mon-fri 09:00-17:00"], focus = ["mon 09:00-11:00"] },
]
"#,
            "t.toml",
        )
        .unwrap()
    }

    /// `team`'s schedule over the week from Monday 9 March 2026 in New York.
    fn week_of_9_march(team: &Team) -> TeamSchedule<'_> {
        let span = local_days_span(
            chrono_tz::America::New_York,
            NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
            7,
        );
        TeamSchedule::build(team, span, Duration::zero())
    }

    #[test]
    fn until_end_of_day_is_the_end_of_my_working_period() {
        let team = team();
        let s = week_of_9_march(&team);
        // Monday 9 March 2026, 10:00 EDT (14:00 UTC): the day ends at 17:00 EDT, 21:00 UTC.
        let now = Utc.with_ymd_and_hms(2026, 3, 9, 14, 0, 0).unwrap();
        assert_eq!(
            focus_end(&s, now, FocusLength::UntilEndOfDay),
            Ok(Utc.with_ymd_and_hms(2026, 3, 9, 21, 0, 0).unwrap())
        );
        assert_eq!(
            focus_end(&s, now, FocusLength::Minutes { minutes: 25 }),
            Ok(now + Duration::minutes(25))
        );
        assert_eq!(
            focus_end(&s, now, FocusLength::Minutes { minutes: 0 }),
            Err(FocusError::BadLength(0))
        );
        // 22:00 EDT: off hours.
        let late = Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap();
        assert_eq!(
            focus_end(&s, late, FocusLength::UntilEndOfDay),
            Err(FocusError::NotWorking)
        );
    }

    #[test]
    fn protected_time_counts_overlaps_once() {
        let team = team();
        let s = week_of_9_march(&team);
        // Scheduled: Monday 09:00-11:00 EDT (13:00-15:00 UTC). A session 10:00-12:00 EDT adds one hour.
        let session = FocusSession {
            id: 1,
            started_at: Utc.with_ymd_and_hms(2026, 3, 9, 14, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 3, 9, 16, 0, 0).unwrap(),
            stopped_at: None,
        };
        assert_eq!(protected_time(&s, &[session], s.span), Duration::hours(3));
        let stopped = FocusSession {
            stopped_at: Some(Utc.with_ymd_and_hms(2026, 3, 9, 14, 30, 0).unwrap()),
            ..session
        };
        assert_eq!(protected_time(&s, &[stopped], s.span), Duration::hours(2));
        assert!(!stopped.is_active(Utc.with_ymd_and_hms(2026, 3, 9, 14, 45, 0).unwrap()));
    }
}
