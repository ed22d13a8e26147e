//! The small grammars people write in a team file: weekly hours and focus blocks, and days off.
//!
//! ```text
//! weekly   := days " " spans            e.g. "mon-fri 09:00-17:30", "mon,wed 22:00-06:00, 13:00-14:00"
//! days     := "daily" | day-item ("," day-item)*
//! day-item := day | day "-" day         ranges wrap: "fri-mon" is fri, sat, sun, mon
//! day      := mon | tue | wed | thu | fri | sat | sun   (or the full English name, any case)
//! spans    := span ("," span)*
//! span     := time "-" time             an end at or before the start runs into the next day
//! time     := H:MM | HH:MM              00:00 to 23:59, and 24:00 as an end
//! days-off := date | date ".." date     ISO dates, ranges inclusive
//! ```
//!
//! Parsers are hand-written over a tiny grammar so every error can point at the column that is wrong and
//! say what would be valid there; `Display` writes the canonical form, which parses back to the same value.

use std::fmt;

use chrono::{NaiveDate, Weekday};
use thiserror::Error;

/// Why a spec string is not valid, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message} at column {column} of \"{input}\" (expected {expected})")]
pub struct SpecError {
    /// The text that failed to parse.
    pub input: String,
    /// 1-based character column where the problem starts.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What would be valid there.
    pub expected: &'static str,
}

/// A set of weekdays, as a bit mask with Monday in bit 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WeekdaySet(u8);

impl WeekdaySet {
    /// Every day of the week.
    pub const ALL: WeekdaySet = WeekdaySet(0x7f);
    /// Monday to Friday.
    pub const WEEKDAYS: WeekdaySet = WeekdaySet(0x1f);
    /// Saturday and Sunday.
    pub const WEEKEND: WeekdaySet = WeekdaySet(0x60);

    /// Whether `day` is in the set.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    fn insert(&mut self, day: Weekday) {
        self.0 |= 1 << day.num_days_from_monday();
    }
}

impl fmt::Display for WeekdaySet {
    /// Canonical form: runs of three or more days as ranges (`mon-fri`), others listed (`mon,wed`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == WeekdaySet::ALL {
            return f.write_str("daily");
        }
        let mut parts = Vec::new();
        let mut i = 0;
        while i < 7 {
            if self.0 & (1 << i) == 0 {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < 7 && self.0 & (1 << (j + 1)) != 0 {
                j += 1;
            }
            let name = |k: usize| DAY_NAMES[k];
            match j - i {
                0 => parts.push(name(i).to_string()),
                1 => parts.push(format!("{},{}", name(i), name(j))),
                _ => parts.push(format!("{}-{}", name(i), name(j))),
            }
            i = j + 1;
        }
        f.write_str(&parts.join(","))
    }
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL_DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A time of day in minutes after local midnight, `0..=1440` (1440 is `24:00`, only valid as an end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ClockTime(u16);

impl ClockTime {
    /// Minutes after midnight.
    pub fn minutes(self) -> u32 {
        u32::from(self.0)
    }

    /// Builds a time from minutes after midnight (`None` past 24:00).
    pub fn from_minutes(m: u32) -> Option<Self> {
        u16::try_from(m).ok().filter(|&m| m <= 1440).map(ClockTime)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// A daily span of local time. When `end <= start` the span runs into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DailySpan {
    /// Local start time (never 24:00).
    pub start: ClockTime,
    /// Local end time; at or before `start` means on the next day.
    pub end: ClockTime,
}

impl DailySpan {
    /// Whether the span ends on the day after it starts.
    pub fn is_overnight(&self) -> bool {
        self.end <= self.start && self.end.0 != 1440
    }
}

/// One line of a weekly schedule: on these weekdays, these spans of local time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WeeklyRule {
    /// The days the spans start on.
    pub days: WeekdaySet,
    /// The spans, in the order written.
    pub spans: Vec<DailySpan>,
}

impl fmt::Display for WeeklyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.days)?;
        for (i, s) in self.spans.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}-{}", s.start, s.end)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for WeeklyRule {
    type Err = SpecError;

    fn from_str(input: &str) -> Result<Self, SpecError> {
        let mut c = Cursor::new(input);
        c.skip_ws();
        let days = c.days()?;
        if !c.skip_ws() {
            return Err(c.error(
                "missing space after the days",
                "a space, then a span like 09:00-17:30",
            ));
        }
        let mut spans = vec![c.span()?];
        loop {
            c.skip_ws();
            if c.eat(',') {
                c.skip_ws();
                spans.push(c.span()?);
            } else if c.at_end() {
                break;
            } else {
                return Err(c.error(
                    "unexpected text after the span",
                    "',' and another span, or the end",
                ));
            }
        }
        Ok(WeeklyRule { days, spans })
    }
}

/// An inclusive range of local dates (a single day off has `first == last`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// First day of the range.
    pub first: NaiveDate,
    /// Last day of the range, included.
    pub last: NaiveDate,
}

impl DateRange {
    /// Whether `d` falls in the range.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.first <= d && d <= self.last
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first.format("%Y-%m-%d"))
        } else {
            write!(
                f,
                "{}..{}",
                self.first.format("%Y-%m-%d"),
                self.last.format("%Y-%m-%d")
            )
        }
    }
}

impl std::str::FromStr for DateRange {
    type Err = SpecError;

    fn from_str(input: &str) -> Result<Self, SpecError> {
        let mut c = Cursor::new(input);
        c.skip_ws();
        let first = c.date()?;
        c.skip_ws();
        let last = if c.eat_str("..") {
            c.skip_ws();
            let col = c.column();
            let last = c.date()?;
            if last < first {
                return Err(c.error_at(
                    col,
                    "the range ends before it starts",
                    "an end date on or after the start",
                ));
            }
            last
        } else {
            first
        };
        c.skip_ws();
        if !c.at_end() {
            return Err(c.error(
                "unexpected text after the date",
                "YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD",
            ));
        }
        Ok(DateRange { first, last })
    }
}

/// A character cursor that knows its column, for precise errors.
struct Cursor<'a> {
    input: &'a str,
    pos: usize, // byte offset
}

impl<'a> Cursor<'a> {
    fn new(input: &'a str) -> Self {
        Self { input, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    fn column(&self) -> usize {
        self.input[..self.pos].chars().count() + 1
    }

    fn eat(&mut self, ch: char) -> bool {
        if self.peek() == Some(ch) {
            self.pos += ch.len_utf8();
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Skips whitespace; tells whether there was any.
    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while let Some(ch) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += ch.len_utf8();
        }
        self.pos > start
    }

    fn error(&self, message: impl Into<String>, expected: &'static str) -> SpecError {
        self.error_at(self.column(), message, expected)
    }

    fn error_at(
        &self,
        column: usize,
        message: impl Into<String>,
        expected: &'static str,
    ) -> SpecError {
        SpecError {
            input: self.input.to_string(),
            column,
            message: message.into(),
            expected,
        }
    }

    fn word(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }

    fn days(&mut self) -> Result<WeekdaySet, SpecError> {
        const EXPECTED: &str = "days like mon-fri, sat, mon,wed,fri or daily";
        let mut set = WeekdaySet::default();
        loop {
            let col = self.column();
            let first = match self.day(EXPECTED)? {
                DayWord::Daily
                    if set == WeekdaySet::default() && !self.rest().starts_with([',', '-']) =>
                {
                    return Ok(WeekdaySet::ALL);
                }
                DayWord::Daily => {
                    return Err(self.error_at(
                        col,
                        "'daily' cannot be combined with other days",
                        EXPECTED,
                    ));
                }
                DayWord::Day(d) => d,
            };
            if self.eat('-') {
                let col = self.column();
                let DayWord::Day(last) = self.day(EXPECTED)? else {
                    return Err(self.error_at(col, "a range must end with a weekday", EXPECTED));
                };
                let mut d = first;
                loop {
                    set.insert(d);
                    if d == last {
                        break;
                    }
                    d = d.succ();
                }
            } else {
                set.insert(first);
            }
            if !self.eat(',') {
                return Ok(set);
            }
        }
    }

    fn day(&mut self, expected: &'static str) -> Result<DayWord, SpecError> {
        let col = self.column();
        let word = self.word().to_ascii_lowercase();
        if word.is_empty() {
            return Err(self.error_at(col, "missing weekday", expected));
        }
        if word == "daily" {
            return Ok(DayWord::Daily);
        }
        let idx = DAY_NAMES
            .iter()
            .position(|d| *d == word)
            .or_else(|| FULL_DAY_NAMES.iter().position(|d| *d == word));
        match idx.and_then(|i| Weekday::try_from(u8::try_from(i).ok()?).ok()) {
            Some(d) => Ok(DayWord::Day(d)),
            None => Err(self.error_at(col, format!("unknown weekday '{word}'"), expected)),
        }
    }

    fn span(&mut self) -> Result<DailySpan, SpecError> {
        let start_col = self.column();
        let start = self.time()?;
        if start.0 == 1440 {
            return Err(self.error_at(
                start_col,
                "a span cannot start at 24:00",
                "a start time from 00:00 to 23:59",
            ));
        }
        if !self.eat('-') {
            return Err(self.error(
                "missing '-' between start and end",
                "a span like 09:00-17:30",
            ));
        }
        let end = self.time()?;
        Ok(DailySpan { start, end })
    }

    fn number(&mut self, max_digits: usize) -> Option<u32> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if len == 0 || len > max_digits {
            return None;
        }
        self.pos += len;
        rest[..len].parse().ok()
    }

    fn time(&mut self) -> Result<ClockTime, SpecError> {
        const EXPECTED: &str = "a time HH:MM from 00:00 to 24:00";
        let col = self.column();
        let Some(h) = self.number(2) else {
            return Err(self.error_at(col, "missing or malformed hour", EXPECTED));
        };
        if !self.eat(':') {
            return Err(self.error("missing ':' between hour and minute", EXPECTED));
        }
        let mcol = self.column();
        let before = self.pos;
        let Some(m) = self.number(2).filter(|_| self.pos - before == 2) else {
            return Err(self.error_at(mcol, "minutes must be two digits", EXPECTED));
        };
        if h > 24 {
            return Err(self.error_at(col, format!("hour {h} is out of range"), EXPECTED));
        }
        if m > 59 {
            return Err(self.error_at(mcol, format!("minute {m} is out of range"), EXPECTED));
        }
        if h == 24 && m != 0 {
            return Err(self.error_at(col, "only 24:00 is allowed past 23:59", EXPECTED));
        }
        Ok(ClockTime((h * 60 + m) as u16))
    }

    fn date(&mut self) -> Result<NaiveDate, SpecError> {
        const EXPECTED: &str = "a date YYYY-MM-DD";
        let col = self.column();
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '-'))
            .unwrap_or(rest.len());
        let text = &rest[..len];
        if text.is_empty() {
            return Err(self.error_at(col, "missing date", EXPECTED));
        }
        // Exactly four-digit year, two-digit month and day, so every accepted date prints back as written.
        let shaped = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) if shaped => {
                self.pos += len;
                Ok(d)
            }
            _ => Err(self.error_at(col, format!("'{text}' is not a valid date"), EXPECTED)),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum DayWord {
    Daily,
    Day(Weekday),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(s: &str) -> WeeklyRule {
        s.parse().unwrap()
    }

    #[test]
    fn parses_the_documented_forms() {
        let r = rule("mon-fri 09:00-17:30");
        assert!(r.days.contains(Weekday::Mon) && r.days.contains(Weekday::Fri));
        assert!(!r.days.contains(Weekday::Sat));
        assert_eq!(
            r.spans,
            vec![DailySpan {
                start: ClockTime(540),
                end: ClockTime(1050)
            }]
        );
        let r = rule("fri-mon 22:00-06:00");
        assert_eq!(r.days.to_string(), "mon,fri-sun");
        assert!(r.spans[0].is_overnight());
        assert!(!rule("sat 00:00-24:00").spans[0].is_overnight());
        assert_eq!(
            rule("Monday,WED,fri 9:00-12:00 , 13:00-17:00").to_string(),
            "mon,wed,fri 09:00-12:00, 13:00-17:00"
        );
        assert_eq!(rule("daily 08:00-08:00").to_string(), "daily 08:00-08:00");
    }

    #[test]
    fn errors_point_at_the_column() {
        let e = "mon-thu 22:00-06:60".parse::<WeeklyRule>().unwrap_err();
        assert_eq!(
            (e.column, e.message.as_str()),
            (18, "minute 60 is out of range")
        );
        let e = "mon-fir 09:00-17:00".parse::<WeeklyRule>().unwrap_err();
        assert_eq!((e.column, e.message.as_str()), (5, "unknown weekday 'fir'"));
        let e = "mon-fri".parse::<WeeklyRule>().unwrap_err();
        assert_eq!(e.column, 8);
        let e = "mon 24:00-01:00".parse::<WeeklyRule>().unwrap_err();
        assert_eq!(e.message, "a span cannot start at 24:00");
        let e = "daily,mon 09:00-10:00".parse::<WeeklyRule>().unwrap_err();
        assert_eq!(
            (e.column, e.message.as_str()),
            (1, "'daily' cannot be combined with other days")
        );
    }

    #[test]
    fn dates_and_ranges() {
        let r: DateRange = "2026-12-28..2027-01-01".parse().unwrap();
        assert!(r.contains(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
        assert_eq!(r.to_string(), "2026-12-28..2027-01-01");
        let e = "2027-01-01..2026-12-28".parse::<DateRange>().unwrap_err();
        assert_eq!(
            (e.column, e.message.as_str()),
            (13, "the range ends before it starts")
        );
        let e = "2026-02-30".parse::<DateRange>().unwrap_err();
        assert_eq!(e.message, "'2026-02-30' is not a valid date");
        // Only YYYY-MM-DD: chrono alone would read these, and they would not print back as written.
        for odd in ["-001-01-01", "2026-1-010", "20260-1-01"] {
            assert!(odd.parse::<DateRange>().is_err(), "{odd} must be refused");
        }
    }
}
