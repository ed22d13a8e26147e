//! The window process's one background task: tell the open windows to redraw, then sleep until the
//! next thing that changes on its own ([`baton::desktop::views::next_wakeup`]: a teammate's day starting or
//! ending, a handoff coming due, the next minute of a running focus countdown, an Inbox entry's
//! reply-by passing) or until the database changes (a command here, or the tray process, or the CLI).
//! No polling. The wait is on the wall clock ([`baton::time::clock`]), so a machine that slept through a
//! teammate's evening redraws on time.

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::Notify;

use crate::Shell;

/// When nothing is due within the core's look-ahead (a team with no hours), look again after a day.
const IDLE_RECHECK: TimeDelta = TimeDelta::days(1);

/// Runs until the app exits.
pub async fn run<R: Runtime>(app: AppHandle<R>, wake: Arc<Notify>) {
    loop {
        let next = {
            let shell = app.state::<Shell>();
            let now = Utc::now();
            // The next change on its own: a teammate's day, a focus session's minute, or an Inbox
            // entry turning overdue.
            // Only the main window shows the Inbox; the overlay alone needs no reply-by wake-ups.
            let inbox_shown = app.get_webview_window("main").is_some();
            let next = shell.store().and_then(|store| {
                let view = baton::desktop::actions::overlay(&store, now)?;
                let reply_due = if inbox_shown {
                    baton::desktop::actions::inbox(&store, now)?.next_reply_due(now)
                } else {
                    None
                };
                Ok([baton::desktop::views::next_wakeup(&view, now), reply_due]
                    .into_iter()
                    .flatten()
                    .min())
            });
            next.unwrap_or_else(|e| {
                eprintln!("baton-desktop: {}", e.message);
                None
            })
        };
        let _ = app.emit("baton:changed", ());
        let until = next.unwrap_or_else(|| Utc::now() + IDLE_RECHECK);
        tokio::select! {
            () = baton::time::clock::sleep_until(until) => {}
            () = wake.notified() => {}
        }
    }
}
