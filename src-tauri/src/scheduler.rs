//! The one background task: refresh the tray and tell open windows, then sleep until the next thing
//! that changes on its own ([`baton::views::next_wakeup`]) or until a command changes something. No
//! polling: with no focus session running, it wakes only when a teammate's day starts or ends or a
//! handoff comes due.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::Notify;

use crate::Shell;

/// When nothing is due within the core's look-ahead (a team with no hours), look again after a day.
const IDLE_RECHECK: Duration = Duration::from_secs(24 * 3600);

/// Runs until the app exits.
pub async fn run<R: Runtime>(app: AppHandle<R>, wake: Arc<Notify>) {
    loop {
        let next = {
            let shell = app.state::<Shell>();
            match crate::commands::current(&shell) {
                Ok((view, next)) => {
                    crate::tray::refresh(&app, &view);
                    next
                }
                Err(e) => {
                    eprintln!("baton-desktop: {}", e.message);
                    None
                }
            }
        };
        let _ = app.emit("baton:changed", ());
        let sleep = next
            .and_then(|t| (t - Utc::now()).to_std().ok())
            .unwrap_or(IDLE_RECHECK);
        tokio::select! {
            () = tokio::time::sleep(sleep) => {}
            () = wake.notified() => {}
        }
    }
}
