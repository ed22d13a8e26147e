//! The person's habits in reading time: a 12- or 24-hour clock, the first day of the week, and the
//! names of days and months, from the system locale (`LC_ALL`, then `LC_TIME`, then `LANG`, as POSIX
//! orders them) unless the settings `time_format` and `week_start` say otherwise.
//!
//! The locale data is glibc's, through `pure-rust-locales` (the tables chrono's own localized
//! formatting uses): a locale reads a 12-hour clock when its time format (`t_fmt`) uses `%I`, `%l`,
//! `%r` or `%p`; its week starts on `first_weekday` counted from the day its `week` keyword names
//! (glibc's default when absent: the first, a Sunday). JSON output never changes: instants stay RFC 3339.
//!
//! ```
//! use baton::time::locale::TimeLocale;
//! use chrono::{NaiveTime, Weekday};
//! let us = TimeLocale::resolve(Some("en_US.UTF-8"), "auto", "auto");
//! assert_eq!(us.time(NaiveTime::from_hms_opt(17, 30, 0).unwrap()), "5:30 PM");
//! assert_eq!(us.week_start, Weekday::Sun);
//! let de = TimeLocale::resolve(Some("de_DE.UTF-8"), "auto", "auto");
//! assert_eq!(de.time(NaiveTime::from_hms_opt(17, 30, 0).unwrap()), "17:30");
//! assert_eq!(de.week_start, Weekday::Mon);
//! assert_eq!(TimeLocale::resolve(Some("de_DE.UTF-8"), "12h", "sun").tag, "de-DE");
//! ```

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use pure_rust_locales::{locale_match, Locale};
use serde::Serialize;
use ts_rs::TS;

/// The `time_format` setting's values.
pub const TIME_FORMATS: [&str; 3] = ["auto", "12h", "24h"];
/// The `week_start` setting's values.
pub const WEEK_STARTS: [&str; 4] = ["auto", "mon", "sun", "sat"];

/// How times and weeks read for this person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeLocale {
    /// The locale its names come from (POSIX when the system names none Baton knows).
    pub locale: Locale,
    /// The locale as a BCP 47 tag for the web view's `Intl` (`en-US`, `de-DE`).
    pub tag: String,
    /// A 12-hour clock.
    pub hour12: bool,
    /// The first day of the week in week views.
    pub week_start: Weekday,
}

/// What the web view needs to format as the rest of the app does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct LocaleView {
    /// BCP 47 tag for `Intl` (`en-US`).
    pub tag: String,
    /// A 12-hour clock.
    pub hour12: bool,
    /// The week's first day, 0 = Sunday to 6 = Saturday.
    pub week_start: u8,
}

impl TimeLocale {
    /// The locale the environment names (`LC_ALL`, `LC_TIME`, `LANG`: the first one set and not
    /// empty), as a POSIX name such as `en_US.UTF-8`.
    pub fn environment() -> Option<String> {
        ["LC_ALL", "LC_TIME", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.trim().is_empty())
    }

    /// The system's locale with the settings' overrides: `time_format` (`auto`, `12h`, `24h`) and
    /// `week_start` (`auto`, `mon`, `sun`, `sat`); an unknown value counts as `auto`.
    pub fn resolve(system: Option<&str>, time_format: &str, week_start: &str) -> TimeLocale {
        let locale = system.and_then(parse).unwrap_or(Locale::POSIX);
        let t_fmt: &str = locale_match!(locale => LC_TIME::T_FMT);
        let locale_12h = ["%I", "%l", "%r", "%p"].iter().any(|d| t_fmt.contains(d));
        let hour12 = match time_format {
            "12h" => true,
            "24h" => false,
            _ => locale_12h && locale != Locale::POSIX,
        };
        let week_start = match week_start {
            "mon" => Weekday::Mon,
            "sun" => Weekday::Sun,
            "sat" => Weekday::Sat,
            _ => locale_week_start(locale),
        };
        TimeLocale {
            tag: tag(locale),
            locale,
            hour12,
            week_start,
        }
    }

    /// `t` on this clock: "17:30", or "5:30 PM" (the locale's own AM/PM words, "午後5:30" in Japanese).
    pub fn time(&self, t: NaiveTime) -> String {
        if !self.hour12 {
            return format!("{:02}:{:02}", t.hour(), t.minute());
        }
        let (pm, hour) = t.hour12();
        let words: &[&str] = locale_match!(self.locale => LC_TIME::AM_PM);
        let word = words
            .get(usize::from(pm))
            .copied()
            .filter(|w| !w.is_empty())
            .unwrap_or(if pm { "PM" } else { "AM" });
        let ampm_first: &str = locale_match!(self.locale => LC_TIME::T_FMT_AMPM);
        if ampm_first.starts_with("%p") {
            format!("{word}{hour}:{:02}", t.minute())
        } else {
            format!("{hour}:{:02} {word}", t.minute())
        }
    }

    /// The abbreviated name of `day` ("Tue", "Di", "火").
    pub fn weekday(&self, day: Weekday) -> &'static str {
        let names: &[&str] = locale_match!(self.locale => LC_TIME::ABDAY);
        names
            .get(day.num_days_from_sunday() as usize)
            .map_or("", |n| n.trim())
    }

    /// The abbreviated name of `date`'s month ("Mar", "März", "3月").
    pub fn month(&self, date: NaiveDate) -> &'static str {
        let names: &[&str] = locale_match!(self.locale => LC_TIME::ABMON);
        names.get(date.month0() as usize).map_or("", |n| n.trim())
    }

    /// `Tue 17:30` (or `Tue 5:30 PM`).
    pub fn day_time<T: Datelike + Timelike>(&self, t: &T) -> String {
        format!("{} {}", self.weekday(t.weekday()), self.time(naive_time(t)))
    }

    /// `Tue 03 Mar 17:30`: far enough away that the weekday alone would be ambiguous.
    pub fn date_time<T: Datelike + Timelike>(&self, t: &T) -> String {
        format!(
            "{} {:02} {} {}",
            self.weekday(t.weekday()),
            t.day(),
            self.month_of(t.month0()),
            self.time(naive_time(t))
        )
    }

    /// `3 Mar 17:30`.
    pub fn day_month_time<T: Datelike + Timelike>(&self, t: &T) -> String {
        format!(
            "{} {} {}",
            t.day(),
            self.month_of(t.month0()),
            self.time(naive_time(t))
        )
    }

    /// `t`'s hours and minutes, as [`TimeLocale::time`].
    pub fn hm<T: Timelike>(&self, t: &T) -> String {
        self.time(naive_time(t))
    }

    fn month_of(&self, month0: u32) -> &'static str {
        let names: &[&str] = locale_match!(self.locale => LC_TIME::ABMON);
        // glibc pads some (" 3月" in Japanese).
        names.get(month0 as usize).map_or("", |n| n.trim())
    }

    /// The locale this process shows times in (set once at its start with [`TimeLocale::set_current`],
    /// and again when the settings change; [`TimeLocale::default`] until then, as in tests).
    pub fn current() -> TimeLocale {
        CURRENT
            .read()
            .map(|l| l.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Makes `self` the locale [`TimeLocale::current`] answers.
    pub fn set_current(self) {
        match CURRENT.write() {
            Ok(mut l) => *l = self,
            Err(e) => *e.into_inner() = self,
        }
    }

    /// What the web view needs.
    pub fn view(&self) -> LocaleView {
        LocaleView {
            tag: self.tag.clone(),
            hour12: self.hour12,
            week_start: u8::try_from(self.week_start.num_days_from_sunday()).unwrap_or(0),
        }
    }
}

/// The process's locale (see [`TimeLocale::current`]): the tray, the window and the CLI each set it from
/// the environment and the settings when they start.
static CURRENT: std::sync::RwLock<TimeLocale> = std::sync::RwLock::new(TimeLocale {
    locale: Locale::POSIX,
    tag: String::new(),
    hour12: false,
    week_start: Weekday::Mon,
});

fn naive_time<T: Timelike>(t: &T) -> NaiveTime {
    NaiveTime::from_hms_opt(t.hour(), t.minute(), 0).unwrap_or(NaiveTime::MIN)
}

impl Default for TimeLocale {
    /// POSIX: a 24-hour clock and weeks from Monday, English names (what Baton showed before it read the
    /// locale).
    fn default() -> TimeLocale {
        TimeLocale::resolve(None, "auto", "mon")
    }
}

/// A POSIX locale name (`en_US.UTF-8`, `de_DE@euro`, `ja_JP`) as a known locale; `C` and `POSIX` are
/// POSIX.
fn parse(name: &str) -> Option<Locale> {
    let name = name.trim();
    let base = name.split(['.', '@']).next().unwrap_or(name);
    if base.is_empty() || base == "C" || base == "POSIX" {
        return Some(Locale::POSIX);
    }
    let modifier = name.split_once('@').map(|(_, m)| m);
    modifier
        .and_then(|m| Locale::try_from(format!("{base}@{m}").as_str()).ok())
        .or_else(|| Locale::try_from(base).ok())
}

/// The locale's first day of the week (glibc's `week` and `first_weekday`).
fn locale_week_start(locale: Locale) -> Weekday {
    if locale == Locale::POSIX {
        return Weekday::Mon;
    }
    let week: Option<&[i64]> = locale_match!(locale => LC_TIME::WEEK);
    let first: Option<i64> = locale_match!(locale => LC_TIME::FIRST_WEEKDAY);
    // `week`'s second number is a date whose weekday is day 1 (19971130, a Sunday, almost always).
    let day_one = week
        .and_then(|w| w.get(1).copied())
        .and_then(|d| {
            let d = u32::try_from(d).ok()?;
            NaiveDate::from_ymd_opt((d / 10000) as i32, d / 100 % 100, d % 100)
        })
        .map_or(Weekday::Sun, |d| d.weekday());
    let offset = first.unwrap_or(1).clamp(1, 7) - 1;
    (0..offset).fold(day_one, |d, _| d.succ())
}

/// `en_US` as `en-US`; POSIX as `en-US`'s neutral form `en`.
fn tag(locale: Locale) -> String {
    if locale == Locale::POSIX {
        return "en".to_string();
    }
    let name = format!("{locale:?}");
    let base = name.split('_').take(2).collect::<Vec<_>>();
    match base.as_slice() {
        [lang, region] if region.chars().all(|c| c.is_ascii_uppercase()) => {
            format!("{lang}-{region}")
        }
        [lang, ..] => (*lang).to_string(),
        [] => "en".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn four_locales_read_their_own_clock_and_week() {
        for (name, five_thirty, midnight, start, tag) in [
            ("en_US.UTF-8", "5:30 PM", "12:05 AM", Weekday::Sun, "en-US"),
            ("en_GB.UTF-8", "17:30", "00:05", Weekday::Mon, "en-GB"),
            ("de_DE.UTF-8", "17:30", "00:05", Weekday::Mon, "de-DE"),
            ("ja_JP.UTF-8", "17:30", "00:05", Weekday::Sun, "ja-JP"),
        ] {
            let l = TimeLocale::resolve(Some(name), "auto", "auto");
            assert_eq!(l.time(at(17, 30)), five_thirty, "{name}");
            assert_eq!(l.time(at(0, 5)), midnight, "{name}");
            assert_eq!(l.week_start, start, "{name}");
            assert_eq!(l.tag, tag, "{name}");
        }
    }

    #[test]
    fn the_settings_override_the_locale() {
        let ja = TimeLocale::resolve(Some("ja_JP.UTF-8"), "12h", "mon");
        assert_eq!(
            ja.time(at(17, 30)),
            "午後5:30",
            "Japanese puts its PM word first"
        );
        assert_eq!(ja.week_start, Weekday::Mon);
        let us = TimeLocale::resolve(Some("en_US.UTF-8"), "24h", "sat");
        assert_eq!(us.time(at(17, 30)), "17:30");
        assert_eq!(us.week_start, Weekday::Sat);
        let de = TimeLocale::resolve(Some("de_DE.UTF-8"), "12h", "auto");
        assert_eq!(
            de.time(at(9, 0)),
            "9:00 AM",
            "no AM/PM words in German: the English ones"
        );
    }

    #[test]
    fn names_come_from_the_locale() {
        let de = TimeLocale::resolve(Some("de_DE.UTF-8"), "auto", "auto");
        assert_eq!(de.weekday(Weekday::Tue), "Di");
        assert_eq!(
            de.month(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            "Mär"
        );
        let us = TimeLocale::resolve(Some("en_US"), "auto", "auto");
        assert_eq!(us.weekday(Weekday::Tue), "Tue");
    }

    #[test]
    fn unknown_or_missing_locales_read_as_posix() {
        for name in [
            None,
            Some("C"),
            Some("C.UTF-8"),
            Some("POSIX"),
            Some("xx_YY.UTF-8"),
            Some(""),
        ] {
            let l = TimeLocale::resolve(name, "auto", "auto");
            assert_eq!((l.hour12, l.week_start), (false, Weekday::Mon), "{name:?}");
            assert_eq!(l.time(at(17, 30)), "17:30");
        }
        assert_eq!(TimeLocale::default().view().week_start, 1);
    }
}
