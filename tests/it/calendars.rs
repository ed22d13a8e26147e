//! Calendars end to end through the `baton` binary: a teammate's ICS feed on a real HTTP server on
//! 127.0.0.1 (read conditionally, every failure keeping the last good busy times), my own ICS calendar
//! (titles kept, out of office as a day off), a CalDAV account on the real Radicale (a series across
//! the US DST change, ctag, publishing focus), the export read back by an independent parser and
//! accepted by Radicale, and `GET /v1/calendar.ics` on the intake.
//!
//! Every instant is fixed with `--at`, so the reading window and the expected busy times are exact.
//! The fetch timeout is not tested here: the CLI's limit is 30 s and not configurable, too slow for a
//! test (the team-URL test covers the same client's timeout with a 1 s limit).
#![allow(clippy::unwrap_used)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

use crate::caldav::{event, lines, name_of, standup_series};
use crate::intake::{send, TestIntake};
use crate::support::http::{Answer, Server};
use crate::support::radicale::{radicale, PASSWORD};

/// `baton --db DB` with the keyring kept out (secrets go to the file beside the database).
fn baton(db: &Path) -> Command {
    let mut cmd = crate::intake::baton(db);
    cmd.env("BATON_NO_KEYRING", "1");
    cmd
}

/// The JSON `baton --json ARGS` prints, the command having succeeded.
fn json(db: &Path, args: &[&str]) -> Value {
    let out = baton(db).arg("--json").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "baton {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Imports the team file `toml` into `db`.
fn import(db: &Path, toml: &str) {
    let file = db.with_file_name("team.toml");
    std::fs::write(&file, toml).unwrap();
    baton(db)
        .args(["team", "import"])
        .arg(&file)
        .assert()
        .success();
}

/// `[start, end]` of each interval of a JSON list.
fn spans(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["start"].as_str().unwrap().to_string(),
                i["end"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `(start, end)` pairs from `("2026-03-10T11:00", "2026-03-10T12:00")`-style UTC minutes.
fn utc(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(s, e)| (format!("{s}:00Z"), format!("{e}:00Z")))
        .collect()
}

/// `member`'s field (`working`, `busy`, `focus`) in `hours --json` over `days` UTC days from `from`.
fn hours(
    db: &Path,
    at: &str,
    member: &str,
    from: &str,
    days: &str,
    field: &str,
) -> Vec<(String, String)> {
    let v = json(
        db,
        &[
            "--at", at, "--tz", "UTC", "--from", from, "--days", days, "hours", member,
        ],
    );
    spans(&v["members"][0][field])
}

/// The windows of `overlap --json` on one UTC day, with `extra` flags.
fn overlap(db: &Path, at: &str, day: &str, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec![
        "--at", at, "--tz", "UTC", "--from", day, "--days", "1", "overlap",
    ];
    args.extend_from_slice(extra);
    spans(&json(db, &args)["windows"])
}

/// A calendar of one weekly event from `start` to `end` (UTC, `YYYYMMDDTHHMMSSZ`).
fn weekly(uid: &str, summary: &str, start: &str, end: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//baton tests//EN\r\nBEGIN:VEVENT\r\n\
UID:{uid}\r\nDTSTAMP:20260201T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nRRULE:FREQ=WEEKLY\r\n\
SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// The sync instant of the feed tests: Sunday 8 March 2026, so the window is 1 March to 4 May.
const AT: &str = "2026-03-08T12:00:00Z";

/// Ana (UTC, 09:00-17:00) and Kenji (Tokyo, 17:00-23:00, i.e. 08:00-14:00 UTC) with his feed at
/// `feed`: they overlap 09:00-14:00 UTC every weekday.
fn team_with_feed(feed: &str) -> String {
    format!(
        "name = \"T\"\nme = \"Ana\"\n\
         [[members]]\nname = \"Ana\"\ntime_zone = \"UTC\"\nhours = [\"mon-fri 09:00-17:00\"]\n\
         [[members]]\nname = \"Kenji\"\ntime_zone = \"Asia/Tokyo\"\n\
         hours = [\"mon-fri 17:00-23:00\"]\ncalendar = \"{feed}\"\n"
    )
}

/// Kenji's weekly Tuesday meeting, 11:00-12:00 UTC (20:00 in Tokyo), from 3 March.
fn kenji_v1() -> String {
    weekly(
        "planning@example.com",
        "Secret planning",
        "20260303T110000Z",
        "20260303T120000Z",
    )
}

fn sync(db: &Path, at: &str) -> Value {
    json(db, &["--at", at, "calendar", "sync"])
}

fn list(db: &Path) -> Value {
    json(db, &["calendar", "list"])
}

fn db_conn(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap()
}

/// The rowids and starts of the calendar's events, in order.
fn event_rows(conn: &rusqlite::Connection) -> Vec<(i64, i64)> {
    let mut st = conn
        .prepare("SELECT rowid, start_at FROM calendar_event ORDER BY rowid")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_teammates_feed_takes_his_meeting_out_of_the_overlap_without_its_title() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    import(&db, &team_with_feed(&format!("{}/kenji.ics", server.base)));
    let tuesday = "2026-03-10";
    assert_eq!(
        overlap(&db, AT, tuesday, &[]),
        utc(&[("2026-03-10T09:00", "2026-03-10T14:00")]),
        "before any reading, one window"
    );

    server.then(Answer::text(kenji_v1(), "\"v1\""));
    let synced = sync(&db, AT);
    assert_eq!(synced[0]["owner"], "Kenji");
    assert_eq!(
        synced[0]["outcome"], "changed",
        "the first reading: {synced}"
    );
    // 3 March to 28 April: nine Tuesdays in the window.
    assert_eq!(synced[0]["events"], 9);
    assert_eq!(server.paths(), ["/kenji.ics"]);

    assert_eq!(
        hours(&db, AT, "Kenji", "2026-03-09", "7", "busy"),
        utc(&[("2026-03-10T11:00", "2026-03-10T12:00")]),
        "the week's one meeting, at its UTC instant"
    );
    let conn = db_conn(&db);
    let (events, titled): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(title) FROM calendar_event",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((events, titled), (9, 0), "a teammate's titles are not kept");
    let listed = list(&db);
    assert_eq!(listed[0]["owner"], "Kenji");
    assert_eq!(listed[0]["events"], 9);
    assert!(
        !listed.to_string().contains("Secret planning"),
        "nor shown: {listed}"
    );

    assert_eq!(
        overlap(&db, AT, tuesday, &[]),
        utc(&[
            ("2026-03-10T09:00", "2026-03-10T11:00"),
            ("2026-03-10T12:00", "2026-03-10T14:00"),
        ]),
        "the meeting splits the window"
    );
    assert_eq!(
        overlap(&db, AT, tuesday, &["--include-busy"]),
        utc(&[("2026-03-10T09:00", "2026-03-10T14:00")]),
        "counted as available, it is whole again"
    );
    assert_eq!(
        overlap(&db, AT, "2026-03-11", &[]),
        utc(&[("2026-03-11T09:00", "2026-03-11T14:00")]),
        "a day without the meeting is untouched"
    );
}

#[test]
fn a_feed_is_read_conditionally_and_every_failure_keeps_the_last_good_busy_times() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    import(&db, &team_with_feed(&format!("{}/kenji.ics", server.base)));
    server.then(Answer::text(kenji_v1(), "\"v1\""));
    assert_eq!(sync(&db, AT)[0]["outcome"], "changed");
    let week = |db: &Path| {
        hours(
            db,
            "2026-03-08T13:00:00Z",
            "Kenji",
            "2026-03-09",
            "7",
            "busy",
        )
    };
    let v1_busy = utc(&[("2026-03-10T11:00", "2026-03-10T12:00")]);
    assert_eq!(week(&db), v1_busy);

    // Later the same day: a conditional request, answered 304, writes nothing.
    let conn = db_conn(&db);
    let version = |c: &rusqlite::Connection| -> i64 {
        c.query_row("PRAGMA data_version", [], |r| r.get(0))
            .unwrap()
    };
    let rows = event_rows(&conn);
    let before = version(&conn);
    let listed = list(&db);
    server.then(Answer::NotModifiedIf("\"v1\""));
    let second = sync(&db, "2026-03-08T12:30:00Z");
    assert_eq!(second[0]["outcome"], "unchanged", "{second}");
    assert_eq!(
        server.if_none_match(),
        [None, Some("\"v1\"".to_string())],
        "the second request is conditional on the first answer's ETag"
    );
    assert_eq!(version(&conn), before, "a 304 writes nothing");
    assert_eq!(event_rows(&conn), rows, "no event row is rewritten");
    assert_eq!(list(&db), listed, "checked_at and changed_at stay");

    // A changed file is read again: the meeting moves to 13:00.
    let v2 = weekly(
        "planning@example.com",
        "Secret planning",
        "20260303T130000Z",
        "20260303T140000Z",
    );
    server.then(Answer::text(v2.clone(), "\"v2\""));
    let third = sync(&db, "2026-03-08T13:00:00Z");
    assert_eq!(third[0]["outcome"], "changed", "{third}");
    let v2_busy = utc(&[("2026-03-10T13:00", "2026-03-10T14:00")]);
    assert_eq!(week(&db), v2_busy);
    assert_eq!(list(&db)[0]["changed_at"], "2026-03-08T13:00:00Z");
    assert_ne!(event_rows(&conn), rows, "the rows are the new reading's");
    let good_rows = event_rows(&conn);

    let truncated = v2[..v2.find("RRULE").unwrap()].to_string();
    let huge = format!(
        "{}X-PADDING:{}\r\n{}",
        &v2[..v2.find("BEGIN:VEVENT").unwrap()],
        "x".repeat(10 * 1024 * 1024 + 1),
        &v2[v2.find("BEGIN:VEVENT").unwrap()..]
    );
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i * 7919 % 251) as u8 | 0x80)
        .collect();
    let cases: Vec<(Answer, &str)> = vec![
        (Answer::Status(500), "500"),
        (
            Answer::text(truncated, "\"cut\""),
            "the calendar is cut short",
        ),
        (Answer::text(huge, "\"huge\""), "larger than 10 MiB"),
        (
            Answer::Body {
                body: garbage,
                etag: "\"bin\"",
            },
            "not UTF-8",
        ),
    ];
    for (i, (answer, expected)) in cases.into_iter().enumerate() {
        server.then(answer);
        let at = format!("2026-03-08T14:0{i}:00Z");
        let out = sync(&db, &at);
        assert_eq!(out[0]["outcome"], "failed", "{expected}: {out}");
        let error = out[0]["error"].as_str().unwrap();
        assert!(error.contains(expected), "{expected} in {error}");
        let listed = list(&db);
        assert_eq!(listed[0]["error"], error, "the list shows the error");
        assert_eq!(listed[0]["checked_at"].as_str(), Some(at.as_str()));
        assert_eq!(
            listed[0]["changed_at"], "2026-03-08T13:00:00Z",
            "{expected}: nothing new"
        );
        assert_eq!(
            week(&db),
            v2_busy,
            "{expected}: the last good busy times stay"
        );
        assert_eq!(event_rows(&conn), good_rows, "{expected}: rows untouched");
    }
    // The text report says so too, and that the last copy stays.
    server.then(Answer::Status(500));
    let out = baton(&db)
        .args(["--at", "2026-03-08T15:00:00Z", "calendar", "sync"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Kenji's") && text.contains("the last good copy stays in use"),
        "{text}"
    );
}

/// My calendar: a dentist appointment on Tuesday 10 March and out of office all day Wednesday 11th.
fn mine() -> String {
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//baton tests//EN\r\n\
BEGIN:VEVENT\r\nUID:dentist@example.com\r\nDTSTAMP:20260201T000000Z\r\n\
DTSTART:20260310T150000Z\r\nDTEND:20260310T160000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:ooo@example.com\r\nDTSTAMP:20260201T000000Z\r\n\
DTSTART;VALUE=DATE:20260311\r\nDTEND;VALUE=DATE:20260312\r\nSUMMARY:Out of office\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n"
        .to_string()
}

#[test]
fn my_ics_calendar_keeps_titles_and_out_of_office_is_a_day_off() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    import(
        &db,
        "name = \"T\"\nme = \"Ana\"\n[[members]]\nname = \"Ana\"\ntime_zone = \"UTC\"\n\
         hours = [\"mon-fri 09:00-17:00\"]\n",
    );
    let before = hours(&db, AT, "Ana", "2026-03-10", "2", "working");
    assert_eq!(
        before,
        utc(&[
            ("2026-03-10T09:00", "2026-03-10T17:00"),
            ("2026-03-11T09:00", "2026-03-11T17:00"),
        ])
    );

    server.then(Answer::text(mine(), "\"m1\""));
    let url = format!("{}/mine.ics", server.base);
    let added = json(&db, &["--at", AT, "calendar", "add", &url]);
    assert_eq!(added[0]["outcome"], "changed", "{added}");
    assert_eq!(added[0]["owner"], Value::Null, "mine");
    let listed = list(&db);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["events"], 2);

    let conn = db_conn(&db);
    let mut st = conn
        .prepare("SELECT uid, kind, title FROM calendar_event ORDER BY start_at")
        .unwrap();
    let rows: Vec<(String, String, Option<String>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        [
            (
                "dentist@example.com".into(),
                "busy".into(),
                Some("Dentist".into())
            ),
            (
                "ooo@example.com".into(),
                "out_of_office".into(),
                Some("Out of office".into())
            ),
        ],
        "my own titles are kept"
    );
    assert_eq!(
        hours(&db, AT, "Ana", "2026-03-10", "2", "working"),
        utc(&[("2026-03-10T09:00", "2026-03-10T17:00")]),
        "no working time on the out-of-office date"
    );
    assert_eq!(
        hours(&db, AT, "Ana", "2026-03-10", "2", "busy"),
        utc(&[("2026-03-10T15:00", "2026-03-10T16:00")])
    );
}

#[test]
fn my_calendar_whose_first_reading_fails_is_not_added() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    for answer in [Answer::Status(500), Answer::text("not a calendar", "\"x\"")] {
        server.then(answer);
        let out = baton(&db)
            .args(["--at", AT, "calendar", "add"])
            .arg(format!("{}/mine.ics", server.base))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("mine.ics") && stderr.contains("not added"),
            "{stderr}"
        );
        assert_eq!(list(&db), Value::Array(vec![]), "nothing added");
    }
}

/// Ana in New York, working 08:00-17:00, with `focus` as her focus rule.
fn team_in_new_york(focus: &str, days_off: &str) -> String {
    format!(
        "name = \"T\"\nme = \"Ana\"\n[[members]]\nname = \"Ana\"\n\
         time_zone = \"America/New_York\"\nhours = [\"mon-fri 08:00-17:00\"]\n\
         focus = [\"{focus}\"]\ndays_off = [{days_off}]\n"
    )
}

/// The CalDAV tests' instant: Wednesday 4 March 2026, before the clocks change on the 8th.
const CALDAV_AT: &str = "2026-03-04T12:00:00Z";

/// `[from, to)` in UTC on whole days of 2026: March's and April's events of these tests.
fn march_april() -> baton::Interval {
    use chrono::TimeZone;
    let at = |m, d| chrono::Utc.with_ymd_and_hms(2026, m, d, 0, 0, 0).unwrap();
    baton::Interval::new(at(3, 1), at(5, 1)).unwrap()
}

/// `calendar add --caldav` for `user` on the Radicale, the password written to standard input.
fn add_caldav(db: &Path, user: &str, password: &str) -> std::process::Output {
    baton(db)
        .args(["--json", "--at", CALDAV_AT, "calendar", "add", "--caldav"])
        .arg(&radicale().base)
        .args(["--user", user, "--password-stdin"])
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap()
}

/// Every weekday from `first` to `last` (dates of March 2026, inclusive) but `except`.
fn weekdays(first: u32, last: u32, except: &[u32]) -> Vec<u32> {
    use chrono::Datelike;
    (first..=last)
        .filter(|d| {
            let date = chrono::NaiveDate::from_ymd_opt(2026, 3, *d).unwrap();
            date.weekday().num_days_from_monday() < 5 && !except.contains(d)
        })
        .collect()
}

#[test]
#[cfg_attr(windows, ignore = "runs Radicale, a Python server started through sh")]
fn a_caldav_account_is_read_across_the_dst_change_kept_current_and_given_my_focus() {
    let server = radicale();
    let user = "calcli";
    let calendar = server.mkcalendar(user, "work", "Work", &["VEVENT"]);
    let other = server.client(user);
    let series_etag = other
        .put(&calendar, "standup@example.com", &standup_series(), None)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    import(&db, &team_in_new_york("mon-fri 13:00-15:00", ""));

    let out = add_caldav(&db, user, PASSWORD);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added[0]["shown"], "Work");
    assert_eq!(
        added[0]["events"], 13,
        "14 days of stand-ups less the EXDATE'd one: {added}"
    );

    // The password is in the secrets file beside the database, only mine to read, and nowhere in
    // the database.
    let secrets = dir.path().join("secrets.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secrets).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "secrets file mode {mode:o}");
    }
    assert!(std::fs::read_to_string(&secrets)
        .unwrap()
        .contains(PASSWORD));
    for f in ["baton.db", "baton.db-wal", "baton.db-shm"] {
        let bytes = std::fs::read(dir.path().join(f)).unwrap_or_default();
        assert!(
            !bytes
                .windows(PASSWORD.len())
                .any(|w| w == PASSWORD.as_bytes()),
            "the password is in {f}"
        );
    }

    // 09:00 New York is 14:00 UTC before 8 March and 13:00 after; 6 March is EXDATE'd; the 9th's
    // moved to 11:00 (15:00 UTC).
    let busy = |db: &Path| hours(db, CALDAV_AT, "Ana", "2026-03-05", "6", "busy");
    let standups = utc(&[
        ("2026-03-05T14:00", "2026-03-05T14:30"),
        ("2026-03-07T14:00", "2026-03-07T14:30"),
        ("2026-03-08T13:00", "2026-03-08T13:30"),
        ("2026-03-09T15:00", "2026-03-09T15:30"),
        ("2026-03-10T13:00", "2026-03-10T13:30"),
    ]);
    assert_eq!(busy(&db), standups);

    // A change on the server is read; then no change is no change.
    let review = event(
        "review@example.com",
        "Review",
        "20260310T160000Z",
        "20260310T170000Z",
    );
    let review_etag = other
        .put(&calendar, "review@example.com", &review, None)
        .unwrap();
    let synced = sync(&db, CALDAV_AT);
    assert_eq!(
        (&synced[0]["outcome"], &synced[0]["events"]),
        (&Value::from("changed"), &Value::from(14)),
        "{synced}"
    );
    let mut with_review = standups.clone();
    with_review.push(("2026-03-10T16:00:00Z".into(), "2026-03-10T17:00:00Z".into()));
    assert_eq!(busy(&db), with_review);
    assert_eq!(sync(&db, CALDAV_AT)[0]["outcome"], "unchanged");

    // Publishing my focus: one event a weekday from today, in New York's 13:00-15:00.
    let id = list(&db)[0]["id"].as_i64().unwrap();
    baton(&db)
        .args([
            "--at",
            CALDAV_AT,
            "calendar",
            "publish",
            &id.to_string(),
            "on",
        ])
        .assert()
        .success();
    let baton_objects = |client: &baton::calendar::caldav::CaldavClient| {
        let mut all: Vec<(String, String, String)> = client
            .objects(&calendar, march_april())
            .unwrap()
            .into_iter()
            .map(|o| (name_of(&o.url), o.etag.unwrap(), o.ics))
            .collect();
        all.sort();
        all
    };
    let on_server = baton_objects(&other);
    let focus: Vec<&(String, String, String)> = on_server
        .iter()
        .filter(|(n, _, _)| n.ends_with("@baton.local.ics"))
        .collect();
    let expected: Vec<String> = weekdays(4, 31, &[])
        .iter()
        .map(|d| format!("focus-2026-03-{d:02}-0@baton.local.ics"))
        .collect();
    assert_eq!(
        focus.iter().map(|(n, _, _)| n.clone()).collect::<Vec<_>>(),
        expected
    );
    for (name, _, ics) in &focus {
        for part in ["SUMMARY:Focus (Baton)", "TRANSP:OPAQUE"] {
            assert!(ics.contains(part), "{part} in {name}:\n{ics}");
        }
    }
    let text_of = |all: &[(String, String, String)], name: &str| {
        all.iter().find(|(n, _, _)| n == name).unwrap().2.clone()
    };
    assert!(text_of(&on_server, "focus-2026-03-05-0@baton.local.ics")
        .contains("DTSTART:20260305T180000Z"));
    assert!(text_of(&on_server, "focus-2026-03-10-0@baton.local.ics")
        .contains("DTSTART:20260310T170000Z"));
    // Baton's own events are not read back as busy times.
    assert_eq!(sync(&db, CALDAV_AT)[0]["outcome"], "unchanged");
    assert_eq!(busy(&db), with_review);

    // The focus rule changes: Fridays go, the rest move to 14:00-16:00, in place.
    import(&db, &team_in_new_york("mon-thu 14:00-16:00", ""));
    baton(&db)
        .args([
            "--at",
            CALDAV_AT,
            "calendar",
            "publish",
            &id.to_string(),
            "on",
        ])
        .assert()
        .success();
    let after = baton_objects(&other);
    let fridays = [6, 13, 20, 27];
    let expected: Vec<String> = weekdays(4, 31, &fridays)
        .iter()
        .map(|d| format!("focus-2026-03-{d:02}-0@baton.local.ics"))
        .chain([
            "review@example.com.ics".into(),
            "standup@example.com.ics".into(),
        ])
        .collect();
    let mut names: Vec<String> = after.iter().map(|(n, _, _)| n.clone()).collect();
    names.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(names, expected_sorted, "Fridays' blocks deleted");
    let moved = text_of(&after, "focus-2026-03-10-0@baton.local.ics");
    assert!(moved.contains("DTSTART:20260310T180000Z"), "{moved}");
    assert!(moved.contains("UID:focus-2026-03-10-0@baton.local"));
    let etag_of = |all: &[(String, String, String)], name: &str| {
        all.iter().find(|(n, _, _)| n == name).unwrap().1.clone()
    };
    assert_eq!(
        etag_of(&after, "standup@example.com.ics"),
        series_etag,
        "the foreign series is untouched"
    );
    assert_eq!(etag_of(&after, "review@example.com.ics"), review_etag);
    assert_eq!(
        lines(&text_of(&after, "review@example.com.ics")),
        lines(&review)
    );
}

#[test]
#[cfg_attr(windows, ignore = "runs Radicale, a Python server started through sh")]
fn a_wrong_caldav_password_is_refused_naming_the_server_and_adds_nothing() {
    let server = radicale();
    server.mkcalendar("calbad", "work", "Work", &["VEVENT"]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let wrong = "wrong-pw-31337";
    let out = add_caldav(&db, "calbad", wrong);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&server.base)
            && stderr.contains("refused the user name or password")
            && stderr.contains("nothing added")
            && !stderr.contains(wrong),
        "{stderr}"
    );
    assert_eq!(list(&db), Value::Array(vec![]));
    let secrets = std::fs::read_to_string(dir.path().join("secrets.json")).unwrap_or_default();
    assert!(!secrets.contains(wrong), "the wrong password is not kept");
}

/// The export of Ana (New York, focus 13:00-15:00 weekdays, 6 March off) for 7 days at CALDAV_AT.
fn export(db: &Path) -> String {
    let out = baton(db)
        .args(["--at", CALDAV_AT, "calendar", "export", "--days", "7"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[cfg_attr(windows, ignore = "runs Radicale, a Python server started through sh")]
fn the_export_reads_back_in_an_independent_parser_and_radicale_accepts_it() {
    use icalendar::{Component, DatePerhapsTime};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    import(
        &db,
        &team_in_new_york("mon-fri 13:00-15:00", "\"2026-03-06\""),
    );
    let text = export(&db);
    assert_eq!(export(&db), text, "the same instant, the same bytes");

    let cal: icalendar::Calendar = text.parse().unwrap();
    let events: Vec<&icalendar::Event> =
        cal.components.iter().filter_map(|c| c.as_event()).collect();
    let as_utc = |d: Option<DatePerhapsTime>| match d {
        Some(DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => t.to_rfc3339(),
        other => panic!("not a UTC date-time: {other:?}"),
    };
    let focus: Vec<(String, String, String)> = events
        .iter()
        .filter(|e| e.get_summary() == Some("Focus (Baton)"))
        .map(|e| {
            assert_eq!(e.property_value("TRANSP"), Some("OPAQUE"));
            (
                e.get_uid().unwrap().to_string(),
                as_utc(e.get_start()),
                as_utc(e.get_end()),
            )
        })
        .collect();
    // A week back to a week ahead of 4 March, but the day off; 18:00 UTC before the DST change,
    // 17:00 after.
    let expected: Vec<(String, String, String)> = [(2, 25), (2, 26), (2, 27)]
        .into_iter()
        .chain(weekdays(2, 10, &[6]).into_iter().map(|d| (3, d)))
        .map(|(m, d)| {
            let h = if (m, d) < (3, 8) { 18 } else { 17 };
            (
                format!("focus-2026-{m:02}-{d:02}-0@baton.local"),
                format!("2026-{m:02}-{d:02}T{h}:00:00+00:00"),
                format!("2026-{m:02}-{d:02}T{}:00:00+00:00", h + 2),
            )
        })
        .collect();
    assert_eq!(focus, expected);
    let day_off = events
        .iter()
        .find(|e| {
            e.get_start()
                == Some(DatePerhapsTime::Date(
                    chrono::NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
                ))
        })
        .expect("the day off as an all-day event");
    assert_eq!(
        day_off.get_end(),
        Some(DatePerhapsTime::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()
        ))
    );
    let unfolded = icalendar::parser::unfold(&text);
    let raw = icalendar::parser::read_calendar(&unfolded).unwrap();
    let avail = raw
        .components
        .iter()
        .find(|c| c.name == "VAVAILABILITY")
        .expect("a VAVAILABILITY");
    let slots = avail
        .components
        .iter()
        .filter(|c| c.name == "AVAILABLE")
        .count();
    // Working days from 25 February to 10 March: 10 weekdays, less the day off.
    assert_eq!(slots, 9);

    // Radicale takes each event as its own object.
    let server = radicale();
    let calendar = server.mkcalendar("calexp", "export", "Export", &["VEVENT"]);
    let client = server.client("calexp");
    let head = &text[..text.find("BEGIN:VEVENT").unwrap()];
    let mut uids = Vec::new();
    for block in text.split("BEGIN:VEVENT\r\n").skip(1) {
        let body = &block[..block.find("END:VEVENT\r\n").unwrap()];
        let uid = body
            .lines()
            .find_map(|l| l.strip_prefix("UID:"))
            .unwrap()
            .to_string();
        let one = format!("{head}BEGIN:VEVENT\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n");
        client.put(&calendar, &uid, &one, None).unwrap();
        uids.push(format!("{uid}.ics"));
    }
    assert_eq!(uids.len(), events.len());
    let window = {
        use chrono::TimeZone;
        let at = |m, d| chrono::Utc.with_ymd_and_hms(2026, m, d, 0, 0, 0).unwrap();
        baton::Interval::new(at(2, 1), at(4, 1)).unwrap()
    };
    let mut stored: Vec<String> = client
        .objects(&calendar, window)
        .unwrap()
        .iter()
        .map(|o| name_of(&o.url))
        .collect();
    stored.sort();
    uids.sort();
    assert_eq!(stored, uids, "every event is on the server");
}

#[test]
fn the_intake_serves_my_calendar_to_the_token_only() {
    let server = TestIntake::start(60);
    import(&server.db, &team_in_new_york("mon-fri 13:00-15:00", ""));
    let get = |path: &str, auth: &str| {
        send(
            server.port,
            &format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{auth}\r\n",
                server.port
            ),
        )
    };
    let token = server.token.as_str();
    let ok = get(&format!("/v1/calendar.ics?token={token}"), "");
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(
        ok.header("content-type")
            .is_some_and(|c| c.starts_with("text/calendar")),
        "{:?}",
        ok.headers
    );
    assert!(
        ok.body.starts_with("BEGIN:VCALENDAR\r\n") && ok.body.ends_with("END:VCALENDAR\r\n"),
        "{}",
        ok.body
    );
    assert!(ok.body.contains("X-WR-CALNAME:Baton: Ana"));
    let bearer = get("/v1/calendar.ics", &server.bearer());
    assert_eq!(bearer.status, 200, "the token as a header works too");
    assert_eq!(get("/v1/calendar.ics", "").status, 401, "no token");
    let wrong = format!("{}x", &token[..token.len() - 1]);
    assert_eq!(
        get(&format!("/v1/calendar.ics?token={wrong}"), "").status,
        401,
        "a wrong token"
    );
    assert_eq!(
        get(
            "/v1/calendar.ics",
            &format!("Authorization: Bearer {wrong}\r\n")
        )
        .status,
        401,
        "a wrong bearer token"
    );
}
