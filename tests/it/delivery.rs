//! The delivery commands of the CLI: `baton inbox` with reply-by times, `baton inbox done`,
//! `baton inbox deliver` and `baton focus`, with the notifier writing to a file
//! (`BATON_NOTIFIER_LOG`) instead of the desktop.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use serde_json::Value;

use crate::intake::baton;

/// Monday 2026-03-09 at `hm` UTC, as `--at` takes it.
fn monday(hm: &str) -> String {
    format!("2026-03-09T{hm}:00Z")
}

fn team(dir: &Path) {
    let file = dir.join("team.toml");
    std::fs::write(
        &file,
        "name = \"T\"\nme = \"me\"\n[[members]]\nname = \"Me\"\ntime_zone = \"UTC\"\n\
         hours = [\"mon-fri 09:00-17:00\"]\n",
    )
    .unwrap();
    baton(&dir.join("baton.db"))
        .args(["team", "import"])
        .arg(&file)
        .assert()
        .success();
}

fn notify(db: &Path, title: &str, urgency: &str) -> i64 {
    let out = baton(db)
        .args([
            "--json",
            "notify",
            "--source",
            "ci",
            "--title",
            title,
            "--urgency",
            urgency,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice::<Value>(&out.stdout).unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn inbox_json(db: &Path, at: &str, all: bool) -> Vec<Value> {
    let mut cmd = baton(db);
    cmd.args(["--json", "--at", at, "inbox"]);
    if all {
        cmd.arg("--all");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice::<Value>(&out.stdout).unwrap()["entries"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_inbox_sorts_by_reply_by_and_marks_overdue_items() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    team(dir.path());
    // Stored straight into the database (nothing listens), received now: each item's reply-by is
    // counted from its arrival, so compare them against each other and against a far `--at`.
    notify(&db, "normal one", "normal");
    notify(&db, "high one", "high");
    notify(&db, "low one", "low");
    let entries = inbox_json(&db, "2099-01-01T00:00:00Z", false);
    let titles: Vec<&str> = entries
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["high one", "normal one", "low one"],
        "the most pressing reply-by first"
    );
    assert!(
        entries.iter().all(|e| e["overdue"] == true),
        "all long overdue in 2099"
    );
    let table = baton(&db)
        .args(["--at", "2099-01-01T00:00:00Z", "inbox"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert_eq!(text.matches("OVERDUE").count(), 3, "{text}");
}

#[test]
fn done_marks_items_and_refuses_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let a = notify(&db, "a", "normal");
    let b = notify(&db, "b", "normal");
    baton(&db)
        .args(["inbox", "done", &a.to_string()])
        .assert()
        .success()
        .stdout("marked 1 item done\n");
    baton(&db)
        .args(["inbox", "done", &a.to_string(), &b.to_string()])
        .assert()
        .success()
        .stdout("marked 1 item done (1 already were)\n");
    baton(&db)
        .args(["inbox", "done", "999"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no notification with id 999"));
    assert!(inbox_json(&db, &monday("12:00"), false).is_empty());
    let all = inbox_json(&db, &monday("12:00"), true);
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .all(|e| e["state"] == "done" && e["reply_by"].is_null()),
        "done entries have no reply-by"
    );
}

#[test]
fn deliver_shows_everything_held_in_one_digest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let log = dir.path().join("shown.jsonl");
    notify(&db, "Build failed", "normal");
    notify(&db, "Disk full", "critical");
    let deliver = || {
        let mut cmd = baton(&db);
        cmd.env("BATON_NOTIFIER_LOG", &log)
            .args(["inbox", "deliver"]);
        cmd
    };
    deliver()
        .assert()
        .success()
        .stdout("delivered 2 held items in one digest\n");
    deliver().assert().success().stdout("nothing is held\n");
    let shown: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(shown.len(), 1, "one digest, once");
    assert_eq!(shown[0]["summary"], "Baton: all 2 held notifications");
    assert_eq!(shown[0]["body"], "ci (2): Build failed · Disk full");
    let entries = inbox_json(&db, &monday("12:00"), false);
    assert!(entries.iter().all(|e| e["state"] == "delivered"));
}

#[test]
fn deliver_reports_a_notifier_failure_and_keeps_the_items() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    notify(&db, "a", "normal");
    // A log in a directory that does not exist: every call fails.
    baton(&db)
        .env("BATON_NOTIFIER_LOG", dir.path().join("missing/shown.jsonl"))
        .args(["inbox", "deliver"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("cannot open"));
    assert_eq!(inbox_json(&db, &monday("12:00"), false)[0]["state"], "held");
}

#[test]
fn focus_starts_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    baton(&db)
        .args([
            "--at",
            &monday("10:00"),
            "focus",
            "start",
            "--minutes",
            "30",
        ])
        .assert()
        .success()
        .stdout("focus until 2026-03-09T10:30:00Z\n");
    baton(&db)
        .args(["--at", &monday("10:10"), "focus", "stop"])
        .assert()
        .success()
        .stdout("focus stopped\n");
    baton(&db)
        .args(["--at", &monday("10:11"), "focus", "stop"])
        .assert()
        .success()
        .stdout("no focus session was running\n");
    baton(&db)
        .args(["focus", "start", "--minutes", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("1 to 720 minutes"));
}

#[test]
fn a_failed_item_is_listed_with_its_reason_and_can_be_marked_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let bad = notify(&db, "bad text", "critical");
    notify(&db, "fine", "normal");
    // As delivery marks an item the notification service refused.
    baton::store::Store::open(&db)
        .unwrap()
        .mark_failed(&[bad], chrono::Utc::now(), "the body holds a NUL character")
        .unwrap();
    let entries = inbox_json(&db, &monday("12:00"), false);
    let failed: Vec<&Value> = entries.iter().filter(|e| e["state"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{entries:?}");
    assert_eq!(failed[0]["ids"], serde_json::json!([bad]));
    assert_eq!(failed[0]["failure"], "the body holds a NUL character");
    let table = baton(&db)
        .args(["--at", &monday("12:00"), "inbox"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("failed") && text.contains("not shown: the body holds a NUL character"),
        "{text}"
    );
    baton(&db)
        .args(["inbox", "done", &bad.to_string()])
        .assert()
        .success()
        .stdout("marked 1 item done\n");
    let entries = inbox_json(&db, &monday("12:00"), false);
    assert!(
        entries.iter().all(|e| e["state"] != "failed"),
        "{entries:?}"
    );
}
