//! Holidays and travel end to end: exact holiday dates per region, what a holiday does to overnight
//! shifts, trips across a DST change and across the date line (exact UTC instants), `now` during a
//! trip, the coverage forecast, and the errors a team file gets for bad regions and trips.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use baton::team::holidays::HolidayCalendar;
use baton::team::schedule::Shift;
use baton::team::{Team, TeamError};
use baton::time::interval::{Instant, Interval};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn span(from: Instant, to: Instant) -> Interval {
    Interval::new(from, to).unwrap()
}

fn team(toml: &str) -> Team {
    Team::from_toml_str(toml, "team.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn baton() -> Command {
    let mut cmd = Command::cargo_bin("baton").unwrap();
    cmd.env_remove("BATON_DB");
    cmd
}

/// Runs `baton` with `args`, which must succeed; returns stdout.
fn run(args: &[&str]) -> String {
    let out = baton().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "baton {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The team file `toml` written to a temporary directory, kept alive with it.
fn team_file(toml: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.toml");
    std::fs::write(&path, toml).unwrap();
    (dir, path.display().to_string())
}

/// Region, date, the holiday's name (`-`: none), and why, one case a line.
const HOLIDAY_CASES: &str = "
DE      2026-04-06  Easter Monday       | Easter is 5 April 2026
GB-ENG  2026-04-06  Easter Monday       | England too
DE      2030-04-22  Easter Monday       | Easter is 21 April 2030
DE-BY   2026-06-04  Corpus Christi      | Easter + 60 days
DE-BY   2027-05-27  Corpus Christi      | Easter 2027 is 28 March
DE-BE   2026-06-04  -                   | Berlin does not keep Corpus Christi
DE      2026-06-04  -                   | nor does Germany as a whole
US      2026-11-26  Thanksgiving Day    | fourth Thursday of November
US      2028-11-23  Thanksgiving Day    | fourth Thursday of November
GB-SCT  2026-11-30  Saint Andrew's Day  | Scotland only
GB      2026-11-30  -                   | not in the UK as a whole
GB-SCT  2026-01-02  New Year Holiday    | 2 January in Scotland
GB-ENG  2026-01-02  -                   | not in England
";

#[test]
fn holiday_dates_are_exact_for_several_regions_and_years() {
    let mut cases = 0;
    for line in HOLIDAY_CASES.lines().filter(|l| !l.trim().is_empty()) {
        let (case, why) = line.split_once('|').unwrap();
        let mut words = case.split_whitespace();
        let (region, day) = (words.next().unwrap(), words.next().unwrap());
        let want = words.collect::<Vec<_>>().join(" ");
        let want = (want != "-").then_some(want);
        let d: NaiveDate = day.parse().unwrap();
        let got = HolidayCalendar::parse(region)
            .unwrap()
            .name_on(d)
            .map(str::to_string);
        assert_eq!(got, want, "{region} {d}: {}", why.trim());
        cases += 1;
    }
    assert_eq!(cases, 13, "every line of the table is a case");
}

#[test]
fn baton_holidays_lists_a_year_and_refuses_an_unknown_region_with_a_suggestion() {
    let v: Value =
        serde_json::from_str(&run(&["holidays", "de-by", "--year", "2026", "--json"])).unwrap();
    assert_eq!(v["region"], "DE-BY");
    assert_eq!(v["country"], "Germany");
    let dates: Vec<&str> = v["holidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates.len(), 12, "{dates:?}");
    assert!(dates.contains(&"2026-06-04") && dates.contains(&"2026-01-06"));
    let text = run(&["holidays", "US", "--year", "2026"]);
    assert!(
        text.contains(" 2026-11-26  Thu  Thanksgiving Day"),
        "{text}"
    );
    let out = baton().args(["holidays", "DE-BX"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"DE-BY\""), "{err}");
    let out = baton()
        .args(["holidays", "DE", "--year", "2051"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "outside the data's years");
}

#[test]
fn a_holiday_drops_the_overnight_shift_that_starts_on_it_not_the_one_from_the_evening_before() {
    let t = team(
        r#"
name = "T"
members = [
  { name = "Lena", time_zone = "Europe/Berlin", hours = ["daily 22:00-06:00"], holidays = "DE-BY" },
]
"#,
    );
    // Corpus Christi is Thursday 4 June 2026; Berlin is UTC+2.
    let s = t.members[0].expand(span(utc(2026, 6, 3, 0, 0), utc(2026, 6, 7, 0, 0)));
    let shifts: Vec<(NaiveDate, Interval)> =
        s.shifts.iter().map(|s| (s.date, s.interval)).collect();
    assert_eq!(
        shifts,
        vec![
            (
                date(2026, 6, 2),
                span(utc(2026, 6, 2, 20, 0), utc(2026, 6, 3, 4, 0))
            ),
            // Starts the evening before the holiday and runs into it: kept.
            (
                date(2026, 6, 3),
                span(utc(2026, 6, 3, 20, 0), utc(2026, 6, 4, 4, 0))
            ),
            // The 4 June shift starts on the holiday: dropped whole.
            (
                date(2026, 6, 5),
                span(utc(2026, 6, 5, 20, 0), utc(2026, 6, 6, 4, 0))
            ),
            (
                date(2026, 6, 6),
                span(utc(2026, 6, 6, 20, 0), utc(2026, 6, 7, 4, 0))
            ),
        ]
    );
}

fn shifts(t: &Team, from: Instant, to: Instant) -> Vec<Shift> {
    t.members[0].expand(span(from, to)).shifts
}

fn shift(d: NaiveDate, start: Instant, end: Instant) -> Shift {
    Shift {
        date: d,
        interval: span(start, end),
    }
}

#[test]
fn a_trip_across_new_yorks_dst_change_reads_each_date_in_the_zone_in_force() {
    let t = team(
        r#"
name = "T"
[[members]]
name = "Ana"
time_zone = "Europe/Berlin"
hours = ["mon-fri 09:00-17:00", "sun 02:30-04:00"]
travel = [{ from = "2026-03-06", to = "2026-03-10", time_zone = "America/New_York" }]
"#,
    );
    // New York springs forward on Sunday 8 March 2026 (02:00 EST -> 03:00 EDT); Berlin on 29 March.
    assert_eq!(
        shifts(&t, utc(2026, 3, 5, 0, 0), utc(2026, 3, 12, 0, 0)),
        vec![
            shift(
                date(2026, 3, 5),
                utc(2026, 3, 5, 8, 0),
                utc(2026, 3, 5, 16, 0)
            ),
            shift(
                date(2026, 3, 6),
                utc(2026, 3, 6, 14, 0),
                utc(2026, 3, 6, 22, 0)
            ),
            // 02:30 does not exist in New York that morning: the compatible rule moves it to 03:30 EDT.
            shift(
                date(2026, 3, 8),
                utc(2026, 3, 8, 7, 30),
                utc(2026, 3, 8, 8, 0)
            ),
            shift(
                date(2026, 3, 9),
                utc(2026, 3, 9, 13, 0),
                utc(2026, 3, 9, 21, 0)
            ),
            shift(
                date(2026, 3, 10),
                utc(2026, 3, 10, 13, 0),
                utc(2026, 3, 10, 21, 0)
            ),
            shift(
                date(2026, 3, 11),
                utc(2026, 3, 11, 8, 0),
                utc(2026, 3, 11, 16, 0)
            ),
        ]
    );
    let ana = &t.members[0];
    let (berlin, ny) = (chrono_tz::Europe::Berlin, chrono_tz::America::New_York);
    assert_eq!(
        ana.zone_at(utc(2026, 3, 6, 4, 59)),
        berlin,
        "before NY midnight"
    );
    assert_eq!(
        ana.zone_at(utc(2026, 3, 6, 5, 0)),
        ny,
        "00:00 EST on 6 March"
    );
    assert_eq!(ana.zone_at(utc(2026, 3, 11, 3, 59)), ny);
    assert_eq!(
        ana.zone_at(utc(2026, 3, 11, 4, 0)),
        berlin,
        "00:00 EDT on 11 March"
    );
    assert_eq!(ana.zone_on(date(2026, 3, 10)), ny);
    assert_eq!(ana.zone_on(date(2026, 3, 11)), berlin);
}

#[test]
fn trips_across_the_date_line_keep_each_span_on_the_date_it_starts() {
    // Auckland (UTC+12 in July) to Los Angeles (UTC-7) for Monday to Wednesday.
    let nz = team(
        r#"
name = "T"
[[members]]
name = "Aroha"
time_zone = "Pacific/Auckland"
hours = ["mon-fri 09:00-17:00"]
travel = [{ from = "2026-07-06", to = "2026-07-08", time_zone = "America/Los_Angeles" }]
"#,
    );
    assert_eq!(
        shifts(&nz, utc(2026, 7, 5, 0, 0), utc(2026, 7, 10, 0, 0)),
        vec![
            shift(
                date(2026, 7, 6),
                utc(2026, 7, 6, 16, 0),
                utc(2026, 7, 7, 0, 0)
            ),
            shift(
                date(2026, 7, 7),
                utc(2026, 7, 7, 16, 0),
                utc(2026, 7, 8, 0, 0)
            ),
            shift(
                date(2026, 7, 8),
                utc(2026, 7, 8, 16, 0),
                utc(2026, 7, 9, 0, 0)
            ),
            // Back home, Thursday in Auckland begins while Wednesday's LA shift is still on.
            shift(
                date(2026, 7, 9),
                utc(2026, 7, 8, 21, 0),
                utc(2026, 7, 9, 5, 0)
            ),
            shift(
                date(2026, 7, 10),
                utc(2026, 7, 9, 21, 0),
                utc(2026, 7, 10, 5, 0)
            ),
        ]
    );
    let working = nz.members[0]
        .expand(span(utc(2026, 7, 5, 0, 0), utc(2026, 7, 10, 0, 0)))
        .working;
    assert_eq!(
        working.intervals()[2],
        span(utc(2026, 7, 8, 16, 0), utc(2026, 7, 9, 5, 0)),
        "the overlapping shifts merge in the working time"
    );
    // And back: Los Angeles to Auckland for Tuesday and Wednesday.
    let la = team(
        r#"
name = "T"
[[members]]
name = "Marcus"
time_zone = "America/Los_Angeles"
hours = ["mon-fri 09:00-17:00"]
travel = [{ from = "2026-07-07", to = "2026-07-08", time_zone = "Pacific/Auckland" }]
"#,
    );
    assert_eq!(
        shifts(&la, utc(2026, 7, 6, 0, 0), utc(2026, 7, 10, 0, 0)),
        vec![
            shift(
                date(2026, 7, 6),
                utc(2026, 7, 6, 16, 0),
                utc(2026, 7, 7, 0, 0)
            ),
            shift(
                date(2026, 7, 7),
                utc(2026, 7, 6, 21, 0),
                utc(2026, 7, 7, 5, 0)
            ),
            shift(
                date(2026, 7, 8),
                utc(2026, 7, 7, 21, 0),
                utc(2026, 7, 8, 5, 0)
            ),
            shift(
                date(2026, 7, 9),
                utc(2026, 7, 9, 16, 0),
                utc(2026, 7, 10, 0, 0)
            ),
        ]
    );
}

const TRAVELLING: &str = r#"
name = "T"
[[members]]
name = "Lena"
time_zone = "Europe/Berlin"
hours = ["mon-fri 09:00-17:00"]
[[members]]
name = "Priya"
time_zone = "Europe/Berlin"
hours = ["mon-fri 10:00-18:00"]
travel = [{ from = "2026-06-01", to = "2026-06-03", time_zone = "Asia/Tokyo" }]
"#;

#[test]
fn now_during_a_trip_shows_the_zone_in_force() {
    let (_dir, path) = team_file(TRAVELLING);
    let at = [
        "--team",
        path.as_str(),
        "--at",
        "2026-06-02T03:00:00Z",
        "now",
    ];
    let v: Value = serde_json::from_str(&run(&[&at[..], &["--json"]].concat())).unwrap();
    let priya = &v["members"][1];
    assert_eq!(priya["time_zone"], "Europe/Berlin", "the home zone stays");
    assert_eq!(priya["travel_time_zone"], "Asia/Tokyo");
    assert_eq!(priya["local_time"], "2026-06-02T12:00:00+09:00");
    assert_eq!(priya["utc_offset"], "+09:00");
    assert_eq!(priya["status"], "working", "10:00-18:00 in Tokyo");
    assert_eq!(priya["next_change"], "2026-06-02T09:00:00Z");
    assert!(
        v["members"][0].get("travel_time_zone").is_none(),
        "absent for a member at home: {}",
        v["members"][0]
    );
    let text = run(&at);
    assert!(
        text.contains("Priya   Tue 12:00 +09:00 (Asia/Tokyo, travelling; home Europe/Berlin)  working  18:00 local (in 6h), then off"),
        "{text}"
    );
    let home = run(&["--team", &path, "--at", "2026-06-04T08:00:00Z", "now"]);
    assert!(
        home.contains("Priya   Thu 10:00 +02:00 (Europe/Berlin)"),
        "{home}"
    );
}

const CHRISTMAS: &str = r#"
name = "T"
[[members]]
name = "Kenji"
time_zone = "Asia/Tokyo"
hours = ["mon-fri 09:00-17:00"]
[[members]]
name = "Lena"
time_zone = "Europe/Berlin"
hours = ["mon-fri 09:00-17:00"]
holidays = "DE-BY"
[[members]]
name = "Priya"
time_zone = "Europe/London"
hours = ["mon-fri 09:00-17:00"]
holidays = "GB"
[[members]]
name = "Marcus"
time_zone = "America/Los_Angeles"
hours = ["mon-fri 09:00-17:00"]
holidays = "US"
days_off = ["2026-12-28"]
"#;

#[test]
fn the_forecast_finds_holiday_gaps_and_says_who_is_missing_and_why() {
    let (_dir, path) = team_file(CHRISTMAS);
    let args = [
        "--team",
        path.as_str(),
        "--at",
        "2026-12-21T00:00:00Z",
        "relay",
        "--forecast",
        "2w",
    ];
    let text = run(&args);
    // A normal Friday is covered from 00:00 UTC (Kenji) to 01:00 the next day (Marcus). On Christmas
    // Day only Kenji works; on Monday 28 December Priya has the observed Boxing Day and Marcus a day
    // off, so from Lena's end to Kenji's Tuesday start is empty; New Year's Day is like Christmas.
    assert_eq!(
        text,
        "Coverage forecast, 2 weeks from Mon 21 Dec 00:00 UTC: 3 gaps a normal week does not have\n\
         Fri 25 Dec 08:00–Sat 26 Dec 01:00 UTC: nobody works; Lena, Priya and Marcus on holiday (Christmas Day)\n\
         Mon 28 Dec 16:00–Tue 29 Dec 00:00 UTC: nobody works; Priya on holiday (Boxing Day (observed)); Marcus on a day off\n\
         Fri 01 Jan 08:00–Sat 02 Jan 01:00 UTC: nobody works; Lena, Priya and Marcus on holiday (New Year's Day)\n"
    );
    let v: Value = serde_json::from_str(&run(&[&args[..], &["--json"]].concat())).unwrap();
    assert_eq!(v["days"], 14);
    let gap = &v["gaps"][0];
    assert_eq!(gap["interval"]["start"], "2026-12-25T08:00:00Z");
    assert_eq!(gap["interval"]["end"], "2026-12-26T01:00:00Z");
    assert_eq!(gap["missing"][0]["name"], "Lena");
    assert_eq!(
        gap["missing"][0]["reasons"][0],
        serde_json::json!({"kind": "holiday", "date": "2026-12-25", "name": "Christmas Day"})
    );
    assert_eq!(
        v["gaps"][1]["missing"][1]["reasons"][0],
        serde_json::json!({"kind": "day_off", "date": "2026-12-28"})
    );
    // Lena (08:00-16:00 UTC) and Marcus (17:00-01:00) alone: their hour apart is normal, so each
    // one's holiday is a gap of its own; Kenji's and Priya's days are not counted.
    let pair = run(&[&args[..], &["--members", "Lena,Marcus"]].concat());
    assert_eq!(
        pair,
        "Coverage forecast, 2 weeks from Mon 21 Dec 00:00 UTC: 5 gaps a normal week does not have\n\
         Fri 25 Dec 08:00–16:00 UTC: nobody works; Lena on holiday (Christmas Day)\n\
         Fri 25 Dec 17:00–Sat 26 Dec 01:00 UTC: nobody works; Marcus on holiday (Christmas Day)\n\
         Mon 28 Dec 17:00–Tue 29 Dec 01:00 UTC: nobody works; Marcus on a day off\n\
         Fri 01 Jan 08:00–16:00 UTC: nobody works; Lena on holiday (New Year's Day)\n\
         Fri 01 Jan 17:00–Sat 02 Jan 01:00 UTC: nobody works; Marcus on holiday (New Year's Day)\n"
    );
    let out = baton()
        .args([
            "--team",
            &path,
            "relay",
            "--forecast",
            "2w",
            "--members",
            "Lena,Nobody",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no member named \"Nobody\""));
    let out = baton()
        .args(["--team", &path, "relay", "--forecast", "27w"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "capped at 26 weeks");
}

#[test]
fn bad_regions_and_trips_are_problems_with_line_member_and_field() {
    let bad = r#"name = "T"
[[members]]
name = "Ana"
time_zone = "Europe/Berlin"
holidays = "DE-BX"
travel = [
  { from = "2027-02-01", to = "2027-02-14", time_zone = "Asia/Tokio" },
  { from = "2027-03-10", to = "2027-03-01", time_zone = "UTC" },
  { from = "2027-02-10", to = "2027-02-20", time_zone = "UTC" },
  { from = "2027-04-31", to = "2027-05-01", time_zone = "UTC" },
]
[[members]]
name = "Bo"
time_zone = "UTC"
holidays = "Germany"
"#;
    let Err(TeamError::Invalid { problems, .. }) = Team::from_toml_str(bad, "team.toml") else {
        panic!("must fail")
    };
    let summary: Vec<_> = problems
        .iter()
        .map(|p| (p.line, p.member.as_deref(), p.field.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some(5), Some("Ana"), "holidays"),
            (Some(7), Some("Ana"), "travel[0].time_zone"),
            (Some(8), Some("Ana"), "travel[1].to"),
            // The third trip overlaps none that is valid: the first was refused for its zone.
            (Some(10), Some("Ana"), "travel[3].from"),
            (Some(15), Some("Bo"), "holidays"),
        ],
        "{problems:#?}"
    );
    assert!(problems[0].suggestions.contains(&"DE-BY".to_string()));
    assert_eq!(
        problems[1].suggestions.first().map(String::as_str),
        Some("Asia/Tokyo")
    );
    assert!(problems[2]
        .message
        .contains("ends (2027-03-01) before it starts (2027-03-10)"));
    assert_eq!(
        problems[4].suggestions.first().map(String::as_str),
        Some("DE")
    );

    let overlapping = r#"name = "T"
[[members]]
name = "Ana"
time_zone = "Europe/Berlin"
travel = [
  { from = "2027-02-01", to = "2027-02-14", time_zone = "Asia/Tokyo" },
  { from = "2027-02-14", to = "2027-02-20", time_zone = "UTC" },
]
"#;
    let err = Team::from_toml_str(overlapping, "team.toml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "team.toml: 1 problem:\n  line 7: member \"Ana\", travel[1]: the trip 2027-02-14..2027-02-20 \
         overlaps travel[0] (2027-02-01..2027-02-14); trips cannot share a date"
    );
    let (_dir, path) = team_file(overlapping);
    let out = baton().args(["--team", &path, "now"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 7: member \"Ana\", travel[1]"));
}

#[test]
fn holidays_and_travel_round_trip_through_toml_and_json() {
    let t = team(CHRISTMAS);
    let t2 = team(TRAVELLING);
    for t in [t, t2] {
        assert_eq!(Team::from_toml_str(&t.to_toml_string(), "x").unwrap(), t);
        assert_eq!(
            Team::from_json_str(&t.to_json_string(), "x.json").unwrap(),
            t
        );
    }
    let plain = team("name = \"T\"\n[[members]]\nname = \"A\"\ntime_zone = \"UTC\"\n");
    assert!(
        !plain.to_toml_string().contains("holidays") && !plain.to_toml_string().contains("travel"),
        "a team without them is written as before"
    );
}
