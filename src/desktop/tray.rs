//! The tray's icon and menu labels, computed from the overlay's payload at an instant, so the tray
//! process (which has no web view) stays a thin adapter and every label is unit-tested here.

use chrono::Duration;
use chrono_tz::Tz;

use crate::desktop::views::{parse_instant, OverlayView, Presence};
use crate::query::HandoffKind;
use crate::time::interval::Instant;
use crate::time::locale::TimeLocale;
use crate::time::parse_time_zone;

/// The tray's icon and menu labels, computed from the overlay state at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayMenu {
    /// Which icon to show.
    pub icon: Presence,
    /// The first, informational line: "Working · 14:05", "In focus until 15:00", "Off hours · 21:40",
    /// "Off · back Mon 06 Apr 09:00" (a day or more away), "Off · no working hours in the next year".
    pub status: String,
    /// While a session runs: "Stop focus (N min left)".
    pub stop_focus: Option<String>,
    /// "Focus until 17:30" when I am working (the end of my working period).
    pub focus_until: Option<String>,
    /// "Next handoff: Kenji, 17:30 (in 2 h)", or "No handoff this week".
    pub next_handoff: String,
    /// A coverage gap within the coming week that a normal week does not have, in my zone:
    /// "Nobody works Thu 04 Jun 09:00–18:00: Ana on holiday (Corpus Christi)".
    pub coverage: Option<String>,
    /// A calendar that could not be read: "Calendar not read: Work: …" (the last good copy is used).
    pub calendar: Option<String>,
}

/// `t` on the person's clock in `tz`.
fn clock(l: &TimeLocale, t: Instant, tz: Tz) -> String {
    l.hm(&t.with_timezone(&tz))
}

/// "in 5 min", "in 1 h 20 min", "in 3 h", "in 2 days": how far `t` is from `now`, rounded up to the
/// minute, coarser as it gets further.
pub fn relative(now: Instant, t: Instant) -> String {
    let minutes = ((t - now).num_seconds().max(0) + 59) / 60;
    match minutes {
        0 => "now".into(),
        1..=59 => format!("in {minutes} min"),
        60..=119 if minutes % 60 != 0 => format!("in 1 h {} min", minutes % 60),
        60..=2879 => format!("in {} h", (minutes + 30) / 60),
        _ => format!("in {} days", (minutes + 720) / 1440),
    }
}

/// The tray's warning line about a followed team, when its last check was refused: "Team update
/// refused: 02-kenji.toml line 2 (the last good team is in use)". `None` for a local team or a clean
/// check. The file is named by its last path component (a URL's never carries its query string).
pub fn team_source_line(status: Option<&crate::store::source::SourceStatus>) -> Option<String> {
    let status = status?;
    status.error.as_ref()?;
    let at = status.problems.first().map(|p| {
        let file = p.file.rsplit('/').next().unwrap_or(&p.file).to_string();
        match p.line {
            Some(line) => format!("{file} line {line}"),
            None => file,
        }
    });
    Some(match at {
        Some(at) => format!("Team update refused: {at} (the last good team is in use)"),
        None => "Team update refused (the last good team is in use)".into(),
    })
}

/// The tray for `view` (computed at `now`), its times in this process's locale
/// ([`TimeLocale::current`]).
pub fn tray_menu(view: &OverlayView, now: Instant) -> TrayMenu {
    tray_menu_in(view, now, &TimeLocale::current())
}

/// The tray for `view` with its times on `l`'s clock.
pub fn tray_menu_in(view: &OverlayView, now: Instant, l: &TimeLocale) -> TrayMenu {
    let tz = parse_time_zone(&view.time_zone).unwrap_or(Tz::UTC);
    let presence = view.me.as_ref().map_or(Presence::Off, |m| m.presence);
    let until = view
        .me
        .as_ref()
        .and_then(|m| m.until.as_deref())
        .and_then(parse_instant);
    let status = match (presence, until) {
        (Presence::Focus, Some(u)) => format!("In focus until {}", clock(l, u, tz)),
        (Presence::Focus, None) => "In focus".into(),
        (Presence::Working, _) => match view.meeting_until.as_deref().and_then(parse_instant) {
            Some(end) => format!("Working · in a meeting until {}", clock(l, end, tz)),
            None => format!("Working · {}", clock(l, now, tz)),
        },
        (Presence::Off, None) => "Off · no working hours in the next year".into(),
        (Presence::Off, Some(u)) if u - now >= Duration::days(1) => {
            format!("Off · back {}", l.date_time(&u.with_timezone(&tz)))
        }
        (Presence::Off, _) => format!("Off hours · {}", clock(l, now, tz)),
    };
    let stop_focus = view
        .focus
        .minutes_left
        .filter(|_| view.focus.session)
        .map(|m| format!("Stop focus ({m} min left)"));
    let focus_until = view
        .focus
        .end_of_day
        .as_deref()
        .and_then(parse_instant)
        .map(|t| format!("Focus until {}", clock(l, t, tz)));
    let next_handoff = view
        .next_handoff
        .as_ref()
        .and_then(|h| Some((h, parse_instant(&h.at)?)))
        .map_or_else(
            || "No handoff this week".to_string(),
            |(h, at)| match parse_instant(&h.window.end) {
                Some(end) if at <= now && h.window.kind == HandoffKind::Sync => {
                    format!("Handoff now: {}, until {}", h.window.to, clock(l, end, tz))
                }
                _ => format!(
                    "Next handoff: {}, {} ({})",
                    h.window.to,
                    clock(l, at, tz),
                    relative(now, at)
                ),
            },
        );
    let coverage = view.coverage_warning.as_ref().and_then(|g| {
        let (start, end) = (parse_instant(&g.start)?, parse_instant(&g.end)?);
        let (start, end) = (start.with_timezone(&tz), end.with_timezone(&tz));
        let end = if end.date_naive() == start.date_naive() {
            l.hm(&end)
        } else {
            l.date_time(&end)
        };
        Some(format!(
            "Nobody works {}–{end}: {}",
            l.date_time(&start),
            g.missing
        ))
    });
    let calendar = view.calendar_error.as_ref().map(|e| {
        let mut line = format!("Calendar not read: {e}");
        if line.chars().count() > 90 {
            line = line.chars().take(89).collect::<String>() + "…";
        }
        line
    });
    TrayMenu {
        icon: presence,
        status,
        stop_focus,
        focus_until,
        next_handoff,
        coverage,
        calendar,
    }
}

/// The tray's line about held notifications: "No notifications held", "1 notification held",
/// "12 notifications held".
pub fn held_label(held: usize) -> String {
    match held {
        0 => "No notifications held".into(),
        1 => "1 notification held".into(),
        n => format!("{n} notifications held"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desktop::views::fixtures::team;
    use crate::desktop::views::{calendar, overlay};
    use crate::team::focus::FocusSession;
    use chrono::{TimeZone, Utc};

    #[test]
    fn held_label_counts_in_words() {
        assert_eq!(held_label(0), "No notifications held");
        assert_eq!(held_label(1), "1 notification held");
        assert_eq!(held_label(12), "12 notifications held");
    }

    #[test]
    fn tray_labels() {
        let t = team();
        let now = Utc.with_ymd_and_hms(2026, 4, 1, 11, 0, 30).unwrap();
        let idle = tray_menu(&overlay(&t, &[], now), now);
        assert_eq!(idle.icon, Presence::Working);
        assert_eq!(idle.status, "Working · 12:00");
        assert_eq!(idle.focus_until.as_deref(), Some("Focus until 17:00"));
        assert_eq!(idle.stop_focus, None);
        // Ana (London) hands to Bo (New York) in the shared window from 13:00 UTC = 14:00 BST.
        assert_eq!(idle.next_handoff, "Next handoff: Bo, 14:00 (in 2 h)");
        let session = FocusSession {
            id: 1,
            started_at: now,
            ends_at: now + Duration::minutes(50),
            stopped_at: None,
        };
        let busy = tray_menu(&overlay(&t, &[session], now), now);
        assert_eq!(busy.icon, Presence::Focus);
        assert_eq!(busy.status, "In focus until 12:50");
        assert_eq!(busy.stop_focus.as_deref(), Some("Stop focus (50 min left)"));
        assert_eq!(relative(now, now + Duration::minutes(80)), "in 1 h 20 min");
        // Inside the shared window (14:00-17:00 BST) the pass is live.
        let during = Utc.with_ymd_and_hms(2026, 4, 1, 14, 0, 0).unwrap();
        assert_eq!(
            tray_menu(&overlay(&t, &[], during), during).next_handoff,
            "Handoff now: Bo, until 17:00"
        );
        assert_eq!(relative(now, now + Duration::hours(50)), "in 2 days");
    }

    #[test]
    fn tray_labels_in_four_locales() {
        let t = team();
        let now = Utc.with_ymd_and_hms(2026, 4, 1, 11, 0, 30).unwrap();
        let view = overlay(&t, &[], now);
        for (name, status, until, handoff) in [
            (
                "en_US.UTF-8",
                "Working · 12:00 PM",
                "Focus until 5:00 PM",
                "Next handoff: Bo, 2:00 PM (in 2 h)",
            ),
            (
                "en_GB.UTF-8",
                "Working · 12:00",
                "Focus until 17:00",
                "Next handoff: Bo, 14:00 (in 2 h)",
            ),
            (
                "de_DE.UTF-8",
                "Working · 12:00",
                "Focus until 17:00",
                "Next handoff: Bo, 14:00 (in 2 h)",
            ),
            (
                "ja_JP.UTF-8",
                "Working · 12:00",
                "Focus until 17:00",
                "Next handoff: Bo, 14:00 (in 2 h)",
            ),
        ] {
            let l = TimeLocale::resolve(Some(name), "auto", "auto");
            let menu = tray_menu_in(&view, now, &l);
            assert_eq!(menu.status, status, "{name}");
            assert_eq!(menu.focus_until.as_deref(), Some(until), "{name}");
            assert_eq!(menu.next_handoff, handoff, "{name}");
        }
        // A 12-hour setting in Japanese: its own words, before the time.
        let ja12 = TimeLocale::resolve(Some("ja_JP.UTF-8"), "12h", "auto");
        assert_eq!(
            tray_menu_in(&view, now, &ja12).status,
            "Working · 午後12:00"
        );
    }

    #[test]
    fn a_coverage_gap_this_week_is_a_warning_line_in_my_zone() {
        // Ana (London, me) is off on Tuesday 31 March 2026 and nobody else works her morning then.
        let t = team();
        let now = Utc.with_ymd_and_hms(2026, 3, 30, 18, 0, 0).unwrap();
        let menu = tray_menu(&overlay(&t, &[], now), now);
        assert_eq!(
            menu.coverage.as_deref(),
            Some("Nobody works Tue 31 Mar 09:00–14:00: Ana on a day off"),
            "09:00 BST until Bo starts at 09:00 EDT (14:00 BST)"
        );
        assert_eq!(idle_warning(&t), None, "a week later nothing is missing");
    }

    #[test]
    fn a_meeting_is_in_the_status_line_and_an_unread_calendar_a_warning() {
        let mut t = team();
        let (start, end) = (
            Utc.with_ymd_and_hms(2026, 4, 1, 10, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 4, 1, 11, 30, 0).unwrap(),
        );
        let ana = t.members.iter_mut().find(|m| m.name == "Ana").unwrap();
        ana.busy = std::sync::Arc::new(crate::calendar::busy::MemberBusy::new(
            vec![crate::calendar::Occurrence {
                uid: "standup".into(),
                interval: crate::time::interval::Interval::new(start, end).unwrap(),
                all_day: None,
                kind: crate::calendar::OccurrenceKind::Busy,
                title: Some("Standup".into()),
            }],
            ana.time_zone,
        ));
        let now = Utc.with_ymd_and_hms(2026, 4, 1, 11, 0, 0).unwrap();
        let mut view = overlay(&t, &[], now);
        assert_eq!(
            tray_menu(&view, now).status,
            "Working · in a meeting until 12:30",
            "11:30 UTC is 12:30 BST"
        );
        assert_eq!(tray_menu(&view, now).calendar, None);
        view.calendar_error = Some("Work: the server refused the user name or password".into());
        assert_eq!(
            tray_menu(&view, now).calendar.as_deref(),
            Some("Calendar not read: Work: the server refused the user name or password")
        );
        let after = Utc.with_ymd_and_hms(2026, 4, 1, 11, 30, 0).unwrap();
        assert_eq!(
            tray_menu(&overlay(&t, &[], after), after).status,
            "Working · 12:30"
        );
    }

    fn idle_warning(t: &crate::team::Team) -> Option<String> {
        let later = Utc.with_ymd_and_hms(2026, 4, 6, 18, 0, 0).unwrap();
        tray_menu(&overlay(t, &[], later), later).coverage
    }

    #[test]
    fn tray_and_calendar_give_a_far_return_and_the_horizon() {
        // Ana (London) is off from Thursday 2 April to Friday 17 April 2026: back Monday 20 April at
        // 09:00 BST, 08:00Z, 18 days after Wednesday 1 April 18:00 BST.
        let mut file = team().to_file();
        file.members[0].days_off = vec!["2026-04-02..2026-04-17".into()];
        let t = file.validate(None).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 4, 1, 17, 0, 0).unwrap();
        let v = overlay(&t, &[], now);
        assert_eq!(
            v.me.as_ref().unwrap().until.as_deref(),
            Some("2026-04-20T08:00:00Z")
        );
        assert_eq!(tray_menu(&v, now).status, "Off · back Mon 20 Apr 09:00");
        let cal = calendar(&t, &[], now, Some("2026-04-06"), 7, None).unwrap();
        assert_eq!(cal.members[0].back.as_deref(), Some("2026-04-20T08:00:00Z"));
        assert_eq!(cal.members[1].back, None, "Bo works that week");
        // With no hours at all there is no return within the horizon.
        file.members[0].hours = vec![];
        file.members[0].focus = vec![];
        let t = file.validate(None).unwrap();
        let v = overlay(&t, &[], now);
        assert_eq!(v.me.as_ref().unwrap().until, None);
        assert_eq!(
            tray_menu(&v, now).status,
            "Off · no working hours in the next year"
        );
    }

    #[test]
    fn a_refused_team_check_is_a_tray_line_naming_the_file_and_line() {
        use crate::store::source::SourceStatus;
        use crate::team::source::{SourceKind, SourceProblem, SourceSpec, Validators};
        let mut status = SourceStatus {
            spec: SourceSpec {
                kind: SourceKind::Folder,
                location: "/repo/team".into(),
            },
            validators: Validators::default(),
            checked_at: None,
            changed_at: None,
            error: None,
            problems: vec![],
        };
        assert_eq!(team_source_line(None), None, "a local team");
        assert_eq!(team_source_line(Some(&status)), None, "a clean check");
        status.error = Some("broken".into());
        status.problems = vec![SourceProblem {
            file: "/repo/team/members/02-kenji.toml".into(),
            line: Some(2),
            member: Some("Kenji".into()),
            field: "time_zone".into(),
            message: "unknown".into(),
        }];
        assert_eq!(
            team_source_line(Some(&status)).unwrap(),
            "Team update refused: 02-kenji.toml line 2 (the last good team is in use)"
        );
    }
}
