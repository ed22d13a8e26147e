//! Baton passes from me: the next one (for the overlay and the tray), and mine and the whole relay's
//! over the coming days (the handoffs view). Both use the CLI's shortest live window.

use chrono::Duration;
use serde::Serialize;
use ts_rs::TS;

use super::{
    blocks, coverage_gaps, handoff_query, my_zone, next_teammate, window, Block, CoverageGapView,
    HandoffWindow, Moment, FORECAST_DAYS, MIN_SYNC_MINUTES,
};
use crate::query::{self, HandoffKind, RelayQuery};
use crate::team::schedule::TeamSchedule;
use crate::team::Team;
use crate::time::interval::{format_utc, Instant};
use crate::time::local_days_span;

/// The next baton pass from me.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct NextHandoff {
    /// The window.
    pub window: HandoffWindow,
    /// When to hand over: the start of a sync window or of my last working hour before an async one.
    pub at: String,
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
    /// The coming weeks' gaps that a normal week does not have (days off, holidays, travel), with who
    /// is missing and why.
    pub forecast: Vec<CoverageGapView>,
}

/// My next baton pass after the moment's `now` within a week: a sync window still open, or an async one whose giver
/// hour has not passed, chosen by [`query::upcoming_handoff`].
pub fn next_handoff(moment: &Moment<'_>) -> Option<NextHandoff> {
    let (team, now) = (moment.team, moment.now);
    let me = team.me_index()?;
    let next = next_teammate(team, now)?;
    let schedule = moment.next_handoff_schedule();
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
        (Some(a), Some(b)) => {
            query::best_per_day(&query::handoffs(&schedule, &handoff_query(a, b)))
                .map(|h| window(team, h, a, b))
                .collect()
        }
        _ => vec![],
    };
    let relay = query::relay(
        &schedule,
        &RelayQuery {
            order: None,
            min_sync: Duration::minutes(MIN_SYNC_MINUTES),
            include_focus: false,
            include_busy: false,
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
        forecast: coverage_gaps(team, now, FORECAST_DAYS),
    }
}
