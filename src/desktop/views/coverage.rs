//! Coverage gaps ahead, for the Handoffs view (the coming weeks) and the tray's warning line (the
//! coming week): [`crate::query::forecast`]'s gaps, each with who is missing in words, so the tray and
//! the web view say the same thing as `baton relay --forecast`.

use serde::Serialize;
use ts_rs::TS;

use crate::query::forecast::coverage_forecast;
use crate::team::Team;
use crate::time::interval::{format_utc, Instant};

/// How far ahead the Handoffs view looks for coverage gaps: eight weeks.
pub const FORECAST_DAYS: u32 = 56;

/// How far ahead a gap earns the tray's warning line: a week.
pub const WARNING_DAYS: u32 = 7;

/// A stretch ahead when nobody works but someone would in a normal week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct CoverageGapView {
    /// Start, RFC 3339 UTC.
    pub start: String,
    /// End (exclusive), RFC 3339 UTC.
    pub end: String,
    /// Who would normally work then and why they do not: "Lena and Priya on holiday (Christmas Eve)".
    pub missing: String,
}

/// The coverage gaps of the `days` after `now`, in time order.
pub fn coverage_gaps(team: &Team, now: Instant, days: u32) -> Vec<CoverageGapView> {
    coverage_forecast(team, now, days)
        .iter()
        .map(|g| CoverageGapView {
            start: format_utc(g.interval.start),
            end: format_utc(g.interval.end),
            missing: g.who_is_missing(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_holiday_gap_names_who_is_missing_and_why() {
        // Ana (Berlin, Bavarian holidays) is the only one working on Thursday mornings UTC; Corpus
        // Christi, 4 June 2026, leaves her 07:00-15:00Z uncovered.
        let team = Team::from_toml_str(
            r#"
name = "T"
members = [
  { name = "Ana", time_zone = "Europe/Berlin", holidays = "DE-BY", hours = ["mon-fri 09:00-17:00"] },
  { name = "Bo", time_zone = "America/New_York", hours = ["mon-fri 12:00-20:00"] },
]
"#,
            "t.toml",
        )
        .unwrap();
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let gaps = coverage_gaps(&team, now, WARNING_DAYS);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert_eq!(gaps[0].start, "2026-06-04T07:00:00Z");
        assert_eq!(
            gaps[0].end, "2026-06-04T15:00:00Z",
            "Ana's normal day ends at 17:00 CEST; the hour before Bo starts is a gap every week"
        );
        assert_eq!(gaps[0].missing, "Ana on holiday (Corpus Christi)");
    }
}
