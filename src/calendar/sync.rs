//! Reading every calendar into the database: what `baton calendar sync`, the app's "Sync now" and the
//! runner's calendar loop ([`run`]) call.
//!
//! Each calendar is read on its own: one that fails records its error and keeps its last good reading,
//! and never stops the others. A reading covers the window from [`WINDOW_BACK_DAYS`] before today to
//! [`WINDOW_AHEAD_DAYS`] after; it is conditional (an ICS address's `ETag`/`Last-Modified`, a CalDAV
//! calendar's ctag or sync-token), except on the first reading of a new day, when the window has
//! moved and the calendar is read whole again. Nothing new writes nothing.
//!
//! [`run`] never polls: it reads at start, when the machine wakes (the wall-clock wait returns early
//! when the clock is set), every `calendar_refresh`, and when the set of calendars changes (a
//! calendar added from the CLI, a teammate's feed in a new team version).

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, Utc};
use serde::Serialize;
use tokio::sync::Notify;

use super::ics::read_ics;
use super::{Occurrence, ReadOptions, WINDOW_AHEAD_DAYS, WINDOW_BACK_DAYS};
use crate::store::calendar::{CalendarKind, CalendarValidators, StoredCalendar};
use crate::store::settings::{self, CALENDAR_OOO_WORDS, CALENDAR_REFRESH};
use crate::store::{HeldStore, Store, StoreError};
use crate::team::source::url::{agent_for, conditional_get, shown, Fetched, UrlLimits};
use crate::team::source::{content_hash, SourceError, Validators};
use crate::team::Team;
use crate::time::interval::{Instant, Interval};

/// The most bytes read from one calendar (an ICS file, or a CalDAV answer).
pub const MAX_CALENDAR_BYTES: u64 = 10 * 1024 * 1024;
/// The most occurrences one calendar may have in the window.
pub const MAX_OCCURRENCES: usize = 50_000;

/// What reading one calendar did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CalendarOutcome {
    /// A new reading replaced the last: this many occurrences in the window.
    Changed {
        /// Occurrences stored.
        events: usize,
    },
    /// The calendar said nothing changed (or the content was the same).
    Unchanged,
    /// It could not be read; the last good reading stays.
    Failed {
        /// What went wrong, and where.
        error: String,
    },
}

/// One calendar's reading, for the CLI and the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarSynced {
    /// The calendar's id.
    pub id: i64,
    /// Whose it is: a teammate's name, or `None` for mine.
    pub owner: Option<String>,
    /// Its address as people see it (without secrets).
    pub shown: String,
    /// What happened.
    #[serde(flatten)]
    pub outcome: CalendarOutcome,
}

/// The window a reading at `now` covers.
pub fn window(now: Instant) -> Interval {
    let day = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    Interval {
        start: day - Duration::days(WINDOW_BACK_DAYS),
        end: day + Duration::days(WINDOW_AHEAD_DAYS + 1),
    }
}

/// The key a reading's hash carries so that a new day reads the calendar whole again.
fn window_key(window: Interval) -> String {
    window.start.date_naive().to_string()
}

/// Where a password for a CalDAV account is kept: one key per account and user.
pub fn secret_key(account: &str, user: &str) -> String {
    format!("caldav:{user}@{}", shown(account))
}

/// What a round of reading needs from the database, read once: the calendars, the team (for each
/// calendar's zone) and the out-of-office words.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Every calendar.
    pub calendars: Vec<StoredCalendar>,
    /// The team, if any.
    pub team: Option<Team>,
    /// The `calendar_ooo_words` setting.
    pub ooo_words: Vec<String>,
    /// Where the secrets file is (beside the database).
    pub data_dir: PathBuf,
}

/// The plan of a round: the teammates' feed calendars first made to match the team.
pub fn plan(store: &mut Store) -> Result<Plan, StoreError> {
    let team = store.load_team()?;
    if let Some(team) = &team {
        store.match_member_calendars(team)?;
    }
    let ooo_words = store
        .setting(CALENDAR_OOO_WORDS)?
        .map(|v| settings::ooo_words(&v))
        .unwrap_or_else(super::default_ooo_words);
    Ok(Plan {
        calendars: store.calendars()?,
        team,
        ooo_words,
        data_dir: data_dir(Path::new(store.path())),
    })
}

/// Reads every calendar: the teammates' feeds as the team names them, and mine. One that fails
/// records its error; the others are still read.
pub fn sync_all(store: &mut Store, now: Instant) -> Result<Vec<CalendarSynced>, StoreError> {
    let plan = plan(store)?;
    each(&plan, now, |cal, read| record(store, cal, read, now))
}

/// [`sync_all`] taking the store from `store` for each step and giving it back during each network
/// read, so that a slow server never holds the database (the window's commands share one).
pub fn sync_with<G, E>(
    mut store: impl FnMut() -> Result<G, E>,
    now: Instant,
) -> Result<Vec<CalendarSynced>, E>
where
    G: std::ops::DerefMut<Target = Store>,
    E: From<StoreError>,
{
    let plan = plan(&mut *store()?)?;
    each(&plan, now, |cal, read| {
        Ok(record(&mut *store()?, cal, read, now)?)
    })
}

/// Reads each calendar of `plan` and records it with `record`.
pub(crate) fn each<E>(
    plan: &Plan,
    now: Instant,
    mut record: impl FnMut(&StoredCalendar, Result<Read, String>) -> Result<CalendarOutcome, E>,
) -> Result<Vec<CalendarSynced>, E> {
    let mut out = Vec::new();
    for cal in &plan.calendars {
        let outcome = record(cal, read_one(plan, cal, now))?;
        out.push(CalendarSynced {
            id: cal.id,
            owner: cal.spec.owner.clone(),
            shown: cal
                .spec
                .name
                .clone()
                .unwrap_or_else(|| shown(&cal.spec.url)),
            outcome,
        });
    }
    Ok(out)
}

/// Reads one calendar of `plan` (the network part; no database).
pub fn read_one(plan: &Plan, cal: &StoredCalendar, now: Instant) -> Result<Read, String> {
    let member = match (&cal.spec.owner, &plan.team) {
        (Some(owner), Some(t)) => t.member(owner).map(|(_, m)| m),
        (None, Some(t)) => t.me(),
        _ => None,
    };
    let window = window(now);
    let opts = ReadOptions {
        zone: member.map_or(chrono_tz::UTC, |m| m.time_zone),
        window,
        keep_titles: cal.spec.owner.is_none(),
        ooo_words: plan.ooo_words.clone(),
        max_occurrences: MAX_OCCURRENCES,
    };
    let key = window_key(window);
    let current = cal
        .validators
        .hash
        .as_deref()
        .is_some_and(|h| h.ends_with(&format!(":{key}")));
    match cal.spec.kind {
        CalendarKind::Ics => read_ics_url(cal, current, &opts, &key),
        CalendarKind::Caldav => {
            super::remote::read_caldav(&plan.data_dir, cal, current, &opts, &key)
        }
    }
}

/// Records what reading `cal` found.
pub fn record(
    store: &mut Store,
    cal: &StoredCalendar,
    read: Result<Read, String>,
    now: Instant,
) -> Result<CalendarOutcome, StoreError> {
    match read {
        Ok(None) => {
            store.calendar_unchanged(cal.id, now)?;
            Ok(CalendarOutcome::Unchanged)
        }
        Ok(Some((events, validators))) => {
            if validators.hash == cal.validators.hash {
                store.calendar_unchanged(cal.id, now)?;
                return Ok(CalendarOutcome::Unchanged);
            }
            store.apply_calendar_reading(cal.id, &events, &validators, now)?;
            Ok(CalendarOutcome::Changed {
                events: events.len(),
            })
        }
        Err(error) => {
            store.calendar_failed(cal.id, &error, now)?;
            Ok(CalendarOutcome::Failed { error })
        }
    }
}

/// What a successful reading gives: the occurrences and the validators to store (`None`: unchanged).
pub(crate) type Read = Option<(Vec<Occurrence>, CalendarValidators)>;

/// Reads an ICS address, conditionally when the last reading is of today's window.
fn read_ics_url(
    cal: &StoredCalendar,
    current: bool,
    opts: &ReadOptions,
    key: &str,
) -> Result<Read, String> {
    let limits = UrlLimits {
        max_bytes: MAX_CALENDAR_BYTES,
        ..UrlLimits::default()
    };
    let url = &cal.spec.url;
    let known = if current {
        Validators {
            etag: cal.validators.etag.clone(),
            last_modified: cal.validators.last_modified.clone(),
            hash: cal.validators.hash.clone(),
        }
    } else {
        Validators::default()
    };
    let agent = agent_for(url, limits);
    let fetched = conditional_get(&agent, url, &known, limits).map_err(calendar_message)?;
    let Fetched::Body {
        bytes,
        etag,
        last_modified,
    } = fetched
    else {
        return Ok(None);
    };
    let hash = format!("{}:{key}", content_hash(&[&bytes]));
    let events = parse(&bytes, opts, &shown(url))?;
    Ok(Some((
        events,
        CalendarValidators {
            etag,
            last_modified,
            hash: Some(hash),
            ..CalendarValidators::default()
        },
    )))
}

/// A fetch's error in a calendar's words (the team source's messages speak of the team).
fn calendar_message(e: SourceError) -> String {
    match e {
        SourceError::Status { origin, status } => {
            format!("{origin}: the server answered HTTP {status}")
        }
        SourceError::Timeout { origin, seconds } => {
            format!("{origin}: no answer within {seconds} s")
        }
        SourceError::TooLarge { origin, limit } => format!(
            "{origin}: the calendar is larger than {} MiB; Baton stops reading there",
            limit / (1024 * 1024)
        ),
        SourceError::Network { origin, message } => {
            format!("{origin}: cannot fetch the calendar: {message}")
        }
        other => other.to_string(),
    }
}

/// The occurrences of calendar text `bytes` read from `origin`, or a message that says what and where.
pub(crate) fn parse(
    bytes: &[u8],
    opts: &ReadOptions,
    origin: &str,
) -> Result<Vec<Occurrence>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("{origin}: not UTF-8 text; is this the calendar's ICS address?"))?;
    read_ics(text, opts).map_err(|e| format!("{origin}: {e}"))
}

/// The refresh interval as stored now.
fn refresh(store: &Store) -> std::time::Duration {
    let minutes = store
        .setting(CALENDAR_REFRESH)
        .ok()
        .flatten()
        .and_then(|v| settings::refresh_minutes(CALENDAR_REFRESH, &v).ok())
        .unwrap_or(15);
    std::time::Duration::from_secs(u64::from(minutes) * 60)
}

/// What the calendar loop watches for: the calendars and the team's feed addresses.
fn fingerprint(
    store: &Store,
    team: Option<&Team>,
) -> Result<Vec<(Option<String>, String)>, StoreError> {
    let mut out: Vec<_> = store
        .calendars()?
        .into_iter()
        .map(|c| (c.spec.owner, c.spec.url))
        .collect();
    if let Some(team) = team {
        out.extend(
            team.members
                .iter()
                .filter_map(|m| m.calendar.clone().map(|u| (Some(m.name.clone()), u))),
        );
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Keeps the calendars current until `stop` completes (see the module's documentation).
/// `db_changed` is notified after writes to the database; `report` hears each calendar's reading.
pub async fn run(
    db: PathBuf,
    db_changed: Arc<Notify>,
    stop: impl Future<Output = ()> + Send,
    report: impl Fn(&CalendarSynced) + Send + Sync + 'static,
) {
    tokio::pin!(stop);
    let report = Arc::new(report);
    // My coming focus as last published: published again when it changes (a session started or
    // stopped, a focus rule edited, a block ended).
    let mut published: Option<String> = None;
    let mut seen: Option<Vec<(Option<String>, String)>> = None;
    let mut last_read: Option<Instant> = None;
    let mut due = true;
    // One connection for the loop, which looks at the database after every write to it.
    let held = HeldStore::default();
    let on_held = |held: &HeldStore, db: &PathBuf| (held.clone(), db.clone());
    loop {
        let (held2, db2) = on_held(&held, &db);
        let look = tokio::task::spawn_blocking(move || {
            held2.with(
                &db2,
                |_: &StoreError| true,
                |store| {
                    let team = store.load_team()?;
                    Ok((fingerprint(store, team.as_ref())?, refresh(store), team))
                },
            )
        });
        let (now_seen, every, team) = match look.await {
            Ok(Ok(found)) => found,
            _ => (
                seen.clone().unwrap_or_default(),
                std::time::Duration::from_secs(900),
                None,
            ),
        };
        if seen.as_ref() != Some(&now_seen) {
            due = true;
            seen = Some(now_seen);
        }
        if due && seen.as_ref().is_some_and(|s| !s.is_empty()) {
            due = false;
            let ((held2, db2), report2) = (on_held(&held, &db), report.clone());
            let read = tokio::task::spawn_blocking(move || {
                held2.with(
                    &db2,
                    |_: &StoreError| true,
                    |store| {
                        for synced in sync_all(store, Utc::now())? {
                            report2(&synced);
                        }
                        Ok(())
                    },
                )
            });
            tokio::select! {
                () = &mut stop => return,
                _ = read => {}
            }
            last_read = Some(Utc::now());
        }
        let ((held2, db2), report2, last) =
            (on_held(&held, &db), report.clone(), published.clone());
        let publish = tokio::task::spawn_blocking(move || {
            held2.with(
                &db2,
                |_: &StoreError| true,
                |store| {
                    let now = Utc::now();
                    let targets = super::remote::publish_targets(store)?;
                    let feed = match &team {
                        Some(team) if !targets.is_empty() => {
                            super::remote::coming_focus(store, team, now)?
                        }
                        _ => None,
                    };
                    let Some(feed) = feed else { return Ok(None) };
                    let key = super::remote::focus_key(&feed, now);
                    if last.as_ref() != Some(&key) {
                        if let Err(error) = super::remote::publish_feed(store, targets, &feed, now)
                        {
                            report2(&CalendarSynced {
                                id: 0,
                                owner: None,
                                shown: "publishing focus".into(),
                                outcome: CalendarOutcome::Failed { error },
                            });
                            return Ok(last);
                        }
                    }
                    Ok(Some(key))
                },
            )
        });
        tokio::select! {
            () = &mut stop => return,
            done = publish => if let Ok(Ok(key)) = done { published = key },
        }
        let next =
            last_read.map(|at| at + Duration::from_std(every).unwrap_or(Duration::minutes(15)));
        let timer = async {
            match next {
                Some(at) => crate::time::clock::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = &mut stop => return,
            () = db_changed.notified() => {}
            () = timer => due = true,
        }
    }
}

/// The data directory of the database at `db` (where the secrets file is kept without a keyring).
pub fn data_dir(db: &Path) -> PathBuf {
    db.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
