//! What the desktop's two processes (the tray and the window) do to the store, one function each, so
//! the tray menu, the focus shortcut and the window's commands start focus the same way.
//!
//! Each takes the store and `now` and answers with the view the caller shows next, or an
//! [`ErrorPayload`] ready to cross IPC or to be logged.

use std::path::{Path, PathBuf};

use chrono::Duration;

use crate::focus::{self, FocusLength, FocusSession};
use crate::interval::{Instant, Interval};
use crate::schedule::TeamSchedule;
use crate::store::{default_db_path, Store, StoreError, DB_ENV};
use crate::views::{self, ErrorPayload, OverlayView};
use crate::Team;

/// The desktop's database: `BATON_DB`, else the OS data directory (as the CLI).
pub fn database_path() -> Result<PathBuf, String> {
    std::env::var_os(DB_ENV)
        .map(PathBuf::from)
        .or_else(default_db_path)
        .ok_or_else(|| format!("no data directory on this system; set {DB_ENV}"))
}

/// Opens the store at `path`, importing the sample team into an empty database so that the first run
/// shows something real; afterwards the team is the user's.
pub fn open_with_sample(path: &Path) -> Result<Store, String> {
    let mut store = Store::open(path).map_err(|e| e.to_string())?;
    if store.load_team().map_err(|e| e.to_string())?.is_none() {
        store
            .replace_team(&crate::sample::team())
            .map_err(|e| e.to_string())?;
    }
    Ok(store)
}

/// A storage failure as an [`ErrorPayload`] with code `storage`.
pub fn storage(e: StoreError) -> ErrorPayload {
    ErrorPayload {
        code: "storage".into(),
        message: e.to_string(),
        problems: vec![],
    }
}

/// The stored team; `not_found` before any team was imported.
pub fn team(store: &Store) -> Result<Team, ErrorPayload> {
    store
        .load_team()
        .map_err(storage)?
        .ok_or_else(|| ErrorPayload {
            code: "not_found".into(),
            message: "there is no team yet; import a team file".into(),
            problems: vec![],
        })
}

/// Focus sessions that matter at `now`: the week around it, including any running one.
pub fn recent_sessions(store: &Store, now: Instant) -> Result<Vec<FocusSession>, ErrorPayload> {
    store
        .focus_sessions(Interval {
            start: now - Duration::days(8),
            end: now + Duration::days(8),
        })
        .map_err(storage)
}

/// Who is working, my next handoff and my focus, at `now`.
pub fn overlay(store: &Store, now: Instant) -> Result<OverlayView, ErrorPayload> {
    Ok(views::overlay(
        &team(store)?,
        &recent_sessions(store, now)?,
        now,
    ))
}

/// Starts a focus session of `length` at `now` (replacing a running one).
pub fn start_focus(
    store: &mut Store,
    now: Instant,
    length: FocusLength,
) -> Result<OverlayView, ErrorPayload> {
    let team = team(store)?;
    let schedule = TeamSchedule::build(
        &team,
        Interval {
            start: now - Duration::days(1),
            end: now + Duration::days(2),
        },
        Duration::zero(),
    );
    let ends = focus::focus_end(&schedule, now, length).map_err(|e| ErrorPayload {
        code: "focus".into(),
        message: e.to_string(),
        problems: vec![],
    })?;
    store.start_focus(now, ends).map_err(storage)?;
    Ok(views::overlay(&team, &recent_sessions(store, now)?, now))
}

/// Stops the session running at `now`, if any.
pub fn stop_focus(store: &mut Store, now: Instant) -> Result<OverlayView, ErrorPayload> {
    store.stop_focus(now).map_err(storage)?;
    overlay(store, now)
}

/// The focus shortcut's action: stop the running session, or start 25 minutes.
pub fn toggle_focus(store: &mut Store, now: Instant) -> Result<OverlayView, ErrorPayload> {
    if overlay(store, now)?.focus.session {
        stop_focus(store, now)
    } else {
        start_focus(store, now, FocusLength::Minutes { minutes: 25 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn store_with_sample() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store.replace_team(&crate::sample::team()).unwrap();
        store
    }

    #[test]
    fn toggle_starts_then_stops_a_session() {
        let mut store = store_with_sample();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        let started = toggle_focus(&mut store, now).unwrap();
        assert!(started.focus.session);
        assert!(store.active_focus(now).unwrap().is_some());
        let later = now + Duration::minutes(5);
        let stopped = toggle_focus(&mut store, later).unwrap();
        assert!(!stopped.focus.session);
        assert!(store.active_focus(later).unwrap().is_none());
    }

    #[test]
    fn an_empty_store_says_there_is_no_team() {
        let store = Store::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        assert_eq!(overlay(&store, now).unwrap_err().code, "not_found");
    }
}
