//! Intake throughput and latency over loopback HTTP: the real server (group commit, WAL,
//! `synchronous=FULL`) on a temporary database, 8 concurrent clients with keep-alive connections
//! posting 20,000 notifications in all, each answered only after its commit and with the policy's
//! decision. Run for both forms a sender may use: Baton's JSON (`POST /v1/notifications`) and ntfy's
//! text publishing (`POST /{topic}` with its headers), alternately, four times each, each run on a fresh
//! server and database. Prints items per second and the p50/p99 time from sending a request to
//! holding its answer for each run, and each form's median.
//!
//! Run with `cargo bench -p baton --bench intake`. A benchmark, not a test: it asserts nothing about
//! time; it only checks that every answer was a success and every notification was stored.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use baton::notify::intake::{self, IntakeConfig, Token};
use baton::store::{NotificationFilter, Store};
use tokio::sync::Notify;

const CLIENTS: usize = 8;
const TOTAL: usize = 20_000;
const WARM_UP: usize = 50;
/// Runs of each form, alternating.
const ROUNDS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Json,
    Ntfy,
}

fn main() {
    let mut rates = Vec::new();
    for _ in 0..ROUNDS {
        for form in [Form::Json, Form::Ntfy] {
            rates.push((form, run(form)));
        }
    }
    // The median of each form's runs: one run disturbed by the machine does not move it.
    let median = |f: Form| {
        let mut r: Vec<f64> = rates
            .iter()
            .filter(|(g, _)| *g == f)
            .map(|(_, r)| *r)
            .collect();
        r.sort_by(f64::total_cmp);
        (r[(r.len() - 1) / 2] + r[r.len() / 2]) / 2.0
    };
    let (json, ntfy) = (median(Form::Json), median(Form::Ntfy));
    println!(
        "intake: ntfy path {ntfy:.0} items/s, JSON path {json:.0} items/s (median of {ROUNDS} runs \
         each, alternating): ntfy at {:.1}% of JSON",
        100.0 * ntfy / json
    );
}

/// One run of `form`: the items per second.
fn run(form: Form) -> f64 {
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
            let bearer = format!("Bearer {}", token.as_str());
            std::thread::spawn(move || {
                let agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .new_agent();
                let mut latencies = Vec::with_capacity(TOTAL / CLIENTS);
                for i in 0..(TOTAL / CLIENTS + WARM_UP) {
                    let sent = Instant::now();
                    let status = match form {
                        Form::Json => {
                            let body = format!(
                                r#"{{"source": "bench-{c}", "title": "Build {i} failed", "urgency": "high", "group": "build-{i}", "idempotency_key": "c{c}-{i}"}}"#
                            );
                            agent
                                .post(format!("http://127.0.0.1:{port}/v1/notifications"))
                                .header("Authorization", &bearer)
                                .content_type("application/json")
                                .send(body.as_bytes())
                        }
                        Form::Ntfy => agent
                            .post(format!("http://127.0.0.1:{port}/bench-{c}"))
                            .header("Authorization", &bearer)
                            .header("Title", format!("Build {i} failed"))
                            .header("Priority", "high")
                            .header("X-Group", format!("build-{i}"))
                            .header("X-Sequence-ID", format!("c{c}-{i}"))
                            .send(format!("Build {i} failed on main").as_bytes()),
                    }
                    .map(|mut r| {
                        let _ = r.body_mut().read_to_string();
                        r.status().as_u16()
                    })
                    .unwrap();
                    let took = sent.elapsed();
                    assert!(matches!(status, 200 | 202), "{form:?}: {status}");
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
    let rate = stored as f64 / elapsed.as_secs_f64();
    println!(
        "intake ({form:?}): {} notifications from {CLIENTS} clients in {:.2} s: {:.0} items/s; accept latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        stored,
        elapsed.as_secs_f64(),
        stored as f64 / elapsed.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*latencies.last().unwrap()),
    );
    rate
}
