//! The desktop app's and the intake's settings that live in the store, and their validation. Each setting is a key with a
//! text value; this module knows the keys, their defaults, and what a valid value is, so the CLI and the
//! app refuse the same bad input with the same message.
//!
//! The delivery policy's settings are built here too ([`policy_settings`]), with the policy's own
//! parsers and defaults: this module depends on the policy, never the other way round.

use thiserror::Error;

use crate::notify::notification::{UnknownUrgency, Urgency};
use crate::notify::policy::config::{parse_cap, parse_list, DEFAULT_URGENT_CAP_PER_HOUR};
use crate::notify::policy::{Cadence, PolicySettings, ReplyTargets, DEFAULT_CADENCE};

/// The global shortcut that toggles focus; an empty value turns it off.
pub const FOCUS_SHORTCUT: &str = "focus_shortcut";
/// The focus shortcut until the user changes it. Off on Linux: the shortcut library's X11 backend
/// checks for key events 20 times a second, which would keep an idle tray app awake; turn it on with
/// `baton settings set focus_shortcut Ctrl+Alt+F`.
pub const DEFAULT_FOCUS_SHORTCUT: &str = if cfg!(target_os = "linux") {
    ""
} else {
    "CmdOrCtrl+Alt+F"
};

/// When held notifications are delivered in working hours outside focus (see [`crate::notify::policy`]).
pub const DIGEST_CADENCE: &str = "digest_cadence";
/// Sources whose notifications break through focus and digests (comma-separated).
pub const URGENT_SOURCES: &str = "urgent_sources";
/// Senders whose notifications break through focus and digests (comma-separated).
pub const URGENT_SENDERS: &str = "urgent_senders";
/// Words or phrases that make a notification break through (comma-separated, case-insensitive).
pub const URGENT_KEYWORDS: &str = "urgent_keywords";
/// Non-critical breakthroughs one source may make per hour.
pub const URGENT_CAP_PER_HOUR: &str = "urgent_cap_per_hour";
/// The loopback port the notification intake API listens on.
pub const INTAKE_PORT: &str = "intake_port";
/// The intake port until the user changes it: unassigned by IANA and unused by common local tools.
pub const DEFAULT_INTAKE_PORT: &str = "7429";
/// How many notifications one source may send per minute before the intake answers 429.
pub const INTAKE_RATE_PER_MINUTE: &str = "intake_rate_per_minute";
/// The per-source rate until the user changes it.
pub const DEFAULT_INTAKE_RATE_PER_MINUTE: &str = "60";
/// How many notifications all sources together may send per minute before the intake answers 429.
pub const INTAKE_RATE_TOTAL_PER_MINUTE: &str = "intake_rate_total_per_minute";
/// The overall rate until the user changes it: ten sources at their full default rate.
pub const DEFAULT_INTAKE_RATE_TOTAL_PER_MINUTE: &str = "600";
/// Highest per-source (or overall) rate a setting may ask for.
pub const MAX_INTAKE_RATE_PER_MINUTE: u32 = 1_000_000;
/// Which member of the team this machine's user is; empty: the team file's `me`, if any.
pub const ME: &str = "me";
/// Whether the calendar shows the first-run card: `show` (a fresh database's, until it is dismissed)
/// or `done`.
pub const FIRST_RUN: &str = "first_run";
/// The clock times are shown on: `auto` (the locale's), `12h` or `24h`.
pub const TIME_FORMAT: &str = "time_format";
/// The first day of week views: `auto` (the locale's), `mon`, `sun` or `sat`.
pub const WEEK_START: &str = "week_start";
/// What ntfy's top priority (5) and Gotify's 8 to 10 arrive as: `high` or `critical`.
pub const INTAKE_TOP_PRIORITY: &str = "intake_top_priority";
/// How an alert's `severity` label maps to urgency (Alertmanager and Grafana webhooks).
pub const ALERT_SEVERITIES: &str = "alert_severities";
/// Its default: critical alerts are critical, warnings high, anything else normal.
pub const DEFAULT_ALERT_SEVERITIES: &str = "critical=critical, warning=high";
/// How often a team followed from a URL is fetched again (besides at start, on wake and on sync).
pub const TEAM_REFRESH: &str = "team_refresh";
/// The refresh until the user changes it.
pub const DEFAULT_TEAM_REFRESH: &str = "1h";
/// The shortest and longest refresh, in minutes.
pub const TEAM_REFRESH_MINUTES: (u32, u32) = (5, 24 * 60);

/// How often calendars are read again (besides at start, on wake and on `baton calendar sync`).
pub const CALENDAR_REFRESH: &str = "calendar_refresh";
/// The calendar refresh until the user changes it.
pub const DEFAULT_CALENDAR_REFRESH: &str = "15m";
/// Titles and categories that mark a calendar event as out of office (comma-separated).
pub const CALENDAR_OOO_WORDS: &str = "calendar_ooo_words";
/// The out-of-office words until the user changes them.
pub const DEFAULT_CALENDAR_OOO_WORDS: &str =
    "Out of office, OOO, OOF, Vacation, Holiday, Leave, Time off, PTO";

/// Whether focus turns on the desktop's do-not-disturb (see [`crate::dnd`]): `true` or `false`.
pub const FOCUS_SILENCES_DESKTOP: &str = "focus_silences_desktop";
/// Whether the desktop's do-not-disturb is also on outside my working hours: `true` or `false`.
pub const OFF_HOURS_SILENCE: &str = "off_hours_silence";
/// Which desktop do-not-disturb Baton switches: `auto` (detected), one backend, or `off`.
pub const DESKTOP_DND: &str = "desktop_dnd";
/// The values [`DESKTOP_DND`] accepts.
pub const DESKTOP_DND_VALUES: &[&str] = &[
    "auto", "gnome", "kde", "dunst", "mako", "xfce", "swaync", "off",
];

/// My weekly focus goal in hours, which the week in focus (`baton week`) measures protected time
/// against.
pub const FOCUS_GOAL_HOURS: &str = "focus_goal_hours";
/// The focus goal until the user changes it.
pub const DEFAULT_FOCUS_GOAL_HOURS: &str = "10";
/// The largest focus goal: every hour of a week.
pub const MAX_FOCUS_GOAL_HOURS: u32 = 168;

/// Every known setting: key, default, what it is.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    (
        FOCUS_SHORTCUT,
        DEFAULT_FOCUS_SHORTCUT,
        "global shortcut that toggles focus (empty: off, the default on Linux)",
    ),
    (
        DIGEST_CADENCE,
        DEFAULT_CADENCE,
        "when held notifications arrive in working hours outside focus: instant, every 30m (5m to 12h, \
         on the local clock), or at 10:00,13:00,16:00 (local times)",
    ),
    (
        URGENT_SOURCES,
        "",
        "sources whose notifications break through focus and digests, comma-separated (e.g. pagerduty)",
    ),
    (
        URGENT_SENDERS,
        "",
        "senders whose notifications break through focus and digests, comma-separated",
    ),
    (
        URGENT_KEYWORDS,
        "",
        "words that make a notification break through when in its title or body, comma-separated, \
         any case",
    ),
    (
        URGENT_CAP_PER_HOUR,
        DEFAULT_URGENT_CAP_PER_HOUR,
        "most breakthroughs per source per hour (0 to 60); past it they wait for the next digest; \
         critical always passes and is not counted",
    ),
    (
        INTAKE_PORT,
        DEFAULT_INTAKE_PORT,
        "loopback port of the notification intake API (applied at the next start)",
    ),
    (
        INTAKE_RATE_PER_MINUTE,
        DEFAULT_INTAKE_RATE_PER_MINUTE,
        "notifications one source may send per minute before the intake answers 429",
    ),
    (
        INTAKE_RATE_TOTAL_PER_MINUTE,
        DEFAULT_INTAKE_RATE_TOTAL_PER_MINUTE,
        "notifications all sources together may send per minute before the intake answers 429",
    ),
    (
        TIME_FORMAT,
        "auto",
        "the clock times are shown on: auto (the system locale's, from LC_TIME or LANG), 12h or 24h",
    ),
    (
        WEEK_START,
        "auto",
        "the first day of the week in week views: auto (the system locale's), mon, sun or sat",
    ),
    (
        INTAKE_TOP_PRIORITY,
        "high",
        "what ntfy's priority 5 (max, urgent) and Gotify's priorities 8 to 10 arrive as: high (the \
         default, held by focus like any high item) or critical (breaks through at any hour)",
    ),
    (
        ALERT_SEVERITIES,
        DEFAULT_ALERT_SEVERITIES,
        "how an Alertmanager or Grafana alert's severity label maps to urgency: severity=urgency \
         pairs, comma-separated; other severities are normal",
    ),
    (
        ME,
        "",
        "which member of the team you are, on this machine (empty: the team file's `me`, if any)",
    ),
    (
        FIRST_RUN,
        "done",
        "whether the calendar shows the first-run card (who you are, where the team comes from, start \
         at login, a test notification): show or done; a fresh database starts with show",
    ),
    (
        TEAM_REFRESH,
        DEFAULT_TEAM_REFRESH,
        "how often a team followed from a URL is fetched again: 30m, 1h, 6h (5m to 24h); also at \
         start, on wake and on `baton team sync`",
    ),
    (
        CALENDAR_REFRESH,
        DEFAULT_CALENDAR_REFRESH,
        "how often calendars are read again: 15m, 1h (5m to 24h); also at start, on wake and on \
         `baton calendar sync`",
    ),
    (
        CALENDAR_OOO_WORDS,
        DEFAULT_CALENDAR_OOO_WORDS,
        "comma-separated titles or categories that mark a calendar event as out of office (a day off)",
    ),
    (
        FOCUS_SILENCES_DESKTOP,
        "true",
        "whether focus also turns on the desktop's do-not-disturb (true or false); Baton restores \
         what it found when focus ends",
    ),
    (
        OFF_HOURS_SILENCE,
        "false",
        "whether the desktop's do-not-disturb is also on outside your working hours (true or false)",
    ),
    (
        DESKTOP_DND,
        "auto",
        "which desktop do-not-disturb Baton switches: auto (detected), gnome, kde, dunst, mako, \
         xfce, swaync, or off",
    ),
    (
        FOCUS_GOAL_HOURS,
        DEFAULT_FOCUS_GOAL_HOURS,
        "weekly focus goal in hours (1 to 168) that `baton week` measures protected focus against",
    ),
];

/// Settings the runner reads once when it starts (the tray registers the shortcut and binds the intake
/// then): a change applies at the next start of Baton. The others apply from the next use.
pub const APPLIED_AT_START: &[&str] = &[
    FOCUS_SHORTCUT,
    INTAKE_PORT,
    INTAKE_RATE_PER_MINUTE,
    INTAKE_RATE_TOTAL_PER_MINUTE,
];

/// The default value of a known setting.
pub fn default_value(key: &str) -> Option<&'static str> {
    SETTINGS.iter().find(|s| s.0 == key).map(|s| s.1)
}

const NAMED_KEYS: &[&str] = &[
    "space",
    "enter",
    "tab",
    "escape",
    "backspace",
    "delete",
    "insert",
    "home",
    "end",
    "pageup",
    "pagedown",
    "up",
    "down",
    "left",
    "right",
];

/// A bad setting.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SettingError {
    /// A key Baton does not know.
    #[error("unknown setting '{0}'; known: {known}", known = SETTINGS.iter().map(|s| s.0).collect::<Vec<_>>().join(", "))]
    UnknownKey(String),
    /// A value that is not valid for its key.
    #[error("{key}: {message}")]
    BadValue {
        /// The setting.
        key: String,
        /// What is wrong and what is valid.
        message: String,
    },
}

/// Checks `value` for `key` and returns it in canonical form (trimmed).
pub fn validate(key: &str, value: &str) -> Result<String, SettingError> {
    match key {
        FOCUS_SHORTCUT => {
            validate_shortcut(value.trim()).map_err(|message| SettingError::BadValue {
                key: key.into(),
                message,
            })
        }
        DIGEST_CADENCE => value
            .parse::<Cadence>()
            .map(|c| c.to_string())
            .map_err(|message| SettingError::BadValue {
                key: key.into(),
                message,
            }),
        URGENT_SOURCES | URGENT_SENDERS | URGENT_KEYWORDS => Ok(parse_list(value).join(", ")),
        URGENT_CAP_PER_HOUR => {
            parse_cap(value)
                .map(|n| n.to_string())
                .map_err(|message| SettingError::BadValue {
                    key: key.into(),
                    message,
                })
        }
        INTAKE_PORT => validate_number(key, value, 1, u32::from(u16::MAX), "a port"),
        INTAKE_RATE_PER_MINUTE | INTAKE_RATE_TOTAL_PER_MINUTE => validate_number(
            key,
            value,
            1,
            MAX_INTAKE_RATE_PER_MINUTE,
            "a number of notifications per minute",
        ),
        TIME_FORMAT | WEEK_START => {
            let allowed: &[&str] = if key == TIME_FORMAT {
                &crate::time::locale::TIME_FORMATS
            } else {
                &crate::time::locale::WEEK_STARTS
            };
            let v = value.trim().to_ascii_lowercase();
            if allowed.contains(&v.as_str()) {
                Ok(v)
            } else {
                Err(SettingError::BadValue {
                    key: key.into(),
                    message: format!("{value:?}: use {}", allowed.join(", ")),
                })
            }
        }
        FIRST_RUN => match value.trim().to_ascii_lowercase().as_str() {
            v @ ("show" | "done") => Ok(v.to_string()),
            _ => Err(SettingError::BadValue {
                key: key.into(),
                message: format!("{value:?}: use show or done"),
            }),
        },
        INTAKE_TOP_PRIORITY => match value.trim().to_ascii_lowercase().as_str() {
            v @ ("high" | "critical") => Ok(v.to_string()),
            _ => Err(SettingError::BadValue {
                key: key.into(),
                message: format!("{value:?}: use high or critical"),
            }),
        },
        ALERT_SEVERITIES => alert_severities(value).map(|pairs| {
            pairs
                .iter()
                .map(|(s, u)| format!("{s}={u}"))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        ME => {
            let name = value.trim();
            if name.contains(',') {
                Err(SettingError::BadValue {
                    key: key.into(),
                    message: format!("'{name}' is not a member name (names never contain ',')"),
                })
            } else {
                Ok(name.to_string())
            }
        }
        CALENDAR_REFRESH => refresh_minutes(CALENDAR_REFRESH, value).map(|m| {
            if m % 60 == 0 {
                format!("{}h", m / 60)
            } else {
                format!("{m}m")
            }
        }),
        CALENDAR_OOO_WORDS => {
            let words = ooo_words(value);
            if words.is_empty() {
                Err(SettingError::BadValue {
                    key: CALENDAR_OOO_WORDS.into(),
                    message: "name at least one word, such as \"Out of office, OOO, Vacation\""
                        .into(),
                })
            } else {
                Ok(words.join(", "))
            }
        }
        FOCUS_GOAL_HOURS => {
            validate_number(key, value, 1, MAX_FOCUS_GOAL_HOURS, "a number of hours")
        }
        TEAM_REFRESH => team_refresh_minutes(value).map(|m| {
            if m % 60 == 0 {
                format!("{}h", m / 60)
            } else {
                format!("{m}m")
            }
        }),
        FOCUS_SILENCES_DESKTOP | OFF_HOURS_SILENCE => parse_bool(value)
            .map(|b| b.to_string())
            .ok_or_else(|| SettingError::BadValue {
                key: key.into(),
                message: format!("'{}' is not true or false", value.trim()),
            }),
        DESKTOP_DND => {
            let v = value.trim().to_ascii_lowercase();
            if DESKTOP_DND_VALUES.contains(&v.as_str()) {
                Ok(v)
            } else {
                Err(SettingError::BadValue {
                    key: key.into(),
                    message: format!(
                        "'{}' is not a do-not-disturb backend; use one of {}",
                        value.trim(),
                        DESKTOP_DND_VALUES.join(", ")
                    ),
                })
            }
        }
        _ => Err(SettingError::UnknownKey(key.into())),
    }
}

/// A yes-or-no setting: `true`, `false` (and `on`, `off`, `yes`, `no`, `1`, `0`), any case.
///
/// ```
/// use baton::store::settings::parse_bool;
/// assert_eq!(parse_bool(" On "), Some(true));
/// assert_eq!(parse_bool("no"), Some(false));
/// assert_eq!(parse_bool("maybe"), None);
/// ```
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Some(true),
        "false" | "off" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// The value of a yes-or-no setting (stored or default); a stored value that no longer validates
/// reads as the default.
pub fn flag(key: &str, stored: Option<&str>) -> bool {
    stored
        .and_then(parse_bool)
        .or_else(|| default_value(key).and_then(parse_bool))
        .unwrap_or(false)
}

/// The person's [`TimeLocale`](crate::time::locale::TimeLocale): the system locale with the
/// `time_format` and `week_start` settings as `stored` reads them.
pub fn time_locale(
    mut stored: impl FnMut(&str) -> Option<String>,
) -> crate::time::locale::TimeLocale {
    let mut get = |key| stored(key).unwrap_or_else(|| default_value(key).unwrap_or("auto").into());
    let (time_format, week_start) = (get(TIME_FORMAT), get(WEEK_START));
    crate::time::locale::TimeLocale::resolve(
        crate::time::locale::TimeLocale::environment().as_deref(),
        &time_format,
        &week_start,
    )
}

/// Parses [`ALERT_SEVERITIES`]: `severity=urgency` pairs, comma-separated (severities lowercased, each
/// once; an empty value maps nothing, so every alert is normal).
///
/// ```
/// use baton::notify::notification::Urgency;
/// use baton::store::settings::alert_severities;
/// assert_eq!(
///     alert_severities("Critical=critical, page = high").unwrap(),
///     vec![("critical".to_string(), Urgency::Critical), ("page".to_string(), Urgency::High)]
/// );
/// assert!(alert_severities("critical").is_err());
/// ```
pub fn alert_severities(value: &str) -> Result<Vec<(String, Urgency)>, SettingError> {
    let bad = |message: String| SettingError::BadValue {
        key: ALERT_SEVERITIES.into(),
        message,
    };
    let mut pairs: Vec<(String, Urgency)> = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (severity, urgency) = part.split_once('=').ok_or_else(|| {
            bad(format!(
                "{part:?}: write severity=urgency, e.g. warning=high"
            ))
        })?;
        let severity = severity.trim().to_ascii_lowercase();
        if severity.is_empty() {
            return Err(bad(format!("{part:?}: the severity before '=' is empty")));
        }
        let urgency: Urgency = urgency
            .trim()
            .to_ascii_lowercase()
            .parse()
            .map_err(|e: UnknownUrgency| bad(format!("{part:?}: {e}")))?;
        if pairs.iter().any(|(s, _)| *s == severity) {
            return Err(bad(format!("severity {severity:?} is given twice")));
        }
        pairs.push((severity, urgency));
    }
    Ok(pairs)
}

/// The `team_refresh` setting in minutes: `30m`, `90 min`, `1h`, `6 hours`, from 5 minutes to 24 hours.
///
/// ```
/// use baton::store::settings::team_refresh_minutes;
/// assert_eq!(team_refresh_minutes("1h"), Ok(60));
/// assert_eq!(team_refresh_minutes(" 90 min "), Ok(90));
/// assert!(team_refresh_minutes("1m").is_err());
/// ```
pub fn team_refresh_minutes(value: &str) -> Result<u32, SettingError> {
    refresh_minutes(TEAM_REFRESH, value)
}

/// The out-of-office words of the `calendar_ooo_words` setting: trimmed, none empty.
pub fn ooo_words(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A refresh interval setting (`key`) in minutes, from 5 minutes to 24 hours.
pub fn refresh_minutes(key: &str, value: &str) -> Result<u32, SettingError> {
    let (min, max) = TEAM_REFRESH_MINUTES;
    let text = value.trim().to_ascii_lowercase();
    match crate::notify::policy::config::parse_duration_minutes(&text) {
        Some(m) if (min..=max).contains(&m) => Ok(m),
        _ => Err(SettingError::BadValue {
            key: key.into(),
            message: format!(
                "'{}' is not a refresh interval; use a duration from 5m to 24h, such as 30m, 1h or 6h",
                value.trim()
            ),
        }),
    }
}

/// Checks `value` for `key` as [`validate`] does and, for [`ME`], also against the stored `team`:
/// the name must be one of its members (any case; the member's own spelling is returned). An empty
/// `me` is valid and means "unset".
pub fn validate_with_team(
    key: &str,
    value: &str,
    team: Option<&crate::team::Team>,
) -> Result<String, SettingError> {
    let canonical = validate(key, value)?;
    if key != ME || canonical.is_empty() {
        return Ok(canonical);
    }
    let Some(team) = team else {
        return Ok(canonical);
    };
    match team.member(&canonical) {
        Some((_, m)) => Ok(m.name.clone()),
        None => Err(SettingError::BadValue {
            key: key.into(),
            message: format!(
                "\"{canonical}\" is not a member of team \"{}\"; use one of {}",
                team.name,
                team.members
                    .iter()
                    .map(|m| format!("\"{}\"", m.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// The value of a numeric setting (stored or default), for a runner that starts with it.
pub fn number(key: &str, stored: Option<&str>) -> Result<u32, SettingError> {
    let default = SETTINGS
        .iter()
        .find(|s| s.0 == key)
        .map(|s| s.1)
        .ok_or_else(|| SettingError::UnknownKey(key.into()))?;
    let canonical = validate(key, stored.unwrap_or(default))?;
    canonical.parse().map_err(|_| SettingError::BadValue {
        key: key.into(),
        message: format!("'{canonical}' is not a number"),
    })
}

/// The delivery policy's settings, each read through `stored` (a key's stored value; `None` when it is
/// not set, which means its default). A stored value that no longer validates is an error naming the
/// key. The reply-by targets are not settings yet: they are [`ReplyTargets::default`].
///
/// ```
/// use baton::notify::policy::Cadence;
/// use baton::store::settings::policy_settings;
/// let s = policy_settings(|key| match key {
///     "digest_cadence" => Some("every 30m".to_string()),
///     "urgent_keywords" => Some("outage, prod down".to_string()),
///     _ => None,
/// })
/// .unwrap();
/// assert_eq!(s.cadence, Cadence::Every { minutes: 30 });
/// assert_eq!(s.urgent_keywords, ["outage", "prod down"]);
/// assert_eq!(s.urgent_cap_per_hour, 3);
/// ```
pub fn policy_settings(
    mut stored: impl FnMut(&str) -> Option<String>,
) -> Result<PolicySettings, SettingError> {
    let mut value = |key: &str| -> Result<String, SettingError> {
        let raw = match stored(key) {
            Some(v) => v,
            None => default_value(key).unwrap_or_default().to_string(),
        };
        validate(key, &raw)
    };
    let bad = |key: &str, message: String| SettingError::BadValue {
        key: key.into(),
        message,
    };
    Ok(PolicySettings {
        cadence: value(DIGEST_CADENCE)?
            .parse()
            .map_err(|m| bad(DIGEST_CADENCE, m))?,
        urgent_sources: parse_list(&value(URGENT_SOURCES)?),
        urgent_senders: parse_list(&value(URGENT_SENDERS)?),
        urgent_keywords: parse_list(&value(URGENT_KEYWORDS)?),
        urgent_cap_per_hour: parse_cap(&value(URGENT_CAP_PER_HOUR)?)
            .map_err(|m| bad(URGENT_CAP_PER_HOUR, m))?,
        reply: ReplyTargets::default(),
    })
}

fn validate_number(
    key: &str,
    value: &str,
    min: u32,
    max: u32,
    what: &str,
) -> Result<String, SettingError> {
    let value = value.trim();
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
        _ => Err(SettingError::BadValue {
            key: key.into(),
            message: format!("'{value}' is not {what}; use a whole number from {min} to {max}"),
        }),
    }
}

/// The longest focus shortcut accepted. The longest sensible one, `CommandOrControl+Option+Shift+Super+
/// PageDown`, has 44 characters.
pub const MAX_SHORTCUT_LEN: usize = 64;

/// The modifier a name stands for: aliases (`Control` for `Ctrl`, `Option` for `Alt`, `Cmd`, `Command`
/// and `Meta` for `Super`) name the same key, so `Ctrl+Control+F` repeats one.
fn modifier_key(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "ctrl" | "control" => Some("Ctrl"),
        "alt" | "option" => Some("Alt"),
        "shift" => Some("Shift"),
        "super" | "meta" | "cmd" | "command" => Some("Super"),
        "cmdorctrl" | "commandorcontrol" => Some("CmdOrCtrl"),
        _ => None,
    }
}

/// A shortcut is modifiers, each at most once, and one key joined by `+` (`Ctrl+Alt+F`,
/// `CmdOrCtrl+Shift+F9`), at most [`MAX_SHORTCUT_LEN`] characters, or empty.
fn validate_shortcut(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Ok(String::new());
    }
    let expected =
        "use modifiers (each at most once) and one key joined by '+', such as Ctrl+Alt+F or \
         CmdOrCtrl+Shift+F9 (empty turns the shortcut off)";
    let chars = value.chars().count();
    if chars > MAX_SHORTCUT_LEN {
        return Err(format!(
            "the shortcut has {chars} characters, more than the {MAX_SHORTCUT_LEN} allowed; {expected}"
        ));
    }
    let parts: Vec<&str> = value.split('+').map(str::trim).collect();
    let Some((key, modifiers)) = parts.split_last() else {
        return Err(expected.into());
    };
    if modifiers.is_empty() {
        return Err(format!("'{value}' has no modifier; {expected}"));
    }
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for m in modifiers {
        let Some(canonical) = modifier_key(m) else {
            return Err(format!("'{m}' is not a modifier; {expected}"));
        };
        if let Some((first, _)) = seen.iter().find(|(_, c)| *c == canonical) {
            let same = if first.eq_ignore_ascii_case(m) {
                String::new()
            } else {
                format!(" ('{first}' and '{m}' are the same key)")
            };
            return Err(format!("'{m}' is repeated{same}; {expected}"));
        }
        seen.push((m, canonical));
    }
    let k = key.to_ascii_lowercase();
    let is_function_key = k
        .strip_prefix('f')
        .and_then(|n| n.parse::<u8>().ok())
        .is_some_and(|n| (1..=24).contains(&n));
    let single = k.len() == 1 && k.chars().all(|c| c.is_ascii_alphanumeric());
    if !(single || is_function_key || NAMED_KEYS.contains(&k.as_str())) {
        return Err(format!("'{key}' is not a key; {expected}"));
    }
    Ok(parts.join("+"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts() {
        assert_eq!(
            validate(FOCUS_SHORTCUT, " Ctrl + Alt + F "),
            Ok("Ctrl+Alt+F".into())
        );
        assert_eq!(
            validate(FOCUS_SHORTCUT, "CmdOrCtrl+Shift+F9"),
            Ok("CmdOrCtrl+Shift+F9".into())
        );
        assert_eq!(
            validate(FOCUS_SHORTCUT, ""),
            Ok(String::new()),
            "empty turns it off"
        );
        for bad in ["F", "Ctrl+", "Hyper+F", "Ctrl+Alt+FF", "Ctrl+F25"] {
            assert!(validate(FOCUS_SHORTCUT, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shortcuts_are_short_and_name_each_modifier_once() {
        let long = format!("{}F", "Ctrl+".repeat(1000));
        let err = validate(FOCUS_SHORTCUT, &long).unwrap_err().to_string();
        assert!(
            err.starts_with("focus_shortcut: the shortcut has 5001 characters, more than the 64 allowed; use modifiers (each at most once)"),
            "the length is refused before anything else, saying what is valid: {err}"
        );
        let err = validate(FOCUS_SHORTCUT, "Ctrl+Alt+Ctrl+F")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "focus_shortcut: 'Ctrl' is repeated; use modifiers (each at most once)"
            ),
            "{err}"
        );
        let err = validate(FOCUS_SHORTCUT, "Ctrl+Control+F")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("'Control' is repeated ('Ctrl' and 'Control' are the same key)"),
            "aliases name the same modifier: {err}"
        );
        for bad in ["Cmd+Super+F", "Option+Alt+F", "shift+Shift+F"] {
            assert!(validate(FOCUS_SHORTCUT, bad).is_err(), "{bad}");
        }
        let longest = "CommandOrControl+Option+Shift+Super+PageDown";
        assert_eq!(validate(FOCUS_SHORTCUT, longest), Ok(longest.into()));
        assert_eq!(
            validate(FOCUS_SHORTCUT, "CmdOrCtrl+Ctrl+F"),
            Ok("CmdOrCtrl+Ctrl+F".into()),
            "Cmd+Ctrl on macOS: CmdOrCtrl is not Ctrl everywhere"
        );
        assert_eq!(validate(INTAKE_PORT, " 8080 "), Ok("8080".into()));
        for bad in ["0", "65536", "-1", "80a", ""] {
            assert!(validate(INTAKE_PORT, bad).is_err(), "port {bad}");
        }
        assert!(validate(INTAKE_RATE_PER_MINUTE, "0").is_err());
        assert_eq!(number(INTAKE_RATE_PER_MINUTE, None), Ok(60));
        assert!(validate(INTAKE_RATE_TOTAL_PER_MINUTE, "0").is_err());
        assert_eq!(number(INTAKE_RATE_TOTAL_PER_MINUTE, None), Ok(600));
        assert_eq!(number(INTAKE_PORT, Some("9000")), Ok(9000));
        assert!(matches!(
            validate("colour", "x"),
            Err(SettingError::UnknownKey(_))
        ));
    }

    #[test]
    fn policy_settings_validate_to_canonical_form() {
        assert_eq!(
            validate(DIGEST_CADENCE, " at 16:00,10:00 "),
            Ok("at 10:00,16:00".into())
        );
        assert_eq!(
            validate(DIGEST_CADENCE, "every 60 min"),
            Ok("every 1h".into())
        );
        let err = validate(DIGEST_CADENCE, "hourly").unwrap_err().to_string();
        assert!(
            err.starts_with("digest_cadence: 'hourly' is not a cadence; use 'instant'"),
            "{err}"
        );
        assert_eq!(
            validate(URGENT_KEYWORDS, " outage,, Prod down ,OUTAGE"),
            Ok("outage, Prod down".into())
        );
        assert_eq!(validate(URGENT_SOURCES, ""), Ok(String::new()));
        assert_eq!(validate(URGENT_CAP_PER_HOUR, " 5"), Ok("5".into()));
        assert!(validate(URGENT_CAP_PER_HOUR, "100")
            .unwrap_err()
            .to_string()
            .starts_with("urgent_cap_per_hour: '100' is not a whole number from 0 to 60"));
        for (key, default, _) in SETTINGS {
            assert_eq!(
                validate(key, default).as_deref(),
                Ok(*default),
                "{key}: the default is valid and canonical"
            );
        }
    }

    #[test]
    fn nothing_stored_gives_the_policys_defaults() {
        assert_eq!(policy_settings(|_| None), Ok(PolicySettings::default()));
    }

    #[test]
    fn a_stored_policy_value_that_no_longer_validates_names_its_key() {
        let err = policy_settings(|key| (key == URGENT_CAP_PER_HOUR).then(|| "61".to_string()))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("urgent_cap_per_hour: '61' is not a whole number"),
            "{err}"
        );
        let stored = |key: &str| (key == URGENT_SOURCES).then(|| " ci,, CI ,GitHub".to_string());
        assert_eq!(
            policy_settings(stored).map(|s| s.urgent_sources),
            Ok(vec!["ci".to_string(), "GitHub".to_string()]),
            "lists are read in their canonical form"
        );
    }
}
