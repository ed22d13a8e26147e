//! Whether the desktop should be silent at an instant, and until when that holds.
//!
//! "In focus" is the delivery policy's own answer ([`Timeline`]): a focus session running, or one of
//! my scheduled focus blocks inside my working hours (what the overlay's focus view shows as
//! `scheduled`). A session counts outside working hours too: the person asked for it. With
//! `off_hours_silence`, the time outside my working hours is silent as well; a team without `me`,
//! or a `me` without hours, has no "outside" (the policy then counts all time as working).

use chrono::Duration;

use crate::notify::policy::{PolicySettings, Timeline, LOOKAHEAD};
use crate::team::focus::FocusSession;
use crate::team::Team;
use crate::time::interval::{Instant, IntervalSet};

/// Why the desktop should be silent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Silence {
    /// A focus session or a scheduled focus block is on.
    Focus,
    /// Outside my working hours, with `off_hours_silence`.
    OffHours,
}

/// The answer at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// Why the desktop should be silent now; `None`: it should not.
    pub silence: Option<Silence>,
    /// The next instant at which the answer may change on its own (a session's end, a block's start
    /// or end, a working-hours edge); at most [`LOOKAHEAD`] away.
    pub next_change: Instant,
}

/// What the decision reads, besides the instant.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    /// Focus silences the desktop (`focus_silences_desktop`).
    pub in_focus: bool,
    /// Time outside my working hours is silent (`off_hours_silence`).
    pub off_hours: bool,
}

/// Whether the desktop should be silent at `now` for `team` (none stored: only sessions count) and
/// `sessions` (those reaching into the coming weeks), and when that may next change.
pub fn due(team: Option<&Team>, sessions: &[FocusSession], wanted: Wanted, now: Instant) -> Due {
    let empty = Team {
        name: String::new(),
        me: None,
        members: Vec::new(),
    };
    let team = team.unwrap_or(&empty);
    let timeline = Timeline::new(team, sessions, &PolicySettings::default(), now, now);
    let on_demand: IntervalSet = sessions.iter().filter_map(FocusSession::interval).collect();
    // Working time that is not free is focus (blocks and sessions); sessions count anywhere.
    let focus = timeline
        .working()
        .difference(timeline.free())
        .union(&on_demand);
    let silence = if wanted.in_focus && focus.contains(now) {
        Some(Silence::Focus)
    } else if wanted.off_hours && !timeline.is_working(now) {
        Some(Silence::OffHours)
    } else {
        None
    };
    let horizon = now + LOOKAHEAD;
    let next_change = [timeline.working(), timeline.free(), &on_demand]
        .into_iter()
        .flat_map(|set| set.intervals().iter().flat_map(|iv| [iv.start, iv.end]))
        .filter(|&t| t > now)
        .min()
        .unwrap_or(horizon)
        .min(horizon)
        .max(now + Duration::seconds(1));
    Due {
        silence,
        next_change,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn utc(d: u32, h: u32, m: u32) -> Instant {
        chrono::Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
    }

    /// Ana works 09:00-17:00 UTC on weekdays, with a focus block 09:00-11:00 on Mondays.
    fn team(me: bool) -> Team {
        Team::from_toml_str(
            &format!(
                "name = \"Core\"\n{}[[members]]\nname = \"Ana\"\ntime_zone = \"UTC\"\n\
                 hours = [\"mon-fri 09:00-17:00\"]\nfocus = [\"mon 09:00-11:00\"]\n",
                if me { "me = \"Ana\"\n" } else { "" }
            ),
            "core.toml",
        )
        .unwrap()
    }

    fn session(from: Instant, minutes: i64) -> FocusSession {
        FocusSession {
            id: 1,
            started_at: from,
            ends_at: from + Duration::minutes(minutes),
            stopped_at: None,
        }
    }

    const FOCUS_ONLY: Wanted = Wanted {
        in_focus: true,
        off_hours: false,
    };
    const BOTH: Wanted = Wanted {
        in_focus: true,
        off_hours: true,
    };

    #[test]
    fn a_scheduled_block_of_mine_silences_until_it_ends() {
        // 2026-03-02 is a Monday.
        let due = due(Some(&team(true)), &[], FOCUS_ONLY, utc(2, 9, 30));
        assert_eq!(due.silence, Some(Silence::Focus));
        assert_eq!(due.next_change, utc(2, 11, 0), "the block's end");
        let after = super::due(Some(&team(true)), &[], FOCUS_ONLY, utc(2, 11, 0));
        assert_eq!(after.silence, None, "the block is over at its end");
        let before = super::due(Some(&team(true)), &[], FOCUS_ONLY, utc(2, 8, 0));
        assert_eq!(
            before.next_change,
            utc(2, 9, 0),
            "the wait ends at the block's start"
        );
    }

    #[test]
    fn a_block_is_mine_only_when_i_am_that_member() {
        let due = due(Some(&team(false)), &[], FOCUS_ONLY, utc(2, 9, 30));
        assert_eq!(due.silence, None, "without `me` nobody's blocks are mine");
    }

    #[test]
    fn a_session_silences_even_without_a_team_or_outside_hours() {
        let s = [session(utc(3, 20, 0), 50)];
        let due = due(None, &s, FOCUS_ONLY, utc(3, 20, 10));
        assert_eq!(due.silence, Some(Silence::Focus));
        assert_eq!(due.next_change, utc(3, 20, 50));
        let evening = super::due(Some(&team(true)), &s, FOCUS_ONLY, utc(3, 20, 10));
        assert_eq!(evening.silence, Some(Silence::Focus), "asked for, so on");
        let stopped = [FocusSession {
            stopped_at: Some(utc(3, 20, 5)),
            ..s[0]
        }];
        assert_eq!(
            super::due(None, &stopped, FOCUS_ONLY, utc(3, 20, 10)).silence,
            None,
            "a stopped session is over"
        );
    }

    #[test]
    fn off_hours_silence_covers_the_time_outside_my_hours_only_when_asked() {
        let night = utc(3, 22, 0);
        assert_eq!(due(Some(&team(true)), &[], FOCUS_ONLY, night).silence, None);
        let d = due(Some(&team(true)), &[], BOTH, night);
        assert_eq!(d.silence, Some(Silence::OffHours));
        assert_eq!(
            d.next_change,
            utc(4, 9, 0),
            "until the next working day starts"
        );
        assert_eq!(
            due(Some(&team(true)), &[], BOTH, utc(3, 12, 0)).silence,
            None,
            "working and free: no silence"
        );
        assert_eq!(
            due(None, &[], BOTH, night).silence,
            None,
            "without known hours all time is working"
        );
    }

    #[test]
    fn focus_off_leaves_only_off_hours() {
        let wanted = Wanted {
            in_focus: false,
            off_hours: true,
        };
        assert_eq!(
            due(Some(&team(true)), &[], wanted, utc(2, 9, 30)).silence,
            None
        );
        assert_eq!(
            due(Some(&team(true)), &[], wanted, utc(2, 22, 0)).silence,
            Some(Silence::OffHours)
        );
    }
}
