//! Turning local wall-clock times into UTC instants, and finding time zones by name.
//!
//! This is the one place where local time becomes an instant. Local times that do not exist or exist twice
//! follow a single rule, the **compatible** disambiguation of RFC 5545 and JavaScript Temporal:
//!
//! * a time inside a spring-forward **gap** moves forward by the length of the gap
//!   (02:30 on a New York spring-forward morning is 03:30 EDT, 07:30 UTC);
//! * a time inside a fall-back **fold** takes the **earlier** of its two instants
//!   (01:30 on a New York fall-back morning is 01:30 EDT, 05:30 UTC).
//!
//! Dates advance by walking the calendar (`date.succ()`), never by adding 24 hours, so "09:00 tomorrow"
//! stays 09:00 across a DST change.

use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::time::interval::{Instant, Interval};

/// Resolves a local wall-clock time in `tz` to a UTC instant with the compatible rule (see the module docs).
///
/// ```
/// use baton::time::resolve_local;
/// use chrono::{NaiveDate, TimeZone, Utc};
/// let ny = chrono_tz::America::New_York;
/// let gap = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap().and_hms_opt(2, 30, 0).unwrap();
/// assert_eq!(resolve_local(ny, gap), Utc.with_ymd_and_hms(2026, 3, 8, 7, 30, 0).unwrap());
/// let fold = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_opt(1, 30, 0).unwrap();
/// assert_eq!(resolve_local(ny, fold), Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap());
/// ```
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> Instant {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => resolve_in_gap(tz, local),
    }
}

/// One zone's UTC offsets over a window of time, so that many local times in it resolve without a time
/// zone database lookup each (expanding a month of a big team resolves hundreds of thousands).
///
/// It gives exactly what [`resolve_local`] gives: it answers from its table only when the answer is
/// unambiguous within the window, and defers to [`resolve_local`] for gaps and for times near its edges.
#[derive(Debug, Clone)]
pub struct ZoneWindow {
    tz: Tz,
    /// Seconds since the epoch where the table ends (exclusive).
    end: i64,
    /// Each stretch of one offset, in order: (first second, offset in seconds). The first starts at the
    /// window's start.
    segments: Vec<(i64, i32)>,
}

/// How far apart the offset is sampled when finding transitions. Zones change offset at most a few times
/// a year; two changes closer than this would hide each other.
const SAMPLE_SECS: i64 = 24 * 3600;
/// Two readings of one local time lie less than this apart (the largest jump on record is Samoa's 24 h).
const MAX_FOLD_SECS: i64 = 26 * 3600;

impl ZoneWindow {
    /// The offsets of `tz` over `window`.
    pub fn new(tz: Tz, window: Interval) -> Self {
        let start = window.start.timestamp();
        let end = window.end.timestamp().max(start);
        let offset = |secs: i64| DateTime::from_timestamp(secs, 0).map_or(0, |t| offset_at(tz, t));
        let mut segments = vec![(start, offset(start))];
        let mut t = start;
        // Stepping an instant is cheaper than making one from seconds, which the rare search below does.
        let mut at = DateTime::from_timestamp(start, 0).unwrap_or(window.start);
        while t < end {
            let next = (t + SAMPLE_SECS).min(end);
            let next_at = at + Duration::seconds(next - t);
            let current = segments.last().map_or(0, |s| s.1);
            if offset_at(tz, next_at) == current {
                (t, at) = (next, next_at);
                continue;
            }
            // The change lies in (t, next]: find its first second.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(mid) == current {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            segments.push((hi, offset(hi)));
            t = hi;
            at = next_at - Duration::seconds(next - hi);
        }
        ZoneWindow { tz, end, segments }
    }

    /// The zone.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// [`resolve_local`] for `local`, answered from the table where it can be.
    pub fn resolve(&self, local: NaiveDateTime) -> Instant {
        let wall = local.and_utc().timestamp();
        let first = self.segments.first().map_or(self.end, |s| s.0);
        for (i, &(from, offset)) in self.segments.iter().enumerate() {
            let to = self.segments.get(i + 1).map_or(self.end, |s| s.0);
            let utc = wall - i64::from(offset);
            // Segments are in time order, so the first match is the earliest reading (the fold rule),
            // provided no earlier reading could lie before the table starts.
            if (from..to).contains(&utc)
                && utc - MAX_FOLD_SECS >= first
                && utc + MAX_FOLD_SECS < self.end
            {
                return local.and_utc() - Duration::seconds(i64::from(offset));
            }
        }
        resolve_local(self.tz, local)
    }
}

/// A local time inside a gap: read it with the offset in force just before the gap, which lands it
/// after the transition, moved forward by exactly the gap's length.
fn resolve_in_gap(tz: Tz, local: NaiveDateTime) -> Instant {
    // Step back a minute at a time to the last local time before the gap. Gaps are rare (about one a
    // year per zone) and short (the longest on record, Samoa's skipped day, is 1,440 steps).
    let mut probe = local;
    for _ in 0..=2 * 24 * 60 {
        probe -= Duration::minutes(1);
        let before = match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) | LocalResult::Ambiguous(_, t) => t,
            LocalResult::None => continue,
        };
        let offset = before.offset().fix();
        return local.and_utc() - Duration::seconds(i64::from(offset.local_minus_utc()));
    }
    // Unreachable with the IANA data (no gap lasts two days); fall back to reading the time as UTC so
    // the function stays total.
    local.and_utc()
}

/// The instant of local midnight starting `date` in `tz` (compatible rule: a midnight inside a gap, as in
/// zones that change at 00:00, becomes the first instant of the day).
pub fn start_of_day(tz: Tz, date: NaiveDate) -> Instant {
    resolve_local(tz, date.and_time(NaiveTime::MIN))
}

/// The span from local midnight of `from` to local midnight `days` days later, in `tz`.
///
/// Its length is 24 hours times `days` only when no DST change falls inside.
pub fn local_days_span(tz: Tz, from: NaiveDate, days: u32) -> Interval {
    let start = start_of_day(tz, from);
    let end_date = from
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let end = start_of_day(tz, end_date);
    Interval {
        start,
        end: end.max(start),
    }
}

/// An instant shown as local time in `tz`.
pub fn to_local(tz: Tz, t: Instant) -> DateTime<Tz> {
    t.with_timezone(&tz)
}

/// Every IANA time zone name, sorted.
pub fn all_time_zones() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    names.sort_unstable();
    names
}

/// Looks up an IANA time zone name (exact, then case-insensitive).
pub fn parse_time_zone(name: &str) -> Option<Tz> {
    let name = name.trim();
    name.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|tz| tz.name().eq_ignore_ascii_case(name))
    })
}

/// The valid zone names closest to a misspelt one, best first (at most `limit`).
///
/// Matches on the whole name and on the city part, so `"Tokio"` suggests `Asia/Tokyo` and
/// `"america/sao paulo"` suggests `America/Sao_Paulo`.
pub fn suggest_time_zones(name: &str, limit: usize) -> Vec<&'static str> {
    let wanted = normalise_zone_name(name);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &'static str)> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            let full = normalise_zone_name(tz.name());
            let city = normalise_zone_name(tz.name().rsplit('/').next().unwrap_or_default());
            let score =
                strsim::jaro_winkler(&wanted, &full).max(strsim::jaro_winkler(&wanted, &city));
            (score, tz.name())
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(limit).map(|(_, n)| n).collect()
}

fn normalise_zone_name(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Formats a UTC offset as `+05:45` (or `+05:53:28` for the odd historical offset).
pub fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s / 60) % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{sec:02}")
    }
}

/// The UTC offset of `tz` at instant `t`, in seconds east of UTC.
pub fn offset_at(tz: Tz, t: Instant) -> i32 {
    t.with_timezone(&tz).offset().fix().local_minus_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }
    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn compatible_rule_table() {
        use chrono_tz::{America, Australia, Europe, Pacific};
        let cases = [
            // (zone, local, expected instant, why)
            (
                America::New_York,
                local(2026, 3, 8, 2, 0),
                utc(2026, 3, 8, 7, 0),
                "gap start moves to 03:00 EDT",
            ),
            (
                America::New_York,
                local(2026, 3, 8, 2, 59),
                utc(2026, 3, 8, 7, 59),
                "gap end moves to 03:59 EDT",
            ),
            (
                America::New_York,
                local(2026, 3, 8, 3, 0),
                utc(2026, 3, 8, 7, 0),
                "first valid time after gap",
            ),
            (
                America::New_York,
                local(2026, 11, 1, 1, 0),
                utc(2026, 11, 1, 5, 0),
                "fold: earlier (EDT)",
            ),
            (
                America::New_York,
                local(2026, 11, 1, 2, 0),
                utc(2026, 11, 1, 7, 0),
                "after the fold: EST",
            ),
            (
                Europe::London,
                local(2026, 3, 29, 1, 30),
                utc(2026, 3, 29, 1, 30),
                "gap: 02:30 BST",
            ),
            (
                Europe::London,
                local(2026, 10, 25, 1, 30),
                utc(2026, 10, 25, 0, 30),
                "fold: BST",
            ),
            (
                Australia::Lord_Howe,
                local(2026, 10, 4, 2, 15),
                utc(2026, 10, 3, 15, 45),
                "30-minute gap",
            ),
            (
                Australia::Lord_Howe,
                local(2026, 4, 5, 1, 45),
                utc(2026, 4, 4, 14, 45),
                "30-minute fold: +11",
            ),
            (
                Pacific::Apia,
                local(2011, 12, 30, 10, 0),
                utc(2011, 12, 30, 20, 0),
                "Samoa's skipped day",
            ),
        ];
        for (tz, l, want, why) in cases {
            assert_eq!(resolve_local(tz, l), want, "{tz} {l}: {why}");
        }
    }

    #[test]
    fn local_days_span_has_real_length_on_dst_days() {
        let ny = chrono_tz::America::New_York;
        let d = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(local_days_span(ny, d, 1).duration(), Duration::hours(23));
        let d = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(local_days_span(ny, d, 1).duration(), Duration::hours(25));
    }

    #[test]
    fn suggestions_find_near_misses() {
        assert_eq!(
            suggest_time_zones("Asia/Tokio", 3).first(),
            Some(&"Asia/Tokyo")
        );
        assert!(suggest_time_zones("sao paulo", 3).contains(&"America/Sao_Paulo"));
        assert!(suggest_time_zones("", 3).is_empty());
        assert_eq!(
            parse_time_zone("europe/london"),
            Some(chrono_tz::Europe::London)
        );
        assert_eq!(parse_time_zone("Mars/Olympus"), None);
    }

    #[test]
    fn offsets_format() {
        assert_eq!(format_offset(20_700), "+05:45");
        assert_eq!(format_offset(-12_600), "-03:30");
        assert_eq!(format_offset(21_208), "+05:53:28");
    }
}
