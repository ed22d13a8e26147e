//! What opening a database costs once it holds a large queue: `PRAGMA quick_check`, which
//! [`Store::open`] runs on every file database before using it, and the whole open.
//!
//! The database holds 100,000 notifications (8 sources, 500 threads, titles and bodies of a realistic
//! length, an idempotency key each, so every index is full), written in batches of 1,000 as the intake
//! would, and closed (checkpointed) before measuring, as after a restart.
//!
//! Groups: `open_100k/quick_check` (the check alone, on a connection already open) and
//! `open_100k/store_open` (`Store::open`: modes, the check, pragmas and migrations).
//!
//! Run with `cargo bench -p baton --bench store`.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use baton::notify::notification::{NewNotification, Urgency};
use baton::store::Store;
use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};

/// Notifications in the database.
const ITEMS: usize = 100_000;

fn fill(store: &mut Store) {
    let now = Utc.with_ymd_and_hms(2026, 3, 11, 17, 0, 0).unwrap();
    for chunk in 0..ITEMS / 1000 {
        let batch: Vec<NewNotification> = (0..1000)
            .map(|k| {
                let i = chunk * 1000 + k;
                NewNotification {
                    source: format!("source-{}", i % 8),
                    group: Some(format!("thread-{}", i % 500)),
                    sender: Some(format!("sender-{}", i % 60)),
                    title: format!("Build {i} finished with 3 warnings on the main branch"),
                    body: Some(format!(
                        "Item {i}: the pipeline ran 214 tests in 3m12s; see the log for details."
                    )),
                    urgency: if i % 50 == 0 {
                        Urgency::Critical
                    } else {
                        Urgency::Normal
                    },
                    url: Some(format!("https://ci.example.com/builds/{i}")),
                    idempotency_key: Some(format!("key-{i}")),
                }
            })
            .collect();
        store.accept_notifications(&batch, now).unwrap();
    }
}

fn open_100k(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    fill(&mut Store::open(&db).unwrap());
    let size = std::fs::metadata(&db).unwrap().len();
    eprintln!("database of {ITEMS} items: {:.1} MB", size as f64 / 1e6);

    let mut group = c.benchmark_group("open_100k");
    group.sample_size(20);
    let conn = rusqlite::Connection::open(&db).unwrap();
    group.bench_function("quick_check", |b| {
        b.iter(|| {
            let ok: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(ok, "ok");
            black_box(ok)
        })
    });
    group.bench_function("store_open", |b| {
        b.iter(|| black_box(Store::open(&db).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, open_100k);
criterion_main!(benches);
