//! The desktop app's and the intake's settings that live in the store, and their validation. Each setting is a key with a
//! text value; this module knows the keys, their defaults, and what a valid value is, so the CLI and the
//! app refuse the same bad input with the same message.

use thiserror::Error;

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

/// The loopback port the notification intake API listens on.
pub const INTAKE_PORT: &str = "intake_port";
/// The intake port until the user changes it: unassigned by IANA and unused by common local tools.
pub const DEFAULT_INTAKE_PORT: &str = "7429";
/// How many notifications one source may send per minute before the intake answers 429.
pub const INTAKE_RATE_PER_MINUTE: &str = "intake_rate_per_minute";
/// The per-source rate until the user changes it.
pub const DEFAULT_INTAKE_RATE_PER_MINUTE: &str = "60";
/// Highest per-source rate a setting may ask for.
pub const MAX_INTAKE_RATE_PER_MINUTE: u32 = 1_000_000;

/// Every known setting: key, default, what it is.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    (
        FOCUS_SHORTCUT,
        DEFAULT_FOCUS_SHORTCUT,
        "global shortcut that toggles focus (empty: off, the default on Linux)",
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
];

const MODIFIERS: &[&str] = &[
    "ctrl",
    "control",
    "alt",
    "option",
    "shift",
    "super",
    "meta",
    "cmd",
    "command",
    "cmdorctrl",
    "commandorcontrol",
];

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
        INTAKE_PORT => validate_number(key, value, 1, u32::from(u16::MAX), "a port"),
        INTAKE_RATE_PER_MINUTE => validate_number(
            key,
            value,
            1,
            MAX_INTAKE_RATE_PER_MINUTE,
            "a number of notifications per minute",
        ),
        _ => Err(SettingError::UnknownKey(key.into())),
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

/// A shortcut is modifiers and one key joined by `+` (`Ctrl+Alt+F`, `CmdOrCtrl+Shift+F9`), or empty.
fn validate_shortcut(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Ok(String::new());
    }
    let expected =
        "use modifiers and one key joined by '+', such as Ctrl+Alt+F or CmdOrCtrl+Shift+F9 \
                    (empty turns the shortcut off)";
    let parts: Vec<&str> = value.split('+').map(str::trim).collect();
    let Some((key, modifiers)) = parts.split_last() else {
        return Err(expected.into());
    };
    if modifiers.is_empty() {
        return Err(format!("'{value}' has no modifier; {expected}"));
    }
    for m in modifiers {
        if !MODIFIERS.contains(&m.to_ascii_lowercase().as_str()) {
            return Err(format!("'{m}' is not a modifier; {expected}"));
        }
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
        assert_eq!(validate(INTAKE_PORT, " 8080 "), Ok("8080".into()));
        for bad in ["0", "65536", "-1", "80a", ""] {
            assert!(validate(INTAKE_PORT, bad).is_err(), "port {bad}");
        }
        assert!(validate(INTAKE_RATE_PER_MINUTE, "0").is_err());
        assert_eq!(number(INTAKE_RATE_PER_MINUTE, None), Ok(60));
        assert_eq!(number(INTAKE_PORT, Some("9000")), Ok(9000));
        assert!(matches!(
            validate("colour", "x"),
            Err(SettingError::UnknownKey(_))
        ));
    }
}
