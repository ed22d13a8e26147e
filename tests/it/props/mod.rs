//! Property tests, one module per area of the core (`time`, `team`), and what those modules share: the
//! proptest config, instants on a minute grid, and the check that an interval set is normalised (expansion
//! in `team` must produce normalised sets just as the set algebra in `time` must).
#![allow(clippy::unwrap_used)]

mod team;
mod time;

use baton::time::interval::{Instant, IntervalSet};
use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// A config with `cases` cases that writes no regression files (the tests tree belongs to others too).
fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn base() -> Instant {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

fn at(m: i64) -> Instant {
    base() + Duration::minutes(m)
}

fn minute_of(t: Instant) -> i64 {
    let d = t - base();
    assert_eq!(
        d,
        Duration::minutes(d.num_minutes()),
        "not on a minute: {t}"
    );
    d.num_minutes()
}

type Pairs = Vec<(i64, i64)>;

fn pairs_of(s: &IntervalSet) -> Pairs {
    s.intervals()
        .iter()
        .map(|i| (minute_of(i.start), minute_of(i.end)))
        .collect()
}

fn check_normalised(s: &IntervalSet) -> Result<(), TestCaseError> {
    for i in s.intervals() {
        prop_assert!(i.start < i.end, "empty interval {i:?} in {s:?}");
    }
    for w in s.intervals().windows(2) {
        prop_assert!(
            w[0].end < w[1].start,
            "not sorted with strict gaps: {:?}",
            pairs_of(s)
        );
    }
    Ok(())
}
