//! The policy's rules at exact instants in awkward zones, with a fake clock: every `now` is passed in.

use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::notify::notification::{Item, Urgency};
use crate::team::Team;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// A team of one, who is `me`.
fn me(zone: &str, hours: &[&str], focus: &[&str], days_off: &[&str]) -> Team {
    let list = |v: &[&str]| {
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Team::from_toml_str(
        &format!(
            "name = \"T\"\nme = \"me\"\n[[members]]\nname = \"Me\"\ntime_zone = \"{zone}\"\n\
             hours = [{}]\nfocus = [{}]\ndays_off = [{}]\n",
            list(hours),
            list(focus),
            list(days_off)
        ),
        "t.toml",
    )
    .unwrap()
}

fn item(id: i64, source: &str, urgency: Urgency, received_at: Instant) -> Item {
    Item {
        id,
        source: source.into(),
        group: None,
        sender: None,
        title: format!("item {id}"),
        body: None,
        urgency,
        url: None,
        received_at,
    }
}

fn settings(cadence: &str) -> PolicySettings {
    PolicySettings {
        cadence: cadence.parse().unwrap(),
        ..PolicySettings::default()
    }
}

/// A fake delivery loop: the held items, my sessions and the breakthroughs it has delivered.
struct Desk {
    team: Team,
    settings: PolicySettings,
    sessions: Vec<FocusSession>,
    held: Vec<Item>,
    breakthroughs: Vec<(String, Instant)>,
}

impl Desk {
    fn new(team: Team, settings: PolicySettings) -> Self {
        Desk {
            team,
            settings,
            sessions: Vec::new(),
            held: Vec::new(),
            breakthroughs: Vec::new(),
        }
    }

    fn ctx(&self, now: Instant) -> PolicyContext<'_> {
        PolicyContext {
            team: &self.team,
            sessions: &self.sessions,
            settings: &self.settings,
            breakthroughs: &self.breakthroughs,
            now,
        }
    }

    fn plan(&self, now: Instant) -> Plan {
        plan(&self.ctx(now), &self.held)
    }

    /// Plans at `now` and delivers what the plan says, as the loop will.
    fn run(&mut self, now: Instant) -> Plan {
        let p = self.plan(now);
        for id in &p.urgent {
            let i = self.held.iter().position(|i| i.id == *id).unwrap();
            let it = self.held.remove(i);
            if it.urgency != Urgency::Critical {
                self.breakthroughs.push((it.source, it.received_at));
            }
        }
        if let Some(d) = &p.digest {
            self.held.retain(|i| !d.items.contains(&i.id));
        }
        p
    }

    /// An item arrives at `at` and the loop plans then.
    fn arrive(&mut self, it: Item) -> Plan {
        let at = it.received_at;
        self.held.push(it);
        self.run(at)
    }
}

fn digest(p: &Plan) -> (DigestKind, Vec<i64>) {
    let d = p.digest.as_ref().expect("a digest");
    (d.kind, d.items.clone())
}

#[test]
fn a_focus_session_holds_everything_and_its_end_releases_one_digest() {
    // New York, Monday 9 March 2026 (EDT, UTC-4); a session 10:00-11:00 EDT (14:00-15:00 UTC).
    let mut desk = Desk::new(
        me("America/New_York", &["mon-fri 09:00-17:00"], &[], &[]),
        settings("instant"),
    );
    desk.sessions.push(FocusSession {
        id: 1,
        started_at: utc(2026, 3, 9, 14, 0),
        ends_at: utc(2026, 3, 9, 15, 0),
        stopped_at: None,
    });
    let p = desk.arrive(item(1, "ci", Urgency::High, utc(2026, 3, 9, 14, 10)));
    assert_eq!(
        p.urgent,
        Vec::<i64>::new(),
        "high is not a breakthrough by itself"
    );
    assert_eq!(p.digest, None, "instant cadence still holds in focus");
    assert_eq!(
        p.next_wake,
        Some(utc(2026, 3, 9, 15, 0)),
        "the session's end"
    );
    desk.arrive(item(2, "github", Urgency::Low, utc(2026, 3, 9, 14, 40)));
    assert_eq!(
        desk.plan(utc(2026, 3, 9, 14, 59)).next_wake,
        Some(utc(2026, 3, 9, 15, 0))
    );
    let p = desk.run(utc(2026, 3, 9, 15, 0));
    assert_eq!(digest(&p), (DigestKind::FocusEnded, vec![1, 2]));
    assert_eq!(p.digest.as_ref().and_then(|d| d.focus_minutes), Some(60));
    assert_eq!(p.next_wake, None, "nothing left");
    assert!(desk.held.is_empty());
}

#[test]
fn stopping_a_session_early_releases_at_the_stop() {
    let mut desk = Desk::new(
        me("America/New_York", &["mon-fri 09:00-17:00"], &[], &[]),
        settings("at 10:00,13:00,16:00"),
    );
    let session = FocusSession {
        id: 1,
        started_at: utc(2026, 3, 9, 14, 0),
        ends_at: utc(2026, 3, 9, 16, 0),
        stopped_at: None,
    };
    desk.sessions.push(session);
    desk.arrive(item(1, "ci", Urgency::Normal, utc(2026, 3, 9, 14, 10)));
    assert_eq!(
        desk.plan(utc(2026, 3, 9, 14, 30)).next_wake,
        Some(utc(2026, 3, 9, 16, 0))
    );
    desk.sessions[0].stopped_at = Some(utc(2026, 3, 9, 14, 31));
    let p = desk.run(utc(2026, 3, 9, 14, 31));
    assert_eq!(digest(&p), (DigestKind::FocusEnded, vec![1]));
    assert_eq!(
        p.digest.as_ref().and_then(|d| d.focus_minutes),
        Some(31),
        "the focus as it was, stopped early"
    );
}

#[test]
fn a_team_focus_block_ends_with_a_digest() {
    // Kolkata (UTC+05:30), Monday 5 January 2026, focus 13:00-15:00 IST = 07:30-09:30 UTC.
    let mut desk = Desk::new(
        me(
            "Asia/Kolkata",
            &["mon-fri 09:00-17:00"],
            &["mon 13:00-15:00"],
            &[],
        ),
        settings("every 30m"),
    );
    let p = desk.arrive(item(1, "ci", Urgency::Normal, utc(2026, 1, 5, 8, 0)));
    assert_eq!(
        p.next_wake,
        Some(utc(2026, 1, 5, 9, 30)),
        "15:00 IST, not a tick inside focus"
    );
    desk.arrive(item(2, "ci", Urgency::Normal, utc(2026, 1, 5, 9, 0)));
    let p = desk.run(utc(2026, 1, 5, 9, 30));
    assert_eq!(digest(&p), (DigestKind::FocusEnded, vec![1, 2]));
    assert_eq!(p.digest.as_ref().and_then(|d| d.focus_minutes), Some(120));
}

#[test]
fn the_start_of_day_digest_is_at_the_local_start_across_spring_forward() {
    // Friday 6 March 2026 20:00 EST; New York springs forward on Sunday 8 March. Monday 09:00 is EDT:
    // 13:00 UTC, where Friday's 09:00 was 14:00 UTC.
    let mut desk = Desk::new(
        me("America/New_York", &["mon-fri 09:00-17:00"], &[], &[]),
        PolicySettings::default(),
    );
    let p = desk.arrive(item(1, "ci", Urgency::Normal, utc(2026, 3, 7, 1, 0)));
    assert_eq!(p.next_wake, Some(utc(2026, 3, 9, 13, 0)));
    let p = desk.run(utc(2026, 3, 9, 12, 59));
    assert_eq!(
        (p.digest.is_none(), p.next_wake),
        (true, Some(utc(2026, 3, 9, 13, 0)))
    );
    let p = desk.run(utc(2026, 3, 9, 13, 0));
    assert_eq!(digest(&p), (DigestKind::StartOfDay, vec![1]));
}

#[test]
fn the_start_of_day_digest_is_at_the_local_start_across_fall_back() {
    // London leaves BST on Sunday 25 October 2026: Friday 09:00 BST is 08:00 UTC, Monday 09:00 GMT 09:00.
    let mut desk = Desk::new(
        me("Europe/London", &["mon-fri 09:00-17:00"], &[], &[]),
        PolicySettings::default(),
    );
    let p = desk.arrive(item(1, "ci", Urgency::Low, utc(2026, 10, 23, 17, 0)));
    assert_eq!(p.next_wake, Some(utc(2026, 10, 26, 9, 0)));
    assert!(
        desk.run(utc(2026, 10, 26, 8, 0)).digest.is_none(),
        "08:00 GMT is 08:00 local"
    );
    assert_eq!(
        digest(&desk.run(utc(2026, 10, 26, 9, 0))),
        (DigestKind::StartOfDay, vec![1])
    );
}

#[test]
fn a_day_that_opens_in_focus_gives_its_start_of_day_digest_when_focus_ends() {
    let mut desk = Desk::new(
        me(
            "Europe/London",
            &["mon-fri 09:00-17:00"],
            &["mon 09:00-11:00"],
            &[],
        ),
        PolicySettings::default(),
    );
    let p = desk.arrive(item(1, "ci", Urgency::Normal, utc(2026, 1, 4, 12, 0)));
    assert_eq!(
        p.next_wake,
        Some(utc(2026, 1, 5, 11, 0)),
        "Sunday's item waits out the focus"
    );
    let p = desk.run(utc(2026, 1, 5, 11, 0));
    assert_eq!(digest(&p), (DigestKind::StartOfDay, vec![1]));
}

#[test]
fn digest_times_are_local_to_me() {
    // Kathmandu (UTC+05:45): 13:00 NPT is 07:15 UTC.
    let mut desk = Desk::new(
        me("Asia/Kathmandu", &["mon-fri 09:00-17:00"], &[], &[]),
        settings("at 10:00,13:00,16:00"),
    );
    let p = desk.arrive(item(1, "ci", Urgency::Normal, utc(2026, 1, 5, 4, 45)));
    assert_eq!(p.next_wake, Some(utc(2026, 1, 5, 7, 15)));
    let p = desk.run(utc(2026, 1, 5, 7, 15));
    assert_eq!(digest(&p), (DigestKind::Cadence, vec![1]));
    // After 16:00 NPT the next point is tomorrow's start of day at 09:00 NPT (03:15 UTC).
    let p = desk.arrive(item(2, "ci", Urgency::Normal, utc(2026, 1, 5, 10, 30)));
    assert_eq!(p.next_wake, Some(utc(2026, 1, 6, 3, 15)));
}

#[test]
fn every_n_minutes_ticks_on_a_local_grid_from_midnight() {
    // St John's in June is NDT, UTC-02:30. A 45-minute grid from local midnight has 09:00, 09:45,
    // 10:30: an item at 09:50 NDT (12:20 UTC) goes at 10:30 NDT (13:00 UTC).
    let team = me("America/St_Johns", &["mon-fri 09:00-17:00"], &[], &[]);
    let mut desk = Desk::new(team, settings("every 45m"));
    let p = desk.arrive(item(1, "ci", Urgency::Normal, utc(2026, 6, 15, 12, 20)));
    assert_eq!(p.next_wake, Some(utc(2026, 6, 15, 13, 0)));
    let p = desk.run(utc(2026, 6, 15, 13, 0));
    assert_eq!(digest(&p), (DigestKind::Cadence, vec![1]));
    // Exactly on a tick: released at once.
    let p = desk.arrive(item(2, "ci", Urgency::Normal, utc(2026, 6, 15, 13, 45)));
    assert_eq!(digest(&p), (DigestKind::Cadence, vec![2]));
    let ticks: Vec<Instant> = desk_timeline(&desk, utc(2026, 6, 15, 12, 0))
        .points()
        .iter()
        .filter(|p| p.at.date_naive() == utc(2026, 6, 15, 0, 0).date_naive())
        .map(|p| p.at)
        .collect();
    assert_eq!(
        ticks.first(),
        Some(&utc(2026, 6, 15, 11, 30)),
        "09:00 NDT starts the day"
    );
    assert_eq!(ticks.get(1), Some(&utc(2026, 6, 15, 12, 15)), "09:45 NDT");
    assert_eq!(
        ticks.last(),
        Some(&utc(2026, 6, 15, 19, 0)),
        "16:30 NDT, the last before 17:00"
    );
}

fn desk_timeline(desk: &Desk, now: Instant) -> Timeline {
    Timeline::new(&desk.team, &desk.sessions, &desk.settings, now, now)
}

#[test]
fn off_hours_only_critical_breaks_through() {
    let mut desk = Desk::new(
        me("Europe/London", &["mon-fri 09:00-17:00"], &[], &[]),
        PolicySettings {
            urgent_sources: vec!["pagerduty".into()],
            urgent_keywords: vec!["outage".into()],
            ..PolicySettings::default()
        },
    );
    let night = utc(2026, 1, 5, 22, 0);
    let p = desk.arrive(item(1, "pagerduty", Urgency::High, night));
    assert!(
        p.urgent.is_empty(),
        "an allow-listed source waits off-hours"
    );
    let mut outage = item(2, "status", Urgency::High, night + Duration::minutes(1));
    outage.title = "Outage in eu-west".into();
    assert!(desk.arrive(outage).urgent.is_empty(), "so does a keyword");
    let p = desk.arrive(item(
        3,
        "pagerduty",
        Urgency::Critical,
        night + Duration::minutes(2),
    ));
    assert_eq!(p.urgent, vec![3], "critical reaches me at night");
    assert_eq!(p.next_wake, Some(utc(2026, 1, 6, 9, 0)));
    let p = desk.run(utc(2026, 1, 6, 9, 0));
    assert_eq!(digest(&p), (DigestKind::StartOfDay, vec![1, 2]));
    assert!(
        p.digest.unwrap().capped.is_empty(),
        "waiting off-hours is not the cap"
    );
}

#[test]
fn allow_listed_senders_sources_and_keywords_pass_in_focus() {
    let mut desk = Desk::new(
        me(
            "Europe/Berlin",
            &["mon-fri 09:00-17:00"],
            &["mon 09:00-12:00"],
            &[],
        ),
        PolicySettings {
            urgent_sources: vec!["PagerDuty".into()],
            urgent_senders: vec!["ana@example.com".into()],
            urgent_keywords: vec!["prod down".into()],
            ..PolicySettings::default()
        },
    );
    // Monday 5 January 2026, 10:00 CET = 09:00 UTC, in the focus block.
    let t = utc(2026, 1, 5, 9, 0);
    assert_eq!(
        desk.arrive(item(1, "pagerduty", Urgency::Low, t)).urgent,
        vec![1]
    );
    let mut from_ana = item(2, "mail", Urgency::Normal, t + Duration::minutes(1));
    from_ana.sender = Some("Ana@example.com".into());
    assert_eq!(desk.arrive(from_ana).urgent, vec![2]);
    let mut keyword = item(3, "chat", Urgency::Normal, t + Duration::minutes(2));
    keyword.body = Some("PROD DOWN since 09:58".into());
    assert_eq!(desk.arrive(keyword).urgent, vec![3]);
    let p = desk.arrive(item(4, "chat", Urgency::High, t + Duration::minutes(3)));
    assert!(p.urgent.is_empty(), "nothing else breaks the focus");
    assert_eq!(
        p.next_wake,
        Some(utc(2026, 1, 5, 11, 0)),
        "12:00 CET, focus ends"
    );
}

#[test]
fn the_cap_holds_the_fourth_urgent_item_of_the_hour_until_the_digest() {
    let mut desk = Desk::new(
        me(
            "Europe/London",
            &["mon-fri 09:00-17:00"],
            &["mon 09:00-12:00"],
            &[],
        ),
        PolicySettings {
            urgent_sources: vec!["ci".into()],
            ..PolicySettings::default()
        },
    );
    let t = |m| utc(2026, 1, 5, 9, m);
    for (id, m) in [(1, 10), (2, 20), (3, 30)] {
        assert_eq!(
            desk.arrive(item(id, "ci", Urgency::Normal, t(m))).urgent,
            vec![id]
        );
    }
    let p = desk.arrive(item(4, "ci", Urgency::Normal, t(40)));
    assert!(p.urgent.is_empty(), "the fourth within an hour waits");
    assert_eq!(p.next_wake, Some(utc(2026, 1, 5, 12, 0)));
    // Critical always passes and does not use the allowance.
    assert_eq!(
        desk.arrive(item(5, "ci", Urgency::Critical, t(45))).urgent,
        vec![5]
    );
    // The hour slides on: the capped item still waits (it was capped when it arrived) ...
    assert!(desk.run(utc(2026, 1, 5, 10, 40)).urgent.is_empty());
    // ... while a new one, with three breakthroughs more than an hour old, passes.
    let p = desk.arrive(item(6, "ci", Urgency::Normal, utc(2026, 1, 5, 10, 45)));
    assert_eq!(p.urgent, vec![6]);
    let p = desk.run(utc(2026, 1, 5, 12, 0));
    let d = p.digest.unwrap();
    // The day opened in focus, so the end of the focus is the day's first digest.
    assert_eq!(
        (d.kind, d.items, d.capped),
        (DigestKind::StartOfDay, vec![4], vec![("ci".into(), 1)])
    );
    assert_eq!(d.cap_per_hour, 3);
}

#[test]
fn the_cap_counts_breakthroughs_the_store_remembers_and_is_per_source() {
    let team = me(
        "Europe/London",
        &["mon-fri 09:00-17:00"],
        &["mon 09:00-12:00"],
        &[],
    );
    let settings = PolicySettings {
        urgent_sources: vec!["ci".into(), "pager".into()],
        urgent_cap_per_hour: 2,
        ..PolicySettings::default()
    };
    let now = utc(2026, 1, 5, 10, 0);
    let recorded = vec![
        ("ci".to_string(), now - Duration::minutes(50)),
        ("ci".to_string(), now - Duration::minutes(10)),
        ("ci".to_string(), now - Duration::minutes(70)), // outside the hour
    ];
    let held = vec![
        item(1, "ci", Urgency::High, now),
        item(2, "pager", Urgency::High, now),
    ];
    let ctx = PolicyContext {
        team: &team,
        sessions: &[],
        settings: &settings,
        breakthroughs: &recorded,
        now,
    };
    assert_eq!(plan(&ctx, &held).urgent, vec![2]);
    let cap0 = PolicySettings {
        urgent_cap_per_hour: 0,
        ..settings.clone()
    };
    let ctx = PolicyContext {
        settings: &cap0,
        breakthroughs: &[],
        ..ctx
    };
    assert!(plan(&ctx, &held).urgent.is_empty(), "cap 0: only critical");
    assert_eq!(cap_history_from(&held, now), now - Duration::hours(1));
}

#[test]
fn urgent_rules_also_skip_the_cadence_in_free_time() {
    let mut desk = Desk::new(
        me("Europe/London", &["mon-fri 09:00-17:00"], &[], &[]),
        PolicySettings {
            urgent_senders: vec!["boss".into()],
            ..PolicySettings::default()
        },
    );
    let mut it = item(1, "mail", Urgency::Low, utc(2026, 1, 5, 10, 5));
    it.sender = Some("boss".into());
    assert_eq!(desk.arrive(it).urgent, vec![1]);
    let p = desk.arrive(item(2, "mail", Urgency::High, utc(2026, 1, 5, 10, 6)));
    assert_eq!(
        p.next_wake,
        Some(utc(2026, 1, 5, 13, 0)),
        "the next digest time"
    );
}

#[test]
fn missed_points_wait_for_free_time_never_a_delivery_at_night() {
    let mut desk = Desk::new(
        me("Europe/London", &["mon-fri 09:00-17:00"], &[], &[]),
        PolicySettings::default(),
    );
    desk.held
        .push(item(1, "ci", Urgency::Normal, utc(2026, 1, 5, 15, 0)));
    // The 16:00 digest was missed (laptop asleep); at 02:00 nothing is delivered.
    let p = desk.run(utc(2026, 1, 6, 2, 0));
    assert_eq!((p.digest, p.next_wake), (None, Some(utc(2026, 1, 6, 9, 0))));
    let p = desk.run(utc(2026, 1, 6, 9, 0));
    assert_eq!(digest(&p), (DigestKind::StartOfDay, vec![1]));
    // Missed in free time: caught up at once, as a cadence digest.
    desk.held
        .push(item(2, "ci", Urgency::Normal, utc(2026, 1, 6, 9, 30)));
    let p = desk.run(utc(2026, 1, 6, 14, 20));
    assert_eq!(digest(&p), (DigestKind::Cadence, vec![2]));
}

#[test]
fn an_urgent_item_missed_in_working_hours_is_not_delivered_off_hours() {
    let mut desk = Desk::new(
        me("Europe/London", &["mon-fri 09:00-17:00"], &[], &[]),
        PolicySettings {
            urgent_sources: vec!["ci".into()],
            ..PolicySettings::default()
        },
    );
    desk.held
        .push(item(1, "ci", Urgency::High, utc(2026, 1, 5, 16, 50)));
    let p = desk.run(utc(2026, 1, 5, 18, 0));
    assert!(p.urgent.is_empty());
    assert_eq!(p.next_wake, Some(utc(2026, 1, 6, 9, 0)));
}

#[test]
fn instant_delivers_in_free_time_as_it_arrives() {
    let mut desk = Desk::new(
        me("Europe/London", &["mon-fri 09:00-17:00"], &[], &[]),
        settings("instant"),
    );
    let p = desk.arrive(item(1, "ci", Urgency::Low, utc(2026, 1, 5, 14, 3)));
    assert_eq!(digest(&p), (DigestKind::Cadence, vec![1]));
    assert_eq!(p.next_wake, None);
}

#[test]
fn with_no_me_all_time_is_working_in_utc() {
    let mut team = me("Asia/Tokyo", &["mon-fri 09:00-17:00"], &[], &[]);
    team.me = None;
    let mut desk = Desk::new(team, settings("every 30m"));
    // Sunday 03:10 UTC: the grid is UTC's.
    let p = desk.arrive(item(1, "ci", Urgency::Normal, utc(2026, 1, 4, 3, 10)));
    assert_eq!(p.next_wake, Some(utc(2026, 1, 4, 3, 30)));
    let mut desk = Desk::new(me("Asia/Tokyo", &[], &[], &[]), settings("at 10:00"));
    let p = desk.arrive(item(1, "ci", Urgency::Normal, utc(2026, 1, 4, 3, 10)));
    assert_eq!(
        p.next_wake,
        Some(utc(2026, 1, 5, 1, 0)),
        "10:00 in my zone when I have no hours"
    );
}

#[test]
fn next_wake_is_the_earliest_future_release_or_the_horizon() {
    let mut desk = Desk::new(
        me(
            "Europe/London",
            &["mon-fri 09:00-17:00"],
            &["tue 09:00-12:00"],
            &[],
        ),
        PolicySettings::default(),
    );
    assert_eq!(
        desk.plan(utc(2026, 1, 5, 10, 0)).next_wake,
        None,
        "nothing held"
    );
    desk.held = vec![
        item(1, "ci", Urgency::Normal, utc(2026, 1, 6, 9, 30)),
        item(2, "ci", Urgency::Critical, utc(2026, 1, 6, 11, 30)),
    ];
    let p = desk.plan(utc(2026, 1, 6, 9, 45));
    assert_eq!(
        p.next_wake,
        Some(utc(2026, 1, 6, 11, 30)),
        "a critical arriving later (clock skew)"
    );
    desk.held.pop();
    assert_eq!(
        desk.plan(utc(2026, 1, 6, 9, 45)).next_wake,
        Some(utc(2026, 1, 6, 12, 0))
    );
    // A year of days off: nothing within the horizon, so wake at its end and look again.
    let mut desk = Desk::new(
        me(
            "Europe/London",
            &["mon-fri 09:00-17:00"],
            &[],
            &["2026-01-01..2026-12-31"],
        ),
        PolicySettings::default(),
    );
    desk.held
        .push(item(1, "ci", Urgency::Normal, utc(2026, 1, 6, 9, 30)));
    let now = utc(2026, 1, 6, 10, 0);
    assert_eq!(desk.plan(now).next_wake, Some(now + LOOKAHEAD));
}

#[test]
fn deliver_now_sends_everything_as_one_manual_digest() {
    let mut desk = Desk::new(
        me(
            "Europe/London",
            &["mon-fri 09:00-17:00"],
            &["mon 09:00-12:00"],
            &[],
        ),
        PolicySettings {
            urgent_sources: vec!["ci".into()],
            urgent_cap_per_hour: 1,
            ..PolicySettings::default()
        },
    );
    desk.held = vec![
        item(3, "ci", Urgency::Normal, utc(2026, 1, 5, 9, 20)),
        item(1, "ci", Urgency::Normal, utc(2026, 1, 5, 9, 10)),
        item(2, "mail", Urgency::Critical, utc(2026, 1, 5, 9, 15)),
    ];
    let p = deliver_now(&desk.ctx(utc(2026, 1, 5, 9, 30)), &desk.held);
    assert_eq!(p.urgent, Vec::<i64>::new());
    assert_eq!(p.next_wake, None);
    let d = p.digest.unwrap();
    assert_eq!((d.kind, d.items), (DigestKind::Manual, vec![1, 2, 3]));
    assert_eq!(
        d.capped,
        vec![("ci".to_string(), 1)],
        "item 1 used the allowance of one"
    );
    assert_eq!(
        deliver_now(&desk.ctx(utc(2026, 1, 5, 9, 30)), &[]).digest,
        None
    );
}

#[test]
fn reply_by_counts_my_working_hours_across_a_weekend_and_dst() {
    // Friday 6 March 2026 16:00 EST (21:00 UTC), hours 09:00-17:00: one hour on Friday, three on
    // Monday 9 March, which is EDT after Sunday's change: 12:00 EDT = 16:00 UTC.
    let team = me("America/New_York", &["mon-fri 09:00-17:00"], &[], &[]);
    let settings = PolicySettings::default();
    let received = utc(2026, 3, 6, 21, 0);
    let tl = Timeline::new(&team, &[], &settings, received, received);
    let at = |urgency| reply_by(&item(1, "ci", urgency, received), &tl);
    assert_eq!(at(Urgency::High), utc(2026, 3, 9, 16, 0));
    assert_eq!(at(Urgency::Critical), received);
    // Normal, 24 working hours: 1 Fri + 8 Mon + 8 Tue + 7 Wed = Wednesday 16:00 EDT.
    assert_eq!(at(Urgency::Normal), utc(2026, 3, 11, 20, 0));
    // Low, 48: 1 + 5 × 8 + 7 = the Monday after, 16:00 EDT.
    assert_eq!(at(Urgency::Low), utc(2026, 3, 16, 20, 0));
    // Received off-hours: counting starts with the next working hour. A day off is skipped.
    let team = me(
        "America/New_York",
        &["mon-fri 09:00-17:00"],
        &[],
        &["2026-03-09"],
    );
    let tl = Timeline::new(&team, &[], &settings, received, received);
    let saturday = item(1, "ci", Urgency::High, utc(2026, 3, 7, 15, 0));
    assert_eq!(
        reply_by(&saturday, &tl),
        utc(2026, 3, 10, 17, 0),
        "Tuesday 13:00 EDT"
    );
    // Ending exactly at the end of a day: that evening, not the next morning.
    let thursday = item(1, "ci", Urgency::High, utc(2026, 3, 5, 13 + 5, 0));
    let tl = Timeline::new(&team, &[], &settings, thursday.received_at, received);
    assert_eq!(
        reply_by(&thursday, &tl),
        utc(2026, 3, 5, 22, 0),
        "Thursday 17:00 EST"
    );
}

#[test]
fn overdue_is_after_the_reply_by_time() {
    let team = me("Europe/London", &["mon-fri 09:00-17:00"], &[], &[]);
    let settings = PolicySettings::default();
    let it = item(1, "ci", Urgency::High, utc(2026, 1, 5, 9, 0));
    let tl = Timeline::new(
        &team,
        &[],
        &settings,
        it.received_at,
        utc(2026, 1, 5, 13, 0),
    );
    assert!(
        !overdue(&it, &tl, utc(2026, 1, 5, 13, 0)),
        "due at 13:00, not yet overdue"
    );
    assert!(overdue(&it, &tl, utc(2026, 1, 5, 13, 1)));
    let fire = item(2, "ci", Urgency::Critical, utc(2026, 1, 5, 9, 0));
    assert!(overdue(&fire, &tl, utc(2026, 1, 5, 9, 1)));
}

#[test]
fn cadence_ticks_follow_my_trip_zone_across_its_dst_change() {
    // Home in Berlin (CET, UTC+1 until 29 March); in New York from Friday 6 to Tuesday 10 March 2026,
    // where the clocks go forward on Sunday 8 March (EST UTC-5, then EDT UTC-4). Digests at 10:00,
    // 13:00 and 16:00 local, in the zone of each date.
    let team = Team::from_toml_str(
        r#"
name = "T"
me = "me"
[[members]]
name = "Me"
time_zone = "Europe/Berlin"
hours = ["mon-fri 09:00-17:00"]
travel = [{ from = "2026-03-06", to = "2026-03-10", time_zone = "America/New_York" }]
"#,
        "t.toml",
    )
    .unwrap();
    let settings = settings("at 10:00,13:00,16:00");
    let now = utc(2026, 3, 9, 15, 0);
    let tl = Timeline::new(&team, &[], &settings, utc(2026, 3, 5, 0, 0), now);
    let ticks = |d: u32| -> Vec<Instant> {
        tl.points()
            .iter()
            .filter(|p| {
                p.kind == DigestKind::Cadence
                    && p.at.date_naive() == utc(2026, 3, d, 0, 0).date_naive()
            })
            .map(|p| p.at)
            .collect()
    };
    // Thursday at home: 10:00, 13:00, 16:00 CET.
    assert_eq!(
        ticks(5),
        [
            utc(2026, 3, 5, 9, 0),
            utc(2026, 3, 5, 12, 0),
            utc(2026, 3, 5, 15, 0)
        ]
    );
    // Friday in New York, EST: not Berlin's 09:00 and 12:00 UTC, which are before the day starts there.
    assert_eq!(
        ticks(6),
        [
            utc(2026, 3, 6, 15, 0),
            utc(2026, 3, 6, 18, 0),
            utc(2026, 3, 6, 21, 0)
        ]
    );
    // Monday, EDT since Sunday.
    assert_eq!(
        ticks(9),
        [
            utc(2026, 3, 9, 14, 0),
            utc(2026, 3, 9, 17, 0),
            utc(2026, 3, 9, 20, 0)
        ]
    );
    // Wednesday, home again.
    assert_eq!(
        ticks(11),
        [
            utc(2026, 3, 11, 9, 0),
            utc(2026, 3, 11, 12, 0),
            utc(2026, 3, 11, 15, 0)
        ]
    );
    // The Inbox's labels read in the zone I am in now.
    assert_eq!(tl.time_zone(), chrono_tz::America::New_York);
    let home = Timeline::new(&team, &[], &settings, now, utc(2026, 3, 12, 12, 0));
    assert_eq!(home.time_zone(), chrono_tz::Europe::Berlin);
}

#[test]
fn reply_by_with_no_me_is_wall_clock_hours() {
    let mut team = me("Europe/London", &["mon-fri 09:00-17:00"], &[], &[]);
    team.me = None;
    let settings = PolicySettings::default();
    let received = utc(2026, 1, 3, 20, 0);
    let tl = Timeline::new(&team, &[], &settings, received, received);
    let low = item(1, "ci", Urgency::Low, received);
    assert_eq!(reply_by(&low, &tl), received + Duration::hours(48));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    const ZONES: &[&str] = &[
        "America/New_York",
        "Europe/London",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "Pacific/Chatham",
        "America/St_Johns",
        "UTC",
    ];
    const CADENCES: &[&str] = &[
        "instant",
        "every 5m",
        "every 45m",
        "every 7h",
        "at 00:30",
        "at 10:00,13:00,16:00",
    ];

    fn hhmm(m: u32) -> String {
        format!("{:02}:{:02}", (m / 60) % 24, m % 60)
    }

    /// A member with one working span a day on some days, and focus inside some of it.
    fn arb_team() -> impl Strategy<Value = (Team, bool)> {
        (
            0..ZONES.len(),
            1u8..0x80,
            0u32..96,
            4u32..64,
            0u32..4,
            any::<bool>(),
        )
            .prop_map(|(z, days, start, len, focus_len, overnight_focus)| {
                let days: Vec<&str> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| days & (1 << i) != 0)
                    .map(|(_, d)| *d)
                    .collect();
                let days = days.join(",");
                let (s, e) = (start * 15, (start + len) * 15);
                let hours = format!("{days} {}-{}", hhmm(s), hhmm(e));
                // Focus covers at most the first three quarters of each working span; rarely, a
                // block that covers whole days instead.
                let focus = if overnight_focus {
                    "sat 00:00-24:00".to_string()
                } else {
                    format!("{days} {}-{}", hhmm(s), hhmm(s + len * 15 * focus_len / 4))
                };
                let focus_list: Vec<&str> = if focus_len == 0 && !overnight_focus {
                    vec![]
                } else {
                    vec![focus.as_str()]
                };
                (
                    me(
                        ZONES[z],
                        &[hours.as_str()],
                        &focus_list,
                        &["2026-03-10..2026-03-12"],
                    ),
                    !overnight_focus,
                )
            })
    }

    fn arb_items() -> impl Strategy<Value = Vec<Item>> {
        proptest::collection::vec((-30 * 24 * 60i64..3 * 24 * 60, 0usize..4, 0usize..3), 0..40)
            .prop_map(|v| {
                v.into_iter()
                    .enumerate()
                    .map(|(i, (minutes, u, s))| {
                        let mut it = item(
                            i as i64,
                            ["ci", "mail", "pager"][s],
                            Urgency::ALL[u],
                            utc(2026, 3, 8, 6, 0) + Duration::minutes(minutes),
                        );
                        it.title = if i % 5 == 0 {
                            "prod DOWN".into()
                        } else {
                            "ok".into()
                        };
                        it
                    })
                    .collect()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Nothing is lost: each held item is delivered now, or a wake-up is due for it; releases are
        /// delivery points in free time with no earlier point in between; and a member whose focus
        /// leaves part of every working day free gets every item released within the horizon.
        #[test]
        fn every_item_is_delivered_or_woken_for(
            (team, some_free_every_day) in arb_team(),
            items in arb_items(),
            cadence in 0..CADENCES.len(),
            now_offset in 0i64..2 * 24 * 60,
            session in proptest::option::of((0i64..3 * 24 * 60, 1i64..720)),
        ) {
            let settings = PolicySettings {
                cadence: CADENCES[cadence].parse().unwrap(),
                urgent_sources: vec!["pager".into()],
                urgent_keywords: vec!["down".into()],
                urgent_cap_per_hour: 2,
                ..PolicySettings::default()
            };
            let base = utc(2026, 3, 8, 6, 0);
            let now = base + Duration::minutes(now_offset);
            let sessions: Vec<FocusSession> = session
                .map(|(s, len)| FocusSession {
                    id: 1,
                    started_at: base + Duration::minutes(s),
                    ends_at: base + Duration::minutes(s + len),
                    stopped_at: None,
                })
                .into_iter()
                .collect();
            let ctx = PolicyContext { team: &team, sessions: &sessions, settings: &settings, breakthroughs: &[], now };
            let p = plan(&ctx, &items);
            let delivered: Vec<i64> = p.urgent.iter().chain(p.digest.iter().flat_map(|d| &d.items)).copied().collect();
            let mut sorted = delivered.clone();
            sorted.sort_unstable();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), delivered.len(), "delivered once");
            if delivered.len() < items.len() {
                prop_assert!(p.next_wake.is_some_and(|w| w > now), "held items need a future wake-up");
            }
            if p.digest.is_some() {
                prop_assert!(Timeline::new(&team, &sessions, &settings, now, now).is_free(now), "digests only in free time");
            }
            let tl = timeline_for(&ctx, &items);
            for it in &items {
                let received = it.received_at.max(tl.horizon().start);
                match tl.release(it.received_at) {
                    Some(r) => {
                        prop_assert!(r.at >= received && tl.is_free(r.at));
                        let skipped = tl.free().intervals().iter().any(|iv| {
                            iv.start >= received && iv.start < r.at && iv.start > tl.horizon().start - Duration::days(2)
                        });
                        prop_assert!(!skipped, "no free period starts between arrival and release");
                    }
                    None => prop_assert!(!some_free_every_day, "released within the horizon"),
                }
                // Reply-by against the model: exactly the target's working time lies between arrival
                // and reply-by (when both are inside the timeline).
                let by = tl.reply_by(it.urgency, it.received_at);
                prop_assert!(by >= it.received_at);
                if by < tl.horizon().end && it.received_at >= tl.horizon().start {
                    let worked = crate::time::interval::Interval::new(it.received_at, by)
                        .map_or(Duration::zero(), |span| tl.working().clip(span).total());
                    prop_assert_eq!(worked, settings.reply.working_time(it.urgency));
                }
            }
        }
    }
}
