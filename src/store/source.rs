//! The followed team's source in the database: which source it is, the validators and content hash of
//! the last good version, when it was last checked and last changed, and the last check's error.
//!
//! The database keeps the last good team (in the `team` tables, as for a local team) beside this row,
//! so Baton works offline and starts at once. A new version is written with its status in one
//! transaction; a refused one writes only its error. Checks that find nothing new write nothing at
//! all (a 304 costs no write, and wakes no other process's database watcher), so `checked_at` is the
//! last check that found a new version or an error, or that cleared one.
//!
//! `me` is a setting of this machine ([`crate::store::settings::ME`]); the team's own `me` column
//! keeps the team file's default, used when the setting is unset ([`effective_me`]).

use rusqlite::{params, OptionalExtension, Transaction};

use super::{at, ms, write_team, Store, StoreError};
use crate::store::settings::ME;
use crate::team::source::{
    SourceError, SourceKind, SourceProblem, SourceSpec, Validators, Version,
};
use crate::team::MemberFile;
use crate::time::interval::Instant;

/// A followed source as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    /// Which source.
    pub spec: SourceSpec,
    /// The last good version's hash and HTTP validators.
    pub validators: Validators,
    /// The last check that was recorded (see the module's documentation).
    pub checked_at: Option<Instant>,
    /// When the last good version was applied.
    pub changed_at: Option<Instant>,
    /// The last check's error, when it refused a version (the last good team stays in use).
    pub error: Option<String>,
    /// The error's problems, each with its file, line, member and field.
    pub problems: Vec<SourceProblem>,
}

/// What [`Store::apply_team_version`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The team changed and was written, with the source's status.
    Written,
    /// The same content as the last good version: the team was not written (at most the status, to
    /// clear an error or keep new validators).
    Same,
    /// The team is no longer followed from this source (unfollowed, or following another one
    /// meanwhile): nothing was written.
    NotFollowed,
}

/// The `me` in force: the machine's setting when it is set and names a member (its canonical
/// spelling), else the team file's default. A setting naming someone no longer in the team gives
/// `None` rather than the file's default, which on a shared team names somebody else.
pub fn effective_me(
    setting: Option<String>,
    file_me: Option<String>,
    members: &[MemberFile],
) -> Option<String> {
    let find = |name: &str| {
        members
            .iter()
            .find(|m| m.name.trim().eq_ignore_ascii_case(name.trim()))
            .map(|m| m.name.trim().to_string())
    };
    match setting.filter(|s| !s.trim().is_empty()) {
        Some(me) => find(&me),
        None => file_me.filter(|m| !m.trim().is_empty()),
    }
}

/// Stores `me` as the machine's setting, or clears it.
pub(crate) fn write_me(tx: &Transaction<'_>, me: Option<&str>) -> rusqlite::Result<()> {
    match me.map(str::trim).filter(|m| !m.is_empty()) {
        Some(me) => tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![ME, me],
        ),
        None => tx.execute("DELETE FROM setting WHERE key = ?1", [ME]),
    }
    .map(drop)
}

fn same_source(tx: &Transaction<'_>, spec: &SourceSpec) -> rusqlite::Result<bool> {
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT kind, location FROM team_source WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.is_some_and(|(k, l)| k == spec.kind.as_str() && l == spec.location))
}

impl Store {
    /// The followed source, or `None` for a local team (or none).
    pub fn team_source(&self) -> Result<Option<SourceStatus>, StoreError> {
        self.conn
            .query_row(
                "SELECT kind, location, etag, last_modified, checked_at, changed_at, hash, error,
                        problems
                 FROM team_source WHERE id = 1",
                [],
                |r| {
                    let kind: String = r.get(0)?;
                    let problems: Option<String> = r.get(8)?;
                    Ok((
                        kind,
                        SourceStatus {
                            spec: SourceSpec {
                                kind: SourceKind::File,
                                location: r.get(1)?,
                            },
                            validators: Validators {
                                etag: r.get(2)?,
                                last_modified: r.get(3)?,
                                hash: r.get(6)?,
                            },
                            checked_at: at(r.get(4)?),
                            changed_at: at(r.get(5)?),
                            error: r.get(7)?,
                            problems: problems
                                .and_then(|p| serde_json::from_str(&p).ok())
                                .unwrap_or_default(),
                        },
                    ))
                },
            )
            .optional()
            .map_err(self.sql())?
            .map(|(kind, mut status)| {
                status.spec.kind = SourceKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
                    path: self.path.clone(),
                    message: format!("unknown team source kind '{kind}'"),
                })?;
                Ok(status)
            })
            .transpose()
    }

    /// Starts following `spec` with its first good `version`: the team and the source's status in one
    /// transaction, replacing any source followed before. The `me` setting is left as it is.
    pub fn follow_team(
        &mut self,
        spec: &SourceSpec,
        version: &Version,
        now: Instant,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        write_team(&tx, &version.team).map_err(sql)?;
        tx.execute(
            "INSERT OR REPLACE INTO team_source
                 (id, kind, location, etag, last_modified, checked_at, changed_at, hash, error, problems)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?5, ?6, NULL, NULL)",
            params![
                spec.kind.as_str(),
                spec.location,
                version.etag,
                version.last_modified,
                ms(now),
                version.hash
            ],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Stops following: the team stays, as a local team. Whether a source was followed.
    pub fn unfollow_team(&mut self) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM team_source WHERE id = 1", [])
            .map(|n| n > 0)
            .map_err(self.sql())
    }

    /// Applies a new good `version` of the followed source `spec`, read at `now`: the team and the
    /// source's status in one transaction. The same content as the last good version does not write
    /// the team; it writes the status only to clear an error or to keep changed validators.
    pub fn apply_team_version(
        &mut self,
        spec: &SourceSpec,
        version: &Version,
        now: Instant,
    ) -> Result<Applied, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let Some(status) = self.team_source()? else {
            return Ok(Applied::NotFollowed);
        };
        if status.spec != *spec {
            return Ok(Applied::NotFollowed);
        }
        let same = status.validators.hash.as_deref() == Some(version.hash.as_str());
        let tx = self.conn.transaction().map_err(sql)?;
        if !same_source(&tx, spec).map_err(sql)? {
            return Ok(Applied::NotFollowed);
        }
        if same {
            if status.error.is_some()
                || status.validators.etag != version.etag
                || status.validators.last_modified != version.last_modified
            {
                tx.execute(
                    "UPDATE team_source SET etag = ?1, last_modified = ?2, checked_at = ?3,
                         error = NULL, problems = NULL WHERE id = 1",
                    params![version.etag, version.last_modified, ms(now)],
                )
                .map_err(sql)?;
                tx.commit().map_err(sql)?;
            }
            return Ok(Applied::Same);
        }
        write_team(&tx, &version.team).map_err(sql)?;
        tx.execute(
            "UPDATE team_source SET etag = ?1, last_modified = ?2, checked_at = ?3, changed_at = ?3,
                 hash = ?4, error = NULL, problems = NULL WHERE id = 1",
            params![version.etag, version.last_modified, ms(now), version.hash],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(Applied::Written)
    }

    /// Records that reading `spec` at `now` found nothing new: writes only when it clears an earlier
    /// error. Whether anything was written.
    pub fn record_source_unchanged(
        &mut self,
        spec: &SourceSpec,
        now: Instant,
    ) -> Result<bool, StoreError> {
        match self.team_source()? {
            Some(s) if s.spec == *spec && s.error.is_some() => self
                .conn
                .execute(
                    "UPDATE team_source SET checked_at = ?1, error = NULL, problems = NULL
                     WHERE id = 1 AND kind = ?2 AND location = ?3",
                    params![ms(now), spec.kind.as_str(), spec.location],
                )
                .map(|n| n > 0)
                .map_err(self.sql()),
            _ => Ok(false),
        }
    }

    /// Records that reading `spec` at `now` failed: the error and its problems, the team untouched.
    pub fn record_source_error(
        &mut self,
        spec: &SourceSpec,
        error: &SourceError,
        now: Instant,
    ) -> Result<(), StoreError> {
        let problems = serde_json::to_string(&error.problems()).unwrap_or_default();
        self.conn
            .execute(
                "UPDATE team_source SET checked_at = ?1, error = ?2, problems = ?3
                 WHERE id = 1 AND kind = ?4 AND location = ?5",
                params![
                    ms(now),
                    error.to_string(),
                    problems,
                    spec.kind.as_str(),
                    spec.location
                ],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// The team file's own `me` (the default when the `me` setting is unset), as stored.
    pub fn team_file_me(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT me FROM team WHERE id = 1", [], |r| r.get(0))
            .optional()
            .map(Option::flatten)
            .map_err(self.sql())
    }
}
