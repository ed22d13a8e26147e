//! The settings view: each setting with its value in force, and how programs reach the notification
//! intake. The intake's token is shown to the user but never written to a log, so [`IntakeView`]'s
//! `Debug` leaves it out.

use serde::Serialize;
use ts_rs::TS;

/// One setting as the settings view shows it (see [`crate::store::settings::SETTINGS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct SettingRow {
    /// The key, e.g. `focus_shortcut`.
    pub key: String,
    /// The stored value; `None` when the user never set it (or reset it) and the default applies.
    pub value: Option<String>,
    /// The value in force: the stored one, else the default.
    pub effective: String,
    /// The default.
    pub default: String,
    /// What it does and which values are valid.
    pub description: String,
    /// Read once when Baton starts, so a change applies at the next start.
    pub next_start: bool,
}

/// How a program reaches the notification intake: where to post and with which token.
#[derive(Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct IntakeView {
    /// `POST` notifications here: the loopback URL at the configured port (a changed port applies at
    /// the next start).
    pub url: String,
    /// The file holding the token.
    pub token_file: String,
    /// The bearer token.
    pub token: String,
}

impl std::fmt::Debug for IntakeView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Like the token itself, never in a log.
        f.debug_struct("IntakeView")
            .field("url", &self.url)
            .field("token_file", &self.token_file)
            .finish_non_exhaustive()
    }
}
