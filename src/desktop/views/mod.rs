//! What the desktop app shows: one serialisable payload per view, computed here from the team, the
//! focus sessions and a `now` passed in, so the shell stays a thin, clock-free adapter and every view is
//! testable at any instant.
//!
//! Instants cross to the UI as RFC 3339 UTC strings ending in `Z`; the UI formats them in any zone with
//! `Intl.DateTimeFormat`. Local day boundaries are computed here (with the one compatible rule), so a DST
//! day arrives with its real 23 or 25 hours. The TypeScript types of these payloads are generated with
//! ts-rs into `ui/src/bindings.ts` (see `tests/it/bindings.rs`).
//!
//! One file per view ([`calendar`], [`overlay`], [`handoffs`], [`editor`], [`settings`], [`source`],
//! [`week`], the first-run card's [`welcome`]),
//! and [`coverage`] for the gaps ahead that the handoffs view and the tray show; this module
//! keeps what several of them show (a [`Block`] of time, a [`Presence`], a [`HandoffWindow`]) and
//! re-exports every payload, and the error payload from [`crate::error`], so `baton::desktop::views::X` still
//! names each of them. The tray's labels are in [`crate::desktop::tray`].

mod calendar;
mod calendars;
mod coverage;
mod editor;
mod handoffs;
mod overlay;
mod settings;
mod source;
mod week;
mod welcome;

use chrono::Duration;
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use crate::query::{self, HandoffKind, HandoffQuery, Status};
use crate::team::Team;
use crate::time::interval::{format_utc, Instant, Interval, IntervalSet};

pub use crate::desktop::tray::{held_label, relative, team_source_line, tray_menu, TrayMenu};
pub use crate::error::{ErrorCode, ErrorPayload, FieldProblem};
pub use calendar::{
    calendar, BusyBlock, CalendarDay, CalendarRow, CalendarView, HolidayBlock, TripBlock,
};
pub use calendars::{
    add_caldav_account, add_ics_calendar, calendars_view, publish_focus_to, remove_calendar,
    sync_calendars, CalendarEntry, CalendarsView,
};
pub use coverage::{coverage_gaps, CoverageGapView, FORECAST_DAYS, WARNING_DAYS};
pub use editor::{remove_member, save_member, MemberDraft, TeamDraft, TripDraft};
pub use handoffs::{handoffs, next_handoff, HandoffsView, NextHandoff};
pub use overlay::{
    focus_view, focus_view_at, next_wakeup, overlay, overlay_at, FocusView, Moment, OverlayView,
    PresenceRow,
};
pub use settings::{dnd_inputs, dnd_view, DndView, IntakeView, SettingRow};
pub use source::{
    follow_source, save_own_entry, set_me, sync_now, team_source_view, team_source_view_for,
    unfollow, TeamEdit, TeamSourceView,
};
pub use week::week_view;
pub use welcome::{
    add_me, notification_server, test_notification, welcome_view, TestNotification, WelcomeView,
    DEFAULT_HOURS,
};

/// Shortest shared window that counts as a live handoff in the app (as in the CLI).
pub(crate) const MIN_SYNC_MINUTES: i64 = 15;

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

/// A baton pass between two teammates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct HandoffWindow {
    /// `sync` (both working) or `async` (written; the baton waits).
    // `HandoffKind` lives in `query`, which has no ts-rs derive; its serde names are these two.
    #[ts(type = "\"sync\" | \"async\"")]
    pub kind: HandoffKind,
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
        kind: h.kind,
        from: team.members[from].name.clone(),
        from_time_zone: team.members[from].time_zone.name().into(),
        to: team.members[to].name.clone(),
        to_time_zone: team.members[to].time_zone.name().into(),
        start: format_utc(h.start),
        end: format_utc(h.end),
        minutes: h.duration().num_minutes(),
    }
}

/// A handoff's kind equals its name in the payload (`"sync"` or `"async"`), the string the UI sees.
impl PartialEq<&str> for HandoffKind {
    fn eq(&self, other: &&str) -> bool {
        *other
            == match self {
                HandoffKind::Sync => "sync",
                HandoffKind::Async => "async",
            }
    }
}

fn handoff_query(from: usize, to: usize) -> HandoffQuery {
    HandoffQuery {
        from,
        to,
        min_sync: Duration::minutes(MIN_SYNC_MINUTES),
        include_focus: false,
        include_busy: false,
    }
}

/// An RFC 3339 instant as the payloads carry it.
pub(crate) fn parse_instant(s: &str) -> Option<Instant> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.to_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handoff_kind_crosses_ipc_as_before() {
        // `kind` was a string holding exactly these names.
        for (kind, name) in [(HandoffKind::Sync, "sync"), (HandoffKind::Async, "async")] {
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(name));
            assert_eq!(kind, name);
        }
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use crate::team::Team;

    /// Ana in London (me; focus on Monday mornings; off on Tuesday 31 March 2026) and Bo in New York.
    pub(crate) fn team() -> Team {
        Team::from_toml_str(
            r#"
name = "T"
me = "Ana"
members = [
  { name = "Ana", time_zone = "Europe/London", hours = ["mon-fri 09:00-17:00"], focus = ["mon 09:00-11:00"], days_off = ["2026-03-31"] },
  { name = "Bo", time_zone = "America/New_York", hours = ["mon-fri 09:00-17:00"] },
]
"#,
            "t.toml",
        )
        .unwrap()
    }
}
