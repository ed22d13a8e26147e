//! What reading a big iCalendar feed costs: a 5,000-event calendar (4,500 single events and 500
//! weekly or daily series in five IANA zones, spread over the window) parsed and expanded over a
//! 9-week window (the 7 days back and 56 ahead that the calendar reads).
//!
//! Group `read_ics/5000_events_9_weeks`. Target: at most 50 ms.
//!
//! Run with `cargo bench -p baton --bench calendar`.

#![allow(clippy::unwrap_used)]

use std::fmt::Write;
use std::hint::black_box;

use baton::calendar::ics::read_ics;
use baton::calendar::{default_ooo_words, ReadOptions};
use baton::time::interval::Interval;
use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};

const ZONES: [&str; 5] = [
    "America/New_York",
    "Europe/Berlin",
    "Asia/Tokyo",
    "America/Los_Angeles",
    "Australia/Sydney",
];

/// The feed: events every ~18 minutes of the window, series starting in the two weeks before it.
fn feed() -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//bench//EN\r\n");
    let start = Utc.with_ymd_and_hms(2026, 2, 23, 0, 0, 0).unwrap();
    for i in 0..4_500i64 {
        let t = start + Duration::minutes(i * 20);
        let _ = write!(
            s,
            "BEGIN:VEVENT\r\nUID:single-{i}@bench\r\nDTSTAMP:20260201T000000Z\r\n\
             DTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Meeting {i}\r\nEND:VEVENT\r\n",
            t.format("%Y%m%dT%H%M%SZ"),
            (t + Duration::minutes(30)).format("%Y%m%dT%H%M%SZ")
        );
    }
    for i in 0..500i64 {
        let zone = ZONES[(i % 5) as usize];
        let day = 9 + (i % 14);
        let hour = 8 + (i % 9);
        let rule = if i % 2 == 0 {
            "FREQ=WEEKLY;BYDAY=MO,WE"
        } else {
            "FREQ=DAILY;COUNT=40"
        };
        let _ = write!(
            s,
            "BEGIN:VEVENT\r\nUID:series-{i}@bench\r\nDTSTAMP:20260201T000000Z\r\n\
             DTSTART;TZID={zone}:202602{day:02}T{hour:02}0000\r\n\
             DTEND;TZID={zone}:202602{day:02}T{hour:02}4500\r\nRRULE:{rule}\r\n\
             SUMMARY:Series {i}\r\nEND:VEVENT\r\n"
        );
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

fn read(c: &mut Criterion) {
    let text = feed();
    let from = Utc.with_ymd_and_hms(2026, 2, 23, 0, 0, 0).unwrap();
    let opts = ReadOptions {
        zone: chrono_tz::Europe::Lisbon,
        window: Interval::new(from, from + Duration::weeks(9)).unwrap(),
        keep_titles: false,
        ooo_words: default_ooo_words(),
        max_occurrences: 100_000,
    };
    let n = read_ics(&text, &opts).unwrap().len();
    assert!(
        n > 4_500 + 500 * 10,
        "every series expands in the window ({n})"
    );
    let mut g = c.benchmark_group("read_ics");
    g.sample_size(20);
    g.bench_function("5000_events_9_weeks", |b| {
        b.iter(|| black_box(read_ics(black_box(&text), &opts).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
