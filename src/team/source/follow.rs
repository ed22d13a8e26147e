//! Following a team source: the first read that starts it ([`follow`]), each later read applied to the
//! database ([`sync`], what `baton team sync` and the app's "Sync now" call), the member's own entry
//! saved into their member file ([`save_own_entry`]), and the loop a runner runs beside delivery
//! ([`run`]) that re-reads the source when it changes.
//!
//! Applying is all or nothing: a reading is validated whole by the source, then the team and the
//! source's status are written in one transaction ([`Store::apply_team_version`]); a refused version
//! records only its error, and the last good team stays in use. Nothing new writes nothing.
//!
//! [`run`] never polls. A folder or file is watched with the operating system's file notifications
//! (the `notify` crate, as the database watcher does), and a change is read once the writes have
//! been quiet for [`SETTLE`] (an editor's save, or a `git pull` touching many files, is one re-read).
//! A URL is fetched at start, when the machine wakes (the wall-clock wait returns early when the
//! clock is set, which a resume does), on `baton team sync`, and every `team_refresh`, waiting on
//! the wall clock ([`crate::time::clock::sleep_until`]). Reads are blocking (files, HTTP) and run on
//! tokio's blocking threads, never on the runtime's workers. The loop also wakes on every write to
//! the database, to notice `baton team follow` or `unfollow` from another process.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use thiserror::Error;
use tokio::sync::Notify;

use super::folder::{self, FolderSource, MEMBERS_DIR, TEAM_FILE};
use super::{Reading, SourceError, SourceKind, SourceSpec, TeamSource, Validators};
use crate::store::settings::{self, SettingError};
use crate::store::source::{Applied, SourceStatus};
use crate::store::{HeldStore, Store, StoreError};
use crate::team::{MemberFile, Problem, Team, TeamError};
use crate::time::interval::Instant;

/// How long writes to a followed folder or file must have been quiet before it is read again.
pub const SETTLE: Duration = Duration::from_millis(150);

/// Why following, syncing or saving failed.
#[derive(Debug, Error)]
pub enum FollowError {
    /// The team is local: there is no source to sync from.
    #[error("the team is not followed from a source; follow one with `baton team follow SOURCE`")]
    NotFollowed,
    /// The source could not be read as a valid team (it is named in the message); nothing changed.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A saved entry is not valid; each problem names its field. Nothing was written.
    #[error("{file}: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid {
        /// The member file it would have been written to.
        file: String,
        /// Every problem of the entry.
        problems: Vec<Problem>,
    },
    /// Only a followed folder's own member file can be edited here.
    #[error("{0}")]
    ReadOnly(String),
    /// The member file could not be written.
    #[error("cannot write {file}: {source}")]
    Write {
        /// The member file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
}

/// What one read of the followed source did.
#[derive(Debug)]
pub enum SyncOutcome {
    /// A new version was applied.
    Changed(Team),
    /// Nothing new (a 304, or the same content).
    Unchanged,
    /// The source gave no valid team; the error is recorded and the last good team stays.
    Refused(SourceError),
    /// The team was unfollowed (or another source followed) while reading: nothing was written.
    NotFollowed,
}

/// Starts following the source `spec` at `now`: reads it with its backend, and only when it reads as a
/// valid team stores that team and the source (replacing the current team; the `me` setting is kept).
/// A source that does not read is refused with its error, and the current team is kept.
pub fn follow(store: &mut Store, spec: &SourceSpec, now: Instant) -> Result<Team, FollowError> {
    follow_with(store, spec.open().as_mut(), now)
}

/// [`follow`] with a given backend (tests use [`super::memory::ScriptedSource`]).
pub fn follow_with(
    store: &mut Store,
    source: &mut dyn TeamSource,
    now: Instant,
) -> Result<Team, FollowError> {
    let spec = source.spec();
    match source.read(&Validators::default())? {
        Reading::Changed(version) => {
            store.follow_team(&spec, &version, now)?;
            Ok(store.load_team()?.unwrap_or(version.team))
        }
        // A first read has no validators, so no honest source answers "unchanged".
        Reading::Unchanged => Err(FollowError::Source(SourceError::Read {
            origin: spec.shown(),
            message: "the source answered \"not modified\" to a first read".into(),
        })),
    }
}

/// Stops following; the current team stays as a local team. Whether a source was followed.
pub fn unfollow(store: &mut Store) -> Result<bool, FollowError> {
    Ok(store.unfollow_team()?)
}

/// Reads the followed source once, now, and applies what it gives (see the module's documentation).
/// Works without a runner: a running app sees the change through its database watcher.
pub fn sync(store: &mut Store, now: Instant) -> Result<SyncOutcome, FollowError> {
    let status = store.team_source()?.ok_or(FollowError::NotFollowed)?;
    sync_with(store, status.spec.open().as_mut(), now)
}

/// [`sync`] with a given backend for the followed source.
pub fn sync_with(
    store: &mut Store,
    source: &mut dyn TeamSource,
    now: Instant,
) -> Result<SyncOutcome, FollowError> {
    let status = store.team_source()?.ok_or(FollowError::NotFollowed)?;
    let spec = source.spec();
    if status.spec != spec {
        return Ok(SyncOutcome::NotFollowed);
    }
    let read = source.read(&status.validators);
    apply(store, &spec, read, now)
}

/// Applies the result of one read of `spec` at `now`: a new version (team and status in one
/// transaction), nothing new (no write, unless it clears an earlier error), or an error (recorded;
/// the last good team stays).
pub fn apply(
    store: &mut Store,
    spec: &SourceSpec,
    read: Result<Reading, SourceError>,
    now: Instant,
) -> Result<SyncOutcome, FollowError> {
    match read {
        Ok(Reading::Changed(version)) => match store.apply_team_version(spec, &version, now)? {
            Applied::Written => Ok(SyncOutcome::Changed(
                store.load_team()?.unwrap_or(version.team),
            )),
            Applied::Same => Ok(SyncOutcome::Unchanged),
            Applied::NotFollowed => Ok(SyncOutcome::NotFollowed),
        },
        Ok(Reading::Unchanged) => {
            store.record_source_unchanged(spec, now)?;
            Ok(SyncOutcome::Unchanged)
        }
        Err(e) => {
            store.record_source_error(spec, &e, now)?;
            Ok(SyncOutcome::Refused(e))
        }
    }
}

/// How the team may be edited on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditRights {
    /// A local team: fully editable, as always.
    Local,
    /// A followed folder with `me` set: my own entry is saved into my member file (so I can commit
    /// it); the others are read-only.
    OwnEntry {
        /// My member file.
        file: PathBuf,
    },
    /// A followed file or URL, or a folder where I am not (yet) known: read-only.
    ReadOnly {
        /// Why, and where the team comes from.
        reason: String,
    },
}

/// How the team stored in `store` may be edited here.
pub fn edit_rights(store: &Store) -> Result<EditRights, FollowError> {
    let Some(status) = store.team_source()? else {
        return Ok(EditRights::Local);
    };
    let me = match status.spec.kind {
        SourceKind::Folder => store.load_team()?.and_then(|t| t.me),
        _ => None,
    };
    Ok(edit_rights_of(Some(&status), me.as_deref()))
}

/// [`edit_rights`] from what the caller has already read: the followed source (`None`: a local
/// team) and this machine's effective `me`.
pub fn edit_rights_of(status: Option<&SourceStatus>, me: Option<&str>) -> EditRights {
    let Some(status) = status else {
        return EditRights::Local;
    };
    let shown = status.spec.shown();
    match status.spec.kind {
        SourceKind::Folder => {
            let Some(me) = me else {
                return EditRights::ReadOnly {
                    reason: format!(
                        "the team comes from the folder {shown}; say which member you are \
                         (`baton settings set me NAME`) to edit your own entry"
                    ),
                };
            };
            match FolderSource::new(&status.spec.location).member_file_of(me) {
                Ok(Some(file)) => EditRights::OwnEntry { file },
                _ => EditRights::ReadOnly {
                    reason: format!(
                        "the team comes from the folder {shown}, and no file in its {MEMBERS_DIR}/ \
                         holds \"{me}\""
                    ),
                },
            }
        }
        SourceKind::File => EditRights::ReadOnly {
            reason: format!("the team comes from the file {shown}; edit that file"),
        },
        SourceKind::Url => EditRights::ReadOnly {
            reason: format!("the team comes from {shown}; change it where it is published"),
        },
    }
}

/// Saves `entry` as my own member entry of a followed folder, at `now`: it must be valid with the
/// rest of the team (every problem comes back with its field), is written to my member file whole
/// (temporary file, then rename), and is then applied at once as a sync would. Renaming myself moves
/// the `me` setting along. Other members' files are never written.
pub fn save_own_entry(
    store: &mut Store,
    entry: MemberFile,
    now: Instant,
) -> Result<Team, FollowError> {
    let EditRights::OwnEntry { file } = edit_rights(store)? else {
        return Err(FollowError::ReadOnly(match edit_rights(store)? {
            EditRights::ReadOnly { reason } => reason,
            _ => "the team is local: save it with the editor as before".into(),
        }));
    };
    let team = store.load_team()?.ok_or(FollowError::NotFollowed)?;
    let me = team.me.clone().unwrap_or_default();
    let mut whole = team.to_file();
    let Some(i) = whole
        .members
        .iter()
        .position(|m| m.name.eq_ignore_ascii_case(&me))
    else {
        return Err(FollowError::ReadOnly(format!(
            "\"{me}\" is not in the team"
        )));
    };
    whole.members[i] = entry.clone();
    let name = entry.name.trim().to_string();
    if let Err(problems) = whole.validate(None) {
        let problems: Vec<Problem> = problems
            .into_iter()
            .filter(|p| p.member_index == Some(i) || p.member.is_none())
            .collect();
        if !problems.is_empty() {
            return Err(FollowError::Invalid {
                file: file.display().to_string(),
                problems,
            });
        }
    }
    folder::write_member_file(&file, &entry).map_err(|source| FollowError::Write {
        file: file.display().to_string(),
        source,
    })?;
    if !name.eq_ignore_ascii_case(&me) && store.setting(settings::ME)?.is_some() {
        store.set_setting(settings::ME, &name)?;
    }
    match sync(store, now)? {
        SyncOutcome::Refused(e) => Err(e.into()),
        _ => Ok(store.load_team()?.ok_or(FollowError::NotFollowed)?),
    }
}

/// Sets (or, with an empty name, clears) this machine's `me`, checked against the stored team.
pub fn set_me(store: &Store, name: &str) -> Result<Option<String>, SetMeError> {
    let team = store.load_team()?;
    let canonical = settings::validate_with_team(settings::ME, name, team.as_ref())?;
    if canonical.is_empty() {
        store.clear_setting(settings::ME)?;
        Ok(None)
    } else {
        store.set_setting(settings::ME, &canonical)?;
        Ok(Some(canonical))
    }
}

/// Why `me` could not be set.
#[derive(Debug, Error)]
pub enum SetMeError {
    /// Not a member of the stored team.
    #[error(transparent)]
    Setting(#[from] SettingError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Something the follower reports while it runs, for the runner's log.
#[derive(Debug)]
pub enum FollowEvent<'a> {
    /// A read of the source ended so (the source is named as shown).
    Synced {
        /// The source, as shown.
        source: &'a str,
        /// What the read did.
        outcome: &'a SyncOutcome,
    },
    /// The source or the database failed in a way the follower could not record.
    Failed(&'a FollowError),
    /// The folder or file cannot be watched: changes are read only at `baton team sync` or the next
    /// start.
    NotWatching {
        /// The source, as shown.
        source: &'a str,
        /// Why.
        error: &'a notify::Error,
    },
}

/// A log line (the source as shown: never a URL's secret).
impl std::fmt::Display for FollowEvent<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FollowEvent::Synced { source, outcome } => match outcome {
                SyncOutcome::Changed(team) => write!(
                    f,
                    "team updated from {source}: \"{}\", {} members",
                    team.name,
                    team.members.len()
                ),
                SyncOutcome::Unchanged => write!(f, "team source {source}: no change"),
                SyncOutcome::NotFollowed => write!(f, "team source {source}: no longer followed"),
                SyncOutcome::Refused(e) => write!(
                    f,
                    "team source refused, the last good team stays in use: {e}"
                ),
            },
            FollowEvent::Failed(e) => write!(f, "team source: {e}"),
            FollowEvent::NotWatching { source, error } => write!(
                f,
                "cannot watch {source} ({error}); changes are read at `baton team sync`"
            ),
        }
    }
}

/// Watches a followed folder (its `team.toml` and `members/`) or file, until dropped.
struct SourceWatcher {
    _watcher: RecommendedWatcher,
}

impl SourceWatcher {
    /// Calls `changed` once writes under the source have been quiet for [`SETTLE`].
    fn start(spec: &SourceSpec, changed: impl Fn() + Send + 'static) -> notify::Result<Self> {
        let path = PathBuf::from(&spec.location);
        let (dir, mode) = match spec.kind {
            SourceKind::Folder => (path.clone(), RecursiveMode::Recursive),
            // The directory, not the file: editors and `git` replace a file by renaming over it.
            _ => (
                path.parent()
                    .map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
                RecursiveMode::NonRecursive,
            ),
        };
        let kind = spec.kind;
        let relevant = move |p: &Path| match kind {
            SourceKind::Folder => {
                p == path.join(TEAM_FILE)
                    || p.starts_with(path.join(MEMBERS_DIR))
                    || p == path.as_path()
            }
            _ => p == path.as_path(),
        };
        let wrote_tx = crate::store::watch::settled(SETTLE, None, changed);
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                if event.kind.is_access() {
                    return;
                }
                if event.paths.iter().any(|p| relevant(p)) {
                    let _ = wrote_tx.send(());
                }
            })?;
        watcher.watch(&dir, mode)?;
        Ok(SourceWatcher { _watcher: watcher })
    }
}

fn with_store<T>(
    held: &HeldStore,
    db: &Path,
    f: impl FnOnce(&mut Store) -> Result<T, FollowError>,
) -> Result<T, FollowError> {
    held.with(db, |e| matches!(e, FollowError::Store(_)), f)
}

/// The followed source and the refresh interval, as stored now.
fn followed(store: &mut Store) -> Result<(Option<SourceStatus>, Duration), FollowError> {
    let minutes = store
        .setting(settings::TEAM_REFRESH)?
        .and_then(|v| settings::team_refresh_minutes(&v).ok())
        .unwrap_or(60);
    Ok((
        store.team_source()?,
        Duration::from_secs(u64::from(minutes) * 60),
    ))
}

/// Follows the database's team source until `stop` completes: reads it at start, then again on each
/// change (folder, file) or at start, on wake and every `team_refresh` (URL); see the module's
/// documentation. `db_changed` is notified after writes to the database (the runner's database
/// watcher), so a source followed or unfollowed by another process is picked up. `report` hears each
/// read.
pub async fn run(
    db: PathBuf,
    db_changed: Arc<Notify>,
    stop: impl Future<Output = ()> + Send,
    report: impl Fn(FollowEvent<'_>) + Send + Sync + 'static,
) {
    tokio::pin!(stop);
    let held = HeldStore::default();
    let blocking = |held: &HeldStore, db: &PathBuf| {
        let (held, db) = (held.clone(), db.clone());
        tokio::task::spawn_blocking(move || with_store(&held, &db, |store| sync(store, Utc::now())))
    };
    let (fs_tx, mut fs_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut current: Option<SourceSpec> = None;
    let mut _watcher: Option<SourceWatcher> = None;
    let mut last_read: Option<Instant> = None;
    let mut due = false;
    loop {
        let (held2, db2) = (held.clone(), db.clone());
        let look = move || with_store(&held2, &db2, followed);
        let (status, refresh) = match tokio::task::spawn_blocking(look).await {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => {
                report(FollowEvent::Failed(&e));
                (None, Duration::from_secs(3600))
            }
            Err(_) => (None, Duration::from_secs(3600)),
        };
        let spec = status.map(|s| s.spec);
        if spec != current {
            _watcher = None;
            if let Some(spec) = spec.as_ref().filter(|s| s.kind != SourceKind::Url) {
                let tx = fs_tx.clone();
                match SourceWatcher::start(spec, move || {
                    let _ = tx.send(());
                }) {
                    Ok(w) => _watcher = Some(w),
                    Err(error) => report(FollowEvent::NotWatching {
                        source: &spec.shown(),
                        error: &error,
                    }),
                }
            }
            current = spec;
            due = current.is_some();
        }
        if due {
            due = false;
            if let Some(spec) = &current {
                // A fetch may take up to its total timeout: stopping does not wait for it.
                let read = tokio::select! {
                    () = &mut stop => return,
                    read = blocking(&held, &db) => read,
                };
                match read {
                    Ok(Ok(outcome)) => report(FollowEvent::Synced {
                        source: &spec.shown(),
                        outcome: &outcome,
                    }),
                    Ok(Err(e)) => report(FollowEvent::Failed(&e)),
                    Err(_) => {}
                }
                last_read = Some(Utc::now());
            }
        }
        let next_fetch = match (&current, last_read) {
            (Some(s), Some(at)) if s.kind == SourceKind::Url => {
                Some(at + chrono::Duration::from_std(refresh).unwrap_or(chrono::Duration::hours(1)))
            }
            _ => None,
        };
        let timer = async {
            match next_fetch {
                Some(at) => crate::time::clock::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = &mut stop => return,
            () = db_changed.notified() => {}
            Some(()) = fs_rx.recv() => due = true,
            // On time, or early because the clock was set (a resume): either way, fetch.
            () = timer => due = true,
        }
    }
}

/// The problems of a refused member entry as the editor's field problems.
pub fn entry_problems(e: &FollowError) -> Vec<crate::error::FieldProblem> {
    match e {
        FollowError::Invalid { problems, .. } => problems.iter().cloned().map(Into::into).collect(),
        FollowError::Source(SourceError::Team(TeamError::Invalid { problems, .. })) => {
            problems.iter().cloned().map(Into::into).collect()
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::team::source::memory::ScriptedSource;
    use crate::team::source::Version;

    fn t(m: i64) -> Instant {
        chrono::DateTime::from_timestamp(1_800_000_000 + m * 60, 0).unwrap()
    }

    fn version(team: &Team, hash: &str, etag: Option<&str>) -> Reading {
        Reading::Changed(Version {
            team: team.clone(),
            hash: hash.into(),
            etag: etag.map(Into::into),
            last_modified: None,
        })
    }

    #[test]
    fn a_scripted_source_is_followed_synced_and_refused_keeping_the_last_good_team() {
        let mut store = Store::open_in_memory().unwrap();
        let team = crate::team::sample::team();
        let source = ScriptedSource::new("https://example.com/team.toml?token=x");
        source.answer(Ok(version(&team, "aaa", Some("\"1\""))));
        let mut s = source.clone();
        follow_with(&mut store, &mut s, t(0)).unwrap();
        // Nothing new: a 304.
        source.answer(Ok(Reading::Unchanged));
        assert!(matches!(
            sync_with(&mut store, &mut s, t(1)).unwrap(),
            SyncOutcome::Unchanged
        ));
        // A broken version.
        source.answer(Err(SourceError::Status {
            origin: "https://example.com/team.toml".into(),
            status: 500,
        }));
        assert!(matches!(
            sync_with(&mut store, &mut s, t(2)).unwrap(),
            SyncOutcome::Refused(_)
        ));
        let status = store.team_source().unwrap().unwrap();
        assert!(status.error.unwrap().contains("HTTP 500"));
        assert_eq!(status.checked_at, Some(t(2)));
        assert_eq!(status.changed_at, Some(t(0)));
        assert_eq!(
            store.load_team().unwrap().unwrap().members,
            team.members,
            "the last good team stays"
        );
        // The reads were conditional on the first version's validators.
        let reads = source.reads();
        assert_eq!(reads[0], Validators::default());
        assert_eq!(reads[1].etag.as_deref(), Some("\"1\""));
        assert_eq!(reads[1].hash.as_deref(), Some("aaa"));
    }
}
