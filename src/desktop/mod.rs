//! What the desktop app's two processes share, with no Tauri in it: the [`views`]' payloads (what each
//! window shows, computed from the store at an instant), the [`tray`]'s labels and the [`actions`] both
//! processes run.

pub mod actions;
pub mod tray;
pub mod views;
