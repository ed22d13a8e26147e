//! My calendar as Baton knows it, made into an [`ExportFeed`]: my focus blocks and sessions (busy),
//! my days off and holidays (all-day), my working hours (`VAVAILABILITY`), and the handoffs I give or
//! receive with both sides' local times.
//!
//! UIDs are stable, so a calendar that re-imports the feed updates its events instead of duplicating
//! them, and a published focus block that moves keeps its event: a focus block is named by its
//! local date and its place among that date's blocks, a session by its row id, a day by its date, a
//! handoff by its two members and the giver's day.

use chrono::{Duration, NaiveDate};

use super::{ExportDay, ExportEvent, ExportFeed};
use crate::query::{self, RelayQuery};
use crate::team::focus::FocusSession;
use crate::team::schedule::TeamSchedule;
use crate::team::Team;
use crate::time::interval::{Instant, Interval};

/// The domain of every UID Baton makes; publishing touches only events whose UIDs end with it.
pub const UID_DOMAIN: &str = "@baton.local";

/// The feed's default length, days from today.
pub const DEFAULT_DAYS: u32 = 28;

/// A name as it goes into a UID: lower case letters, digits and `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// My feed for `days` days from `now`'s local midnight (back to a week before, so today's past blocks
/// stay in the calendar), with `sessions` (my on-demand focus). `None` when the team has no `me`.
pub fn my_feed(
    team: &Team,
    sessions: &[FocusSession],
    now: Instant,
    days: u32,
) -> Option<ExportFeed> {
    let (me_index, me) = team
        .me()
        .and_then(|m| team.member(&m.name))
        .map(|(i, m)| (i, m.clone()))?;
    let today = now.with_timezone(&me.zone_at(now)).date_naive();
    let first = today - Duration::days(7);
    let window = Interval::new(
        crate::time::start_of_day(me.zone_on(first), first),
        crate::time::start_of_day(
            me.zone_on(today + Duration::days(i64::from(days))),
            today + Duration::days(i64::from(days)),
        ),
    )?;
    let schedule = TeamSchedule::build(team, window, Duration::days(2));
    let mine = &schedule.members[me_index];
    // The schedule runs two days past the window (the relay's handoffs need them); the feed does not.
    let in_window = |iv: &&Interval| iv.start < window.end && iv.end > window.start;
    let mut events = Vec::new();
    // Focus blocks: numbered within their local start date.
    let mut last: Option<(NaiveDate, usize)> = None;
    for iv in mine.focus.intervals().iter().filter(in_window) {
        let date = iv.start.with_timezone(&me.zone_at(iv.start)).date_naive();
        let n = match last {
            Some((d, n)) if d == date => n + 1,
            _ => 0,
        };
        last = Some((date, n));
        events.push(ExportEvent {
            uid: format!("focus-{date}-{n}{UID_DOMAIN}"),
            summary: "Focus (Baton)".into(),
            description: Some(format!(
                "{}'s focus block: notifications are held until it ends.",
                me.name
            )),
            interval: *iv,
            busy: true,
            categories: vec!["FOCUS".into()],
        });
    }
    for s in sessions {
        let Some(iv) = s.interval().and_then(|iv| iv.intersection(&window)) else {
            continue;
        };
        events.push(ExportEvent {
            uid: format!("session-{}{UID_DOMAIN}", s.id),
            summary: "Focus (Baton)".into(),
            description: Some(format!("{}'s focus session.", me.name)),
            interval: iv,
            busy: true,
            categories: vec!["FOCUS".into()],
        });
    }
    // Handoffs I give or receive: each day's best pass of the relay.
    let relay = query::relay(
        &schedule,
        &RelayQuery {
            order: None,
            min_sync: Duration::minutes(crate::desktop::views::MIN_SYNC_MINUTES),
            include_focus: false,
            include_busy: false,
        },
    );
    for link in relay
        .links
        .iter()
        .filter(|l| l.from == me_index || l.to == me_index)
    {
        let (giver, receiver) = (&team.members[link.from], &team.members[link.to]);
        let h = &link.handoff;
        let Some(iv) = Interval::new(h.start, h.end.max(h.start + Duration::minutes(15))) else {
            continue;
        };
        // A written pass may start after the window, on the next day of the look-ahead.
        if iv.start >= window.end {
            continue;
        }
        let local = |m: &crate::team::Member, t: Instant| {
            let z = m.zone_at(t);
            format!("{} {}", t.with_timezone(&z).format("%a %H:%M"), z.name())
        };
        let kind = if h.kind == query::HandoffKind::Sync {
            "live handoff"
        } else {
            "written handoff"
        };
        events.push(ExportEvent {
            uid: format!(
                "handoff-{}-{}-{}{UID_DOMAIN}",
                slug(&giver.name),
                slug(&receiver.name),
                h.giver_day
            ),
            summary: format!("Handoff {} → {}", giver.name, receiver.name),
            description: Some(format!(
                "A {kind} from {} to {}.\n{}: {} to {}\n{}: {} to {}",
                giver.name,
                receiver.name,
                giver.name,
                local(giver, h.start),
                local(giver, h.end),
                receiver.name,
                local(receiver, h.start),
                local(receiver, h.end),
            )),
            interval: iv,
            busy: false,
            categories: vec!["HANDOFF".into()],
        });
    }
    events.sort_by(|a, b| (a.interval.start, &a.uid).cmp(&(b.interval.start, &b.uid)));
    // Days off and holidays, one all-day event per date (a calendar shows a range the same way).
    let mut day_events = Vec::new();
    let last_date = today + Duration::days(i64::from(days));
    for date in first.iter_days().take_while(|d| *d < last_date) {
        if let Some(name) = me.holiday_on(date) {
            day_events.push(ExportDay {
                uid: format!("holiday-{date}{UID_DOMAIN}"),
                summary: format!("Holiday: {name}"),
                first: date,
                last: date,
                categories: vec!["HOLIDAY".into()],
            });
        } else if me.days_off.iter().any(|r| r.contains(date)) {
            day_events.push(ExportDay {
                uid: format!("off-{date}{UID_DOMAIN}"),
                summary: format!("{} off", me.name),
                first: date,
                last: date,
                categories: vec!["DAY-OFF".into()],
            });
        }
    }
    Some(ExportFeed {
        name: format!("Baton: {}", me.name),
        zone: me.time_zone,
        generated: now,
        events,
        days: day_events,
        available: mine
            .working
            .intervals()
            .iter()
            .filter(in_window)
            .copied()
            .collect(),
        window,
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    const TEAM: &str = r#"
name = "T"
me = "Ana"
members = [
  { name = "Ana", time_zone = "Europe/Berlin", hours = ["mon-fri 09:00-17:00"], focus = ["mon 09:00-11:00", "mon 14:00-15:00"], days_off = ["2026-03-11"], holidays = "DE-BY" },
  { name = "Kenji", time_zone = "Asia/Tokyo", hours = ["mon-fri 09:00-17:00"] },
]
"#;

    #[test]
    fn my_feed_has_my_focus_days_off_hours_and_handoffs_with_stable_uids() {
        let team = Team::from_toml_str(TEAM, "t.toml").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 9, 6, 0, 0).unwrap();
        let session = FocusSession {
            id: 7,
            started_at: Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 3, 10, 13, 0, 0).unwrap(),
            stopped_at: None,
        };
        let feed = my_feed(&team, &[session], now, 7).unwrap();
        assert_eq!(feed.name, "Baton: Ana");
        let at = |d, h| Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap();
        // Monday 9 March: two focus blocks, 09:00-11:00 and 14:00-15:00 CET (08:00Z, 13:00Z).
        let monday: Vec<_> = feed
            .events
            .iter()
            .filter(|e| e.uid.starts_with("focus-2026-03-09"))
            .map(|e| (e.uid.as_str(), e.interval))
            .collect();
        assert_eq!(
            monday,
            [
                (
                    "focus-2026-03-09-0@baton.local",
                    Interval::new(at(9, 8), at(9, 10)).unwrap()
                ),
                (
                    "focus-2026-03-09-1@baton.local",
                    Interval::new(at(9, 13), at(9, 14)).unwrap()
                ),
            ]
        );
        assert!(feed
            .events
            .iter()
            .any(|e| e.uid == "session-7@baton.local" && e.busy));
        // Kenji hands to Ana each weekday (his day ends as hers starts): a handoff with both local times.
        let handoff = feed
            .events
            .iter()
            .find(|e| e.uid == "handoff-kenji-ana-2026-03-10@baton.local")
            .expect("Kenji's Tuesday handoff to Ana");
        let text = handoff.description.as_deref().unwrap();
        assert!(
            text.contains("Asia/Tokyo") && text.contains("Europe/Berlin"),
            "{text}"
        );
        assert!(!handoff.busy);
        // Wednesday 11 March off; no holiday in the week in Bavaria.
        assert_eq!(
            feed.days.iter().map(|d| d.uid.as_str()).collect::<Vec<_>>(),
            ["off-2026-03-11@baton.local"]
        );
        // Working time: Tuesday 10 March 08:00-16:00Z is available, Wednesday is not.
        assert!(feed
            .available
            .contains(&Interval::new(at(10, 8), at(10, 16)).unwrap()));
        assert!(!feed
            .available
            .iter()
            .any(|iv| iv.start.date_naive() == at(11, 0).date_naive()));
        // Nothing past the window, not even a written pass on the look-ahead's next day.
        assert!(
            feed.events
                .iter()
                .all(|e| e.interval.start < feed.window.end),
            "{:?}",
            feed.events.last()
        );
        // The same input gives the same feed.
        assert_eq!(my_feed(&team, &[], now, 7), my_feed(&team, &[], now, 7));
    }

    #[test]
    fn no_me_no_feed() {
        let mut team = Team::from_toml_str(TEAM, "t.toml").unwrap();
        team.me = None;
        assert_eq!(my_feed(&team, &[], Utc::now(), 7), None);
    }
}
