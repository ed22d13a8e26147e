//! What the desktop app's two processes share, with no Tauri in it: the [`views`]' payloads (what each
//! window shows, computed from the store at an instant), the [`tray`]'s labels, the [`actions`] both
//! processes run, [`autostart`] ("Start at login"), and how each [`process`] renders and finds the other.

pub mod actions;
pub mod autostart;
pub mod process;
pub mod tray;
pub mod views;
