//! Delivery latency of an urgent item: from sending a critical notification over loopback HTTP to the
//! moment the delivery scheduler calls `Notifier::show` for it. The real intake server (group commit,
//! WAL, `synchronous=FULL`) and the real scheduler (`delivery::run`, its own connection, woken by the
//! intake's ping) run in-process on a temporary database, with a `RecordingNotifier` that notes the
//! instant of each call. 200 critical items are posted one at a time, each once the previous was
//! shown; prints p50, p99 and max. The target is 50 ms.
//!
//! Run with `cargo bench -p baton --bench delivery`. A benchmark, not a test: it asserts nothing about
//! time; it only checks that every item was shown once and marked delivered.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use baton::notify::delivery::{self, RecordingNotifier};
use baton::notify::intake::client::{IntakeClient, Posted};
use baton::notify::intake::{self, IntakeConfig, Token};
use baton::store::{NotificationFilter, Store};
use tokio::sync::Notify;

const ITEMS: usize = 200;
const WARM_UP: usize = 10;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    Store::open(&db).unwrap();
    let token = Token::load_or_create(&Token::path_for(&db)).unwrap();
    let config = IntakeConfig {
        rate_per_minute: baton::store::settings::MAX_INTAKE_RATE_PER_MINUTE,
        rate_total_per_minute: baton::store::settings::MAX_INTAKE_RATE_PER_MINUTE,
        ..IntakeConfig::new(0, token.clone())
    };
    let notifier = Arc::new(RecordingNotifier::new());
    let (bound, bound_rx) = std::sync::mpsc::channel();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let (server_db, server_notifier) = (db.clone(), notifier.clone());
    let server = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let wake = Arc::new(Notify::new());
            let until = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
                let _ = rx.wait_for(|s| *s).await;
            };
            let scheduler = tokio::spawn(delivery::run(
                server_db.clone(),
                server_notifier,
                wake.clone(),
                until(stop_rx.clone()),
            ));
            let listening = intake::bind(config).await.unwrap();
            bound.send(listening.port()).unwrap();
            listening
                .serve(&server_db, wake, until(stop_rx))
                .await
                .unwrap();
            scheduler.await.unwrap();
        });
    });
    let port = bound_rx.recv().unwrap();
    let client = IntakeClient::new(port, Some(token));
    let mut latencies = Vec::with_capacity(ITEMS);
    for i in 0..(ITEMS + WARM_UP) {
        let body = format!(
            r#"{{"source": "pager", "title": "Fire {i}", "urgency": "critical", "idempotency_key": "k{i}"}}"#
        );
        let sent = Instant::now();
        let posted = client.post(body.as_bytes()).unwrap();
        assert!(matches!(posted, Posted::Accepted(_)), "{posted:?}");
        assert!(
            notifier.wait_for(i + 1, Duration::from_secs(30)),
            "item {i} was never shown"
        );
        let shown = notifier.shown();
        assert_eq!(shown.len(), i + 1, "each item is shown once");
        assert_eq!(shown[i].text.summary, format!("Critical · pager: Fire {i}"));
        if i >= WARM_UP {
            latencies.push(shown[i].at - sent);
        }
    }
    stop.send(true).unwrap();
    server.join().unwrap();

    let delivered = Store::open(&db)
        .unwrap()
        .notifications(NotificationFilter::Delivered, usize::MAX)
        .unwrap()
        .len();
    assert_eq!(delivered, ITEMS + WARM_UP);
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "delivery: {ITEMS} critical items, POST sent to Notifier::show: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target 50 ms)",
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*latencies.last().unwrap()),
    );
}
