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

/// The desktop's do-not-disturb as Settings names it: the backend Baton switches with focus, or why
/// there is none here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct DndView {
    /// The backend's name (`dunst`, `GNOME`, `KDE Plasma`, ...), or `None` when none is found.
    pub backend: Option<String>,
    /// What Baton does with it, in a sentence.
    pub line: String,
}

/// What [`dnd_view`] needs from the store: the `desktop_dnd` choice, whether focus silences the
/// desktop (`focus_silences_desktop`), and what Baton changed and has not put back.
pub fn dnd_inputs(
    store: &crate::store::Store,
) -> Result<
    (
        crate::dnd::Choice,
        bool,
        Option<crate::store::dnd::DndRecord>,
    ),
    crate::error::ErrorPayload,
> {
    use crate::store::settings::{self, DESKTOP_DND, FOCUS_SILENCES_DESKTOP};
    let storage = crate::desktop::actions::storage;
    let choice = store.setting(DESKTOP_DND).map_err(storage)?;
    let enabled = store.setting(FOCUS_SILENCES_DESKTOP).map_err(storage)?;
    Ok((
        crate::dnd::Choice::from_setting(choice.as_deref().unwrap_or("auto")),
        settings::flag(FOCUS_SILENCES_DESKTOP, enabled.as_deref()),
        store.dnd_record().map_err(storage)?,
    ))
}

/// Settings' line for the desktop's do-not-disturb, from what [`crate::dnd::status`] found.
pub fn dnd_view(status: &crate::dnd::DndStatus, enabled: bool) -> DndView {
    let line = match (&status.backend, &status.held) {
        (_, Some(held)) if held.found_on => {
            "on, as it was before focus: Baton leaves it on when focus ends".to_string()
        }
        (_, Some(_)) => "on now: Baton turned it on for focus and turns it off after".to_string(),
        (Ok(_), None) if enabled => {
            "Baton turns it on during focus and puts back what it found after".to_string()
        }
        (Ok(_), None) => "found; Baton leaves it alone (focus_silences_desktop is off)".to_string(),
        (Err(why), None) => format!("none: {why}; Baton still holds its own notifications"),
    };
    DndView {
        backend: status.backend.as_ref().ok().map(|name| (*name).to_string()),
        line,
    }
}
