//! Intake throughput and latency over loopback HTTP: the real server (group commit, WAL,
//! `synchronous=FULL`) on a temporary database, 8 concurrent clients with keep-alive connections
//! posting 20,000 notifications in all. Prints items per second and the p50/p99 time from sending a
//! request to holding its 202 (which is only sent after the commit).
//!
//! Run with `cargo bench -p baton --bench intake`. A benchmark, not a test: it asserts nothing about
//! time; it only checks that every notification was stored.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use baton::notify::intake::client::{IntakeClient, Posted};
use baton::notify::intake::{self, IntakeConfig, Token};
use baton::store::{NotificationFilter, Store};
use tokio::sync::Notify;

const CLIENTS: usize = 8;
const TOTAL: usize = 20_000;
const WARM_UP: usize = 50;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let token = Token::load_or_create(&Token::path_for(&db)).unwrap();
    let config = IntakeConfig {
        rate_per_minute: baton::store::settings::MAX_INTAKE_RATE_PER_MINUTE,
        rate_total_per_minute: baton::store::settings::MAX_INTAKE_RATE_PER_MINUTE,
        ..IntakeConfig::new(0, token.clone())
    };
    let (bound, bound_rx) = std::sync::mpsc::channel();
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server_db = db.clone();
    let server = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listening = intake::bind(config).await.unwrap();
            bound.send(listening.port()).unwrap();
            listening
                .serve(&server_db, Arc::new(Notify::new()), async {
                    let _ = stop_rx.await;
                })
                .await
                .unwrap();
        });
    });
    let port = bound_rx.recv().unwrap();

    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let client = IntakeClient::new(port, Some(token.clone()));
            std::thread::spawn(move || {
                let mut latencies = Vec::with_capacity(TOTAL / CLIENTS);
                for i in 0..(TOTAL / CLIENTS + WARM_UP) {
                    let body = format!(
                        r#"{{"source": "bench-{c}", "title": "Build {i} failed", "urgency": "high", "group": "build-{i}", "idempotency_key": "c{c}-{i}"}}"#
                    );
                    let sent = Instant::now();
                    let posted = client.post(body.as_bytes()).unwrap();
                    let took = sent.elapsed();
                    assert!(matches!(posted, Posted::Accepted(_)), "{posted:?}");
                    if i >= WARM_UP {
                        latencies.push(took);
                    }
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let elapsed = started.elapsed();
    stop.send(()).unwrap();
    server.join().unwrap();

    let stored = Store::open(&db)
        .unwrap()
        .notifications(NotificationFilter::All, usize::MAX)
        .unwrap()
        .len();
    assert_eq!(stored, CLIENTS * (TOTAL / CLIENTS + WARM_UP));
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "intake: {} notifications from {CLIENTS} clients in {:.2} s: {:.0} items/s; accept latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        stored,
        elapsed.as_secs_f64(),
        stored as f64 / elapsed.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*latencies.last().unwrap()),
    );
}
