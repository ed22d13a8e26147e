//! iCalendar feeds end to end: fixtures in the shapes Google, Outlook, Apple Calendar and Thunderbird
//! write (written for these tests from RFC 5545 and the vendors' documented fields), read into exact
//! UTC instants; bad input refused with a clear message; and Baton's own export read back by an
//! independent parser (the `icalendar` crate; Baton writes with `calcard`) and by `read_ics`.
#![allow(clippy::unwrap_used)]

use baton::calendar::export::write_ics;
use baton::calendar::ics::read_ics;
use baton::calendar::{
    default_ooo_words, ExportDay, ExportEvent, ExportFeed, OccurrenceKind, ReadOptions,
};
use baton::time::interval::{Instant, Interval};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/ics/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn opts(zone: Tz, from: Instant, to: Instant) -> ReadOptions {
    ReadOptions {
        zone,
        window: Interval::new(from, to).unwrap(),
        keep_titles: true,
        ooo_words: default_ooo_words(),
        max_occurrences: 50_000,
    }
}

/// (uid, start, end, kind, title) of each occurrence, for whole-list comparisons.
type Row = (String, Instant, Instant, OccurrenceKind, Option<String>);

fn rows(text: &str, o: &ReadOptions) -> Vec<Row> {
    read_ics(text, o)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|x| (x.uid, x.interval.start, x.interval.end, x.kind, x.title))
        .collect()
}

fn row(uid: &str, s: Instant, e: Instant, kind: OccurrenceKind, title: &str) -> Row {
    (uid.to_string(), s, e, kind, Some(title.to_string()))
}

use OccurrenceKind::{Busy, OutOfOffice};

#[test]
fn google_weekly_across_dst_with_exdate_override_and_all_day() {
    let ny = chrono_tz::America::New_York;
    let got = rows(
        &fixture("google.ics"),
        &opts(ny, utc(2026, 3, 1, 0, 0), utc(2026, 3, 22, 0, 0)),
    );
    let w = "weekly-sync@google.com";
    let want = vec![
        // 09:00 EST is 14:00Z before the change on 8 March...
        row(
            w,
            utc(2026, 3, 3, 14, 0),
            utc(2026, 3, 3, 14, 30),
            Busy,
            "Weekly sync",
        ),
        row(
            "one-off@google.com",
            utc(2026, 3, 5, 15, 0),
            utc(2026, 3, 5, 16, 0),
            Busy,
            "Dentist",
        ),
        // ...and 09:00 EDT is 13:00Z after it.
        row(
            w,
            utc(2026, 3, 10, 13, 0),
            utc(2026, 3, 10, 13, 30),
            Busy,
            "Weekly sync",
        ),
        // The 24 February (EST) occurrence, moved by RECURRENCE-ID to 10:00 EDT on 12 March.
        row(
            w,
            utc(2026, 3, 12, 14, 0),
            utc(2026, 3, 12, 14, 30),
            Busy,
            "Weekly sync (moved)",
        ),
        // 17 March is an EXDATE; the cancelled event, the transparent birthday and the VTODO are
        // left out; the all-day "Vacation" is out of office, local midnight to midnight (EDT).
        row(
            "vacation@google.com",
            utc(2026, 3, 16, 4, 0),
            utc(2026, 3, 18, 4, 0),
            OutOfOffice,
            "Vacation",
        ),
    ];
    assert_eq!(got, want);
}

#[test]
fn google_override_leaves_no_copy_at_the_original_time() {
    let ny = chrono_tz::America::New_York;
    let got = rows(
        &fixture("google.ics"),
        &opts(ny, utc(2026, 2, 24, 0, 0), utc(2026, 2, 25, 0, 0)),
    );
    assert!(got.is_empty(), "24 February was moved away: {got:?}");
    let got = rows(
        &fixture("google.ics"),
        &opts(ny, utc(2026, 3, 17, 0, 0), utc(2026, 3, 18, 0, 0)),
    );
    let weekly: Vec<_> = got.iter().filter(|r| r.0.starts_with("weekly")).collect();
    assert!(weekly.is_empty(), "17 March is an EXDATE: {weekly:?}");
}

#[test]
fn outlook_windows_zones_vtimezone_rules_and_oof() {
    let berlin = chrono_tz::Europe::Berlin;
    let got = rows(
        &fixture("outlook.ics"),
        &opts(berlin, utc(2026, 3, 23, 0, 0), utc(2026, 4, 6, 0, 0)),
    );
    let id = |n: u32| format!("040000008200E00074C5B7101A82E00800000000A0B1C2D{n}");
    let want = vec![
        // "Eastern Standard Time": 09:00 EDT.
        (
            id(4),
            utc(2026, 3, 24, 13, 0),
            utc(2026, 3, 24, 14, 0),
            Busy,
            Some("Call with New York".into()),
        ),
        // "W. Europe Standard Time" the day after Europe's change: 10:00 CEST.
        (
            id(3),
            utc(2026, 3, 30, 8, 0),
            utc(2026, 3, 30, 9, 0),
            Busy,
            Some("Steering committee".into()),
        ),
        // "Customized Time Zone" has no name to go by: its VTIMEZONE rules (+01/+02, last Sundays
        // of March and October) pick a zone with the same offsets: 14:00 CEST.
        (
            id(5),
            utc(2026, 3, 31, 12, 0),
            utc(2026, 3, 31, 13, 0),
            Busy,
            Some("Review (custom zone)".into()),
        ),
        // BUSYSTATUS:OOF all-day, 1-2 April in Berlin (CEST).
        (
            id(6),
            utc(2026, 3, 31, 22, 0),
            utc(2026, 4, 2, 22, 0),
            OutOfOffice,
            Some("Away".into()),
        ),
        // "Tokyo Standard Time" with no VTIMEZONE at all: 09:00 JST. BUSYSTATUS:FREE is left out.
        (
            id(8),
            utc(2026, 4, 2, 0, 0),
            utc(2026, 4, 2, 1, 0),
            Busy,
            Some("Tokyo partner call".into()),
        ),
    ];
    assert_eq!(got, want);
    let all = read_ics(
        &fixture("outlook.ics"),
        &opts(berlin, utc(2026, 3, 23, 0, 0), utc(2026, 4, 6, 0, 0)),
    )
    .unwrap();
    let away = all.iter().find(|o| o.uid == id(6)).unwrap();
    assert_eq!(away.all_day, Some((date(2026, 4, 1), date(2026, 4, 2))));
}

#[test]
fn apple_all_day_floating_duration_and_categories_in_tokyo() {
    let tokyo = chrono_tz::Asia::Tokyo;
    let all = read_ics(
        &fixture("apple.ics"),
        &opts(tokyo, utc(2026, 5, 1, 0, 0), utc(2026, 5, 15, 0, 0)),
    )
    .unwrap();
    let got: Vec<Row> = all
        .iter()
        .map(|x| {
            (
                x.uid.clone(),
                x.interval.start,
                x.interval.end,
                x.kind,
                x.title.clone(),
            )
        })
        .collect();
    let id = |n: u32| format!("5C3F6E2A-1111-4A8B-9C0D-APPLE0000000{n}");
    let want = vec![
        // All day on 4 May in Tokyo: 3 May 15:00Z to 4 May 15:00Z; "Holiday" is an OOO word.
        (
            id(2),
            utc(2026, 5, 3, 15, 0),
            utc(2026, 5, 4, 15, 0),
            OutOfOffice,
            Some("Holiday".into()),
        ),
        (
            id(1),
            utc(2026, 5, 7, 1, 0),
            utc(2026, 5, 7, 2, 0),
            Busy,
            Some("Planning".into()),
        ),
        // Floating 09:00 read in the reader's zone (Tokyo).
        (
            id(3),
            utc(2026, 5, 8, 0, 0),
            utc(2026, 5, 8, 0, 30),
            Busy,
            Some("Floating standup".into()),
        ),
        // DURATION:PT45M; CATEGORIES "ooo" matches "OOO" without case.
        (
            id(4),
            utc(2026, 5, 11, 0, 0),
            utc(2026, 5, 11, 0, 45),
            OutOfOffice,
            Some("Clinic".into()),
        ),
    ];
    assert_eq!(got, want);
    assert_eq!(all[0].all_day, Some((date(2026, 5, 4), date(2026, 5, 4))));
    assert_eq!(all[1].all_day, None);
}

#[test]
fn floating_times_follow_the_readers_zone() {
    let text = fixture("apple.ics");
    let window = (utc(2026, 5, 1, 0, 0), utc(2026, 5, 15, 0, 0));
    let in_lisbon = rows(&text, &opts(chrono_tz::Europe::Lisbon, window.0, window.1));
    let standup = in_lisbon
        .iter()
        .find(|r| r.4.as_deref() == Some("Floating standup"))
        .unwrap();
    // 09:00 WEST is 08:00Z.
    assert_eq!(standup.1, utc(2026, 5, 8, 8, 0));
}

#[test]
fn thunderbird_vtimezones_count_and_a_time_in_the_dst_gap() {
    let berlin = chrono_tz::Europe::Berlin;
    let got = rows(
        &fixture("thunderbird.ics"),
        &opts(berlin, utc(2026, 3, 1, 0, 0), utc(2026, 4, 6, 0, 0)),
    );
    let d = "a1b2c3d4-thunderbird-0001";
    let standup = |day: u32, h: u32| {
        row(
            d,
            utc(2026, 3, day, h, 15),
            utc(2026, 3, day, h, 30),
            Busy,
            "Daily standup",
        )
    };
    let want = vec![
        // 02:30 on New York's spring-forward morning does not exist: it moves forward by the gap,
        // to 03:30 EDT, 07:30Z (the Mozilla-prefixed TZID names America/New_York inside it).
        row(
            "a1b2c3d4-thunderbird-0002",
            utc(2026, 3, 8, 7, 30),
            utc(2026, 3, 8, 8, 0),
            Busy,
            "Early call",
        ),
        // COUNT=5 on weekdays from Thursday 26 March, 09:15 Berlin, across Europe's change on 29 March.
        standup(26, 8),
        standup(27, 8),
        (
            d.to_string(),
            utc(2026, 3, 30, 7, 15),
            utc(2026, 3, 30, 7, 30),
            Busy,
            Some("Daily standup".into()),
        ),
        (
            d.to_string(),
            utc(2026, 3, 31, 7, 15),
            utc(2026, 3, 31, 7, 30),
            Busy,
            Some("Daily standup".into()),
        ),
        (
            d.to_string(),
            utc(2026, 4, 1, 7, 15),
            utc(2026, 4, 1, 7, 30),
            Busy,
            Some("Daily standup".into()),
        ),
    ];
    assert_eq!(got, want, "the transparent focus block is left out");
}

#[test]
fn titles_are_dropped_unless_kept() {
    let mut o = opts(
        chrono_tz::America::New_York,
        utc(2026, 3, 1, 0, 0),
        utc(2026, 3, 22, 0, 0),
    );
    o.keep_titles = false;
    let got = read_ics(&fixture("google.ics"), &o).unwrap();
    assert_eq!(got.len(), 5);
    assert!(got.iter().all(|x| x.title.is_none()), "{got:?}");
    // The kind still comes from the title when titles are not kept.
    assert_eq!(got.iter().filter(|x| x.kind == OutOfOffice).count(), 1);
}

fn one_event(props: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:e@t\r\n{props}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn nine_weeks() -> ReadOptions {
    opts(
        chrono_tz::UTC,
        utc(2026, 3, 2, 0, 0),
        utc(2026, 3, 2, 0, 0) + Duration::weeks(9),
    )
}

#[test]
fn bad_input_is_refused_with_a_clear_message() {
    let o = nine_weeks();
    let google = fixture("google.ics");
    let cut = &google[..google.len() / 2];
    let e = read_ics(cut, &o).unwrap_err();
    assert!(e.to_string().contains("cut short"), "{e}");
    assert!(e.line.is_some());

    let garbage: String =
        String::from_utf8_lossy(&(0u8..=255).cycle().take(4096).collect::<Vec<_>>()).into_owned();
    let e = read_ics(&garbage, &o).unwrap_err();
    assert!(e.to_string().contains("not an iCalendar feed"), "{e}");

    let e = read_ics(
        "Subject: hello\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        &o,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 1: the text is not an iCalendar feed: it does not start with BEGIN:VCALENDAR"
    );

    let mut huge = String::from("BEGIN:VCALENDAR\r\n");
    huge.push_str(
        &"X-PAD:0123456789012345678901234567890123456789012345678901234567890123\r\n"
            .repeat(150_000),
    );
    huge.push_str("END:VCALENDAR\r\n");
    assert!(huge.len() > 10 * 1024 * 1024);
    let e = read_ics(&huge, &o).unwrap_err();
    assert!(e.to_string().contains("10 MiB"), "{e}");

    let e = read_ics(&one_event("SUMMARY:no start\r\n"), &o).unwrap_err();
    assert_eq!(e.to_string(), "event \"e@t\": DTSTART is missing");
}

#[test]
fn an_endless_minutely_rule_is_an_error_past_max_occurrences() {
    let text = one_event("DTSTART:20260301T000000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY\r\n");
    let e = read_ics(&text, &nine_weeks()).unwrap_err();
    assert!(
        e.to_string()
            .contains("more than 50000 occurrences in the window"),
        "{e}"
    );
}

#[test]
fn a_billion_count_daily_rule_is_bounded_by_the_window() {
    let text = one_event(
        "DTSTART:20200101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=1000000000\r\n",
    );
    let got = read_ics(&text, &nine_weeks()).unwrap();
    assert_eq!(got.len(), 63, "one a day for nine weeks");
    assert_eq!(got[0].interval.start, utc(2026, 3, 2, 9, 0));
    assert_eq!(got[62].interval.start, utc(2026, 5, 3, 9, 0));
}

#[test]
fn a_billion_count_secondly_rule_started_months_before_is_skipped_to_the_window() {
    // Started two months before a one-hour window: 5 million seconds are stepped over, not walked.
    let text = one_event(
        "DTSTART:20260101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY;COUNT=1000000000\r\n",
    );
    let o = opts(
        chrono_tz::UTC,
        utc(2026, 3, 2, 10, 0),
        utc(2026, 3, 2, 11, 0),
    );
    let got = read_ics(&text, &o).unwrap();
    assert_eq!(got.len(), 3600);
    assert_eq!(got[0].interval.start, utc(2026, 3, 2, 10, 0));
    // With a BY part the rule cannot be stepped over; walking it to the window is refused.
    let text = one_event("DTSTART:20200101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY;BYMINUTE=5;COUNT=1000000000\r\n");
    let e = read_ics(&text, &o).unwrap_err();
    assert!(e.to_string().contains("too frequent"), "{e}");
}

fn feed() -> ExportFeed {
    let start = utc(2026, 3, 2, 0, 0);
    ExportFeed {
        name: "Baton: Ana".into(),
        zone: chrono_tz::Europe::Lisbon,
        generated: utc(2026, 3, 1, 12, 0),
        events: vec![
            ExportEvent {
                uid: "focus-20260302@baton".into(),
                summary: "Focus; deep work, no meetings\\please".into(),
                description: Some(format!(
                    "Line one\nLine two, with a comma; and {}",
                    "long ".repeat(30)
                )),
                interval: Interval::new(utc(2026, 3, 2, 9, 0), utc(2026, 3, 2, 11, 0)).unwrap(),
                busy: true,
                categories: vec!["FOCUS".into()],
            },
            ExportEvent {
                uid: "handoff-20260302@baton".into(),
                summary: "Handoff to Bo".into(),
                description: None,
                interval: Interval::new(utc(2026, 3, 2, 17, 0), utc(2026, 3, 2, 17, 30)).unwrap(),
                busy: false,
                categories: vec!["HANDOFF".into()],
            },
        ],
        days: vec![
            ExportDay {
                uid: "dayoff-20260305@baton".into(),
                summary: "Day off".into(),
                first: date(2026, 3, 5),
                last: date(2026, 3, 6),
                categories: vec!["DAY-OFF".into()],
            },
            ExportDay {
                uid: "holiday-20260309@baton".into(),
                summary: "Holiday".into(),
                first: date(2026, 3, 9),
                last: date(2026, 3, 9),
                categories: vec!["HOLIDAY".into()],
            },
        ],
        available: vec![
            Interval::new(utc(2026, 3, 2, 9, 0), utc(2026, 3, 2, 17, 0)).unwrap(),
            Interval::new(utc(2026, 3, 3, 9, 0), utc(2026, 3, 3, 17, 0)).unwrap(),
        ],
        window: Interval::new(start, start + Duration::weeks(2)).unwrap(),
    }
}

#[test]
fn export_reads_back_in_an_independent_parser() {
    use icalendar::{Component, DatePerhapsTime};
    let f = feed();
    let text = write_ics(&f);
    let cal: icalendar::Calendar = text.parse().unwrap();
    let events: Vec<&icalendar::Event> =
        cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 4);
    let as_utc = |d: Option<DatePerhapsTime>| match d {
        Some(DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => t,
        other => panic!("not a UTC date-time: {other:?}"),
    };
    let as_date = |d: Option<DatePerhapsTime>| match d {
        Some(DatePerhapsTime::Date(d)) => d,
        other => panic!("not a date: {other:?}"),
    };
    for (e, want) in events.iter().zip(&f.events) {
        assert_eq!(e.get_uid(), Some(want.uid.as_str()));
        assert_eq!(e.get_summary(), Some(want.summary.as_str()));
        assert_eq!(e.get_description(), want.description.as_deref());
        assert_eq!(as_utc(e.get_start()), want.interval.start);
        assert_eq!(as_utc(e.get_end()), want.interval.end);
        assert_eq!(
            e.property_value("TRANSP"),
            Some(if want.busy { "OPAQUE" } else { "TRANSPARENT" })
        );
        assert_eq!(e.property_value("DTSTAMP"), Some("20260301T120000Z"));
    }
    for (e, want) in events[2..].iter().zip(&f.days) {
        assert_eq!(e.get_uid(), Some(want.uid.as_str()));
        assert_eq!(as_date(e.get_start()), want.first);
        assert_eq!(as_date(e.get_end()), want.last.succ_opt().unwrap());
    }
    assert_eq!(
        events[2].property_value("X-MICROSOFT-CDO-BUSYSTATUS"),
        Some("OOF")
    );
    assert_eq!(events[2].property_value("TRANSP"), Some("OPAQUE"));
    assert_eq!(events[3].property_value("TRANSP"), Some("TRANSPARENT"));
    assert_eq!(cal.property_value("X-WR-CALNAME"), Some("Baton: Ana"));
    assert_eq!(cal.property_value("X-WR-TIMEZONE"), Some("Europe/Lisbon"));
    assert_eq!(cal.property_value("METHOD"), Some("PUBLISH"));
    assert_eq!(
        cal.property_value("PRODID"),
        Some(format!("-//Baton//Baton {}//EN", env!("CARGO_PKG_VERSION")).as_str())
    );

    // VAVAILABILITY with one AVAILABLE per working interval, through the same parser's raw tree.
    let unfolded = icalendar::parser::unfold(&text);
    let raw = icalendar::parser::read_calendar(&unfolded).unwrap();
    let avail = raw
        .components
        .iter()
        .find(|c| c.name == "VAVAILABILITY")
        .expect("a VAVAILABILITY");
    let prop = |c: &icalendar::parser::Component, n: &str| {
        c.properties
            .iter()
            .find(|p| p.name == n)
            .map(|p| p.val.as_str().to_string())
    };
    assert_eq!(prop(avail, "BUSYTYPE").as_deref(), Some("BUSY-UNAVAILABLE"));
    assert_eq!(prop(avail, "DTSTART").as_deref(), Some("20260302T000000Z"));
    assert_eq!(prop(avail, "DTEND").as_deref(), Some("20260316T000000Z"));
    assert!(prop(avail, "UID").is_some() && prop(avail, "DTSTAMP").is_some());
    let slots: Vec<(String, String)> = avail
        .components
        .iter()
        .filter(|c| c.name == "AVAILABLE")
        .map(|c| {
            assert!(prop(c, "UID").is_some() && prop(c, "DTSTAMP").is_some());
            (prop(c, "DTSTART").unwrap(), prop(c, "DTEND").unwrap())
        })
        .collect();
    assert_eq!(
        slots,
        vec![
            (
                "20260302T090000Z".to_string(),
                "20260302T170000Z".to_string()
            ),
            (
                "20260303T090000Z".to_string(),
                "20260303T170000Z".to_string()
            ),
        ]
    );
}

#[test]
fn export_round_trips_through_read_ics_and_is_deterministic() {
    let f = feed();
    let text = write_ics(&f);
    assert_eq!(
        text,
        write_ics(&f.clone()),
        "the same feed gives the same text"
    );
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line:?}");
        assert!(!line.contains('\n'), "CRLF line ends only: {line:?}");
    }
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let o = opts(chrono_tz::Europe::Lisbon, f.window.start, f.window.end);
    let got = read_ics(&text, &o).unwrap();
    let summary: Vec<(&str, Instant, Instant, OccurrenceKind)> = got
        .iter()
        .map(|x| (x.uid.as_str(), x.interval.start, x.interval.end, x.kind))
        .collect();
    // The transparent handoff and holiday are not busy time; the day off is (OOF), Lisbon midnights
    // (WET, UTC+0 in March).
    assert_eq!(
        summary,
        vec![
            (
                "focus-20260302@baton",
                utc(2026, 3, 2, 9, 0),
                utc(2026, 3, 2, 11, 0),
                Busy
            ),
            (
                "dayoff-20260305@baton",
                utc(2026, 3, 5, 0, 0),
                utc(2026, 3, 7, 0, 0),
                OutOfOffice
            ),
        ]
    );
    assert_eq!(
        got[0].title.as_deref(),
        Some("Focus; deep work, no meetings\\please")
    );
    assert_eq!(got[1].all_day, Some((date(2026, 3, 5), date(2026, 3, 6))));
}
