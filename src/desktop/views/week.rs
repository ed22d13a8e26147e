//! The week in focus: [`query::week`](crate::query::week)'s report for one week of mine, read from
//! one snapshot of the store. The window's week view and `baton week` both call [`week_view`], so the
//! two never disagree.

use chrono::NaiveDate;

use crate::desktop::actions::{storage, team};
use crate::error::{ErrorCode, ErrorPayload};
use crate::query::week::{self, WeekInputs, WeekReport, WEEK_DAYS};
use crate::store::settings::{self, FOCUS_GOAL_HOURS};
use crate::store::Store;
use crate::time::interval::Instant;

/// My week from local midnight of `from` in my zone (`None`: the Monday of the week holding `now`,
/// in my zone), for [`WEEK_DAYS`] days. The team, my sessions, the week's notifications and the
/// focus goal are read in one [`Store::snapshot`]; only the week's rows are read.
///
/// Errors: `not_found` without a team, `invalid` when the team has no `me` or the stored
/// `focus_goal_hours` no longer validates, `storage` when the database fails.
pub fn week_view(
    store: &Store,
    from: Option<NaiveDate>,
    now: Instant,
) -> Result<WeekReport, ErrorPayload> {
    store.snapshot(|store| {
        let team = team(store)?;
        let Some(me) = team.me() else {
            return Err(ErrorPayload {
                code: ErrorCode::Invalid,
                message: "the week in focus is about me, and no member is me: set it with `baton \
                          settings set me NAME` or in Settings"
                    .into(),
                problems: vec![],
            });
        };
        let from = from.unwrap_or_else(|| {
            // The week begins on the person's first day (the locale's, or the week_start setting).
            let first = crate::desktop::actions::time_locale(store)
                .map_or(chrono::Weekday::Mon, |l| l.week_start);
            week::week_start(now.with_timezone(&me.time_zone).date_naive(), first)
        });
        let span = crate::time::local_days_span(me.time_zone, from, WEEK_DAYS);
        let sessions = store.focus_sessions(span).map_err(storage)?;
        let notifications = store.notification_history(span).map_err(storage)?;
        let goal = settings::number(
            FOCUS_GOAL_HOURS,
            store.setting(FOCUS_GOAL_HOURS).map_err(storage)?.as_deref(),
        )
        .map_err(|e| ErrorPayload {
            code: ErrorCode::Invalid,
            message: e.to_string(),
            problems: vec![],
        })?;
        let input = WeekInputs {
            team: &team,
            sessions: &sessions,
            notifications: &notifications,
            focus_goal_hours: goal,
            from,
            days: WEEK_DAYS,
            until: Some(now),
        };
        // `me` was found above, so the report is there.
        week::week_report(&input).ok_or_else(|| ErrorPayload {
            code: ErrorCode::Invalid,
            message: "no member is me".into(),
            problems: vec![],
        })
    })
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::notify::notification::{DeliveredAs, NewNotification, Urgency};
    use crate::Team;

    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let team = Team::from_toml_str(
            r#"
name = "T"
me = "Ana"
members = [
  { name = "Ana", time_zone = "Europe/Berlin", hours = ["mon-fri 09:00-17:00"], focus = ["mon 09:00-11:00"] },
]
"#,
            "t.toml",
        )
        .unwrap();
        store.replace_team(&team).unwrap();
        store
    }

    fn z(day: u32, h: u32) -> Instant {
        Utc.with_ymd_and_hms(2026, 3, day, h, 0, 0).unwrap()
    }

    #[test]
    fn the_default_week_is_this_weeks_from_monday_and_reads_the_stored_goal_and_history() {
        let mut store = store();
        store.set_setting(FOCUS_GOAL_HOURS, "3").unwrap();
        // Whatever the locale of the machine running the test.
        store.set_setting("week_start", "mon").unwrap();
        store.start_focus(z(24, 12), z(24, 13)).unwrap();
        let item = NewNotification {
            source: "ci".into(),
            group: None,
            sender: None,
            title: "build".into(),
            body: None,
            urgency: Urgency::Critical,
            url: None,
            idempotency_key: None,
        };
        // One in Monday's focus block, one the week before.
        for at in [z(23, 9), z(16, 9)] {
            let id = store
                .accept_notifications(std::slice::from_ref(&item), at)
                .unwrap()[0]
                .id;
            store
                .mark_delivered(&[id], at, DeliveredAs::Urgent)
                .unwrap();
        }
        // Wednesday 25 March, 10:00 in Berlin.
        let r = week_view(&store, None, z(25, 9)).unwrap();
        assert_eq!(r.from, NaiveDate::from_ymd_opt(2026, 3, 23).unwrap());
        assert_eq!(r.focus.goal_hours, 3);
        assert_eq!(r.focus.protected_minutes, 180, "the block and the session");
        assert!(r.focus.goal_met);
        assert_eq!(r.notifications.received, 1, "only the week's own rows");
        assert_eq!(r.interruptions.critical, 1);
        let later = week_view(&store, NaiveDate::from_ymd_opt(2026, 3, 16), z(25, 9)).unwrap();
        assert_eq!(later.notifications.received, 1);
        assert_eq!(later.focus.protected_minutes, 120);
        // Where weeks start on Sunday (the locale's, or the setting): Sunday 22 March.
        store.set_setting("week_start", "sun").unwrap();
        let sunday = week_view(&store, None, z(25, 9)).unwrap();
        assert_eq!(sunday.from, NaiveDate::from_ymd_opt(2026, 3, 22).unwrap());
        assert_eq!(sunday.days.len(), 7);
    }

    #[test]
    fn a_team_without_me_is_invalid() {
        let store = store();
        store.set_setting(crate::store::settings::ME, "").unwrap();
        let mut team = store.load_team().unwrap().unwrap();
        team.me = None;
        let mut store = store;
        store.replace_team(&team).unwrap();
        let e = week_view(&store, None, z(25, 9)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Invalid);
        assert!(e.message.contains("baton settings set me"), "{}", e.message);
    }
}
