//! Property tests of `time`: the interval set's algebra against a minute-by-minute model, and the fast
//! offset table (`ZoneWindow`) against resolving each local time through the time zone database.

use super::{at, check_normalised, config, pairs_of, Pairs};
use baton::time::interval::{Interval, IntervalSet};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------------------------
// 1. Interval algebra against a model of minutes.
// ---------------------------------------------------------------------------------------------------------

/// Minutes in the model; every generated interval lies in `[0, N]`.
const N: i64 = 600;

/// Minute `m` (the instants `[m, m+1)`) is in the set iff `model[m]`.
type Model = Vec<bool>;

fn pairs() -> impl Strategy<Value = Pairs> {
    prop::collection::vec(
        (0..N, 0..150i64).prop_map(|(s, len)| (s, (s + len).min(N))),
        0..8,
    )
}

fn set_of(p: &[(i64, i64)]) -> IntervalSet {
    IntervalSet::from_intervals(p.iter().filter_map(|&(a, b)| Interval::new(at(a), at(b))))
}

fn model_of(p: &[(i64, i64)]) -> Model {
    let mut m = vec![false; N as usize];
    for &(a, b) in p {
        for x in a..b {
            m[x as usize] = true;
        }
    }
    m
}

fn bit(m: &Model, x: i64) -> bool {
    usize::try_from(x)
        .ok()
        .and_then(|i| m.get(i))
        .copied()
        .unwrap_or(false)
}

/// The maximal runs of the model: exactly what a normalised set must hold.
fn runs(m: &Model) -> Pairs {
    let mut out = Vec::new();
    let mut x = 0;
    while x < N {
        if bit(m, x) {
            let s = x;
            while bit(m, x) {
                x += 1;
            }
            out.push((s, x));
        } else {
            x += 1;
        }
    }
    out
}

fn zip_with(a: &Model, b: &Model, f: impl Fn(bool, bool) -> bool) -> Model {
    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
}

/// The set is normalised and holds exactly the model's minutes.
fn check_agrees(s: &IntervalSet, m: &Model) -> Result<(), TestCaseError> {
    check_normalised(s)?;
    prop_assert_eq!(pairs_of(s), runs(m));
    Ok(())
}

fn span_strategy() -> impl Strategy<Value = (i64, i64)> {
    (0..N, 1..=N).prop_map(|(a, len)| (a, (a + len).min(N + 1)))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn from_intervals_matches_model(a in pairs()) {
        check_agrees(&set_of(&a), &model_of(&a))?;
    }

    #[test]
    fn set_operations_match_model(a in pairs(), b in pairs()) {
        let (sa, sb) = (set_of(&a), set_of(&b));
        let (ma, mb) = (model_of(&a), model_of(&b));
        check_agrees(&sa.union(&sb), &zip_with(&ma, &mb, |x, y| x || y))?;
        check_agrees(&sa.intersection(&sb), &zip_with(&ma, &mb, |x, y| x && y))?;
        check_agrees(&sa.difference(&sb), &zip_with(&ma, &mb, |x, y| x && !y))?;
        check_agrees(&sb.difference(&sa), &zip_with(&ma, &mb, |x, y| y && !x))?;
    }

    #[test]
    fn clip_and_complement_match_model(a in pairs(), (lo, hi) in span_strategy()) {
        let (sa, ma) = (set_of(&a), model_of(&a));
        let span = Interval::new(at(lo), at(hi)).unwrap();
        let inside = |x: usize| (lo..hi).contains(&(x as i64));
        let clipped: Model = ma.iter().enumerate().map(|(x, &v)| v && inside(x)).collect();
        let outside: Model = ma.iter().enumerate().map(|(x, &v)| !v && inside(x)).collect();
        // Minute N (just past the model) is in the span when hi == N + 1 and never in the set.
        let extra = hi == N + 1;
        let clip = sa.clip(span);
        check_agrees(&clip, &clipped)?;
        let comp = sa.complement_within(span);
        check_normalised(&comp)?;
        let mut want = runs(&outside);
        if extra {
            match want.last_mut() {
                Some(last) if last.1 == N => last.1 = N + 1,
                _ => want.push((N, N + 1)),
            }
        }
        prop_assert_eq!(pairs_of(&comp), want);
    }

    #[test]
    fn point_queries_match_model(a in pairs()) {
        let (sa, ma) = (set_of(&a), model_of(&a));
        let rs = runs(&ma);
        prop_assert_eq!(sa.total(), Duration::minutes(ma.iter().filter(|&&v| v).count() as i64));
        // Where membership changes: minute boundaries `b` with minute `b - 1` and minute `b` differing.
        let changes: Vec<i64> = (0..=N).filter(|&b| bit(&ma, b - 1) != bit(&ma, b)).collect();
        for x in -3..N + 3 {
            for t in [at(x), at(x) + Duration::seconds(30)] {
                prop_assert_eq!(sa.contains(t), bit(&ma, x), "contains({})", x);
                let want_at = rs
                    .iter()
                    .find(|&&(s, e)| s <= x && x < e)
                    .map(|&(s, e)| Interval::new(at(s), at(e)).unwrap());
                prop_assert_eq!(sa.interval_at(t), want_at, "interval_at({})", x);
                let want_next = changes.get(changes.partition_point(|&b| b <= x)).copied().map(at);
                prop_assert_eq!(sa.next_change_after(t), want_next, "next_change_after({})", x);
            }
        }
    }

    #[test]
    fn at_least_matches_model(a in pairs(), min in 0..200i64) {
        let sa = set_of(&a);
        let got = sa.at_least(Duration::minutes(min));
        check_normalised(&got)?;
        let want: Pairs = runs(&model_of(&a)).into_iter().filter(|(s, e)| e - s >= min).collect();
        prop_assert_eq!(pairs_of(&got), want);
    }

    #[test]
    fn intersect_all_matches_model(sets in prop::collection::vec(pairs(), 0..5)) {
        let built: Vec<IntervalSet> = sets.iter().map(|p| set_of(p)).collect();
        let got = IntervalSet::intersect_all(&built);
        if sets.is_empty() {
            prop_assert_eq!(got, None);
        } else {
            let mut want = vec![true; N as usize];
            for p in &sets {
                want = zip_with(&want, &model_of(p), |x, y| x && y);
            }
            check_agrees(&got.unwrap(), &want)?;
        }
    }

    #[test]
    fn algebraic_laws(a in pairs(), b in pairs(), c in pairs()) {
        let (a, b, c) = (set_of(&a), set_of(&b), set_of(&c));
        prop_assert_eq!(a.union(&b), b.union(&a));
        prop_assert_eq!(a.intersection(&b), b.intersection(&a));
        prop_assert_eq!(a.union(&b).union(&c), a.union(&b.union(&c)));
        prop_assert_eq!(a.intersection(&b).intersection(&c), a.intersection(&b.intersection(&c)));
        prop_assert!(a.difference(&b).intersection(&b).is_empty());
        prop_assert_eq!(a.difference(&b).union(&a.intersection(&b)), a.clone());
        prop_assert_eq!(a.union(&a), a.clone());
        prop_assert_eq!(a.intersection(&a), a.clone());
        prop_assert!(a.difference(&a).is_empty());
        // Distributivity and De Morgan within a span.
        prop_assert_eq!(
            a.intersection(&b.union(&c)),
            a.intersection(&b).union(&a.intersection(&c))
        );
        let span = Interval::new(at(0), at(N)).unwrap();
        prop_assert_eq!(
            a.union(&b).complement_within(span),
            a.complement_within(span).intersection(&b.complement_within(span))
        );
        prop_assert_eq!(a.union(&b).total() + a.intersection(&b).total(), a.total() + b.total());
    }
}

// ---------------------------------------------------------------------------------------------------------
// 2. The fast offset table resolves local times exactly as the time zone database does.
// ---------------------------------------------------------------------------------------------------------

/// A zone, a window of up to 60 days between 1900 and 2040, and local times in and around it.
fn zone_window_case() -> impl Strategy<Value = (Tz, Interval, Vec<i64>)> {
    (
        select(chrono_tz::TZ_VARIANTS.to_vec()),
        -2_208_988_800i64..2_208_988_800,
        0i64..60 * 86_400,
        prop::collection::vec(-5 * 86_400i64..65 * 86_400, 1..40),
    )
        .prop_map(|(tz, start, len, offsets)| {
            let start = Utc.timestamp_opt(start, 0).unwrap();
            let window = Interval {
                start,
                end: start + Duration::seconds(len),
            };
            (tz, window, offsets)
        })
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn zone_window_agrees_with_resolve_local((tz, window, offsets) in zone_window_case()) {
        let table = baton::time::ZoneWindow::new(tz, window);
        for secs in offsets {
            // Local times near the window's start, minute-aligned like every time in a team file.
            let local = (window.start + Duration::seconds(secs - secs.rem_euclid(60))).naive_utc();
            prop_assert_eq!(table.resolve(local), baton::time::resolve_local(tz, local), "{} at {}", tz, local);
        }
    }
}

/// Every minute around the awkward changes of the DST tests: gaps, folds, a 30-minute shift, a skipped day.
#[test]
fn zone_window_agrees_minute_by_minute_around_transitions() {
    let cases = [
        (chrono_tz::America::New_York, "2026-03-08"),
        (chrono_tz::America::New_York, "2026-11-01"),
        (chrono_tz::Australia::Lord_Howe, "2026-04-05"),
        (chrono_tz::Australia::Lord_Howe, "2026-10-04"),
        (chrono_tz::Pacific::Chatham, "2026-04-05"),
        (chrono_tz::Pacific::Apia, "2011-12-30"),
    ];
    for (tz, day) in cases {
        let day: NaiveDate = day.parse().unwrap();
        let start = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap());
        let table = baton::time::ZoneWindow::new(
            tz,
            Interval {
                start: start - Duration::days(4),
                end: start + Duration::days(5),
            },
        );
        for minute in -2 * 1440..3 * 1440 {
            let local = (start + Duration::minutes(minute)).naive_utc();
            assert_eq!(
                table.resolve(local),
                baton::time::resolve_local(tz, local),
                "{tz} at {local}"
            );
        }
    }
}
