//! Public holidays by region, from data compiled into the binary (never downloaded at run time).
//!
//! A member's `holidays = "DE-BY"` names an ISO 3166-1 alpha-2 country and, optionally, an ISO 3166-2
//! subdivision. The dates come from the `py-holidays-rs` crate (0.1.3, Apache-2.0), whose data is
//! generated from python-holidays (MIT) for the years [`HOLIDAY_YEARS`], in English: a country alone
//! gives its national holidays, a subdivision gives the holidays observed there (national ones
//! included), so `DE-BY` has Corpus Christi and `DE-BE` does not. Each country's table is decompressed
//! and parsed once per process, on first use, and shared: a [`HolidayCalendar`] is a region name and a
//! reference to its dates. Outside [`HOLIDAY_YEARS`] a calendar has no holidays.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, NaiveDate};
use py_holidays_rs::CountryCode;
use thiserror::Error;

/// The years the holiday data covers.
pub const HOLIDAY_YEARS: RangeInclusive<i32> = 2000..=2050;

/// One region's public holidays: local dates with their names.
#[derive(Clone)]
pub struct HolidayCalendar {
    region: String,
    days: Arc<BTreeMap<NaiveDate, String>>,
}

impl PartialEq for HolidayCalendar {
    fn eq(&self, other: &Self) -> bool {
        // The dates are a function of the region.
        self.region == other.region
    }
}
impl Eq for HolidayCalendar {}

impl fmt::Debug for HolidayCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HolidayCalendar({})", self.region)
    }
}

/// Why a region name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HolidayError {
    /// Not of the form `CC` or `CC-SUB`.
    #[error(
        "\"{region}\" is not a holiday region; write an ISO 3166 code such as \"DE\" or \"DE-BY\""
    )]
    Malformed {
        /// What was written.
        region: String,
    },
    /// The country is not in the holiday data.
    #[error("no holiday data for the country \"{country}\"{}", hint(suggestions))]
    UnknownCountry {
        /// The country part as written.
        country: String,
        /// Close regions that exist.
        suggestions: Vec<String>,
    },
    /// The country is known but has no such subdivision in the data.
    #[error(
        "no holiday data for the subdivision \"{subdivision}\" of {country}{}",
        hint(suggestions)
    )]
    UnknownSubdivision {
        /// The country code.
        country: String,
        /// The subdivision part as written.
        subdivision: String,
        /// Close regions that exist.
        suggestions: Vec<String>,
    },
}

impl HolidayError {
    /// The regions suggested instead, best first.
    pub fn suggestions(&self) -> &[String] {
        match self {
            HolidayError::Malformed { .. } => &[],
            HolidayError::UnknownCountry { suggestions, .. }
            | HolidayError::UnknownSubdivision { suggestions, .. } => suggestions,
        }
    }
}

fn hint(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!(
            "; did you mean {}?",
            suggestions
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// One country's tables: `"National"` and each subdivision code (as in ISO 3166-2, without the country).
type CountryTables = HashMap<String, Arc<BTreeMap<NaiveDate, String>>>;

/// The countries the data knows, by code, with their English names.
fn countries() -> &'static BTreeMap<String, (CountryCode, &'static str)> {
    static COUNTRIES: OnceLock<BTreeMap<String, (CountryCode, &'static str)>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        let names = CountryCode::list_subdivisions();
        let mut out = BTreeMap::new();
        // The crate has no list of its codes, but its enum reads every code it has.
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = format!("{}{}", a as char, b as char);
                if let Ok(c) = serde_json::from_value::<CountryCode>(code.clone().into()) {
                    let name = names.get(&c).map_or("", |n| n.name);
                    out.insert(code, (c, name));
                }
            }
        }
        out
    })
}

/// The tables of one country, loaded once per process; `None` when the data has no file for it.
fn country_tables(code: &str) -> Option<Arc<CountryTables>> {
    static LOADED: OnceLock<Mutex<HashMap<String, Option<Arc<CountryTables>>>>> = OnceLock::new();
    let &(country, _) = countries().get(code)?;
    let mut loaded = LOADED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    loaded
        .entry(code.to_string())
        .or_insert_with(|| {
            let by_sub = py_holidays_rs::get_holidays_by_country(country).ok()?;
            let tables = by_sub
                .into_iter()
                .filter_map(|(sub, days)| {
                    let key = serde_json::to_value(sub).ok()?;
                    let key = key.as_str()?;
                    // The crate writes subdivisions that start with a digit with a leading `_`.
                    let key = key.strip_prefix('_').unwrap_or(key).to_string();
                    Some((key, Arc::new(days)))
                })
                .collect();
            Some(Arc::new(tables))
        })
        .clone()
}

impl HolidayCalendar {
    /// The calendar of `region` (`"DE"`, `"de-by"`, `"US-CA"`; case and surrounding space ignored).
    ///
    /// ```
    /// use baton::team::holidays::HolidayCalendar;
    /// use chrono::NaiveDate;
    /// let by = HolidayCalendar::parse("DE-BY").unwrap();
    /// let corpus_christi = NaiveDate::from_ymd_opt(2026, 6, 4).unwrap();
    /// assert_eq!(by.name_on(corpus_christi), Some("Corpus Christi"));
    /// assert_eq!(HolidayCalendar::parse("DE-BE").unwrap().name_on(corpus_christi), None);
    /// ```
    pub fn parse(region: &str) -> Result<HolidayCalendar, HolidayError> {
        let written = region.trim();
        let upper = written.to_ascii_uppercase();
        let (country, sub) = match upper.split_once('-') {
            Some((c, s)) => (c, Some(s)),
            None => (upper.as_str(), None),
        };
        let well_formed = country.len() == 2
            && country.bytes().all(|b| b.is_ascii_uppercase())
            && sub.is_none_or(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !well_formed {
            let suggestions = suggest_regions(written, 3);
            return Err(if suggestions.is_empty() {
                HolidayError::Malformed {
                    region: written.to_string(),
                }
            } else {
                HolidayError::UnknownCountry {
                    country: written.to_string(),
                    suggestions,
                }
            });
        }
        let Some(tables) = country_tables(country) else {
            return Err(HolidayError::UnknownCountry {
                country: country.to_string(),
                suggestions: suggest_regions(written, 3),
            });
        };
        let (key, region) = match sub {
            None => ("National".to_string(), country.to_string()),
            Some(s) => (s.to_string(), format!("{country}-{s}")),
        };
        match tables.get(&key) {
            Some(days) => Ok(HolidayCalendar {
                region,
                days: days.clone(),
            }),
            None => Err(HolidayError::UnknownSubdivision {
                country: country.to_string(),
                subdivision: sub.unwrap_or_default().to_string(),
                // Subdivision codes are short, so many tie: offer more of them.
                suggestions: suggest_regions(written, 5),
            }),
        }
    }

    /// The region in canonical form (`"DE-BY"`), as written back to a team file.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The holiday's name on `date`, if `date` is a holiday here.
    pub fn name_on(&self, date: NaiveDate) -> Option<&str> {
        self.days.get(&date).map(String::as_str)
    }

    /// Whether `date` is a holiday here.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.days.contains_key(&date)
    }

    /// Every holiday from `from` to `to` inclusive, in date order.
    pub fn between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = (NaiveDate, &str)> + '_ {
        let range = if from <= to { from..=to } else { to..=to };
        self.days
            .range(range)
            .filter(move |(d, _)| *d >= &from)
            .map(|(d, n)| (*d, n.as_str()))
    }

    /// Every holiday of `year`, in date order (none outside [`HOLIDAY_YEARS`]).
    pub fn in_year(&self, year: i32) -> Vec<(NaiveDate, &str)> {
        match (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            (Some(from), Some(to)) => self
                .between(from, to)
                .filter(|(d, _)| d.year() == year)
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for HolidayCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.region)
    }
}

/// The English name of a country in the holiday data (`"DE"` gives `"Germany"`).
pub fn country_name(code: &str) -> Option<&'static str> {
    countries()
        .get(&code.to_ascii_uppercase())
        .map(|&(_, n)| n)
        .filter(|n| !n.is_empty())
}

/// The regions closest to a misspelt one, best first (at most `limit`): a known country with an
/// unknown subdivision suggests that country's subdivisions; otherwise countries by code and by English
/// name (`"Germany"` suggests `"DE"`).
pub fn suggest_regions(written: &str, limit: usize) -> Vec<String> {
    let upper = written.trim().to_ascii_uppercase();
    if upper.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, String)> = Vec::new();
    if let Some((country, sub)) = upper.split_once('-') {
        if let Some(tables) = country_tables(country) {
            scored = tables
                .keys()
                .filter(|k| k.as_str() != "National")
                .map(|k| {
                    (
                        strsim::jaro_winkler(sub, &k.to_ascii_uppercase()),
                        format!("{country}-{k}"),
                    )
                })
                .filter(|(s, _)| *s >= 0.6)
                .collect();
            scored.push((0.5, country.to_string()));
        }
    }
    if scored.is_empty() {
        let lower = written.trim().to_lowercase();
        scored = countries()
            .iter()
            .map(|(code, (_, name))| {
                let by_code = strsim::jaro_winkler(&upper, code);
                let by_name = strsim::jaro_winkler(&lower, &name.to_lowercase());
                (by_code.max(by_name), code.clone())
            })
            .filter(|(s, _)| *s >= 0.75)
            .collect();
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn moving_feasts_fall_on_their_dates() {
        let de = HolidayCalendar::parse("DE").unwrap();
        let by = HolidayCalendar::parse("de-by").unwrap();
        let be = HolidayCalendar::parse("DE-BE").unwrap();
        let us = HolidayCalendar::parse("US").unwrap();
        assert_eq!(by.region(), "DE-BY", "written back in canonical case");
        assert_eq!(de.name_on(date(2026, 4, 6)), Some("Easter Monday"));
        assert_eq!(by.name_on(date(2026, 6, 4)), Some("Corpus Christi"));
        assert_eq!(
            be.name_on(date(2026, 6, 4)),
            None,
            "not a holiday in Berlin"
        );
        assert_eq!(de.name_on(date(2026, 6, 4)), None, "nor nationally");
        assert_eq!(
            be.name_on(date(2026, 3, 8)),
            Some("International Women's Day")
        );
        assert_eq!(us.name_on(date(2026, 11, 26)), Some("Thanksgiving Day"));
        assert_eq!(us.name_on(date(2027, 11, 25)), Some("Thanksgiving Day"));
        assert_eq!(de.name_on(date(2027, 3, 29)), Some("Easter Monday"));
    }

    #[test]
    fn a_year_lists_in_date_order_and_outside_the_data_is_empty() {
        let de = HolidayCalendar::parse("DE").unwrap();
        let y = de.in_year(2026);
        assert_eq!(y.first(), Some(&(date(2026, 1, 1), "New Year's Day")));
        assert_eq!(
            y.last(),
            Some(&(date(2026, 12, 26), "Second Day of Christmas"))
        );
        assert!(y.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(de.in_year(2051).is_empty());
        assert!(!de.in_year(*HOLIDAY_YEARS.end()).is_empty());
    }

    #[test]
    fn unknown_regions_suggest_close_ones() {
        let e = HolidayCalendar::parse("DE-BX").unwrap_err();
        assert!(
            matches!(e, HolidayError::UnknownSubdivision { .. }),
            "{e:?}"
        );
        assert!(e.suggestions().contains(&"DE-BY".to_string()), "{e}");
        let e = HolidayCalendar::parse("Germany").unwrap_err();
        assert_eq!(e.suggestions().first().map(String::as_str), Some("DE"));
        let e = HolidayCalendar::parse("XX").unwrap_err();
        assert!(matches!(e, HolidayError::UnknownCountry { .. }), "{e:?}");
        assert!(matches!(
            HolidayCalendar::parse("").unwrap_err(),
            HolidayError::Malformed { .. }
        ));
        assert_eq!(country_name("de"), Some("Germany"));
    }
}
