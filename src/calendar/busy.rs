//! What a member's calendars say about them, as the schedule uses it: busy times (taken from
//! availability) and out-of-office dates (days off).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::{Occurrence, OccurrenceKind};
use crate::time::interval::{Interval, IntervalSet};
use crate::time::start_of_day;

/// A member's busy times and out-of-office dates, from the last good reading of their calendars.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberBusy {
    /// Every occurrence read, sorted by start (titles only for my own calendars).
    pub events: Vec<Occurrence>,
    /// The busy time: the union of the busy occurrences, and of the parts of out-of-office ones
    /// that do not cover a whole local day.
    pub busy: IntervalSet,
    /// The local dates that are out of office: an all-day out-of-office event's dates, and each date
    /// a timed one covers from midnight to midnight.
    pub out_of_office: BTreeSet<NaiveDate>,
}

impl MemberBusy {
    /// The reading of `events` for a member in `zone`.
    pub fn new(mut events: Vec<Occurrence>, zone: Tz) -> MemberBusy {
        events.sort_by_key(|e| (e.interval.start, e.interval.end));
        let mut out_of_office = BTreeSet::new();
        let mut busy = Vec::new();
        for e in &events {
            match (e.kind, e.all_day) {
                (OccurrenceKind::Busy, _) => busy.push(e.interval),
                (OccurrenceKind::OutOfOffice, Some((first, last))) => {
                    out_of_office.extend(first.iter_days().take_while(|d| *d <= last));
                }
                (OccurrenceKind::OutOfOffice, None) => {
                    let whole = whole_days(e.interval, zone);
                    let mut rest = IntervalSet::from_intervals([e.interval]);
                    for d in &whole {
                        if let Some(day) = local_day(zone, *d) {
                            rest = rest.difference(&IntervalSet::from_intervals([day]));
                        }
                    }
                    out_of_office.extend(whole);
                    busy.extend(rest.intervals().iter().copied());
                }
            }
        }
        MemberBusy {
            events,
            busy: IntervalSet::from_intervals(busy),
            out_of_office,
        }
    }

    /// Whether the member is out of office on the local `date`.
    pub fn is_out_of_office(&self, date: NaiveDate) -> bool {
        !self.out_of_office.is_empty() && self.out_of_office.contains(&date)
    }

    /// Whether nothing was read.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

/// The local day `date` in `zone`, midnight to midnight.
fn local_day(zone: Tz, date: NaiveDate) -> Option<Interval> {
    Interval::new(
        start_of_day(zone, date),
        start_of_day(zone, date.succ_opt()?),
    )
}

/// The local dates whose whole day lies within `iv`.
fn whole_days(iv: Interval, zone: Tz) -> Vec<NaiveDate> {
    let first = iv.start.with_timezone(&zone).date_naive();
    let last = iv.end.with_timezone(&zone).date_naive();
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| {
            local_day(zone, *d).is_some_and(|day| iv.start <= day.start && day.end <= iv.end)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn occ(start: (u32, u32), end: (u32, u32), kind: OccurrenceKind) -> Occurrence {
        let at = |(d, h)| Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap();
        Occurrence {
            uid: "u".into(),
            interval: Interval::new(at(start), at(end)).unwrap(),
            all_day: None,
            kind,
            title: None,
        }
    }

    #[test]
    fn a_timed_out_of_office_is_days_off_for_whole_days_and_busy_for_the_rest() {
        // Tokyo (UTC+9): from 12:00 JST on the 2nd (03:00Z) to 12:00 JST on the 5th (03:00Z): the 3rd
        // and 4th are whole days off; the afternoon of the 2nd and the morning of the 5th are busy.
        let b = MemberBusy::new(
            vec![occ((2, 3), (5, 3), OccurrenceKind::OutOfOffice)],
            chrono_tz::Asia::Tokyo,
        );
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        assert_eq!(
            b.out_of_office.iter().copied().collect::<Vec<_>>(),
            [d(3), d(4)]
        );
        let at = |day, h| Utc.with_ymd_and_hms(2026, 3, day, h, 0, 0).unwrap();
        assert_eq!(
            b.busy.intervals(),
            [
                Interval::new(at(2, 3), at(2, 15)).unwrap(),
                Interval::new(at(4, 15), at(5, 3)).unwrap()
            ]
        );
        assert!(b.is_out_of_office(d(3)) && !b.is_out_of_office(d(2)));
    }

    #[test]
    fn busy_occurrences_merge_and_all_day_ooo_dates_are_kept() {
        let mut all_day = occ((9, 0), (11, 0), OccurrenceKind::OutOfOffice);
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        all_day.all_day = Some((d(9), d(10)));
        let b = MemberBusy::new(
            vec![
                occ((2, 10), (2, 12), OccurrenceKind::Busy),
                occ((2, 11), (2, 13), OccurrenceKind::Busy),
                all_day,
            ],
            chrono_tz::UTC,
        );
        assert_eq!(b.busy.intervals().len(), 1);
        assert_eq!(b.out_of_office.len(), 2);
    }
}
