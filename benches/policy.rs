//! Benchmarks of the delivery policy over a large backlog of held notifications.
//!
//! The team is the built-in sample (`me` is Ana in São Paulo, 09:00-17:30 on weekdays with focus
//! mornings Monday to Thursday), with two on-demand focus sessions. The backlog is 100,000 held items
//! received over the 7 days before `now` (Wednesday 11 March 2026, 14:00 in São Paulo, free time, so
//! the plan builds a real digest): 8 sources, 500 threads, 60 senders, 2% critical, 10% high, and about
//! 1% matching an urgent keyword, in arrival order as the store returns them (and allocated in that
//! order, as the store allocates them while reading rows).
//!
//! Groups:
//!
//! * `plan`: [`policy::plan`] with the default cadence (`at 10:00,13:00,16:00`), with `every 5m` (the
//!   most delivery points), and with `instant`;
//! * `deliver_now`: everything held as one digest;
//! * `digest_text`: the words of the 100,000-item digest the plan returns;
//! * `reply_by`: a reply-by time for every item (what the inbox sorts by), timeline included.
//!
//! Run with `cargo bench -p baton --bench policy`.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration as StdDuration;

use baton::notify::digest::digest_text;
use baton::notify::notification::{Item, Urgency};
use baton::notify::policy::{self, PolicyContext, PolicySettings, Timeline};
use baton::team::focus::FocusSession;
use baton::{Instant, Team};
use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};

/// Held items in the backlog.
const ITEMS: usize = 100_000;

struct Fixture {
    team: Team,
    sessions: Vec<FocusSession>,
    items: Vec<Item>,
    breakthroughs: Vec<(String, Instant)>,
    now: Instant,
}

impl Fixture {
    fn new() -> Self {
        let team = baton::team::sample::team();
        // Wednesday 11 March 2026, 14:00 BRT (UTC-3).
        let now = Utc.with_ymd_and_hms(2026, 3, 11, 17, 0, 0).unwrap();
        let mut rng = fastrand::Rng::with_seed(4);
        let sources = [
            "ci",
            "github",
            "mail",
            "chat",
            "calendar",
            "pagerduty",
            "jira",
            "docs",
        ];
        let span = Duration::days(7).num_seconds();
        // Arrival times first, so that items are built (and their strings allocated) in arrival order,
        // as the store builds them when it reads the queue.
        let mut received: Vec<Instant> = (0..ITEMS)
            .map(|_| now - Duration::seconds(rng.i64(0..span)))
            .collect();
        received.sort_unstable();
        let items: Vec<Item> = received
            .into_iter()
            .enumerate()
            .map(|(i, received_at)| {
                let roll = rng.u32(0..100);
                let urgency = match roll {
                    0..2 => Urgency::Critical,
                    2..12 => Urgency::High,
                    12..40 => Urgency::Low,
                    _ => Urgency::Normal,
                };
                let title = if rng.u32(0..100) == 0 {
                    "Possible outage in eu-west-1".to_string()
                } else {
                    format!("Update {i} on the build pipeline and its reviewers")
                };
                Item {
                    id: i as i64,
                    source: sources[rng.usize(0..sources.len())].to_string(),
                    group: (rng.u32(0..4) != 0).then(|| format!("#{}", rng.u32(0..500))),
                    sender: Some(format!("person{}@example.com", rng.u32(0..60))),
                    title,
                    body: (rng.bool())
                        .then(|| "A longer body that says what changed and where to look.".into()),
                    urgency,
                    url: None,
                    received_at,
                }
            })
            .collect();
        let sessions = vec![
            FocusSession {
                id: 1,
                started_at: now - Duration::hours(30),
                ends_at: now - Duration::hours(28),
                stopped_at: None,
            },
            FocusSession {
                id: 2,
                started_at: now - Duration::hours(3),
                ends_at: now - Duration::hours(2),
                stopped_at: Some(now - Duration::minutes(150)),
            },
        ];
        let breakthroughs = vec![("pagerduty".to_string(), now - Duration::minutes(20))];
        Fixture {
            team,
            sessions,
            items,
            breakthroughs,
            now,
        }
    }

    fn settings(cadence: &str) -> PolicySettings {
        PolicySettings {
            cadence: cadence.parse().unwrap(),
            urgent_sources: vec!["pagerduty".into()],
            urgent_senders: vec!["person7@example.com".into()],
            urgent_keywords: vec!["outage".into(), "prod down".into(), "security".into()],
            ..PolicySettings::default()
        }
    }

    fn ctx<'a>(&'a self, settings: &'a PolicySettings) -> PolicyContext<'a> {
        PolicyContext {
            team: &self.team,
            sessions: &self.sessions,
            settings,
            breakthroughs: &self.breakthroughs,
            now: self.now,
        }
    }
}

fn benches(c: &mut Criterion) {
    let f = Fixture::new();
    let default = Fixture::settings(policy::DEFAULT_CADENCE);
    let every = Fixture::settings("every 5m");
    let instant = Fixture::settings("instant");

    let p = policy::plan(&f.ctx(&default), &f.items);
    let d = p.digest.clone().unwrap();
    eprintln!(
        "plan over {ITEMS} held items: {} urgent, a {:?} digest of {} ({} capped), next wake {:?}",
        p.urgent.len(),
        d.kind,
        d.items.len(),
        d.capped.iter().map(|c| c.1).sum::<usize>(),
        p.next_wake
    );

    let mut g = c.benchmark_group("plan");
    g.sample_size(30)
        .measurement_time(StdDuration::from_secs(6));
    g.bench_function("100k_default_cadence", |b| {
        b.iter(|| policy::plan(black_box(&f.ctx(&default)), black_box(&f.items)))
    });
    g.bench_function("100k_every_5m", |b| {
        b.iter(|| policy::plan(black_box(&f.ctx(&every)), black_box(&f.items)))
    });
    g.bench_function("100k_instant", |b| {
        b.iter(|| policy::plan(black_box(&f.ctx(&instant)), black_box(&f.items)))
    });
    g.finish();

    let mut g = c.benchmark_group("deliver_now");
    g.sample_size(30)
        .measurement_time(StdDuration::from_secs(5));
    g.bench_function("100k", |b| {
        b.iter(|| policy::deliver_now(black_box(&f.ctx(&default)), black_box(&f.items)))
    });
    g.finish();

    let mut g = c.benchmark_group("digest_text");
    g.sample_size(30)
        .measurement_time(StdDuration::from_secs(5));
    g.bench_function("100k", |b| {
        b.iter(|| digest_text(black_box(&d), black_box(&f.items)))
    });
    g.finish();

    let mut g = c.benchmark_group("reply_by");
    g.sample_size(30)
        .measurement_time(StdDuration::from_secs(5));
    g.bench_function("100k_with_timeline", |b| {
        b.iter(|| {
            let from = f.items.first().map_or(f.now, |i| i.received_at);
            let tl = Timeline::new(&f.team, &f.sessions, &default, from, f.now);
            let mut by: Vec<Instant> = f.items.iter().map(|i| policy::reply_by(i, &tl)).collect();
            by.sort_unstable();
            by
        })
    });
    g.finish();
}

criterion_group!(policy_benches, benches);
criterion_main!(policy_benches);
