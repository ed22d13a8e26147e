//! The questions Baton answers about a team: hours, who is working now, when people overlap, how the baton
//! passes from one teammate to the next, and how the team relays work around the clock.
//!
//! Every query is a pure function of a [`TeamSchedule`] (or a team and an instant): no clock, no I/O.
//! Results name members by their index in the team; the CLI and the desktop app render names and local
//! times at the edge.
//!
//! One file per question: [`hours`](mod@hours) (working and focus time in a span), [`now`](mod@now)
//! (each member's state at an instant and its next change), [`overlap`](mod@overlap) (shared windows,
//! all members or at least `k`), [`handoff`] (the baton passes from one member to another, and how a
//! day's sync windows rank) and [`relay`](mod@relay) (the follow-the-sun ring of handoffs and its
//! gaps), [`forecast`] (the coverage gaps of the coming weeks that days off, holidays and travel
//! open, compared with a normal week), [`week`](mod@week) (the week in focus: what focus protected for
//! me). [`report`] dresses the results for the CLI's tables and JSON. Everything public is
//! re-exported here, so callers keep writing `query::handoffs`, `query::Status`.
//!
//! [`TeamSchedule`]: crate::team::schedule::TeamSchedule

pub mod forecast;
pub mod handoff;
pub mod hours;
pub mod now;
pub mod overlap;
pub mod relay;
pub mod report;
pub mod week;

pub use forecast::{coverage_forecast, Absence, AbsenceReason, CoverageGap, FORECAST_MAX_DAYS};
pub use handoff::{
    best_per_day, handoffs, rank_sync_windows, upcoming_handoff, Handoff, HandoffKind, HandoffQuery,
};
pub use hours::{hours, MemberHours};
pub use now::{next_change, now, MemberNow, Status, NOW_HORIZON_DAYS};
pub use overlap::{overlap, overlap_maximal, Overlap, OverlapQuery, OverlapSummary, OverlapWindow};
pub use relay::{relay, relay_order, Relay, RelayLink, RelayQuery};
pub use week::{week_report, week_start, WeekInputs, WeekReport};
