//! `hours`: each member's working and focus time within a span.
//!
//! The schedule already holds every member's expanded intervals; this question only clips them to the
//! span, so the CLI's table and the app's calendar show exactly the time asked about.

use crate::team::schedule::TeamSchedule;
use crate::time::interval::IntervalSet;

/// Each member's working and focus intervals within the schedule's span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberHours {
    /// Index of the member in the team.
    pub member: usize,
    /// Working intervals, normalised.
    pub working: IntervalSet,
    /// Focus intervals, normalised.
    pub focus: IntervalSet,
    /// Busy intervals from the member's calendars, normalised.
    pub busy: IntervalSet,
}

/// Working and focus time of the chosen members, clipped to the span.
pub fn hours(schedule: &TeamSchedule<'_>, members: &[usize]) -> Vec<MemberHours> {
    members
        .iter()
        .map(|&i| {
            let m = &schedule.members[i];
            MemberHours {
                member: i,
                working: m.working.clip(schedule.span),
                focus: m.focus.clip(schedule.span),
                busy: m.busy.clip(schedule.span),
            }
        })
        .collect()
}
