//! Where the team comes from, as the window shows it: the banner on the calendar and the editor (the
//! source, its last check and change, the error and each problem with its file), and how the editor
//! may edit the team here ([`TeamEdit`]).
//!
//! The window calls [`team_source_view`] when it draws (and again after the database watcher reports
//! a change); "Sync now" is [`crate::team::source::follow::sync`] on a blocking thread; the editor's
//! save of my own entry in a followed folder is [`save_own_entry`].

use serde::Serialize;
use ts_rs::TS;

use crate::error::{ErrorCode, ErrorPayload};
use crate::store::Store;
use crate::team::source::follow::{self, EditRights, FollowError};
use crate::team::source::{
    Reading, SourceError, SourceKind, SourceProblem, SourceSpec, Validators,
};
use crate::team::{MemberFile, Team};
use crate::time::interval::{format_utc, Instant};

use std::ops::DerefMut;
use std::path::PathBuf;

use super::{MemberDraft, TeamDraft};

/// How the editor may change the team on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
#[ts(export_to = "bindings.ts")]
pub enum TeamEdit {
    /// A local team: everything is editable, as before.
    Local,
    /// A followed folder: only my own entry (the member named by `me`) is editable; saving writes
    /// `file`, which I then commit. The others are read-only.
    OwnEntry {
        /// My member file.
        file: String,
    },
    /// A followed file or URL (or a folder before `me` is set): nothing is editable here.
    ReadOnly {
        /// Why, and where the team comes from, for the editor to say.
        reason: String,
    },
}

/// Where the team comes from and how its last check went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct TeamSourceView {
    /// `None`: a local team (imported or typed in; no banner).
    pub kind: Option<SourceKind>,
    /// The folder or file path, or the URL without its query string (never a secret).
    pub location: Option<String>,
    /// The last recorded check, RFC 3339 UTC (a check that found nothing new is not recorded).
    pub checked_at: Option<String>,
    /// When the team in use was read, RFC 3339 UTC.
    pub changed_at: Option<String>,
    /// Short content hash of the team in use (12 hex digits).
    pub hash: Option<String>,
    /// The last check's error: the version it read was refused and the last good team is in use.
    /// The banner shows it until a good version arrives.
    pub error: Option<String>,
    /// The error's problems, each with its file, line, member and field.
    pub problems: Vec<SourceProblem>,
    /// How the editor may change the team.
    pub edit: TeamEdit,
    /// A followed team and this machine has no `me`: ask "Which one is you?" (then save it with
    /// [`crate::team::source::follow::set_me`], or the `me` setting).
    pub needs_me: bool,
}

fn storage(e: FollowError) -> ErrorPayload {
    let code = match &e {
        FollowError::Invalid { .. } | FollowError::Source(_) => ErrorCode::Invalid,
        FollowError::NotFollowed => ErrorCode::NotFound,
        FollowError::ReadOnly(_) => ErrorCode::ReadOnly,
        FollowError::Store(_) | FollowError::Write { .. } => ErrorCode::Storage,
    };
    ErrorPayload {
        code,
        message: e.to_string(),
        problems: follow::entry_problems(&e),
    }
}

/// The banner's and the editor's view of where the team comes from.
pub fn team_source_view(store: &Store) -> Result<TeamSourceView, ErrorPayload> {
    team_source_view_for(store, None)
}

/// [`team_source_view`] with the stored `team` already read by the caller (the calendar reads it in
/// the same snapshot), so the store's team is not read again.
pub fn team_source_view_for(
    store: &Store,
    team: Option<&Team>,
) -> Result<TeamSourceView, ErrorPayload> {
    let status = store
        .team_source()
        .map_err(|e| storage(FollowError::Store(e)))?;
    let Some(status) = status else {
        return Ok(TeamSourceView {
            kind: None,
            location: None,
            checked_at: None,
            changed_at: None,
            hash: None,
            error: None,
            problems: vec![],
            edit: TeamEdit::Local,
            needs_me: false,
        });
    };
    let loaded;
    let team = match team {
        Some(team) => Some(team),
        None => {
            loaded = store
                .load_team()
                .map_err(|e| storage(FollowError::Store(e)))?;
            loaded.as_ref()
        }
    };
    let me = team.and_then(|t| t.me.as_deref());
    let edit = match follow::edit_rights_of(Some(&status), me) {
        EditRights::Local => TeamEdit::Local,
        EditRights::OwnEntry { file } => TeamEdit::OwnEntry {
            file: file.display().to_string(),
        },
        EditRights::ReadOnly { reason } => TeamEdit::ReadOnly { reason },
    };
    let needs_me = team.is_some_and(|t| t.me.is_none());
    Ok(TeamSourceView {
        kind: Some(status.spec.kind),
        location: Some(status.spec.shown()),
        checked_at: status.checked_at.map(format_utc),
        changed_at: status.changed_at.map(format_utc),
        hash: status.validators.hash,
        error: status.error,
        problems: status.problems,
        edit,
        needs_me,
    })
}

/// Saves my own entry of a followed folder into my member file (validated with the rest of the team,
/// written whole), applies it at once, and returns the team as the editor shows it. A draft that is
/// not valid comes back with code `invalid` and its problems by field; a team that is not a followed
/// folder with `me` set, with code `not_found`.
pub fn save_own_entry(
    store: &mut Store,
    mut draft: MemberDraft,
    now: Instant,
) -> Result<TeamDraft, ErrorPayload> {
    // A draft without holidays or travel keeps what my entry has (as in the local editor).
    if draft.holidays.is_none() || draft.travel.is_none() {
        let team = store
            .load_team()
            .map_err(|e| storage(FollowError::Store(e)))?;
        let mine = team.as_ref().and_then(|t| t.me()).map(|m| {
            let file = crate::team::Team {
                name: String::new(),
                me: None,
                members: vec![m.clone()],
            }
            .to_file();
            file.members.into_iter().next()
        });
        if let Some(Some(mine)) = mine {
            let current = MemberDraft::from(mine);
            draft.holidays = draft.holidays.or(current.holidays);
            draft.travel = draft.travel.or(current.travel);
        }
    }
    // Field by field through serde, so every field a member has (now and later) comes across.
    let mut entry: MemberFile = serde_json::to_value(&draft)
        .and_then(serde_json::from_value)
        .map_err(|e| ErrorPayload {
            code: ErrorCode::Invalid,
            message: e.to_string(),
            problems: vec![],
        })?;
    let trim = |v: &mut Vec<String>| {
        v.iter_mut().for_each(|s| *s = s.trim().to_string());
        v.retain(|s| !s.is_empty());
    };
    entry.name = entry.name.trim().to_string();
    entry.time_zone = entry.time_zone.trim().to_string();
    trim(&mut entry.hours);
    trim(&mut entry.focus);
    trim(&mut entry.days_off);
    // The form sends a blank region for none.
    entry.holidays = entry.holidays.filter(|h| !h.trim().is_empty());
    let team = follow::save_own_entry(store, entry, now).map_err(storage)?;
    Ok(TeamDraft::from(&team))
}

fn refused(e: SourceError) -> ErrorPayload {
    storage(FollowError::Source(e))
}

/// "Sync now" from the window: reads the followed source with the store released (a URL may take its
/// whole timeout, and the window's other commands go on meanwhile), then applies what it gave as
/// `baton team sync` does, and returns the banner's new state. `store` takes the store's lock.
pub fn sync_now<G: DerefMut<Target = Store>>(
    store: impl Fn() -> Result<G, ErrorPayload>,
    now: Instant,
) -> Result<TeamSourceView, ErrorPayload> {
    let status = store()?
        .team_source()
        .map_err(|e| storage(FollowError::Store(e)))?
        .ok_or_else(|| storage(FollowError::NotFollowed))?;
    let read = status.spec.open().read(&status.validators);
    let mut held = store()?;
    follow::apply(&mut held, &status.spec, read, now).map_err(storage)?;
    team_source_view(&held)
}

/// "Follow a shared team" from the window: `source` is a folder, a team file (absolute, or relative
/// to the user's home) or a URL. It is read with the store released and followed only when it
/// reads as a valid team; otherwise the error comes back with its problems and nothing changes.
pub fn follow_source<G: DerefMut<Target = Store>>(
    store: impl Fn() -> Result<G, ErrorPayload>,
    source: &str,
    now: Instant,
) -> Result<TeamSourceView, ErrorPayload> {
    let home = directories::UserDirs::new().map(|d| d.home_dir().to_path_buf());
    let base = home.unwrap_or_else(|| PathBuf::from("/"));
    let spec = SourceSpec::parse(source, &base).map_err(refused)?;
    let version = match spec.open().read(&Validators::default()).map_err(refused)? {
        Reading::Changed(version) => version,
        Reading::Unchanged => {
            return Err(refused(SourceError::Read {
                origin: spec.shown(),
                message: "the source answered \"not modified\" to a first read".into(),
            }))
        }
    };
    let mut held = store()?;
    held.follow_team(&spec, &version, now)
        .map_err(|e| storage(FollowError::Store(e)))?;
    team_source_view(&held)
}

/// "Stop following" from the window: the team in use stays, as a local team.
pub fn unfollow(store: &mut Store) -> Result<TeamSourceView, ErrorPayload> {
    follow::unfollow(store).map_err(storage)?;
    team_source_view(store)
}

/// "This is me" from the window: sets this machine's `me` to `name` (a member of the team; blank
/// clears it) and returns the banner's new state.
pub fn set_me(store: &Store, name: &str) -> Result<TeamSourceView, ErrorPayload> {
    follow::set_me(store, name).map_err(|e| match e {
        follow::SetMeError::Setting(e) => ErrorPayload {
            code: ErrorCode::Invalid,
            message: e.to_string(),
            problems: vec![],
        },
        follow::SetMeError::Store(e) => storage(FollowError::Store(e)),
    })?;
    team_source_view(store)
}
