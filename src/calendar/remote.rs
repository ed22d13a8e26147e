//! CalDAV calendars of mine: reading one into the database (conditional on its ctag or sync-token),
//! and publishing my focus blocks to the ones I chose ([`publish_focus`]).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Duration;

use super::caldav::{CaldavClient, Credentials, Published};
use super::export::write_object_ics;
use super::feed::{my_feed, UID_DOMAIN};
use super::secret;
use super::sync::{data_dir, parse, secret_key, Read, MAX_CALENDAR_BYTES};
use super::{ExportFeed, ReadOptions};
use crate::store::calendar::{CalendarKind, CalendarValidators, PublishedEvent, StoredCalendar};
use crate::store::{Store, StoreError};
use crate::team::source::content_hash;
use crate::team::source::url::{shown, UrlLimits};
use crate::team::Team;
use crate::time::interval::{Instant, Interval};

/// How far ahead focus is published.
pub const PUBLISH_DAYS: u32 = 28;

/// A client for the account of `cal`, with its password from the keyring or the secrets file.
fn client(dir: &Path, cal: &StoredCalendar) -> Result<CaldavClient, String> {
    let (Some(account), Some(user)) = (&cal.spec.account, &cal.spec.user) else {
        return Err(format!(
            "{}: the calendar has no account",
            shown(&cal.spec.url)
        ));
    };
    let password = secret::load_secret(dir, &secret_key(account, user))
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "{}: no password is kept for {user}; add the account again with `baton calendar \
                 add --caldav {} --user {user}`",
                shown(account),
                shown(account)
            )
        })?;
    CaldavClient::new(
        account,
        Credentials {
            user: user.to_string(),
            password,
        },
        UrlLimits {
            max_bytes: MAX_CALENDAR_BYTES,
            ..UrlLimits::default()
        },
    )
    .map_err(|e| e.to_string())
}

/// Reads a CalDAV calendar: nothing when its ctag and sync-token are those of the last reading of
/// today's window (`current`), else every event in the window.
pub(crate) fn read_caldav(
    dir: &Path,
    cal: &StoredCalendar,
    current: bool,
    opts: &ReadOptions,
    key: &str,
) -> Result<Read, String> {
    let client = client(dir, cal)?;
    let state = client.state(&cal.spec.url).map_err(|e| e.to_string())?;
    let known = (&cal.validators.ctag, &cal.validators.sync_token);
    let same_state = (state.ctag.is_some() || state.sync_token.is_some())
        && (&state.ctag, &state.sync_token) == known;
    if current && same_state {
        return Ok(None);
    }
    let objects = client
        .objects(&cal.spec.url, opts.window)
        .map_err(|e| e.to_string())?;
    let mut events = Vec::new();
    let mut texts: Vec<&[u8]> = Vec::new();
    for o in &objects {
        // Baton's own published focus is not a meeting: reading it back would count focus twice.
        if o.ics.contains(UID_DOMAIN) {
            continue;
        }
        texts.push(o.ics.as_bytes());
        events.extend(parse(o.ics.as_bytes(), opts, &shown(&o.url))?);
        if events.len() > opts.max_occurrences {
            return Err(format!(
                "{}: more than {} events in the window",
                shown(&cal.spec.url),
                opts.max_occurrences
            ));
        }
    }
    events.sort_by_key(|e| (e.interval.start, e.interval.end));
    Ok(Some((
        events,
        CalendarValidators {
            ctag: state.ctag,
            sync_token: state.sync_token,
            hash: Some(format!("{}:{key}", content_hash(&texts))),
            ..CalendarValidators::default()
        },
    )))
}

/// My focus (blocks and sessions) as one calendar object per event, by UID.
fn focus_objects(feed: &ExportFeed) -> BTreeMap<String, String> {
    feed.events
        .iter()
        .filter(|e| e.categories.iter().any(|c| c == "FOCUS"))
        .map(|e| {
            let one = ExportFeed {
                events: vec![e.clone()],
                days: vec![],
                available: vec![],
                ..feed.clone()
            };
            (e.uid.clone(), write_object_ics(&one))
        })
        .collect()
}

/// The CalDAV calendars of mine that my focus is published to.
pub(crate) fn publish_targets(store: &Store) -> Result<Vec<StoredCalendar>, StoreError> {
    Ok(store
        .calendars()?
        .into_iter()
        .filter(|c| c.publish && c.spec.kind == CalendarKind::Caldav && c.spec.owner.is_none())
        .collect())
}

/// My feed of the coming [`PUBLISH_DAYS`], what publishing writes from (`None`: `team` has no `me`).
pub(crate) fn coming_focus(
    store: &Store,
    team: &Team,
    now: Instant,
) -> Result<Option<ExportFeed>, StoreError> {
    let sessions = store.focus_sessions(Interval {
        start: now - Duration::days(8),
        end: now + Duration::days(i64::from(PUBLISH_DAYS) + 1),
    })?;
    Ok(my_feed(team, &sessions, now, PUBLISH_DAYS))
}

/// A short key of the focus events of `feed` still to come at `now`, so the runner publishes again
/// only when my coming focus changed.
pub(crate) fn focus_key(feed: &ExportFeed, now: Instant) -> String {
    let coming: Vec<String> = feed
        .events
        .iter()
        .filter(|e| e.categories.iter().any(|c| c == "FOCUS") && e.interval.end > now)
        .map(|e| format!("{} {} {}", e.uid, e.interval.start, e.interval.end))
        .collect();
    let parts: Vec<&[u8]> = coming.iter().map(|s| s.as_bytes()).collect();
    content_hash(&parts)
}

/// Makes each CalDAV calendar I publish to hold my focus blocks and sessions of the coming
/// [`PUBLISH_DAYS`]: new ones created, moved ones replaced, ended or removed ones deleted; only
/// events whose UIDs Baton made are touched. How many focus events the calendars hold now.
pub fn publish_focus(store: &mut Store, now: Instant) -> Result<usize, String> {
    let targets = publish_targets(store).map_err(|e| e.to_string())?;
    if targets.is_empty() {
        return Ok(0);
    }
    let team = store
        .load_team()
        .map_err(|e| e.to_string())?
        .ok_or("no team in the database")?;
    let feed = coming_focus(store, &team, now)
        .map_err(|e| e.to_string())?
        .ok_or("say which member you are (`baton settings set me NAME`) to publish your focus")?;
    publish_feed(store, targets, &feed, now)
}

/// [`publish_focus`] of `feed` to `targets`.
pub(crate) fn publish_feed(
    store: &mut Store,
    targets: Vec<StoredCalendar>,
    feed: &ExportFeed,
    now: Instant,
) -> Result<usize, String> {
    // Only what is still to come: past blocks stay as they were published.
    let mut desired = focus_objects(feed);
    desired.retain(|uid, _| {
        feed.events
            .iter()
            .any(|e| &e.uid == uid && e.interval.end > now)
    });
    let mut held = 0;
    for cal in targets {
        let client = client(&data_dir(Path::new(store.path())), &cal)?;
        let known: BTreeMap<String, Published> = store
            .published_events(cal.id)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|(uid, _)| {
                // Past events Baton published stay; only the coming ones are managed.
                !feed
                    .events
                    .iter()
                    .any(|e| &e.uid == uid && e.interval.end <= now)
            })
            .map(|(uid, p)| {
                (
                    uid,
                    Published {
                        url: p.url,
                        etag: p.etag,
                        hash: p.hash,
                    },
                )
            })
            .collect();
        let now_known = super::caldav::publish(&client, &cal.spec.url, &desired, &known)
            .map_err(|e| e.to_string())?;
        held += now_known.len();
        let stored: BTreeMap<String, PublishedEvent> = now_known
            .into_iter()
            .map(|(uid, p)| {
                (
                    uid,
                    PublishedEvent {
                        url: p.url,
                        etag: p.etag,
                        hash: p.hash,
                    },
                )
            })
            .collect();
        store
            .set_published_events(cal.id, &stored)
            .map_err(|e| e.to_string())?;
    }
    Ok(held)
}
