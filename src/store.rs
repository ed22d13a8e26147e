//! Durable storage in SQLite: the team, settings, focus sessions and the notification queue, shared by
//! the CLI, the intake server and the desktop app.
//!
//! [`Store::open`] is the one way to get a connection: WAL journal (readers never block the writer),
//! foreign keys on, a busy timeout so the CLI and the app can share a file, then the migrations, applied
//! all-or-nothing. Migrations are append-only; a shipped one is never edited. Schedules are stored as their
//! canonical spec strings, so the database and the team file say exactly the same thing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use rusqlite_migration::{Migrations, M};
use thiserror::Error;

use crate::focus::FocusSession;
use crate::interval::{Instant, Interval};
use crate::team::{MemberFile, Team, TeamFile};

pub(crate) mod files;
mod queue;

pub use queue::{Accepted, NotificationFilter, StoredNotification};

/// Environment variable that overrides the default database path.
pub const DB_ENV: &str = "BATON_DB";

/// Why the store failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite refused an operation.
    #[error("database {path}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// The underlying error.
        source: rusqlite::Error,
    },
    /// The schema could not be brought up to date.
    #[error("database {path}: cannot apply migrations: {source}")]
    Migration {
        /// The database file.
        path: String,
        /// The underlying error.
        source: rusqlite_migration::Error,
    },
    /// The directory for the database could not be created.
    #[error("cannot create the directory for {path}: {source}")]
    CreateDir {
        /// The database file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// What is stored no longer validates (edited by hand, or written by a newer Baton).
    #[error("database {path}: the stored team is not valid: {message}")]
    Corrupt {
        /// The database file.
        path: String,
        /// What failed to validate.
        message: String,
    },
}

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            "CREATE TABLE team (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            me TEXT
        );
        CREATE TABLE member (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES team(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL COLLATE NOCASE,
            time_zone TEXT NOT NULL,
            UNIQUE (team_id, name)
        );
        CREATE TABLE member_rule (
            member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('hours', 'focus', 'day_off')),
            position INTEGER NOT NULL,
            spec TEXT NOT NULL,
            PRIMARY KEY (member_id, kind, position)
        );",
        ),
        // On-demand focus sessions (instants as Unix seconds, UTC) and the app's settings.
        M::up(
            "CREATE TABLE focus_session (
            id INTEGER PRIMARY KEY,
            started_at INTEGER NOT NULL,
            ends_at INTEGER NOT NULL CHECK (ends_at > started_at),
            stopped_at INTEGER
        );
        CREATE INDEX focus_session_ends ON focus_session (ends_at);
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );",
        ),
        // The notification queue (see `queue`): instants as Unix milliseconds, UTC.
        M::up(
            "CREATE TABLE notification (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            grp TEXT,
            sender TEXT,
            title TEXT NOT NULL,
            body TEXT,
            urgency TEXT NOT NULL CHECK (urgency IN ('low', 'normal', 'high', 'critical')),
            url TEXT,
            idempotency_key TEXT UNIQUE,
            received_at INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'delivered', 'done')),
            delivered_at INTEGER,
            delivered_as TEXT CHECK (delivered_as IN ('urgent', 'digest')),
            done_at INTEGER
        );
        CREATE INDEX notification_state ON notification (state, received_at);
        CREATE INDEX notification_received ON notification (received_at);
        CREATE INDEX notification_urgent ON notification (delivered_at) WHERE delivered_as = 'urgent';",
        ),
    ])
}

/// An open Baton database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: String,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: shown.clone(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: shown.clone(),
            source,
        })?;
        Self::init(conn, shown)
    }

    /// A private in-memory database, for tests and one-off runs.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(conn, ":memory:".into())
    }

    fn init(mut conn: Connection, path: String) -> Result<Store, StoreError> {
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        conn.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        // Two connections opening a new database at once (the intake's writer and a CLI, say) can
        // both read the old schema version, which the migration library reads before its
        // transaction; the slower one then fails on tables the other has just created. Reading the
        // version again finds that work done, so one retry settles it; a real failure fails twice.
        let migrations = migrations();
        migrations
            .to_latest(&mut conn)
            .or_else(|_| migrations.to_latest(&mut conn))
            .map_err(|source| StoreError::Migration {
                path: path.clone(),
                source,
            })?;
        Ok(Store { conn, path })
    }

    /// The path the store was opened at.
    pub fn path(&self) -> &str {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Runs `read` in one read transaction, so that all its queries see the same committed state:
    /// another connection's commit is seen whole or not at all, never between two of the queries.
    /// Not for use inside another transaction on this connection (SQLite refuses to nest them).
    pub fn snapshot<T, E: From<StoreError>>(
        &self,
        read: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(self.sql())?;
        let out = read(self);
        // Only reads happened: ending the transaction cannot lose anything, so its error is reported
        // only when the reads themselves succeeded.
        let end = self
            .conn
            .execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" })
            .map_err(self.sql());
        let value = out?;
        end?;
        Ok(value)
    }

    /// The stored team, or `None` when none has been imported yet.
    pub fn load_team(&self) -> Result<Option<Team>, StoreError> {
        let sql = self.sql();
        let Some((name, me)) = self
            .conn
            .query_row("SELECT name, me FROM team WHERE id = 1", [], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?))
            })
            .optional()
            .map_err(&sql)?
        else {
            return Ok(None);
        };
        let mut members: Vec<(i64, MemberFile)> = self
            .conn
            .prepare_cached(
                "SELECT id, name, time_zone FROM member WHERE team_id = 1 ORDER BY position",
            )
            .map_err(&sql)?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    MemberFile {
                        name: r.get(1)?,
                        time_zone: r.get(2)?,
                        hours: vec![],
                        focus: vec![],
                        days_off: vec![],
                    },
                ))
            })
            .map_err(&sql)?
            .collect::<Result<_, _>>()
            .map_err(&sql)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.member_id, r.kind, r.spec FROM member_rule r JOIN member m ON m.id = r.member_id
                 WHERE m.team_id = 1 ORDER BY r.member_id, r.kind, r.position",
            )
            .map_err(&sql)?;
        let index: std::collections::HashMap<i64, usize> = members
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(&sql)?;
        for row in rows {
            let (id, kind, spec) = row.map_err(&sql)?;
            let Some(&i) = index.get(&id) else { continue };
            let m = &mut members[i].1;
            match kind.as_str() {
                "hours" => m.hours.push(spec),
                "focus" => m.focus.push(spec),
                _ => m.days_off.push(spec),
            }
        }
        let file = TeamFile {
            name,
            me,
            members: members.into_iter().map(|(_, m)| m).collect(),
        };
        file.validate(None)
            .map(Some)
            .map_err(|problems| StoreError::Corrupt {
                path: self.path.clone(),
                message: problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            })
    }

    /// Replaces the stored team with `team` in one transaction: all of it is written, or nothing.
    pub fn replace_team(&mut self, team: &Team) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        write_team(&tx, team).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Starts a focus session from `now` to `ends_at`, stopping any running one at `now`; one transaction.
    pub fn start_focus(
        &mut self,
        now: Instant,
        ends_at: Instant,
    ) -> Result<FocusSession, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        stop_running(&tx, now).map_err(sql)?;
        tx.execute(
            "INSERT INTO focus_session (started_at, ends_at) VALUES (?1, ?2)",
            params![now.timestamp(), ends_at.timestamp()],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(sql)?;
        Ok(FocusSession {
            id,
            started_at: secs(now.timestamp()),
            ends_at: secs(ends_at.timestamp()),
            stopped_at: None,
        })
    }

    /// Stops the session running at `now`; returns it, or `None` when none was running.
    pub fn stop_focus(&mut self, now: Instant) -> Result<Option<FocusSession>, StoreError> {
        let running = self.active_focus(now)?;
        if running.is_some() {
            stop_running(&self.conn, now).map_err(self.sql())?;
        }
        Ok(running.map(|f| FocusSession {
            stopped_at: Some(secs(now.timestamp())),
            ..f
        }))
    }

    /// The session running at `now`, if any.
    pub fn active_focus(&self, now: Instant) -> Result<Option<FocusSession>, StoreError> {
        Ok(self
            .focus_sessions(Interval {
                start: now,
                end: now + chrono::Duration::seconds(1),
            })?
            .into_iter()
            .find(|f| f.is_active(now)))
    }

    /// Sessions that reach into `span`, oldest first.
    pub fn focus_sessions(&self, span: Interval) -> Result<Vec<FocusSession>, StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, started_at, ends_at, stopped_at FROM focus_session
                 WHERE ends_at > ?1 AND started_at < ?2 ORDER BY started_at",
            )
            .map_err(&sql)?;
        let rows = stmt
            .query_map(params![span.start.timestamp(), span.end.timestamp()], |r| {
                Ok(FocusSession {
                    id: r.get(0)?,
                    started_at: secs(r.get(1)?),
                    ends_at: secs(r.get(2)?),
                    stopped_at: r.get::<_, Option<i64>>(3)?.map(secs),
                })
            })
            .map_err(&sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sql)
    }

    /// A stored setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.sql())
    }

    /// Stores a setting, replacing its old value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// Forgets a stored setting, so its default applies again.
    pub fn clear_setting(&self, key: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM setting WHERE key = ?1", [key])
            .map(drop)
            .map_err(self.sql())
    }
}

/// Marks the session running at `now` as stopped then.
fn stop_running(conn: &Connection, now: Instant) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE focus_session SET stopped_at = ?1
         WHERE started_at <= ?1 AND ends_at > ?1 AND (stopped_at IS NULL OR stopped_at > ?1)",
        params![now.timestamp()],
    )
    .map(drop)
}

/// An instant from stored Unix seconds (out-of-range values, which Baton never writes, read as the epoch).
fn secs(s: i64) -> Instant {
    chrono::DateTime::from_timestamp(s, 0).unwrap_or_default()
}

fn write_team(tx: &Transaction<'_>, team: &Team) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM team", [])?;
    tx.execute(
        "INSERT INTO team (id, name, me) VALUES (1, ?1, ?2)",
        params![team.name, team.me],
    )?;
    let mut member = tx.prepare_cached(
        "INSERT INTO member (team_id, position, name, time_zone) VALUES (1, ?1, ?2, ?3)",
    )?;
    let mut rule = tx.prepare_cached(
        "INSERT INTO member_rule (member_id, kind, position, spec) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let file = team.to_file();
    for (pos, m) in file.members.iter().enumerate() {
        member.execute(params![pos as i64, m.name, m.time_zone])?;
        let id = tx.last_insert_rowid();
        for (kind, specs) in [
            ("hours", &m.hours),
            ("focus", &m.focus),
            ("day_off", &m.days_off),
        ] {
            for (k, spec) in specs.iter().enumerate() {
                rule.execute(params![id, kind, k as i64, spec])?;
            }
        }
    }
    Ok(())
}

/// Where the database lives unless `--db` or `BATON_DB` says otherwise: the OS data directory
/// (`~/.local/share/baton/baton.db` on Linux).
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "baton").map(|d| d.data_dir().join("baton.db"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_sees_another_connections_commit_whole_or_not_at_all() {
        use crate::focus::FocusSession;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let reader = Store::open(&path).unwrap();
        let mut writer = Store::open(&path).unwrap();
        let t = |m: i64| chrono::DateTime::from_timestamp(1_800_000_000 + m * 60, 0).unwrap();
        let sessions = |s: &Store| -> Result<Vec<FocusSession>, StoreError> {
            s.focus_sessions(Interval {
                start: t(0),
                end: t(600),
            })
        };
        let (inside, after) = reader
            .snapshot(|s| {
                let first = sessions(s)?;
                writer.start_focus(t(1), t(30)).unwrap();
                Ok::<_, StoreError>((first.len(), sessions(s)?.len()))
            })
            .unwrap();
        assert_eq!((inside, after), (0, 0), "the commit is not seen inside");
        assert_eq!(sessions(&reader).unwrap().len(), 1, "and is seen after");
        // A failed read rolls back and leaves the connection usable.
        let failed: Result<(), StoreError> = reader.snapshot(|s| {
            sessions(s)?;
            Err(StoreError::Sqlite {
                path: s.path.clone(),
                source: rusqlite::Error::InvalidQuery,
            })
        });
        assert!(failed.is_err());
        assert_eq!(reader.snapshot(|s| sessions(s)).unwrap().len(), 1);
    }

    #[test]
    fn processes_opening_a_new_file_at_once_all_get_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.db");
        let barrier = std::sync::Barrier::new(6);
        std::thread::scope(|s| {
            let opened: Vec<_> = (0..6)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        Store::open(&path).map(drop)
                    })
                })
                .collect();
            for o in opened {
                o.join().unwrap().expect("every opener succeeds");
            }
        });
        assert!(Store::open(&path).unwrap().load_team().unwrap().is_none());
    }

    #[test]
    fn focus_sessions_survive_reopening_and_stop_early() {
        use chrono::{Duration, TimeZone, Utc};
        let dir = std::env::temp_dir().join(format!("baton-focus-{}", std::process::id()));
        let path = dir.join("b.db");
        let now = Utc.with_ymd_and_hms(2026, 3, 9, 14, 0, 0).unwrap();
        {
            let mut store = Store::open(&path).unwrap();
            store.start_focus(now, now + Duration::minutes(25)).unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let later = now + Duration::minutes(10);
        let running = store
            .active_focus(later)
            .unwrap()
            .expect("the session is stored");
        assert_eq!(running.ends_at, now + Duration::minutes(25));
        assert_eq!(
            store.active_focus(now + Duration::minutes(25)).unwrap(),
            None,
            "ends are exclusive"
        );
        // Starting a new session stops the running one at that moment.
        let second = store
            .start_focus(later, later + Duration::minutes(50))
            .unwrap();
        let all = store
            .focus_sessions(Interval {
                start: now,
                end: now + Duration::hours(2),
            })
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].end(), later);
        let stopped = store
            .stop_focus(later + Duration::minutes(5))
            .unwrap()
            .unwrap();
        assert_eq!(
            (stopped.id, stopped.end()),
            (second.id, later + Duration::minutes(5))
        );
        assert_eq!(
            store.stop_focus(later + Duration::minutes(6)).unwrap(),
            None
        );
        store.set_setting("shortcut", "Ctrl+Alt+F").unwrap();
        store.set_setting("shortcut", "Ctrl+Alt+G").unwrap();
        assert_eq!(
            store.setting("shortcut").unwrap().as_deref(),
            Some("Ctrl+Alt+G")
        );
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn team_round_trips_through_the_database() {
        let team = crate::sample::team();
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.load_team().unwrap(), None);
        store.replace_team(&team).unwrap();
        assert_eq!(store.load_team().unwrap(), Some(team.clone()));
        store.replace_team(&team).unwrap();
        assert_eq!(
            store.load_team().unwrap(),
            Some(team),
            "a second import replaces, not appends"
        );
    }

    #[test]
    fn connections_racing_to_create_a_database_all_open_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baton.db");
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || Store::open(&path).map(drop))
            })
            .collect();
        for opener in openers {
            opener.join().unwrap().unwrap();
        }
    }

    #[test]
    fn pragmas_are_set() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("nested/baton.db")).unwrap();
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let fk: i64 = store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), fk), ("wal", 1));
    }
}
