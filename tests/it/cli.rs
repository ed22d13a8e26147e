//! The `baton` binary end to end: human tables (snapshots), the JSON contract, exit codes, and the
//! all-or-nothing import into a real database file.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use serde_json::Value;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/team.toml");

fn baton() -> Command {
    let mut cmd = Command::cargo_bin("baton").unwrap();
    // Never touch the developer's own database; times as in the POSIX locale unless a test says.
    cmd.env_remove("BATON_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_TIME")
        .env("LANG", "C.UTF-8");
    cmd
}

/// Runs `baton` with `lead` (the team and other options every call of a test shares) then `args`,
/// returning stdout; the command must succeed.
fn stdout_of(lead: &[&str], args: &[&str]) -> Vec<u8> {
    let out = baton().args(lead).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "baton {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs `baton` on the sample team with a fixed range, returning stdout; the command must succeed.
fn sample(args: &[&str]) -> String {
    String::from_utf8(stdout_of(&["--team", SAMPLE, "--from", "2026-03-09"], args)).unwrap()
}

fn sample_json(args: &[&str]) -> Value {
    serde_json::from_str(&sample(&[args, &["--json"]].concat())).unwrap()
}

/// Every string that looks like an instant under `key` must be RFC 3339 UTC with a `Z`.
fn assert_utc(v: &Value, key: &str) {
    let s = v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"));
    assert!(
        chrono::DateTime::parse_from_rfc3339(s).is_ok() && s.ends_with('Z'),
        "{key} = {s} is not RFC 3339 UTC"
    );
}

#[test]
fn human_tables_match_snapshots() {
    insta::assert_snapshot!("hours", sample(&["--days", "2", "hours", "Ana", "Kenji"]));
    insta::assert_snapshot!("now", sample(&["--at", "2026-03-09T14:00:00Z", "now"]));
    insta::assert_snapshot!(
        "overlap",
        sample(&["--days", "3", "overlap", "--members", "ana,lena"])
    );
    insta::assert_snapshot!(
        "overlap_at_least",
        sample(&["--days", "2", "overlap", "--at-least", "3", "--min", "1h"])
    );
    insta::assert_snapshot!(
        "handoff",
        sample(&["--days", "3", "handoff", "Kenji", "Priya"])
    );
    insta::assert_snapshot!("relay", sample(&["--days", "2", "--tz", "UTC", "relay"]));
}

#[test]
fn hours_json_has_the_documented_keys() {
    let v = sample_json(&["--days", "1", "hours", "Kenji"]);
    let m = &v["members"][0];
    assert_eq!(m["name"], "Kenji");
    assert_eq!(m["time_zone"], "Asia/Tokyo");
    // Kenji works Mon 22:00-Tue 06:00 in Tokyo (+09:00): 13:00Z to 21:00Z on Monday 9 March.
    assert_eq!(m["working"][0]["start"], "2026-03-09T13:00:00Z");
    assert_eq!(m["working"][0]["end"], "2026-03-09T21:00:00Z");
    assert_eq!(m["working"][0]["local_start"], "2026-03-09T22:00:00+09:00");
    assert!(m["focus"].as_array().unwrap().is_empty());
}

#[test]
fn overlap_json_has_the_documented_keys() {
    let v = sample_json(&["--days", "1", "overlap", "--members", "Ana,Lena"]);
    let w = &v["windows"][0];
    // Ana is free after focus at 11:00 São Paulo (14:00Z); Lena works until 17:00 Berlin (16:00Z).
    assert_eq!(
        (w["start"].as_str(), w["end"].as_str()),
        (Some("2026-03-09T14:00:00Z"), Some("2026-03-09T16:00:00Z"))
    );
    assert_eq!(w["members"], serde_json::json!(["Ana", "Lena"]));
    assert_eq!(v["best"]["start"], w["start"]);
}

#[test]
fn handoff_json_has_the_documented_keys() {
    let v = sample_json(&["--days", "1", "handoff", "Kenji", "Priya"]);
    let h = &v["handoffs"][0];
    assert_eq!(h["kind"], "async");
    // Kenji's day ends Tue 06:00 Tokyo (Mon 21:00Z); Priya starts Tue 10:00 Kolkata (04:30Z).
    assert_eq!(h["start"], "2026-03-09T21:00:00Z");
    assert_eq!(h["end"], "2026-03-10T04:30:00Z");
    assert_eq!(h["minutes"], 450);
    assert_eq!(h["giver_local"]["start"], "2026-03-10T06:00:00+09:00");
    assert_eq!(h["receiver_local"]["end"], "2026-03-10T10:00:00+05:30");
    let sync = sample_json(&["--days", "1", "handoff", "Ana", "Marcus"]);
    assert_eq!(sync["handoffs"][0]["kind"], "sync");
    assert_utc(&sync["handoffs"][0], "start");
    assert_utc(&sync["handoffs"][0], "end");
}

#[test]
fn relay_json_reports_order_chain_and_coverage() {
    let v = sample_json(&["--days", "7", "--tz", "UTC", "relay"]);
    let order: Vec<&str> = v["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["Aroha", "Kenji", "Priya", "Lena", "Ana", "Marcus"],
        "east to west by UTC offset"
    );
    assert!(v["days"].as_array().unwrap().len() >= 5);
    for gap in v["gaps"].as_array().unwrap() {
        assert_utc(gap, "start");
        assert_utc(gap, "end");
    }
    let per_week = v["covered_hours_per_week"].as_f64().unwrap();
    assert!(
        per_week > 0.0 && per_week < 168.0,
        "the sample team is not 24/7: {per_week}"
    );
}

#[test]
fn import_export_round_trip_through_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    baton()
        .env("BATON_DB", &db)
        .args(["team", "import", SAMPLE])
        .assert()
        .success();
    let exported = baton()
        .env("BATON_DB", &db)
        .args(["team", "export"])
        .output()
        .unwrap();
    let text = String::from_utf8(exported.stdout).unwrap();
    let again = baton::Team::from_toml_str(&text, "export").unwrap();
    assert_eq!(again, baton::team::sample::team());
    // Queries read the same team from the database as from the file.
    let from_db = baton()
        .args([
            "--db",
            db.to_str().unwrap(),
            "--from",
            "2026-03-09",
            "--json",
            "relay",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(from_db.stdout).unwrap(),
        sample(&["--json", "relay"])
    );
}

#[test]
fn a_bad_import_exits_2_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        std::fs::read_to_string(SAMPLE)
            .unwrap()
            .replace("Asia/Tokyo", "Asia/Tokio"),
    )
    .unwrap();
    baton()
        .args(["--db", db.to_str().unwrap(), "team", "import", SAMPLE])
        .assert()
        .success();
    let before = baton()
        .args(["--db", db.to_str().unwrap(), "team", "export"])
        .output()
        .unwrap()
        .stdout;
    let out = baton()
        .args([
            "--db",
            db.to_str().unwrap(),
            "team",
            "import",
            bad.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("member \"Kenji\", time_zone") && err.contains("\"Asia/Tokyo\""),
        "{err}"
    );
    assert!(
        err.contains("line 15"),
        "the line of the bad value is named: {err}"
    );
    let after = baton()
        .args(["--db", db.to_str().unwrap(), "team", "export"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(before, after, "the stored team is untouched");
}

#[test]
fn usage_and_input_errors_exit_2_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["overlap", "--members", "ana,bob"],
            "no member named \"bob\"",
        ),
        (
            &["--tz", "Europe/Londn", "now"],
            "did you mean Europe/London",
        ),
        (
            &["--from", "2026-02-30", "hours"],
            "expected a date like 2026-03-09",
        ),
        (&["overlap", "--min", "5x"], "expected a duration like 30m"),
        (
            &["overlap", "--at-least", "9"],
            "--at-least 9 is more than the 6 member(s) chosen",
        ),
        (&["handoff", "Ana", "ana"], "two different members"),
        (
            &["relay", "--members", "Ana,Lena,Ana"],
            "\"Ana\" is listed twice",
        ),
        (
            &["overlap", "--members", "Ana,ana"],
            "\"Ana\" is listed twice",
        ),
        (&["frobnicate"], "unrecognized subcommand"),
    ];
    for (args, needle) in cases {
        let out = baton()
            .args(["--team", SAMPLE])
            .args(*args)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: expected {needle:?} in {err}"
        );
    }
}

#[test]
fn an_empty_database_says_how_to_get_a_team() {
    let dir = tempfile::tempdir().unwrap();
    let out = baton()
        .env("BATON_DB", dir.path().join("empty.db"))
        .arg("now")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("baton team import"));
}

#[test]
fn json_team_files_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("team.json");
    std::fs::write(&json, baton::team::sample::team().to_json_string()).unwrap();
    let out = baton()
        .args([
            "--team",
            json.to_str().unwrap(),
            "--from",
            "2026-03-09",
            "--json",
            "relay",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        sample(&["--json", "relay"])
    );
}

#[test]
fn settings_are_validated_and_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let db = db.to_str().unwrap();
    let list = |db: &str| {
        let out = baton()
            .args(["--db", db, "--json", "settings", "list"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["settings"][0]["value"].as_str().unwrap().to_string()
    };
    assert_eq!(
        list(db),
        baton::store::settings::DEFAULT_FOCUS_SHORTCUT,
        "the default until changed"
    );
    baton()
        .args([
            "--db",
            db,
            "settings",
            "set",
            "focus_shortcut",
            "Ctrl+Shift+F9",
        ])
        .assert()
        .success();
    assert_eq!(list(db), "Ctrl+Shift+F9");
    baton()
        .args([
            "--db",
            db,
            "settings",
            "set",
            "focus_shortcut",
            "Ctrl+Hyper+F",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("'Hyper' is not a modifier"));
    assert_eq!(list(db), "Ctrl+Shift+F9", "a bad value changes nothing");
    baton()
        .args(["--db", db, "settings", "set", "focus_shortcut", ""])
        .assert()
        .success()
        .stdout(predicates::str::contains("(off)"));
}

#[test]
fn export_with_a_team_file_converts_it_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    let out = baton()
        .env("BATON_DB", &db)
        .args(["--team", SAMPLE, "team", "export", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["members"].as_array().unwrap().len(), 6);
    assert!(
        !db.exists(),
        "--team reads the file only; no database is created"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_default_data_directory_and_database_are_private_and_repaired_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let share = home.path().join("share");
    let data = share.join("baton");
    let db = data.join("baton.db");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    let run = || {
        let out = baton()
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", &share)
            .args(["settings", "list"])
            .assert()
            .success();
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    };
    run();
    assert_eq!((mode(&data), mode(&db)), (0o700, 0o600), "created private");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let said = run();
    assert_eq!((mode(&data), mode(&db)), (0o700, 0o600), "repaired");
    for path in [&data, &db] {
        assert!(
            said.contains(&path.display().to_string()),
            "stderr says what was changed: {said}"
        );
    }
}

#[cfg(windows)]
#[test]
fn without_an_override_the_database_is_in_the_roaming_app_data_directory() {
    // Windows' known folders cannot be moved for one process (as XDG_DATA_HOME can), so this uses the
    // user's real %APPDATA%: only when Baton has nothing there yet, and it removes what it made.
    // scripts/windows.sh runs it in a fresh Wine prefix, where that always holds.
    struct RemovedAtEnd(std::path::PathBuf);
    impl Drop for RemovedAtEnd {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let appdata = std::path::PathBuf::from(std::env::var_os("APPDATA").unwrap());
    let ours = appdata.join("baton");
    // Never touch a database the user has: fail (rather than pass unchecked) where one may be.
    assert!(
        !ours.exists(),
        "{} exists and may hold the user's own database: run this test in a fresh Wine prefix \
         (scripts/windows.sh) or as a user without Baton",
        ours.display()
    );
    let _removed = RemovedAtEnd(ours.clone());
    let db = ours.join("data").join("baton.db");
    let said = String::from_utf8(stdout_of(
        &[],
        &["notify", "--source", "ci", "--title", "where is it kept"],
    ))
    .unwrap();
    // The first line says where it was stored; the next, when the person will see it.
    let mut lines = said.lines();
    assert!(
        lines.next().is_some_and(|l| l.ends_with(&format!(
            " in {}; it will be delivered when Baton starts",
            db.display()
        ))),
        "notify names the database it stored into: {said}"
    );
    assert!(
        lines.next().is_some_and(|l| !l.is_empty()),
        "and says when it will be shown: {said}"
    );
    let held = baton::store::Store::open(&db)
        .unwrap()
        .held_items()
        .unwrap();
    assert_eq!(held.len(), 1, "the item is in the database under %APPDATA%");
    assert_eq!(held[0].title, "where is it kept");
}

#[test]
fn processes_creating_a_database_at_once_all_open_it() {
    // A new database is briefly empty while SQLite makes it; no opener may take that for a damaged one.
    for _ in 0..4 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new/baton.db");
        let children: Vec<_> = (0..6)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
                    .arg("--db")
                    .arg(&db)
                    .args(["settings", "list"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "every opener succeeds: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// Runs `baton --team FILE ARGS --json` on a team written from `toml`; the command must succeed.
fn team_json(toml: &str, args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.toml");
    std::fs::write(&file, toml).unwrap();
    serde_json::from_slice(&stdout_of(
        &["--team", file.to_str().unwrap(), "--json"],
        args,
    ))
    .unwrap()
}

/// [`team_json`] of `command` over `days` days from Monday 30 March 2026 in `tz`.
fn from_30_march(toml: &str, days: &str, tz: &str, command: &[&str]) -> Value {
    let range = ["--from", "2026-03-30", "--days", days, "--tz", tz];
    team_json(toml, &[&range[..], command].concat())
}

/// A relay link as `(from, to, kind, start)`.
type Link = (String, String, String, String);

/// `(date, [link])` for each day of a relay report.
fn relay_days(v: &Value) -> Vec<(String, Vec<Link>)> {
    let s = |v: &Value| v.as_str().unwrap().to_string();
    v["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let links = d["links"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| (s(&l["from"]), s(&l["to"]), s(&l["kind"]), s(&l["start"])))
                .collect();
            (s(&d["date"]), links)
        })
        .collect()
}

fn link(from: &str, to: &str, kind: &str, start: &str) -> Link {
    (from.into(), to.into(), kind.into(), start.into())
}

const KOLKATA_BERLIN: &str = r#"
name = "T"
members = [
  { name = "Ana", time_zone = "Asia/Kolkata", hours = ["mon 00:45-01:15"] },
  { name = "Bo", time_zone = "Europe/Berlin", hours = ["tue,sat 01:30-06:30"] },
]
"#;

#[test]
fn relay_lists_every_pass_under_a_day_of_the_range() {
    // Bo's Tuesday (01:30-06:30 CEST) starts at 23:30Z on Monday 30 March, so it reaches into a range of
    // that one UTC day, but the baton passes at its end, 04:30Z on Tuesday, after the range: the pass is
    // listed under the range's last day, Monday. Ana's Monday (00:45 IST) is 19:15Z on Sunday, before it.
    let one = from_30_march(KOLKATA_BERLIN, "1", "UTC", &["relay"]);
    assert_eq!(
        relay_days(&one),
        vec![(
            "2026-03-30".to_string(),
            vec![link("Bo", "Ana", "async", "2026-03-31T04:30:00Z")]
        )],
        "only days of the range appear"
    );
    assert_eq!(one["days"][0]["links"][0]["end"], "2026-04-05T19:15:00Z");
    // With Tuesday in the range too, the pass is listed under Tuesday, the day it happens.
    let two = from_30_march(KOLKATA_BERLIN, "2", "UTC", &["relay"]);
    assert_eq!(
        relay_days(&two),
        vec![(
            "2026-03-31".to_string(),
            vec![link("Bo", "Ana", "async", "2026-03-31T04:30:00Z")]
        )]
    );

    // Another pair, seen from New York: Mon 30 March EDT is 04:00Z to 04:00Z. Lena's Monday in London
    // (09:00-10:00 BST) hands to Kenji at 09:00Z. Kenji's Tuesday in Tokyo (12:00-14:00, 03:00-05:00Z)
    // reaches into the range's last hour and hands to Lena at 05:00Z, 01:00 EDT on Tuesday: under Monday.
    let tokyo_london = r#"
name = "T"
members = [
  { name = "Kenji", time_zone = "Asia/Tokyo", hours = ["tue 12:00-14:00"] },
  { name = "Lena", time_zone = "Europe/London", hours = ["mon,tue 09:00-10:00"] },
]
"#;
    let v = from_30_march(tokyo_london, "1", "America/New_York", &["relay"]);
    assert_eq!(
        relay_days(&v),
        vec![(
            "2026-03-30".to_string(),
            vec![
                link("Lena", "Kenji", "async", "2026-03-30T09:00:00Z"),
                link("Kenji", "Lena", "async", "2026-03-31T05:00:00Z"),
            ]
        )]
    );
}

const ALL_FOCUS_WEDNESDAY: &str = r#"
name = "T"
members = [
  { name = "Ana", time_zone = "Europe/Berlin", hours = ["mon-fri 09:00-17:00"], focus = ["wed 09:00-17:00"] },
  { name = "Bo", time_zone = "America/New_York", hours = ["mon-fri 09:00-17:00"] },
]
"#;

#[test]
fn a_working_day_that_is_all_focus_still_hands_off_at_its_end() {
    // Wednesday 1 April: Ana works 07:00-15:00Z all in focus; Bo (13:00-21:00Z) overlaps her only in her
    // focus, which is never a live handoff. The baton still passes, in writing, at the end of her day,
    // and Bo is working then: it waits 0 minutes.
    let v = from_30_march(ALL_FOCUS_WEDNESDAY, "5", "UTC", &["handoff", "Ana", "Bo"]);
    let days: Vec<&str> = v["handoffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["giver_day"].as_str().unwrap())
        .collect();
    assert_eq!(
        days,
        [
            "2026-03-30",
            "2026-03-31",
            "2026-04-01",
            "2026-04-02",
            "2026-04-03"
        ],
        "one handoff for each of Ana's working days"
    );
    let wed = &v["handoffs"][2];
    assert_eq!(wed["kind"], "async");
    assert_eq!(wed["start"], "2026-04-01T15:00:00Z");
    assert_eq!(wed["end"], "2026-04-01T15:00:00Z");
    assert_eq!(wed["minutes"], 0);
    assert_eq!(wed["giver_last_hour"]["start"], "2026-04-01T14:00:00Z");
    assert_eq!(wed["receiver_period"]["end"], "2026-04-01T21:00:00Z");
    assert_eq!(v["handoffs"][1]["kind"], "sync", "other days overlap");

    let relay = from_30_march(ALL_FOCUS_WEDNESDAY, "5", "UTC", &["relay"]);
    let wed = relay_days(&relay)
        .into_iter()
        .find(|(d, _)| d == "2026-04-01")
        .unwrap();
    assert!(
        wed.1
            .contains(&link("Ana", "Bo", "async", "2026-04-01T15:00:00Z")),
        "the relay shows Wednesday's pass too: {wed:?}"
    );
}

#[test]
fn overlap_at_least_on_a_large_team_gives_maximal_windows_and_detail_on_request() {
    let toml = baton::team::sample::generate(60, 1).to_toml_string();
    let args = [
        "--from",
        "2026-03-02",
        "--days",
        "7",
        "--tz",
        "UTC",
        "overlap",
        "--at-least",
        "3",
    ];
    let compact = team_json(&toml, &args);
    let detail = team_json(&toml, &[&args[..], &["--detail"]].concat());
    assert_eq!(
        compact["detail"], false,
        "60 members is past the detail limit"
    );
    assert_eq!(detail["detail"], true);
    let (cw, dw) = (
        compact["windows"].as_array().unwrap(),
        detail["windows"].as_array().unwrap(),
    );
    assert!(
        !cw.is_empty() && cw.len() < dw.len(),
        "maximal windows merge the detailed ones: {} vs {}",
        cw.len(),
        dw.len()
    );
    for w in cw {
        let (lo, hi) = (
            w["min_count"].as_u64().unwrap(),
            w["max_count"].as_u64().unwrap(),
        );
        assert!(3 <= lo && lo <= hi, "{w}");
        assert!(w["members"].as_array().unwrap().len() as u64 <= lo);
        assert_eq!(
            w["members"].as_array().unwrap().len(),
            w["local"].as_array().unwrap().len()
        );
    }
    // Every detailed window lies inside one maximal window, whose count range holds its count.
    for d in dw {
        let n = d["members"].as_array().unwrap().len() as u64;
        assert!(
            cw.iter().any(|w| w["start"].as_str() <= d["start"].as_str()
                && d["end"].as_str() <= w["end"].as_str()
                && w["min_count"].as_u64().unwrap() <= n
                && n <= w["max_count"].as_u64().unwrap()),
            "{d} is in no maximal window"
        );
    }
    assert_eq!(
        compact["best"], detail["best"],
        "the same best slot, with everyone in it"
    );
    // A small team keeps the full detail by default: one window per change, everyone listed.
    let small = sample_json(&["--days", "2", "overlap", "--at-least", "3", "--min", "1h"]);
    assert_eq!(small["detail"], true);
    for w in small["windows"].as_array().unwrap() {
        let n = w["members"].as_array().unwrap().len();
        assert_eq!(
            (w["min_count"].as_u64(), w["max_count"].as_u64()),
            (Some(n as u64), Some(n as u64))
        );
    }
}

#[test]
fn now_finds_the_return_from_a_long_holiday_and_says_when_there_is_none_in_a_year() {
    // Lord Howe Island is UTC+11 until Sunday 5 April 2026 and +10:30 after. Mia is off for two weeks
    // from Monday 23 March, so at Friday 20 March 19:00 +11 (08:00Z) she is back on Monday 6 April at
    // 09:00 +10:30: 22:30Z on the 5th, 16 days later.
    let toml = r#"
name = "T"
members = [
  { name = "Mia", time_zone = "Australia/Lord_Howe", hours = ["mon-fri 09:00-17:00"], days_off = ["2026-03-23..2026-04-03"] },
  { name = "Nil", time_zone = "Asia/Kathmandu" },
]
"#;
    let v = team_json(toml, &["--at", "2026-03-20T08:00:00Z", "now"]);
    assert_eq!(v["horizon_days"], 366);
    let mia = &v["members"][0];
    assert_eq!(mia["status"], "off");
    assert_eq!(mia["next_change"], "2026-04-05T22:30:00Z");
    assert_eq!(mia["next_status"], "working");
    let nil = &v["members"][1];
    assert_eq!(nil["status"], "off");
    assert_eq!(
        nil["next_change"],
        Value::Null,
        "no hours at all: none within the horizon"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.toml");
    std::fs::write(&file, toml).unwrap();
    let out = baton()
        .args(["--team", file.to_str().unwrap(), "--tz", "UTC"])
        .args(["--at", "2026-03-20T08:00:00Z", "now"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Mon 06 Apr 09:00 local (in 16d 14h), then working"),
        "a far return shows its date: {text}"
    );
    assert!(text.contains("no working hours in the next year"), "{text}");
}

#[test]
#[cfg_attr(windows, ignore = "runs git, which Wine's PATH does not hold")]
fn version_names_the_commit_built_and_the_tz_database_compiled_in() {
    let out = String::from_utf8(stdout_of(&[], &["--version"])).unwrap();
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    // Outside a git checkout (a source tarball) the commit is "unknown"; here it is HEAD's.
    let commit = if head.status.success() {
        String::from_utf8(head.stdout).unwrap().trim().to_owned()
    } else {
        "unknown".to_owned()
    };
    assert_eq!(
        out,
        format!(
            "baton {} (commit {commit}, time-zone database {})\n",
            env!("CARGO_PKG_VERSION"),
            chrono_tz::IANA_TZDB_VERSION
        )
    );
}

#[test]
fn completions_offer_the_subcommands_in_each_shell() {
    let bash = String::from_utf8(stdout_of(&[], &["completions", "bash"])).unwrap();
    assert!(bash.contains("complete -F _baton"), "{bash}");
    // The top-level word list holds every visible subcommand, and not the hidden ones.
    let words = bash
        .lines()
        .find(|l| l.trim_start().starts_with("opts=") && l.contains("handoff"))
        .unwrap();
    for sub in [
        "hours", "now", "overlap", "handoff", "relay", "team", "calendar", "inbox",
    ] {
        assert!(
            words.split_whitespace().any(|w| w.trim_matches('"') == sub),
            "{sub}: {words}"
        );
    }
    let zsh = String::from_utf8(stdout_of(&[], &["completions", "zsh"])).unwrap();
    assert!(zsh.starts_with("#compdef baton"), "{zsh}");
    let fish = String::from_utf8(stdout_of(&[], &["completions", "fish"])).unwrap();
    assert!(fish.contains("complete -c baton"), "{fish}");
    // An unknown shell is a usage error.
    baton().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_writes_a_page_for_baton_and_each_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    baton()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let top = std::fs::read_to_string(dir.path().join("baton.1")).unwrap();
    assert!(top.contains(".TH baton 1"), "{top}");
    assert!(top.contains(".SH FILES"), "{top}");
    let hours = std::fs::read_to_string(dir.path().join("baton-hours.1")).unwrap();
    assert!(hours.contains("working and focus intervals"), "{hours}");
    assert!(dir.path().join("baton-team-import.1").exists());
    // Hidden commands get no page.
    assert!(!dir.path().join("baton-team-generate.1").exists());
    // Without --dir, baton.1 goes to standard output, the same page.
    let stdout = String::from_utf8(stdout_of(&[], &["man"])).unwrap();
    assert_eq!(stdout, top);
}

/// Tables read the person's clock: a 12-hour one in `en_US`, as `time_format 12h` asks in any locale,
/// and a 24-hour one as `time_format 24h` asks in `en_US`. JSON never changes.
#[test]
fn tables_follow_the_locale_and_the_time_format_setting() {
    let at = ["--at", "2026-03-09T14:00:00Z", "now"];
    let in_us = |cmd: &mut Command| {
        cmd.env("LANG", "en_US.UTF-8");
    };
    let mut us = baton();
    in_us(&mut us);
    let out = us
        .args(["--team", SAMPLE, "--from", "2026-03-09"])
        .args(at)
        .output()
        .unwrap();
    let twelve = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("now_12h", twelve);

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let db_arg = db.to_str().unwrap();
    baton()
        .args(["--db", db_arg, "team", "import", SAMPLE])
        .assert()
        .success();
    let with_setting = |lang: &str, value: &str| {
        baton()
            .args(["--db", db_arg, "settings", "set", "time_format", value])
            .assert()
            .success();
        let out = baton()
            .env("LANG", lang)
            .args(["--db", db_arg])
            .args(at)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        with_setting("C.UTF-8", "12h"),
        twelve,
        "time_format 12h in the POSIX locale reads as en_US does"
    );
    let posix = sample(&at);
    assert_eq!(
        with_setting("en_US.UTF-8", "24h"),
        posix,
        "time_format 24h in en_US reads as the POSIX locale does"
    );
    insta::assert_snapshot!("now_24h", posix);
    let json = |lang: &str| {
        let out = baton()
            .env("LANG", lang)
            .args(["--db", db_arg, "--json"])
            .args(at)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    baton()
        .args(["--db", db_arg, "settings", "set", "time_format", "12h"])
        .assert()
        .success();
    assert_eq!(
        json("en_US.UTF-8"),
        json("C.UTF-8"),
        "JSON is the same in every locale"
    );
    assert!(json("C.UTF-8").contains("\"2026-03-09T14:00:00Z\""));
}
