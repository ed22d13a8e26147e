//! Adding and removing my calendars, as the CLI and the app's Settings do it: a calendar is added
//! only when its first reading succeeds (otherwise its error comes back and nothing is kept), a
//! CalDAV account's password goes to the keyring or the secrets file before its calendars are read,
//! and removing the last calendar of an account forgets its password.

use std::path::Path;

use thiserror::Error;

use super::caldav::{CaldavClient, Credentials, RemoteCalendar};
use super::secret::{self, SecretStore};
use super::sync::{
    self, data_dir, secret_key, CalendarOutcome, CalendarSynced, MAX_CALENDAR_BYTES,
};
use crate::store::calendar::{CalendarKind, NewCalendar, StoredCalendar};
use crate::store::{Store, StoreError};
use crate::team::source::url::{check_url, shown, UrlLimits};
use crate::time::interval::Instant;

/// Why a calendar was not added or removed.
#[derive(Debug, Error)]
pub enum ManageError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address, the server's answer or the request was refused; nothing changed.
    #[error("{0}")]
    Refused(String),
}

/// `webcal://` (what Apple and Google hand out for subscriptions) is `https://`.
pub fn normalise(url: &str) -> String {
    let url = url.trim();
    match url.get(..9) {
        Some(s) if s.eq_ignore_ascii_case("webcal://") => format!("https://{}", &url[9..]),
        _ => url.to_string(),
    }
}

/// Adds one of my ICS calendars and reads it; a first reading that fails adds nothing.
pub fn add_ics(store: &mut Store, url: &str, now: Instant) -> Result<CalendarSynced, ManageError> {
    let url = normalise(url);
    check_url(&url).map_err(|e| ManageError::Refused(e.to_string()))?;
    let id = store.add_calendar(&NewCalendar {
        owner: None,
        kind: CalendarKind::Ics,
        url,
        name: None,
        account: None,
        user: None,
    })?;
    let mut read = read_new(store, &[id], now)?;
    read.pop()
        .ok_or_else(|| ManageError::Refused("the calendar was removed meanwhile".into()))
}

/// A CalDAV account's client, for discovery.
fn account(base: &str, user: &str, password: &str) -> Result<CaldavClient, ManageError> {
    check_url(base).map_err(|e| ManageError::Refused(e.to_string()))?;
    if user.trim().is_empty() {
        return Err(ManageError::Refused(
            "a CalDAV account needs a user name".into(),
        ));
    }
    CaldavClient::new(
        base,
        Credentials {
            user: user.trim().to_string(),
            password: password.to_string(),
        },
        UrlLimits {
            max_bytes: MAX_CALENDAR_BYTES,
            ..UrlLimits::default()
        },
    )
    .map_err(|e| ManageError::Refused(e.to_string()))
}

/// The calendars with events that the CalDAV account `user` at `base` can read (RFC 6764 and 4791
/// discovery).
pub fn discover(
    base: &str,
    user: &str,
    password: &str,
) -> Result<Vec<RemoteCalendar>, ManageError> {
    let found = account(base.trim(), user, password)?
        .discover()
        .map_err(|e| ManageError::Refused(e.to_string()))?;
    if found.is_empty() {
        return Err(ManageError::Refused(format!(
            "{} has no calendars with events for {}",
            shown(base),
            user.trim()
        )));
    }
    Ok(found)
}

/// Adds the `chosen` calendars of a CalDAV account (from [`discover`]), keeping its password (where:
/// the answer's [`SecretStore`]), and reads them; `publish` names the one my focus goes to.
#[allow(clippy::too_many_arguments)]
pub fn add_caldav(
    store: &mut Store,
    base: &str,
    user: &str,
    password: &str,
    chosen: &[RemoteCalendar],
    publish: Option<&str>,
    now: Instant,
) -> Result<(SecretStore, Vec<CalendarSynced>), ManageError> {
    let (base, user) = (base.trim(), user.trim());
    let dir = data_dir(Path::new(store.path()));
    let kept = secret::save_secret(&dir, &secret_key(base, user), password)
        .map_err(|e| ManageError::Refused(e.to_string()))?;
    let mut ids = Vec::new();
    for cal in chosen {
        let id = store.add_calendar(&NewCalendar {
            owner: None,
            kind: CalendarKind::Caldav,
            url: cal.url.clone(),
            name: Some(cal.name.clone()),
            account: Some(base.to_string()),
            user: Some(user.to_string()),
        })?;
        if publish.is_some_and(|p| p.trim().eq_ignore_ascii_case(&cal.name)) {
            store.set_calendar_publish(id, true)?;
        }
        ids.push(id);
    }
    let read = read_new(store, &ids, now)?;
    Ok((kept, read))
}

/// Reads the calendars just added; one that cannot be read is removed again, and the errors come
/// back together.
fn read_new(
    store: &mut Store,
    ids: &[i64],
    now: Instant,
) -> Result<Vec<CalendarSynced>, ManageError> {
    let mut plan = sync::plan(store)?;
    plan.calendars.retain(|c| ids.contains(&c.id));
    let mut failed = Vec::new();
    let synced = sync::each(&plan, now, |cal, read| {
        let outcome = sync::record(store, cal, read, now)?;
        if let CalendarOutcome::Failed { error } = &outcome {
            remove(store, cal.id)?;
            failed.push(error.clone());
        }
        Ok::<_, ManageError>(outcome)
    })?;
    if failed.is_empty() {
        Ok(synced)
    } else {
        Err(ManageError::Refused(format!(
            "{}\nnot added",
            failed.join("\n")
        )))
    }
}

/// Removes calendar `id` of mine (a teammate's feed goes with its team entry), and forgets the
/// account's password when no other calendar uses it. The calendar removed.
pub fn remove(store: &mut Store, id: i64) -> Result<StoredCalendar, ManageError> {
    let cal = store
        .calendars()?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| ManageError::Refused(format!("no calendar {id}")))?;
    if let Some(owner) = &cal.spec.owner {
        return Err(ManageError::Refused(format!(
            "calendar {id} is {owner}'s feed from the team file; it goes when the team file no \
             longer names it"
        )));
    }
    store.remove_calendar(id)?;
    if let (Some(account), Some(user)) = (&cal.spec.account, &cal.spec.user) {
        let others = store
            .calendars()?
            .iter()
            .any(|c| c.spec.account == cal.spec.account && c.spec.user == cal.spec.user);
        if !others {
            let dir = data_dir(Path::new(store.path()));
            secret::delete_secret(&dir, &secret_key(account, user))
                .map_err(|e| ManageError::Refused(e.to_string()))?;
        }
    }
    Ok(cal)
}
