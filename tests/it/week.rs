//! `baton week` end to end: a real database file holding a team, focus sessions and delivered
//! notifications, read back as JSON (the contract the window's week view shares) and as text.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use baton::notify::notification::{DeliveredAs, NewNotification, Urgency};
use baton::store::Store;
use baton::{Instant, Team};
use chrono::{TimeZone, Utc};
use serde_json::Value;

const TEAM: &str = r#"
name = "T"
me = "Ana"
members = [
  { name = "Ana", time_zone = "Europe/Berlin", hours = ["mon-fri 09:00-17:00", "sun 01:00-05:00"], focus = ["mon 09:00-11:00", "wed 09:00-11:00"] },
  { name = "Bo", time_zone = "America/New_York", hours = ["mon-fri 09:00-17:00"] },
]
"#;

fn z(day: u32, h: u32, m: u32) -> Instant {
    Utc.with_ymd_and_hms(2026, 3, day, h, m, 0).unwrap()
}

/// A database with the team, two sessions and a few notifications in the week of Monday 23 March
/// 2026 (Berlin's clocks go forward on its Sunday).
fn database(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("baton.db");
    let mut store = Store::open(&db).unwrap();
    store
        .replace_team(&Team::from_toml_str(TEAM, "t.toml").unwrap())
        .unwrap();
    store.start_focus(z(23, 9, 0), z(23, 11, 0)).unwrap();
    store.start_focus(z(24, 13, 0), z(24, 15, 0)).unwrap();
    store.stop_focus(z(24, 14, 30)).unwrap();
    let deliveries = [
        (
            "ci",
            Urgency::High,
            z(23, 9, 30),
            Some((z(23, 9, 30), DeliveredAs::Urgent)),
        ),
        (
            "ci",
            Urgency::Normal,
            z(23, 22, 0),
            Some((z(24, 8, 0), DeliveredAs::Digest)),
        ),
        (
            "ci",
            Urgency::Normal,
            z(23, 23, 30),
            Some((z(24, 8, 0), DeliveredAs::Digest)),
        ),
        (
            "pagerduty",
            Urgency::Critical,
            z(25, 9, 0),
            Some((z(25, 9, 0), DeliveredAs::Urgent)),
        ),
        ("mail", Urgency::Low, z(26, 10, 0), None),
    ];
    for (source, urgency, at, delivered) in deliveries {
        let n = NewNotification {
            source: source.into(),
            group: None,
            sender: None,
            title: "something happened".into(),
            body: None,
            urgency,
            url: None,
            idempotency_key: None,
        };
        let id = store.accept_notifications(&[n], at).unwrap()[0].id;
        if let Some((when, how)) = delivered {
            store.mark_delivered(&[id], when, how).unwrap();
        }
    }
    db
}

fn week(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("baton")
        .unwrap()
        .env_remove("BATON_DB")
        .arg("--db")
        .arg(db)
        .arg("week")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "baton week {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn week_json_reports_the_dst_week_in_exact_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let v: Value = serde_json::from_str(&week(&db, &["--from", "2026-03-23", "--json"])).unwrap();
    assert_eq!(v["me"], "Ana");
    assert_eq!(v["time_zone"], "Europe/Berlin");
    assert_eq!(v["from"], "2026-03-23");
    assert_eq!(v["to"], "2026-03-29");
    assert_eq!(v["start"], "2026-03-22T23:00:00Z");
    assert_eq!(v["end"], "2026-03-29T22:00:00Z");
    assert_eq!(v["hours"], 167, "the clocks go forward on Sunday");
    let f = &v["focus"];
    assert_eq!(f["scheduled_minutes"], 240);
    assert_eq!(
        f["session_minutes"], 150,
        "1h beyond Monday's block, 1h30m until the stop"
    );
    assert_eq!(f["protected_minutes"], 390);
    assert_eq!(f["goal_hours"], 10, "the default goal");
    assert_eq!(f["goal_met"], false);
    assert_eq!(f["longest_stretch"]["minutes"], 90);
    assert_eq!(v["interruptions"]["total"], 2);
    assert_eq!(v["interruptions"]["by_source"][1]["source"], "pagerduty");
    assert_eq!(v["interruptions"]["by_source"][1]["critical"], 1);
    let n = &v["notifications"];
    assert_eq!(
        (&n["received"], &n["held"], &n["released"], &n["digests"]),
        (&5.into(), &3.into(), &2.into(), &1.into())
    );
    assert_eq!(n["waited_for_morning"], 2);
    assert_eq!(v["handoffs"]["to"], "Bo");
    assert_eq!(v["handoffs"]["live"], 5);
    assert_eq!(v["handoffs"]["written"], 1);
    assert_eq!(v["handoffs"]["average_wait_minutes"], 34 * 60);
    let days = v["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(days[6]["length_minutes"], 1380);
    assert_eq!(days[6]["working_minutes"], 180);
    assert_eq!(days[1]["off_hours_pings"], 1, "00:30 on Tuesday, local");
}

#[test]
fn week_defaults_to_this_weeks_monday_and_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    // Thursday 26 March, in the afternoon in Berlin: the week of Monday 23 March, counted until then.
    let thursday = week(&db, &["--at", "2026-03-26T15:00:00Z"]);
    assert_eq!(
        thursday,
        week(
            &db,
            &["--at", "2026-03-26T15:00:00Z", "--from", "2026-03-23"]
        )
    );
    assert!(
        thursday.contains(" Thu 26 Mar        7h ") && thursday.contains(" Fri 27 Mar        0m "),
        "Thursday counts until 16:00 local, Friday not yet:\n{thursday}"
    );
    // Seen from after it, the whole week.
    let text = week(&db, &["--from", "2026-03-23"]);
    insta::assert_snapshot!("week", text);
}

#[test]
fn week_refuses_a_bad_goal_and_a_team_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let out = Command::cargo_bin("baton")
        .unwrap()
        .env_remove("BATON_DB")
        .arg("--db")
        .arg(&db)
        .args(["settings", "set", "focus_goal_hours", "200"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 to 168"));
    let out = Command::cargo_bin("baton")
        .unwrap()
        .env_remove("BATON_DB")
        .arg("--db")
        .arg(&db)
        .args(["--team", "team.toml", "week"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--team is the user's input");
}
