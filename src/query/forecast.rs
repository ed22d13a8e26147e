//! The coverage forecast: the stretches of the coming weeks when nobody works, though someone would in a
//! normal week, and who is missing and why.
//!
//! The rule, precisely. Over the span from `now` for `days` × 24 hours, each member is expanded twice:
//! as they are, and as their *normal week* (the same member with no days off, no holidays and no
//! trips, so the weekly hours read in the home zone, DST included). A **gap** is a maximal UTC interval
//! that lies inside someone's normal working hours and inside nobody's actual working hours (focus
//! counts as working: it is coverage, just not available for a chat). Gaps that exist in a normal week
//! too are not gaps of the forecast: a team that never covers Sunday is told so by `baton relay`, not
//! here. For each gap, the members **missing** are those whose normal hours reach into it, in team
//! order, each with the reasons that keep them away on the local dates of those normal shifts: a
//! holiday (with its name), a day off, or a trip (its zone moves the hours elsewhere). A date both a
//! holiday and a day off gives the holiday. Gaps are in time order; instants are UTC.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};

use crate::team::{Member, Team};
use crate::time::interval::{Instant, Interval, IntervalSet};

/// The longest forecast: 26 weeks.
pub const FORECAST_MAX_DAYS: u32 = 182;

/// Why a member is missing from a gap, on one of their local dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AbsenceReason {
    /// A public holiday of the member's region.
    Holiday {
        /// The member's local date.
        date: NaiveDate,
        /// The holiday's name.
        name: String,
    },
    /// A day off from the team file.
    DayOff {
        /// The member's local date.
        date: NaiveDate,
    },
    /// Out of office in the member's calendar.
    OutOfOffice {
        /// The member's local date.
        date: NaiveDate,
    },
    /// A trip: the hours of that date are read in another zone.
    Travel {
        /// The member's local date.
        date: NaiveDate,
        /// The trip's zone.
        #[serde(serialize_with = "ser_tz")]
        time_zone: Tz,
    },
}

fn ser_tz<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

/// A member missing from a gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Absence {
    /// The member's position in the team.
    pub member: usize,
    /// The member's name.
    pub name: String,
    /// Why, one per local date that would have covered the gap (usually one).
    pub reasons: Vec<AbsenceReason>,
}

/// A stretch when nobody works but someone would in a normal week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageGap {
    /// The gap, UTC.
    pub interval: Interval,
    /// Who would normally work in it, and why they do not.
    pub missing: Vec<Absence>,
}

impl CoverageGap {
    /// Who is missing and why, in words; members with the same reason share a phrase:
    /// "Lena and Priya on holiday (Christmas Eve); Ana travelling (Asia/Tokyo)".
    pub fn who_is_missing(&self) -> String {
        let mut phrases: Vec<(String, Vec<&str>)> = Vec::new();
        for a in &self.missing {
            let why = a
                .reasons
                .iter()
                .map(|r| match r {
                    AbsenceReason::Holiday { name, .. } => format!("on holiday ({name})"),
                    AbsenceReason::DayOff { .. } => "on a day off".to_string(),
                    AbsenceReason::OutOfOffice { .. } => "out of office".to_string(),
                    AbsenceReason::Travel { time_zone, .. } => {
                        format!("travelling ({})", time_zone.name())
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            match phrases.iter_mut().find(|(p, _)| *p == why) {
                Some((_, names)) => names.push(&a.name),
                None => phrases.push((why, vec![&a.name])),
            }
        }
        phrases
            .iter()
            .map(|(why, names)| format!("{} {why}", and_list(names)))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `A`, `A and B`, `A, B and C`.
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The member as in a normal week: no days off, holidays or trips.
fn normal_week(m: &Member) -> Member {
    Member {
        days_off: Vec::new(),
        holidays: None,
        travel: Vec::new(),
        busy: Default::default(),
        ..m.clone()
    }
}

/// Why `m` does not work its normal shift on local `date`, if the member's file says.
fn reason(m: &Member, date: NaiveDate) -> Option<AbsenceReason> {
    if let Some(name) = m.holiday_on(date) {
        return Some(AbsenceReason::Holiday {
            date,
            name: name.to_string(),
        });
    }
    if m.days_off.iter().any(|r| r.contains(date)) {
        return Some(AbsenceReason::DayOff { date });
    }
    if m.busy.is_out_of_office(date) {
        return Some(AbsenceReason::OutOfOffice { date });
    }
    m.trip_on(date).map(|t| AbsenceReason::Travel {
        date,
        time_zone: t.time_zone,
    })
}

/// The gaps of the `days` (at most [`FORECAST_MAX_DAYS`]) from `now` that a normal week would not have
/// (see the module docs for the rule).
pub fn coverage_forecast(team: &Team, now: Instant, days: u32) -> Vec<CoverageGap> {
    let span = Interval {
        start: now,
        end: now + Duration::days(i64::from(days.min(FORECAST_MAX_DAYS))),
    };
    // Members with nothing that changes their week cannot be missing: one expansion does for both.
    let expanded: Vec<_> = team
        .members
        .iter()
        .map(|m| {
            let actual = m.expand(span);
            let plain = m.days_off.is_empty()
                && m.holidays.is_none()
                && m.travel.is_empty()
                && m.busy.out_of_office.is_empty();
            let normal = if plain {
                None
            } else {
                Some(normal_week(m).expand(span))
            };
            (actual, normal)
        })
        .collect();
    let covered = expanded
        .iter()
        .fold(IntervalSet::new(), |acc, (a, _)| acc.union(&a.working));
    let normally = expanded.iter().fold(IntervalSet::new(), |acc, (a, n)| {
        acc.union(&n.as_ref().unwrap_or(a).working)
    });
    normally
        .difference(&covered)
        .intervals()
        .iter()
        .map(|&gap| {
            let missing = team
                .members
                .iter()
                .zip(&expanded)
                .enumerate()
                .filter_map(|(i, (m, (_, normal)))| {
                    let normal = normal.as_ref()?;
                    let mut reasons: Vec<AbsenceReason> = Vec::new();
                    for s in normal
                        .shifts
                        .iter()
                        .filter(|s| s.interval.intersection(&gap).is_some())
                    {
                        if let Some(r) = reason(m, s.date).filter(|r| !reasons.contains(r)) {
                            reasons.push(r);
                        }
                    }
                    (!reasons.is_empty()).then(|| Absence {
                        member: i,
                        name: m.name.clone(),
                        reasons,
                    })
                })
                .collect();
            CoverageGap {
                interval: gap,
                missing,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn utc(m: u32, d: u32, h: u32) -> Instant {
        Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn a_holiday_of_the_only_people_on_shift_is_a_gap_with_its_name() {
        let team = Team::from_toml_str(
            r#"
name = "T"
[[members]]
name = "Lena"
time_zone = "Europe/Berlin"
hours = ["mon-fri 09:00-17:00"]
holidays = "DE-BY"
[[members]]
name = "Priya"
time_zone = "Europe/Berlin"
hours = ["mon-fri 10:00-18:00"]
days_off = ["2026-06-04"]
[[members]]
name = "Marcus"
time_zone = "America/Los_Angeles"
hours = ["mon-fri 09:00-17:00"]
holidays = "US"
"#,
            "t.toml",
        )
        .unwrap();
        // From Monday 1 June 2026: Thursday 4 June is Corpus Christi in Bavaria, and Priya's day off.
        let gaps = coverage_forecast(&team, utc(6, 1, 0), 7);
        assert_eq!(gaps.len(), 1, "{gaps:#?}");
        let g = &gaps[0];
        // Berlin is UTC+2 in June: 09:00–18:00 local is 07:00–16:00 UTC; Marcus starts at 16:00 UTC.
        assert_eq!(
            g.interval,
            Interval::new(utc(6, 4, 7), utc(6, 4, 16)).unwrap()
        );
        let date = NaiveDate::from_ymd_opt(2026, 6, 4).unwrap();
        assert_eq!(
            g.missing,
            vec![
                Absence {
                    member: 0,
                    name: "Lena".into(),
                    reasons: vec![AbsenceReason::Holiday {
                        date,
                        name: "Corpus Christi".into()
                    }],
                },
                Absence {
                    member: 1,
                    name: "Priya".into(),
                    reasons: vec![AbsenceReason::DayOff { date }],
                },
            ]
        );
        assert!(
            coverage_forecast(&team, utc(6, 8, 0), 7).is_empty(),
            "a normal week has no forecast gaps"
        );
        // Out of office in Marcus's calendar on Tuesday 9 June: his shift (16:00-24:00 UTC) is a gap.
        let mut team = team;
        let tuesday = NaiveDate::from_ymd_opt(2026, 6, 9).unwrap();
        let marcus = &mut team.members[2];
        marcus.busy = std::sync::Arc::new(crate::calendar::busy::MemberBusy::new(
            vec![crate::calendar::Occurrence {
                uid: "ooo".into(),
                interval: Interval::new(utc(6, 9, 7), utc(6, 10, 7)).unwrap(),
                all_day: Some((tuesday, tuesday)),
                kind: crate::calendar::OccurrenceKind::OutOfOffice,
                title: None,
            }],
            marcus.time_zone,
        ));
        let gaps = coverage_forecast(&team, utc(6, 8, 0), 7);
        assert_eq!(gaps.len(), 1, "{gaps:#?}");
        assert_eq!(
            gaps[0].interval,
            Interval::new(utc(6, 9, 16), utc(6, 10, 0)).unwrap()
        );
        assert_eq!(gaps[0].who_is_missing(), "Marcus out of office");
    }
}
