//! The desktop app's settings that live in the store, and their validation. Each setting is a key with a
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

/// Every known setting: key, default, what it is.
pub const SETTINGS: &[(&str, &str, &str)] = &[(
    FOCUS_SHORTCUT,
    DEFAULT_FOCUS_SHORTCUT,
    "global shortcut that toggles focus (empty: off, the default on Linux)",
)];

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
        _ => Err(SettingError::UnknownKey(key.into())),
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
        assert!(matches!(
            validate("colour", "x"),
            Err(SettingError::UnknownKey(_))
        ));
    }
}
