//! The sample team that ships with Baton, and generated teams of any size for benchmarks and tests.
//!
//! The sample is compiled in, so the desktop app and the CLI can show something real on a fresh machine
//! without reading any file. Generated teams are deterministic for a seed, so benchmark figures compare.

use crate::team::spec::{ClockTime, DailySpan, DateRange, WeekdaySet, WeeklyRule};
use crate::team::{Member, Team};

/// The sample team file, as shipped in `examples/team.toml`.
pub const SAMPLE_TEAM_TOML: &str = include_str!("../../examples/team.toml");

/// The sample team, parsed.
pub fn team() -> Team {
    match Team::from_toml_str(SAMPLE_TEAM_TOML, "examples/team.toml") {
        Ok(t) => t,
        // The file is compiled in and covered by a unit test, so this cannot happen in a release.
        Err(e) => panic!("the built-in sample team is invalid: {e}"),
    }
}

/// Zones spread around the globe, including half- and quarter-hour offsets and both hemispheres' DST.
const ZONES: &[chrono_tz::Tz] = &[
    chrono_tz::America::Los_Angeles,
    chrono_tz::America::Denver,
    chrono_tz::America::Chicago,
    chrono_tz::America::New_York,
    chrono_tz::America::Sao_Paulo,
    chrono_tz::America::St_Johns,
    chrono_tz::Atlantic::Azores,
    chrono_tz::Europe::London,
    chrono_tz::Europe::Berlin,
    chrono_tz::Europe::Helsinki,
    chrono_tz::Africa::Nairobi,
    chrono_tz::Asia::Dubai,
    chrono_tz::Asia::Tehran,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Asia::Singapore,
    chrono_tz::Asia::Tokyo,
    chrono_tz::Australia::Adelaide,
    chrono_tz::Australia::Sydney,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Auckland,
    chrono_tz::Pacific::Chatham,
    chrono_tz::Pacific::Honolulu,
];

/// A deterministic team of `size` members spread over many zones, with varied hours, focus blocks and
/// days off: the shape of a large company for benchmarks.
pub fn generate(size: usize, seed: u64) -> Team {
    let mut rng = fastrand::Rng::with_seed(seed);
    // Every minute count below is under 1440, so `from_minutes` never fails; `unwrap_or_default` keeps
    // the generator total without a panic path.
    let t = |m: u32| ClockTime::from_minutes(m % 1440).unwrap_or_default();
    let span = |days, start, end| WeeklyRule {
        days,
        spans: vec![DailySpan {
            start: t(start),
            end: t(end),
        }],
    };
    let members = (0..size)
        .map(|i| {
            let start = 6 * 60 + 30 * rng.u32(0..8);
            let length = 7 * 60 + 30 * rng.u32(0..4);
            let mut hours = vec![span(WeekdaySet::WEEKDAYS, start, start + length)];
            if rng.u8(0..4) == 0 {
                hours.push(span(WeekdaySet::WEEKEND, 600, 720));
            }
            let focus = vec![span(WeekdaySet::WEEKDAYS, start, start + 90)];
            let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
                + chrono::Days::new(rng.u64(0..365));
            Member {
                name: format!("member-{i:04}"),
                time_zone: ZONES[rng.usize(0..ZONES.len())],
                hours,
                focus,
                days_off: vec![DateRange {
                    first: day,
                    last: day + chrono::Days::new(rng.u64(0..3)),
                }],
                holidays: None,
                travel: vec![],
                calendar: None,
                busy: Default::default(),
            }
        })
        .collect();
    Team {
        name: format!("Generated {size}"),
        me: Some("member-0000".into()),
        members,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sample_team_is_valid() {
        let team = super::team();
        assert_eq!(team.members.len(), 6);
        assert_eq!(team.me().map(|m| m.name.as_str()), Some("Ana"));
    }

    #[test]
    fn generated_teams_are_valid_and_deterministic() {
        let a = super::generate(50, 7);
        assert_eq!(a, super::generate(50, 7));
        let again = crate::team::Team::from_toml_str(&a.to_toml_string(), "gen").unwrap();
        assert_eq!(
            again, a,
            "generated specs survive a round-trip through the file format"
        );
    }
}
