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
            week::week_start(now.with_timezone(&me.time_zone).date_naive())
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
        };
        // `me` was found above, so the report is there.
        week::week_report(&input).ok_or_else(|| ErrorPayload {
            code: ErrorCode::Invalid,
            message: "no member is me".into(),
            problems: vec![],
        })
    })
}
