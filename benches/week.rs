//! The week in focus built from a year of history: what the window's week view and `baton week` cost.
//!
//! The database (a file, as in use) holds the sample team (me: Ana in Berlin), 2,000 focus sessions
//! (one of 90 minutes every 4 h 23 min through 2026) and 100,000 notifications (one every 5 min 15 s,
//! 8 sources; every 50th critical, every 20th delivered at once, the others in digests on the hour).
//! The history is written straight through SQLite in one transaction (setup, not what is measured);
//! the store is then opened afresh, as after a restart.
//!
//! Groups: `week/view_last` ([`week_view`] for the year's last full week: one snapshot reading the
//! team, the week's sessions and the week's notifications through their index, then the report),
//! `week/view_first` (the same for the second week of the year, to show the read does not grow with
//! the history after it) and `week/report` (the pure [`week_report`] alone, on inputs read once).
//!
//! Run with `cargo bench -p baton --bench week`.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration as StdDuration;

use baton::desktop::views::week_view;
use baton::query::week::{week_report, WeekInputs, WEEK_DAYS};
use baton::store::Store;
use baton::time::local_days_span;
use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};

const SESSIONS: i64 = 2_000;
const NOTIFICATIONS: i64 = 100_000;

/// Writes the year of history into the database at `db` (already migrated by [`Store::open`]).
fn fill(db: &std::path::Path) {
    let year = Utc
        .with_ymd_and_hms(2026, 1, 5, 0, 0, 0)
        .unwrap()
        .timestamp();
    let span = 365 * 24 * 3600;
    let mut conn = rusqlite::Connection::open(db).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut session = tx
            .prepare(
                "INSERT INTO focus_session (started_at, ends_at, stopped_at) VALUES (?1, ?2, ?3)",
            )
            .unwrap();
        for k in 0..SESSIONS {
            let start = year + k * span / SESSIONS;
            // Every fifth session was stopped after an hour.
            let stopped = (k % 5 == 0).then_some(start + 3600);
            session
                .execute(rusqlite::params![start, start + 5400, stopped])
                .unwrap();
        }
        let mut item = tx
            .prepare(
                "INSERT INTO notification (source, grp, sender, title, body, urgency, url,
                 idempotency_key, received_at, state, delivered_at, delivered_as)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'delivered', ?10, ?11)",
            )
            .unwrap();
        for i in 0..NOTIFICATIONS {
            let received = (year + i * span / NOTIFICATIONS) * 1000;
            let (urgency, at_once) = match i {
                i if i % 50 == 0 => ("critical", true),
                i if i % 20 == 0 => ("high", true),
                _ => ("normal", false),
            };
            let (delivered, how) = if at_once {
                (received, "urgent")
            } else {
                (received - received % 3_600_000 + 3_600_000, "digest")
            };
            item.execute(rusqlite::params![
                format!("source-{}", i % 8),
                format!("thread-{}", i % 500),
                format!("sender-{}", i % 60),
                format!("Build {i} finished with 3 warnings on the main branch"),
                "the pipeline ran 214 tests in 3m12s; see the log for details.",
                urgency,
                format!("https://ci.example.com/builds/{i}"),
                format!("key-{i}"),
                received,
                delivered,
                how,
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn week(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    Store::open(&db)
        .unwrap()
        .replace_team(&baton::team::sample::team())
        .unwrap();
    fill(&db);
    let store = Store::open(&db).unwrap();
    let last = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
    let first = NaiveDate::from_ymd_opt(2026, 1, 12).unwrap();
    let now = Utc.with_ymd_and_hms(2027, 1, 4, 12, 0, 0).unwrap();
    let r = week_view(&store, Some(last), now).unwrap();
    eprintln!(
        "week of {}: {} minutes of sessions, {} notifications, {} digests",
        r.from, r.focus.session_minutes, r.notifications.received, r.notifications.digests
    );

    let mut group = c.benchmark_group("week");
    group
        .sample_size(50)
        .measurement_time(StdDuration::from_secs(5));
    group.bench_function("view_last", |b| {
        b.iter(|| week_view(black_box(&store), Some(last), now).unwrap())
    });
    group.bench_function("view_first", |b| {
        b.iter(|| week_view(black_box(&store), Some(first), now).unwrap())
    });
    let team = store.load_team().unwrap().unwrap();
    let tz = team.me().unwrap().time_zone;
    let span = local_days_span(tz, last, WEEK_DAYS);
    let sessions = store.focus_sessions(span).unwrap();
    let notifications = store.notification_history(span).unwrap();
    group.bench_function("report", |b| {
        b.iter(|| {
            week_report(black_box(&WeekInputs {
                team: &team,
                sessions: &sessions,
                notifications: &notifications,
                focus_goal_hours: 10,
                from: last,
                days: WEEK_DAYS,
                until: None,
            }))
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, week);
criterion_main!(benches);
