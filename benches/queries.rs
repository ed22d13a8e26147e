//! Benchmarks of Baton's scheduling core on a large generated team.
//!
//! The team is `baton::team::sample::generate(1000, 1)` (1,000 members over 23 zones, with focus blocks and days
//! off), and the range is 28 days from local midnight of 2026-03-02 in UTC, which crosses the northern
//! spring-forward change (North America on 8 March, Europe on 29 March) and the southern fall-back one
//! (5 April is just past the range, so only the lookahead of handoffs and relay sees it).
//!
//! Groups:
//!
//! * `expand`: [`TeamSchedule::build`], expanding everyone's weekly rules into UTC intervals: the cost
//!   every query pays once; `holidays_travel` is the same team with a public-holiday region and a
//!   five-day trip to another zone inside the range on every member (issue 11: they may add 10%);
//! * `overlap`: the intersection of everyone (`all`), the at-least-k sweep, and build + query
//!   (`end_to_end`, what `baton overlap` does after reading the file); `all_busy`, `at_least_k_busy` and
//!   `end_to_end_busy` are the same with calendar busy times on every member (three 30-minute
//!   meetings in each weekday's working time), to compare with the plain ones;
//! * `relay`: the east-to-west relay on a schedule with 7 days lookahead, and build + relay;
//! * `handoff`: handoffs for every adjacent pair (member i to member i+1, 999 pairs), and build + those;
//! * `cli_parts`: the other stages of the CLI's process (reading the team file, building the JSON report
//!   and serialising it), so the whole-process timing of `scripts/bench.sh` can be attributed.
//!
//! Run with `cargo bench --bench queries` (or `bash scripts/bench.sh` for the CLI timings as well).

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration as StdDuration;

use baton::calendar::busy::MemberBusy;
use baton::calendar::{Occurrence, OccurrenceKind};
use baton::query::report::{OverlapReport, RangeReport, RelayReport};
use baton::query::{self, HandoffQuery, OverlapQuery, RelayQuery};
use baton::team::holidays::HolidayCalendar;
use baton::team::schedule::TeamSchedule;
use baton::team::travel::Trip;
use baton::time::local_days_span;
use baton::{Interval, Team};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use chrono_tz::Tz;
use criterion::{criterion_group, criterion_main, Criterion};

/// Members in the generated team.
const SIZE: usize = 1000;
/// Seed of the generated team (the same as `scripts/bench.sh` passes to `baton team generate`).
const SEED: u64 = 1;
/// Days in the range.
const DAYS: u32 = 28;
/// The CLI's lookahead for handoffs and the relay.
const LOOKAHEAD_DAYS: i64 = 7;

/// The shared inputs, built once.
struct Fixture {
    team: Team,
    span: Interval,
    range: RangeReport,
}

impl Fixture {
    fn new() -> Self {
        let team = baton::team::sample::generate(SIZE, SEED);
        let from = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let span = local_days_span(Tz::UTC, from, DAYS);
        let range = RangeReport::new(from, DAYS, Tz::UTC, span);
        Self { team, span, range }
    }

    /// The team with a holiday region and a trip on every member: regions and trip zones rotate, each
    /// trip five days long, starting on one of the first twenty days of the range.
    fn travelling_team(&self) -> Team {
        let regions = ["DE-BY", "US-CA", "GB-ENG", "JP", "IN", "AU-NSW", "BR", "FR"];
        let calendars: Vec<HolidayCalendar> = regions
            .iter()
            .map(|r| HolidayCalendar::parse(r).unwrap())
            .collect();
        let zones = [
            chrono_tz::Asia::Tokyo,
            chrono_tz::America::New_York,
            chrono_tz::Europe::London,
            chrono_tz::Pacific::Auckland,
            chrono_tz::America::Los_Angeles,
        ];
        let first = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let mut team = self.team.clone();
        for (i, m) in team.members.iter_mut().enumerate() {
            m.holidays = Some(calendars[i % calendars.len()].clone());
            let from = first + chrono::Days::new((i % 20) as u64);
            m.travel = vec![Trip {
                from,
                to: from + chrono::Days::new(4),
                time_zone: zones[i % zones.len()],
            }];
        }
        team
    }

    /// The team with busy times on every member: three 30-minute meetings (1, 3 and 5 hours into the
    /// day's working time) on each working weekday of the range, as a calendar reading attaches them.
    fn busy_team(&self) -> Team {
        let schedule = TeamSchedule::build(&self.team, self.span, Duration::zero());
        let mut team = self.team.clone();
        for (m, s) in team.members.iter_mut().zip(&schedule.members) {
            let mut events = Vec::new();
            for work in s.working.intervals() {
                let zone = m.zone_at(work.start);
                let day = work.start.with_timezone(&zone).weekday();
                if matches!(day, Weekday::Sat | Weekday::Sun) {
                    continue;
                }
                for hours in [1, 3, 5] {
                    let start = work.start + Duration::hours(hours);
                    events.push(Occurrence {
                        uid: format!("meeting-{hours}@example.com"),
                        interval: Interval::new(start, start + Duration::minutes(30)).unwrap(),
                        all_day: None,
                        kind: OccurrenceKind::Busy,
                        title: None,
                    });
                }
            }
            m.busy = std::sync::Arc::new(MemberBusy::new(events, m.time_zone));
        }
        team
    }

    fn overlap_query(&self, at_least: Option<usize>) -> OverlapQuery {
        OverlapQuery {
            members: (0..self.team.members.len()).collect(),
            // The CLI's default `--min 30m`.
            min: Duration::minutes(30),
            at_least,
            include_focus: false,
            include_busy: false,
        }
    }

    fn relay_query() -> RelayQuery {
        RelayQuery {
            order: None,
            // The CLI's default `--min 15m`.
            min_sync: Duration::minutes(15),
            include_focus: false,
            include_busy: false,
        }
    }

    /// Member i hands to member i + 1, for every i.
    fn adjacent_pairs(&self) -> Vec<HandoffQuery> {
        (1..self.team.members.len())
            .map(|to| HandoffQuery {
                from: to - 1,
                to,
                min_sync: Duration::minutes(15),
                include_focus: false,
                include_busy: false,
            })
            .collect()
    }
}

/// Total handoffs found, so the work cannot be optimised away.
fn all_handoffs(schedule: &TeamSchedule<'_>, pairs: &[HandoffQuery]) -> usize {
    pairs
        .iter()
        .map(|q| query::handoffs(schedule, black_box(q)).len())
        .sum()
}

fn benches(c: &mut Criterion) {
    let f = Fixture::new();
    let label = format!("{SIZE}x{DAYS}");
    let lookahead = Duration::days(LOOKAHEAD_DAYS);
    let plain = TeamSchedule::build(&f.team, f.span, Duration::zero());
    let travelling = f.travelling_team();
    let mut holidays_only = travelling.clone();
    let mut travel_only = travelling.clone();
    for (h, t) in holidays_only
        .members
        .iter_mut()
        .zip(&mut travel_only.members)
    {
        h.travel.clear();
        t.holidays = None;
    }
    let hours = |s: &TeamSchedule<'_>| -> i64 {
        s.members
            .iter()
            .map(|m| m.working.total().num_hours())
            .sum()
    };
    eprintln!(
        "fixture: working hours {} plain, {} with holidays and travel",
        hours(&plain),
        hours(&TeamSchedule::build(&travelling, f.span, Duration::zero()))
    );
    let ahead = TeamSchedule::build(&f.team, f.span, lookahead);

    let busy_team = f.busy_team();
    let busy = TeamSchedule::build(&busy_team, f.span, Duration::zero());
    let all = f.overlap_query(None);
    let at_least = f.overlap_query(Some(100));
    let relay_q = Fixture::relay_query();
    let pairs = f.adjacent_pairs();

    // Sanity: the figures below are for queries that find something.
    let found_all = query::overlap(&plain, &all).windows.len();
    let found_k = query::overlap(&plain, &at_least).windows.len();
    let found_busy = query::overlap(&busy, &all).windows.len();
    let busy_k = query::overlap(&busy, &at_least).windows.len();
    eprintln!(
        "fixture: with busy times, {} meetings; overlap(all) {found_busy} windows, overlap(at_least 100) {busy_k} windows",
        busy_team.members.iter().map(|m| m.busy.events.len()).sum::<usize>()
    );
    let links = query::relay(&ahead, &relay_q).links.len();
    let handoffs = all_handoffs(&ahead, &pairs);
    eprintln!(
        "fixture: {SIZE} members, {DAYS} days from 2026-03-02 UTC; overlap(all) {found_all} windows, \
         overlap(at_least 100) {found_k} windows, relay {links} links, {} adjacent pairs -> {handoffs} handoffs",
        pairs.len()
    );

    {
        let mut g = c.benchmark_group("expand");
        g.bench_function(&label, |b| {
            b.iter(|| TeamSchedule::build(black_box(&f.team), black_box(f.span), Duration::zero()))
        });
        g.bench_function(format!("lookahead_7d/{label}"), |b| {
            b.iter(|| TeamSchedule::build(black_box(&f.team), black_box(f.span), lookahead))
        });
        g.bench_function(format!("holidays_travel/{label}"), |b| {
            b.iter(|| {
                TeamSchedule::build(black_box(&travelling), black_box(f.span), Duration::zero())
            })
        });
        g.bench_function(format!("holidays_only/{label}"), |b| {
            b.iter(|| {
                TeamSchedule::build(
                    black_box(&holidays_only),
                    black_box(f.span),
                    Duration::zero(),
                )
            })
        });
        g.bench_function(format!("travel_only/{label}"), |b| {
            b.iter(|| {
                TeamSchedule::build(black_box(&travel_only), black_box(f.span), Duration::zero())
            })
        });
        g.finish();
    }

    {
        let mut g = c.benchmark_group("overlap");
        g.bench_function(format!("all/{label}"), |b| {
            b.iter(|| query::overlap(black_box(&plain), black_box(&all)))
        });
        g.bench_function(format!("at_least_k/{label}"), |b| {
            b.iter(|| query::overlap(black_box(&plain), black_box(&at_least)))
        });
        g.bench_function(format!("end_to_end/{label}"), |b| {
            b.iter(|| {
                let s =
                    TeamSchedule::build(black_box(&f.team), black_box(f.span), Duration::zero());
                query::overlap(&s, black_box(&all))
            })
        });
        g.bench_function(format!("all_busy/{label}"), |b| {
            b.iter(|| query::overlap(black_box(&busy), black_box(&all)))
        });
        g.bench_function(format!("at_least_k_busy/{label}"), |b| {
            b.iter(|| query::overlap(black_box(&busy), black_box(&at_least)))
        });
        g.bench_function(format!("end_to_end_busy/{label}"), |b| {
            b.iter(|| {
                let s =
                    TeamSchedule::build(black_box(&busy_team), black_box(f.span), Duration::zero());
                query::overlap(&s, black_box(&all))
            })
        });
        g.finish();
    }

    {
        let mut g = c.benchmark_group("relay");
        g.bench_function(&label, |b| {
            b.iter(|| query::relay(black_box(&ahead), black_box(&relay_q)))
        });
        g.bench_function(format!("end_to_end/{label}"), |b| {
            b.iter(|| {
                let s = TeamSchedule::build(black_box(&f.team), black_box(f.span), lookahead);
                query::relay(&s, black_box(&relay_q))
            })
        });
        g.finish();
    }

    {
        let mut g = c.benchmark_group("handoff");
        g.bench_function(format!("adjacent_pairs/{label}"), |b| {
            b.iter(|| all_handoffs(black_box(&ahead), &pairs))
        });
        g.bench_function(format!("adjacent_pairs_end_to_end/{label}"), |b| {
            b.iter(|| {
                let s = TeamSchedule::build(black_box(&f.team), black_box(f.span), lookahead);
                all_handoffs(&s, &pairs)
            })
        });
        g.bench_function(format!("one_pair/{label}"), |b| {
            b.iter(|| query::handoffs(black_box(&ahead), black_box(&pairs[0])))
        });
        g.finish();
    }

    {
        // The rest of the CLI's process for `overlap --json` and `relay --json`.
        let toml = f.team.to_toml_string();
        let mut g = c.benchmark_group("cli_parts");
        g.bench_function(format!("parse_toml/{SIZE}"), |b| {
            b.iter(|| Team::from_toml_str(black_box(&toml), "bench").unwrap())
        });
        g.bench_function(format!("overlap_report_json/{label}"), |b| {
            b.iter(|| {
                let r = OverlapReport::build(black_box(&plain), f.range.clone(), black_box(&all));
                serde_json::to_vec_pretty(&r).unwrap()
            })
        });
        g.bench_function(format!("relay_report_json/{label}"), |b| {
            b.iter(|| {
                let r = RelayReport::build(black_box(&ahead), f.range.clone(), black_box(&relay_q));
                serde_json::to_vec_pretty(&r).unwrap()
            })
        });
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(StdDuration::from_secs(1))
        .measurement_time(StdDuration::from_secs(3))
}

criterion_group! {
    name = queries;
    config = config();
    targets = benches
}
criterion_main!(queries);
