//! The delivery policy's settings: the digest cadence, the urgent rules and the cap, plus the reply-by
//! targets, and the grammars of their text values with the defaults of the cadence and the cap.
//!
//! The policy is handed a [`PolicySettings`] and never reads the store: the store's settings
//! ([`crate::store::settings::policy_settings`]) build one with the parsers here, so the dependency
//! runs one way, settings to policy, and the defaults of the cadence and the cap are written once, here.
//!
//! ```text
//! digest_cadence      := "instant" | "every" ws duration | "at" ws time ("," time)*
//! duration            := N "m" | N "min" | N "h"     5 minutes to 12 hours, e.g. "every 30m", "every 2h"
//! time                := H:MM | HH:MM                00:00 to 23:59, local to the member, e.g. "at 10:00,13:00"
//! urgent_sources      := name ("," name)*            case-insensitive exact match on the item's source
//! urgent_senders      := name ("," name)*            case-insensitive exact match on the item's sender
//! urgent_keywords     := phrase ("," phrase)*        case-insensitive substring of the title or the body
//! urgent_cap_per_hour := 0 to 60                     non-critical breakthroughs per source per hour
//! ```
//!
//! Lists are trimmed, empty entries dropped and duplicates removed; an empty list matches nothing.

use std::fmt;
use std::str::FromStr;

use chrono::Duration;

use crate::notify::notification::{Item, Urgency};
use crate::team::spec::ClockTime;

/// The cadence used when nothing is said: three calm digests a day, an hour after a typical 09:00 start
/// (so the start-of-day digest and the first batch do not arrive together), after lunch, and an hour
/// before a typical 17:00 end (so there is time left to answer).
pub const DEFAULT_CADENCE: &str = "at 10:00,13:00,16:00";
/// How many non-critical items one source may break through with per hour, when nothing is said, as
/// the setting's text (the number is [`PolicySettings::default`]'s `urgent_cap_per_hour`).
pub const DEFAULT_URGENT_CAP_PER_HOUR: &str = "3";
/// Highest accepted cap: one breakthrough a minute is no longer a cap.
pub const MAX_URGENT_CAP_PER_HOUR: u32 = 60;
/// Shortest "every" cadence: anything faster is `instant` in all but name.
pub const MIN_EVERY_MINUTES: u32 = 5;
/// Longest "every" cadence: half a day.
pub const MAX_EVERY_MINUTES: u32 = 12 * 60;

/// When items held in working hours outside focus are delivered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cadence {
    /// As soon as they arrive.
    Instant,
    /// On a grid of local wall-clock times `minutes` apart, starting at local midnight (so `every 30m`
    /// delivers at :00 and :30 local time, `every 2h` at even hours).
    Every {
        /// Minutes between digests, [`MIN_EVERY_MINUTES`] to [`MAX_EVERY_MINUTES`].
        minutes: u32,
    },
    /// At these local times of day, sorted, without duplicates, at least one.
    At(Vec<ClockTime>),
}

impl Cadence {
    /// The local times of day (minutes after midnight) at which a digest may go out; empty for instant.
    pub(crate) fn local_minutes(&self) -> Vec<u32> {
        match self {
            Cadence::Instant => Vec::new(),
            Cadence::Every { minutes } => (0..1440).step_by(*minutes as usize).collect(),
            Cadence::At(times) => times.iter().map(|t| t.minutes()).collect(),
        }
    }
}

impl Default for Cadence {
    /// [`DEFAULT_CADENCE`].
    fn default() -> Self {
        DEFAULT_CADENCE
            .parse()
            .expect("the default cadence is in the grammar")
    }
}

impl fmt::Display for Cadence {
    /// The canonical form, which parses back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::Instant => f.write_str("instant"),
            Cadence::Every { minutes } if minutes % 60 == 0 => write!(f, "every {}h", minutes / 60),
            Cadence::Every { minutes } => write!(f, "every {minutes}m"),
            Cadence::At(times) => {
                f.write_str("at ")?;
                for (i, t) in times.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{t}")?;
                }
                Ok(())
            }
        }
    }
}

const CADENCE_EXPECTED: &str =
    "use 'instant', 'every 30m' (5m to 12h) or 'at 10:00,13:00,16:00' (local times)";

impl FromStr for Cadence {
    type Err = String;

    /// Parses the `digest_cadence` grammar (see the module docs); the error says what is valid.
    fn from_str(input: &str) -> Result<Self, String> {
        let text = input.trim();
        let lower = text.to_ascii_lowercase();
        if lower == "instant" {
            return Ok(Cadence::Instant);
        }
        if let Some(rest) = lower.strip_prefix("every") {
            let rest = rest.trim();
            let minutes = parse_duration_minutes(rest)
                .ok_or_else(|| format!("'{rest}' is not a duration; {CADENCE_EXPECTED}"))?;
            if !(MIN_EVERY_MINUTES..=MAX_EVERY_MINUTES).contains(&minutes) {
                return Err(format!(
                    "every {minutes} minutes is out of range; {CADENCE_EXPECTED}"
                ));
            }
            return Ok(Cadence::Every { minutes });
        }
        if let Some(rest) = lower.strip_prefix("at") {
            let mut times = Vec::new();
            for part in rest.split(',').map(str::trim) {
                if part.is_empty() {
                    return Err(format!("an empty time in '{text}'; {CADENCE_EXPECTED}"));
                }
                times.push(parse_clock_time(part).ok_or_else(|| {
                    format!("'{part}' is not a time from 00:00 to 23:59; {CADENCE_EXPECTED}")
                })?);
            }
            times.sort_unstable();
            times.dedup();
            return Ok(Cadence::At(times));
        }
        Err(format!("'{text}' is not a cadence; {CADENCE_EXPECTED}"))
    }
}

/// `30m`, `30 min`, `2h` → minutes.
pub(crate) fn parse_duration_minutes(s: &str) -> Option<u32> {
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits == 0 || digits > 4 {
        return None;
    }
    let n: u32 = s[..digits].parse().ok()?;
    match s[digits..].trim() {
        "m" | "min" | "mins" | "minutes" => Some(n),
        "h" | "hour" | "hours" => Some(n * 60),
        _ => None,
    }
}

/// `9:30` or `09:30`, 00:00 to 23:59.
fn parse_clock_time(s: &str) -> Option<ClockTime> {
    let (h, m) = s.split_once(':')?;
    let ok = |p: &str, max_len| {
        !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !ok(h, 2) || !ok(m, 2) || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60)
        .then(|| ClockTime::from_minutes(h * 60 + m))
        .flatten()
}

/// A comma-separated list, trimmed, without empty entries or (case-insensitive) duplicates.
pub(crate) fn parse_list(value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|o| eq_caseless(o, part)) {
            out.push(part.to_string());
        }
    }
    out
}

/// Parses `urgent_cap_per_hour`; the error says what is valid.
pub(crate) fn parse_cap(value: &str) -> Result<u32, String> {
    let v = value.trim();
    match v.parse::<u32>() {
        Ok(n) if n <= MAX_URGENT_CAP_PER_HOUR => Ok(n),
        _ => Err(format!(
            "'{v}' is not a whole number from 0 to {MAX_URGENT_CAP_PER_HOUR} \
             (0: only critical items break through)"
        )),
    }
}

/// Working hours to answer an item in, by urgency (critical: at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReplyTargets {
    /// Working hours for a high item (default 4).
    pub high_hours: u32,
    /// Working hours for a normal item (default 24).
    pub normal_hours: u32,
    /// Working hours for a low item (default 48).
    pub low_hours: u32,
}

impl Default for ReplyTargets {
    fn default() -> Self {
        ReplyTargets {
            high_hours: 4,
            normal_hours: 24,
            low_hours: 48,
        }
    }
}

impl ReplyTargets {
    /// The working time an item of `urgency` may wait for an answer.
    pub fn working_time(&self, urgency: Urgency) -> Duration {
        let hours = match urgency {
            Urgency::Critical => 0,
            Urgency::High => self.high_hours,
            Urgency::Normal => self.normal_hours,
            Urgency::Low => self.low_hours,
        };
        Duration::hours(i64::from(hours))
    }
}

/// Everything the policy is told by the person's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySettings {
    /// When digests go out in working hours outside focus.
    pub cadence: Cadence,
    /// Sources whose items break through focus and batching.
    pub urgent_sources: Vec<String>,
    /// Senders whose items break through.
    pub urgent_senders: Vec<String>,
    /// Words or phrases that make an item break through when found in its title or body.
    pub urgent_keywords: Vec<String>,
    /// Non-critical breakthroughs allowed per source per hour; past it, items wait for the next digest.
    pub urgent_cap_per_hour: u32,
    /// Reply-by targets (not settings yet: the defaults of the product's async norms).
    pub reply: ReplyTargets,
}

impl Default for PolicySettings {
    fn default() -> Self {
        PolicySettings {
            cadence: Cadence::default(),
            urgent_sources: Vec::new(),
            urgent_senders: Vec::new(),
            urgent_keywords: Vec::new(),
            urgent_cap_per_hour: parse_cap(DEFAULT_URGENT_CAP_PER_HOUR)
                .expect("the default cap is in range"),
            reply: ReplyTargets::default(),
        }
    }
}

impl PolicySettings {
    /// Whether `item` matches an urgent rule other than its urgency: an allow-listed source or sender,
    /// or a keyword in its title or body (all case-insensitive).
    pub fn matches_urgent_rule(&self, item: &Item) -> bool {
        UrgentMatcher::new(self).matches(item)
    }
}

/// The urgent rules prepared for matching many items: keywords lowercased once, and one reusable buffer
/// for lowercasing each title and body (so a hundred thousand items cost no allocation each).
#[derive(Debug)]
pub(crate) struct UrgentMatcher<'a> {
    settings: &'a PolicySettings,
    keywords: Vec<String>,
    buffer: String,
}

impl<'a> UrgentMatcher<'a> {
    pub(crate) fn new(settings: &'a PolicySettings) -> Self {
        UrgentMatcher {
            settings,
            keywords: settings
                .urgent_keywords
                .iter()
                .map(|k| k.to_lowercase())
                .collect(),
            buffer: String::new(),
        }
    }

    /// See [`PolicySettings::matches_urgent_rule`].
    pub(crate) fn matches(&mut self, item: &Item) -> bool {
        let s = self.settings;
        s.urgent_sources
            .iter()
            .any(|x| eq_caseless(x, &item.source))
            || item
                .sender
                .as_deref()
                .is_some_and(|sender| s.urgent_senders.iter().any(|x| eq_caseless(x, sender)))
            || (!self.keywords.is_empty()
                && (self.has_keyword(&item.title)
                    || item.body.as_deref().is_some_and(|b| self.has_keyword(b))))
    }

    fn has_keyword(&mut self, text: &str) -> bool {
        self.buffer.clear();
        if text.is_ascii() {
            self.buffer.push_str(text);
            self.buffer.make_ascii_lowercase();
        } else {
            self.buffer
                .extend(text.chars().flat_map(char::to_lowercase));
        }
        self.keywords
            .iter()
            .any(|k| self.buffer.contains(k.as_str()))
    }
}

/// Case-insensitive equality (full Unicode lowercasing only when either side is not ASCII).
fn eq_caseless(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadence_grammar_round_trips() {
        for (text, want, canonical) in [
            ("instant", Cadence::Instant, "instant"),
            (" Instant ", Cadence::Instant, "instant"),
            ("every 30m", Cadence::Every { minutes: 30 }, "every 30m"),
            ("every 90 min", Cadence::Every { minutes: 90 }, "every 90m"),
            ("every 2h", Cadence::Every { minutes: 120 }, "every 2h"),
            ("every 120m", Cadence::Every { minutes: 120 }, "every 2h"),
            (
                "at 16:00, 10:00,13:00,10:00",
                Cadence::default(),
                "at 10:00,13:00,16:00",
            ),
            (DEFAULT_CADENCE, Cadence::default(), DEFAULT_CADENCE),
        ] {
            let got: Cadence = text.parse().unwrap();
            assert_eq!(got, want, "{text}");
            assert_eq!(got.to_string(), canonical, "{text}");
            assert_eq!(canonical.parse::<Cadence>().unwrap(), got, "round trip");
        }
    }

    #[test]
    fn cadence_errors_say_what_is_valid() {
        for (bad, says) in [
            ("hourly", "'hourly' is not a cadence"),
            ("every 2m", "every 2 minutes is out of range"),
            ("every 13h", "every 780 minutes is out of range"),
            ("every soon", "'soon' is not a duration"),
            ("at 24:00", "'24:00' is not a time"),
            ("at 9:5", "'9:5' is not a time"),
            ("at 10:00,,13:00", "an empty time"),
            ("at", "an empty time"),
        ] {
            let err = bad.parse::<Cadence>().unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
            assert!(
                err.contains("every 30m"),
                "{bad}: the error lists the forms"
            );
        }
    }

    #[test]
    fn lists_and_caps() {
        assert_eq!(
            parse_list(" ci, GitHub ,,ci, prod down "),
            ["ci", "GitHub", "prod down"]
        );
        assert!(parse_list(" , ").is_empty());
        assert_eq!(parse_cap(" 3 "), Ok(3));
        assert_eq!(parse_cap("0"), Ok(0));
        assert!(parse_cap("61").unwrap_err().contains("0 to 60"));
        assert!(parse_cap("-1").is_err());
        assert!(parse_cap("three").is_err());
    }

    #[test]
    fn urgent_rules_match_caselessly() {
        let s = PolicySettings {
            urgent_sources: vec!["PagerDuty".into()],
            urgent_senders: vec!["ana@example.com".into()],
            urgent_keywords: vec!["prod down".into(), "Störung".into()],
            ..PolicySettings::default()
        };
        let item = |source: &str, sender: Option<&str>, title: &str, body: Option<&str>| Item {
            id: 1,
            source: source.into(),
            group: None,
            sender: sender.map(Into::into),
            title: title.into(),
            body: body.map(Into::into),
            urgency: Urgency::Normal,
            url: None,
            received_at: chrono::DateTime::UNIX_EPOCH,
        };
        assert!(s.matches_urgent_rule(&item("pagerduty", None, "x", None)));
        assert!(s.matches_urgent_rule(&item("mail", Some("Ana@Example.com"), "x", None)));
        assert!(s.matches_urgent_rule(&item("ci", None, "PROD DOWN in eu", None)));
        assert!(s.matches_urgent_rule(&item("ci", None, "x", Some("is prod Down?"))));
        assert!(s.matches_urgent_rule(&item("ci", None, "STÖRUNG im Netz", None)));
        assert!(!s.matches_urgent_rule(&item("ci", Some("bob"), "prod is fine", Some("down"))));
        assert!(
            !s.matches_urgent_rule(&item("pager", None, "x", None)),
            "sources match whole"
        );
    }
}
