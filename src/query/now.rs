//! `now`: what each member is doing at an instant, and when that next changes.
//!
//! The next change can be a year away (someone on leave, a member with no hours), but is usually within
//! a day, so the member's schedule is expanded in growing windows and the search stops at the first
//! window that holds a change, instead of expanding the whole year for everyone.

use chrono::Duration;
use serde::Serialize;

use crate::team::schedule::MemberSchedule;
use crate::team::{Member, Team};
use crate::time::interval::{Instant, Interval};

/// What a member is doing at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Inside working hours and not in a focus block.
    Working,
    /// Inside a focus block (focus takes precedence over working).
    Focus,
    /// Outside working hours.
    Off,
}

/// A member's state at an instant and when it next changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberNow {
    /// Index of the member in the team.
    pub member: usize,
    /// State at the instant.
    pub status: Status,
    /// When the state next changes, if it does within [`NOW_HORIZON_DAYS`].
    pub next_change: Option<(Instant, Status)>,
}

/// How far ahead [`now`] looks for the next change of state: a year, leap or not. Past it the answer is
/// "no change" (for someone off: no working hours in the next year).
pub const NOW_HORIZON_DAYS: i64 = 366;

/// The windows [`now`] expands in turn, in days after the instant: most changes are within a day or two,
/// a holiday within weeks, so the year is only expanded for someone who has no hours in it.
const NOW_WINDOWS_DAYS: &[i64] = &[2, 8, 32, 128, NOW_HORIZON_DAYS];

/// Every member's state at `at` and when it next changes, looking up to [`NOW_HORIZON_DAYS`] ahead.
pub fn now(team: &Team, at: Instant) -> Vec<MemberNow> {
    team.members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (status, next_change) = next_change(m, at);
            MemberNow {
                member: i,
                status,
                next_change,
            }
        })
        .collect()
}

/// One member's state at `at` and its next change within [`NOW_HORIZON_DAYS`], expanding only as far as
/// needed.
pub fn next_change(m: &Member, at: Instant) -> (Status, Option<(Instant, Status)>) {
    let horizon = at + Duration::days(NOW_HORIZON_DAYS);
    let mut status = None;
    let mut from = at;
    for &days in NOW_WINDOWS_DAYS {
        let until = at + Duration::days(days);
        // Expand a day past the window: the end of an expansion looks like the end of every shift, so
        // only boundaries strictly before it are real.
        let s = m.expand(Interval {
            start: from - Duration::days(1),
            end: until + Duration::days(1),
        });
        let now_status = *status.get_or_insert_with(|| status_at(&s, at));
        if m.hours.is_empty() && m.focus.is_empty() {
            return (now_status, None);
        }
        let mut t = from;
        while let Some(c) = next_boundary(&s, t).filter(|&c| c <= until.min(horizon)) {
            let st = status_at(&s, c);
            if st != now_status {
                return (now_status, Some((c, st)));
            }
            t = c;
        }
        from = until;
    }
    (status.unwrap_or(Status::Off), None)
}

fn status_at(s: &MemberSchedule, t: Instant) -> Status {
    if s.focus.contains(t) {
        Status::Focus
    } else if s.working.contains(t) {
        Status::Working
    } else {
        Status::Off
    }
}

fn next_boundary(s: &MemberSchedule, t: Instant) -> Option<Instant> {
    match (s.working.next_change_after(t), s.focus.next_change_after(t)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
