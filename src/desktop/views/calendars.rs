//! Settings' "Calendars" section: every calendar with its last reading and error, and the actions to
//! add (an ICS address, or a CalDAV account), sync, publish focus to, and remove one. Network reads
//! happen with the store released ([`crate::calendar::sync::sync_with`]).

use std::ops::DerefMut;

use serde::Serialize;
use ts_rs::TS;

use crate::calendar::manage::{self, ManageError};
use crate::calendar::secret::SecretStore;
use crate::calendar::sync;
use crate::error::{ErrorCode, ErrorPayload};
use crate::store::calendar::CalendarKind;
use crate::store::{Store, StoreError};
use crate::team::source::url::shown;
use crate::time::interval::{format_utc, Instant};

/// One calendar in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct CalendarEntry {
    /// Its id.
    pub id: i64,
    /// A teammate's feed (from the team file; removed there), or `None` for mine.
    pub owner: Option<String>,
    /// `ics` or `caldav`.
    pub kind: String,
    /// The address without its secret parts.
    pub address: String,
    /// The CalDAV calendar's name.
    pub name: Option<String>,
    /// The CalDAV user.
    pub user: Option<String>,
    /// Whether my focus is published to it.
    pub publish: bool,
    /// Occurrences in the last good reading.
    pub events: u32,
    /// The last recorded check, RFC 3339 UTC.
    pub checked_at: Option<String>,
    /// When the last good reading changed, RFC 3339 UTC.
    pub changed_at: Option<String>,
    /// The last check's error (the last good copy stays in use).
    pub error: Option<String>,
}

/// Settings' "Calendars" section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct CalendarsView {
    /// Mine first, then the teammates' feeds.
    pub calendars: Vec<CalendarEntry>,
    /// Where a CalDAV password was kept by the last add in this view ("the system keyring" or the
    /// secrets file); `None` until one is added.
    pub password_kept: Option<String>,
}

fn payload(e: ManageError) -> ErrorPayload {
    match e {
        ManageError::Store(e) => store_payload(e),
        ManageError::Refused(message) => ErrorPayload {
            code: ErrorCode::Invalid,
            message,
            problems: vec![],
        },
    }
}

fn store_payload(e: StoreError) -> ErrorPayload {
    ErrorPayload {
        code: ErrorCode::Storage,
        message: e.to_string(),
        problems: vec![],
    }
}

/// The section as stored now.
pub fn calendars_view(store: &Store) -> Result<CalendarsView, ErrorPayload> {
    let calendars = store
        .calendars()
        .map_err(store_payload)?
        .into_iter()
        .map(|c| CalendarEntry {
            id: c.id,
            owner: c.spec.owner,
            kind: c.spec.kind.as_str().into(),
            address: shown(&c.spec.url),
            name: c.spec.name,
            user: c.spec.user,
            publish: c.publish,
            events: u32::try_from(c.events).unwrap_or(u32::MAX),
            checked_at: c.checked_at.map(format_utc),
            changed_at: c.changed_at.map(format_utc),
            error: c.error,
        })
        .collect();
    Ok(CalendarsView {
        calendars,
        password_kept: None,
    })
}

/// "Sync now": reads every calendar, each error kept beside its calendar.
pub fn sync_calendars<G: DerefMut<Target = Store>>(
    mut store: impl FnMut() -> Result<G, ErrorPayload>,
    now: Instant,
) -> Result<CalendarsView, ErrorPayload> {
    sync::sync_with(&mut store, now)?;
    calendars_view(&*store()?)
}

/// Adds an ICS address of mine; refused (with the reading's error) when it cannot be read.
pub fn add_ics_calendar(
    store: &mut Store,
    url: &str,
    now: Instant,
) -> Result<CalendarsView, ErrorPayload> {
    manage::add_ics(store, url, now).map_err(payload)?;
    calendars_view(store)
}

/// Adds a CalDAV account's calendars (all that hold events, or those named in `calendars`), with
/// `publish` the one my focus goes to. The discovery and the first readings happen here.
pub fn add_caldav_account(
    store: &mut Store,
    url: &str,
    user: &str,
    password: &str,
    calendars: &[String],
    publish: Option<&str>,
    now: Instant,
) -> Result<CalendarsView, ErrorPayload> {
    let found = manage::discover(url, user, password).map_err(payload)?;
    let chosen: Vec<_> = if calendars.is_empty() {
        found
    } else {
        found
            .into_iter()
            .filter(|c| calendars.iter().any(|n| n.eq_ignore_ascii_case(&c.name)))
            .collect()
    };
    let (kept, _) =
        manage::add_caldav(store, url, user, password, &chosen, publish, now).map_err(payload)?;
    let mut view = calendars_view(store)?;
    view.password_kept = Some(match kept {
        SecretStore::Keyring => "the system keyring".into(),
        other => other.to_string(),
    });
    Ok(view)
}

/// Removes a calendar of mine.
pub fn remove_calendar(store: &mut Store, id: i64) -> Result<CalendarsView, ErrorPayload> {
    manage::remove(store, id).map_err(payload)?;
    calendars_view(store)
}

/// Turns publishing my focus to a CalDAV calendar of mine on or off, publishing at once when on.
pub fn publish_focus_to(
    store: &mut Store,
    id: i64,
    on: bool,
    now: Instant,
) -> Result<CalendarsView, ErrorPayload> {
    let cal = store
        .calendars()
        .map_err(store_payload)?
        .into_iter()
        .find(|c| c.id == id && c.spec.owner.is_none() && c.spec.kind == CalendarKind::Caldav)
        .ok_or_else(|| {
            payload(ManageError::Refused(format!(
                "no CalDAV calendar {id} of mine"
            )))
        })?;
    store
        .set_calendar_publish(cal.id, on)
        .map_err(store_payload)?;
    if on {
        crate::calendar::remote::publish_focus(store, now)
            .map_err(|m| payload(ManageError::Refused(m)))?;
    }
    calendars_view(store)
}
