//! Travel: local dates on which a member's hours are read in another time zone.
//!
//! A trip is a range of the traveller's local dates, inclusive, and a zone. On a trip date every weekly
//! rule of the member is read in the trip's zone; on other dates in the home zone. The rule is per
//! date, like days off: a span belongs to the date it starts on, and that date's zone resolves both its
//! ends (gaps and folds by the compatible rule). So an overnight shift that starts on a trip's last
//! day ends in the trip's zone, and the first day home starts in the home zone.
//!
//! Instants map to zones by the same dates: a trip holds from local midnight starting its first day to
//! local midnight ending its last day, both read in the trip's zone ([`Member::zone_at`]).

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;

use crate::team::Member;
use crate::time::interval::Instant;
use crate::time::start_of_day;

/// One trip: the member works in `time_zone` from `from` to `to`, local dates inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trip {
    /// First local date of the trip.
    pub from: NaiveDate,
    /// Last local date of the trip (not before `from`).
    pub to: NaiveDate,
    /// The zone the member's hours are read in on those dates.
    pub time_zone: Tz,
}

impl Trip {
    /// Whether `date` is one of the trip's dates.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Whether the instant `t` lies within the trip: from local midnight of `from` to local midnight
    /// after `to`, in the trip's zone.
    pub fn contains_instant(&self, t: Instant) -> bool {
        let start = start_of_day(self.time_zone, self.from);
        let end = self
            .to
            .checked_add_days(Days::new(1))
            .map_or(Instant::MAX_UTC, |d| start_of_day(self.time_zone, d));
        start <= t && t < end
    }
}

impl Member {
    /// The zone the member's hours are read in on the local `date`: a trip's zone on its dates, the
    /// home zone otherwise.
    ///
    /// ```
    /// use baton::team::Team;
    /// use chrono::NaiveDate;
    /// let team = Team::from_toml_str(r#"
    /// name = "T"
    /// [[members]]
    /// name = "Ana"
    /// time_zone = "Europe/Berlin"
    /// travel = [{ from = "2027-02-01", to = "2027-02-14", time_zone = "Asia/Tokyo" }]
    /// "#, "t.toml").unwrap();
    /// let ana = &team.members[0];
    /// let on = |d| ana.zone_on(NaiveDate::from_ymd_opt(2027, 2, d).unwrap());
    /// assert_eq!(on(14), chrono_tz::Asia::Tokyo);
    /// assert_eq!(on(15), chrono_tz::Europe::Berlin);
    /// ```
    pub fn zone_on(&self, date: NaiveDate) -> Tz {
        self.trip_on(date).map_or(self.time_zone, |t| t.time_zone)
    }

    /// The trip the member is on on the local `date`, if any.
    pub fn trip_on(&self, date: NaiveDate) -> Option<&Trip> {
        self.travel.iter().find(|t| t.contains(date))
    }

    /// The zone in force at instant `t`: a trip's zone from local midnight of its first day to local
    /// midnight after its last (in the trip's zone), the home zone otherwise. This is the zone `now`
    /// and the calendar show.
    pub fn zone_at(&self, t: Instant) -> Tz {
        self.trip_at(t)
            .map_or(self.time_zone, |trip| trip.time_zone)
    }

    /// The trip in force at instant `t`, if any (see [`Member::zone_at`]).
    pub fn trip_at(&self, t: Instant) -> Option<&Trip> {
        self.travel.iter().find(|trip| trip.contains_instant(t))
    }
}
