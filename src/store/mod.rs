//! Durable storage in SQLite: the team, settings, focus sessions and the notification queue, shared by
//! the CLI, the intake server and the desktop app.
//!
//! [`Store::open`] is the one way to get a connection: WAL journal (readers never block the writer),
//! foreign keys on, a busy timeout so the CLI and the app can share a file, then the migrations, applied
//! all-or-nothing. Migrations are append-only; a shipped one is never edited. Schedules are stored as their
//! canonical spec strings, so the database and the team file say exactly the same thing.
//!
//! The files are private (see `files`): a directory Baton makes is 0700, the database 0600 (and so its
//! `-wal` and `-shm`, which SQLite creates with the database's mode); wider modes are narrowed at open,
//! for the directory only when it is Baton's own. A new database is made whole under a temporary name
//! and linked into place once migrated, so a file at the path is never Baton's half-made one: an empty
//! file there is refused, not silently taken as a new database. An existing database must pass
//! `PRAGMA quick_check`; a damaged one is copied aside and refused, never changed.

pub mod settings;
pub mod source;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Transaction};
use rusqlite_migration::{Migrations, M};
use thiserror::Error;

use crate::team::focus::FocusSession;
use crate::team::{MemberFile, Team, TeamFile, TripFile};
use crate::time::interval::{Instant, Interval};

pub mod calendar;
pub mod dnd;
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
    /// The database file or its directory could not be read, checked or written.
    #[error("database {path}: {source}")]
    File {
        /// The database file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file at the database's path is empty: not a database Baton made (it makes new ones whole).
    #[error(
        "database {path} is an empty file (0 bytes), not a Baton database, so Baton does not start on \
         it: what it held may have been lost. Restore a backup to {path}, or move the empty file away \
         (or delete it) to start with a new, empty database"
    )]
    Empty {
        /// The database file.
        path: String,
    },
    /// The database failed SQLite's integrity check; it was left as it is.
    #[error("{}", damaged_message(path, problem, copy))]
    Damaged {
        /// The database file.
        path: String,
        /// What the check found.
        problem: String,
        /// Where a copy of the damaged file was kept, or why none could be made.
        copy: Result<PathBuf, String>,
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

fn damaged_message(path: &str, problem: &str, copy: &Result<PathBuf, String>) -> String {
    let kept = match copy {
        Ok(copy) => format!("a copy of it is kept at {}", copy.display()),
        Err(why) => format!("no copy of it could be made ({why})"),
    };
    format!(
        "database {path} is damaged ({problem}), so Baton does not start on it; it was left as it is and \
         {kept}. To go on: restore a backup to {path}; or try `sqlite3 {path} .recover | sqlite3 \
         recovered.db` and move recovered.db to {path}; or move {path} away to start with a new, empty \
         database"
    )
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
        // Issue 9: an item the notification service refused is set aside as `failed` (with when and
        // why), and idempotency keys are scoped per source. SQLite cannot change a CHECK or a UNIQUE
        // in place, so the table is rebuilt: every row copied, then the indexes made again (without
        // the unused `notification_urgent`).
        M::up(
            "CREATE TABLE notification_v4 (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            grp TEXT,
            sender TEXT,
            title TEXT NOT NULL,
            body TEXT,
            urgency TEXT NOT NULL CHECK (urgency IN ('low', 'normal', 'high', 'critical')),
            url TEXT,
            idempotency_key TEXT,
            received_at INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'held'
                CHECK (state IN ('held', 'delivered', 'done', 'failed')),
            delivered_at INTEGER,
            delivered_as TEXT CHECK (delivered_as IN ('urgent', 'digest')),
            done_at INTEGER,
            failed_at INTEGER,
            failure TEXT,
            UNIQUE (source, idempotency_key)
        );
        INSERT INTO notification_v4
            (id, source, grp, sender, title, body, urgency, url, idempotency_key, received_at, state,
             delivered_at, delivered_as, done_at)
            SELECT id, source, grp, sender, title, body, urgency, url, idempotency_key, received_at,
                   state, delivered_at, delivered_as, done_at
            FROM notification;
        DROP TABLE notification;
        ALTER TABLE notification_v4 RENAME TO notification;
        CREATE INDEX notification_state ON notification (state, received_at);
        CREATE INDEX notification_received ON notification (received_at);",
        ),
        // Issue 11: a member's public-holiday region (as written back by `Team::to_file`, `NULL` for
        // none) and trips (local dates as `YYYY-MM-DD`, inclusive, and an IANA zone), in file order.
        M::up(
            "ALTER TABLE member ADD COLUMN holidays TEXT;
        CREATE TABLE member_trip (
            member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            from_date TEXT NOT NULL,
            to_date TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            PRIMARY KEY (member_id, position)
        );",
        ),
        // Issue 11: where a followed team comes from and how its last check went (see `source`), and
        // `me` moves to the machine: the stored team's `me` becomes the `me` setting, so nothing
        // changes for today's users; `team.me` stays as the team file's default.
        M::up(
            "CREATE TABLE team_source (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            kind TEXT NOT NULL CHECK (kind IN ('folder', 'file', 'url')),
            location TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            checked_at INTEGER,
            changed_at INTEGER,
            hash TEXT,
            error TEXT,
            problems TEXT
        );
        INSERT INTO setting (key, value)
            SELECT 'me', trim(me) FROM team WHERE id = 1 AND me IS NOT NULL AND trim(me) <> ''
            ON CONFLICT (key) DO NOTHING;",
        ),
        // Issue 12: a member's calendar feed (from the team file), the calendars Baton reads (a
        // teammate's feed, owned by that member's name, or one of mine, owner `NULL`), the last good
        // reading of each (busy and out-of-office occurrences; titles only for mine), and the events
        // Baton published to a CalDAV calendar (so it touches only those).
        M::up(
            "ALTER TABLE member ADD COLUMN calendar TEXT;
        CREATE TABLE calendar (
            id INTEGER PRIMARY KEY,
            owner TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('ics', 'caldav')),
            url TEXT NOT NULL,
            name TEXT,
            account TEXT,
            user_name TEXT,
            publish INTEGER NOT NULL DEFAULT 0,
            etag TEXT,
            last_modified TEXT,
            ctag TEXT,
            sync_token TEXT,
            checked_at INTEGER,
            changed_at INTEGER,
            hash TEXT,
            error TEXT
        );
        CREATE UNIQUE INDEX calendar_by_owner_url ON calendar (coalesce(owner, ''), url);
        CREATE TABLE calendar_event (
            calendar_id INTEGER NOT NULL REFERENCES calendar(id) ON DELETE CASCADE,
            start_at INTEGER NOT NULL,
            end_at INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('busy', 'out_of_office')),
            first_date TEXT,
            last_date TEXT,
            uid TEXT NOT NULL,
            title TEXT
        );
        CREATE INDEX calendar_event_by_calendar ON calendar_event (calendar_id, start_at);
        CREATE TABLE calendar_published (
            calendar_id INTEGER NOT NULL REFERENCES calendar(id) ON DELETE CASCADE,
            uid TEXT NOT NULL,
            url TEXT NOT NULL,
            etag TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (calendar_id, uid)
        );",
        ),
        // Issue 13: the desktop's do-not-disturb as Baton found it before turning it on (see
        // `dnd`), written before the switch so that a runner that dies during focus restores it at
        // its next start. At most one row: Baton holds one desktop's do-not-disturb at a time.
        M::up(
            "CREATE TABLE dnd_change (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            backend TEXT NOT NULL,
            found_on INTEGER NOT NULL CHECK (found_on IN (0, 1)),
            changed_at INTEGER NOT NULL
        );",
        ),
        // Issue 15: a counter that every write to what the delivery policy reads (the team, focus,
        // settings, calendars) moves on, so that the intake can keep the policy's inputs between
        // requests and still answer each one from the current ones (see `Store::policy_version`).
        M::up(
            "CREATE TABLE policy_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            n INTEGER NOT NULL
        );
        INSERT INTO policy_version (id, n) VALUES (1, 0);
        CREATE TRIGGER policy_team_insert AFTER INSERT ON team
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_team_update AFTER UPDATE ON team
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_team_delete AFTER DELETE ON team
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_insert AFTER INSERT ON member
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_update AFTER UPDATE ON member
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_delete AFTER DELETE ON member
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_rule_insert AFTER INSERT ON member_rule
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_rule_update AFTER UPDATE ON member_rule
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_rule_delete AFTER DELETE ON member_rule
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_trip_insert AFTER INSERT ON member_trip
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_trip_update AFTER UPDATE ON member_trip
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_member_trip_delete AFTER DELETE ON member_trip
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_focus_session_insert AFTER INSERT ON focus_session
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_focus_session_update AFTER UPDATE ON focus_session
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_focus_session_delete AFTER DELETE ON focus_session
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_setting_insert AFTER INSERT ON setting
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_setting_update AFTER UPDATE ON setting
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_setting_delete AFTER DELETE ON setting
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_calendar_event_insert AFTER INSERT ON calendar_event
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_calendar_event_update AFTER UPDATE ON calendar_event
            BEGIN UPDATE policy_version SET n = n + 1; END;
        CREATE TRIGGER policy_calendar_event_delete AFTER DELETE ON calendar_event
            BEGIN UPDATE policy_version SET n = n + 1; END;
        ",
        ),
    ])
}

/// A connection a long-running loop (the team follower, the calendar loop) opens at its first use and
/// keeps: such a loop looks at the database after every write to it, and opening a store each time
/// would repeat the opener's checks. After a database error it is opened afresh at the next use.
/// Clones share the one connection.
#[derive(Debug, Clone, Default)]
pub struct HeldStore(std::sync::Arc<std::sync::Mutex<Option<Store>>>);

impl HeldStore {
    /// Runs `f` on the store of the database at `db`, opening it first if needed; an error that
    /// `is_db_error` calls a database error drops the connection.
    pub fn with<T, E: From<StoreError>>(
        &self,
        db: &Path,
        is_db_error: impl Fn(&E) -> bool,
        f: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let store = match &mut *slot {
            Some(store) => store,
            empty => empty.insert(Store::open(db)?),
        };
        let result = f(store);
        if result.as_ref().err().is_some_and(is_db_error) {
            *slot = None;
        }
        result
    }
}

/// Milliseconds since the epoch, as the status columns store an instant.
pub(crate) fn ms(t: Instant) -> i64 {
    t.timestamp_millis()
}

/// A stored millisecond instant, back.
pub(crate) fn at(ms: Option<i64>) -> Option<Instant> {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
}

/// An open Baton database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: String,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// A missing directory is created private (0700); the default data directory, or any directory this
    /// call creates, is Baton's own and has a wider mode narrowed. The database and its `-wal` and
    /// `-shm` are narrowed to 0600. A new database is created whole (see the module's documentation);
    /// an empty file at `path` is refused ([`StoreError::Empty`]), and so is a damaged database
    /// ([`StoreError::Damaged`]), after a copy of it is kept beside it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let file_error = |source| StoreError::File {
            path: shown.clone(),
            source,
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let created = files::create_private_dir(dir).map_err(|source| StoreError::CreateDir {
            path: shown.clone(),
            source,
        })?;
        if !created && is_default_data_dir(dir) {
            files::repair_dir(dir).map_err(file_error)?;
        }
        let meta = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                create_whole(path, &shown)?;
                std::fs::metadata(path).map_err(|e| {
                    if e.kind() == std::io::ErrorKind::NotFound {
                        file_error(std::io::Error::new(
                            e.kind(),
                            "it is a symbolic link to a missing file; point it at a database, or \
                             remove it to start with a new one",
                        ))
                    } else {
                        file_error(e)
                    }
                })?
            }
            other => other.map_err(file_error)?,
        };
        if meta.len() == 0 {
            return Err(StoreError::Empty { path: shown });
        }
        files::repair_file(path, "database").map_err(file_error)?;
        for suffix in ["-wal", "-shm"] {
            files::repair_file(&with_suffix(path, suffix), "database file").map_err(file_error)?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: shown.clone(),
            source,
        })?;
        checked_once(path, || check_whole(&conn, path, &shown))?;
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
                "SELECT id, name, time_zone, holidays, calendar FROM member WHERE team_id = 1
                 ORDER BY position",
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
                        holidays: r.get(3)?,
                        travel: vec![],
                        calendar: r.get(4)?,
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
        let mut trips = self
            .conn
            .prepare_cached(
                "SELECT t.member_id, t.from_date, t.to_date, t.time_zone
                 FROM member_trip t JOIN member m ON m.id = t.member_id
                 WHERE m.team_id = 1 ORDER BY t.member_id, t.position",
            )
            .map_err(&sql)?;
        let rows = trips
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    TripFile {
                        from: r.get(1)?,
                        to: r.get(2)?,
                        time_zone: r.get(3)?,
                    },
                ))
            })
            .map_err(&sql)?;
        for row in rows {
            let (id, trip) = row.map_err(&sql)?;
            if let Some(&i) = index.get(&id) {
                members[i].1.travel.push(trip);
            }
        }
        let mut file = TeamFile {
            name,
            me,
            members: members.into_iter().map(|(_, m)| m).collect(),
        };
        file.me = source::effective_me(self.setting(settings::ME)?, file.me, &file.members);
        let mut team = file
            .validate(None)
            .map_err(|problems| StoreError::Corrupt {
                path: self.path.clone(),
                message: problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            })?;
        self.attach_calendars(&mut team)?;
        Ok(Some(team))
    }

    /// Replaces the stored team with `team`, a local team (imported or edited here), in one
    /// transaction: all of it is written, or nothing. Its `me` is this machine's choice, so it
    /// becomes the `me` setting too (cleared when `None`), as an import or the editor's "This is me"
    /// always did. A followed team's versions go through [`Store::apply_team_version`] instead,
    /// which leaves the setting alone.
    pub fn replace_team(&mut self, team: &Team) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        write_team(&tx, team).map_err(sql)?;
        source::write_me(&tx, team.me.as_deref()).map_err(sql)?;
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

    /// A number that changes with every write to what the delivery policy reads: the team (members,
    /// their rules and trips), focus sessions, settings and calendar events. Equal numbers mean those
    /// are as they were; the notification queue does not move it.
    pub fn policy_version(&self) -> Result<i64, StoreError> {
        self.conn
            .prepare_cached("SELECT n FROM policy_version WHERE id = 1")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(self.sql())
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

pub(crate) fn write_team(tx: &Transaction<'_>, team: &Team) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM team", [])?;
    tx.execute(
        "INSERT INTO team (id, name, me) VALUES (1, ?1, ?2)",
        params![team.name, team.me],
    )?;
    let mut member = tx.prepare_cached(
        "INSERT INTO member (team_id, position, name, time_zone, holidays, calendar)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut trip = tx.prepare_cached(
        "INSERT INTO member_trip (member_id, position, from_date, to_date, time_zone)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut rule = tx.prepare_cached(
        "INSERT INTO member_rule (member_id, kind, position, spec) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let file = team.to_file();
    for (pos, m) in file.members.iter().enumerate() {
        member.execute(params![
            pos as i64,
            m.name,
            m.time_zone,
            m.holidays,
            m.calendar
        ])?;
        let id = tx.last_insert_rowid();
        for (k, t) in m.travel.iter().enumerate() {
            trip.execute(params![id, k as i64, t.from, t.to, t.time_zone])?;
        }
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

/// `path` with `suffix` appended to its file name (`baton.db` and `-wal` give `baton.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether `dir` is the default data directory (the parent of [`default_db_path`]).
fn is_default_data_dir(dir: &Path) -> bool {
    let Some(default) = default_db_path() else {
        return false;
    };
    let Some(default_dir) = default.parent() else {
        return false;
    };
    match (
        std::fs::canonicalize(dir),
        std::fs::canonicalize(default_dir),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Creates the database at `path` whole: under a temporary name (0600, so SQLite's `-wal` and `-shm`
/// are private too), migrated, checkpointed and synced, then hard-linked into place. The link fails
/// when another process got there first, and then its database is used: concurrent first opens agree
/// on one file, and none ever sees a file at `path` that is not a whole database.
fn create_whole(path: &Path, shown: &str) -> Result<(), StoreError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let file_error = |source| StoreError::File {
        path: shown.to_string(),
        source,
    };
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = with_suffix(path, &format!(".new-{}-{n}.tmp", std::process::id()));
    let made = (|| {
        files::create_private_file(&tmp).map_err(file_error)?;
        let conn = Connection::open(&tmp).map_err(|source| StoreError::Sqlite {
            path: shown.to_string(),
            source,
        })?;
        let store = Store::init(conn, shown.to_string())?;
        let sql = store.sql();
        store
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(&sql)?;
        drop(sql);
        store
            .conn
            .close()
            .map_err(|(_, source)| StoreError::Sqlite {
                path: shown.to_string(),
                source,
            })?;
        // Opened for writing: Windows' FlushFileBuffers refuses a read-only handle (access denied).
        std::fs::OpenOptions::new()
            .write(true)
            .open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(file_error)?;
        match std::fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(file_error(e)),
        }
    })();
    for leftover in [
        tmp.clone(),
        with_suffix(&tmp, "-wal"),
        with_suffix(&tmp, "-shm"),
    ] {
        let _ = std::fs::remove_file(leftover);
    }
    // The link is durable once the directory is synced. Best effort: not every system can open a
    // directory for syncing.
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    made
}

/// Runs `check` unless this process has already checked the database at `path` as it is now (the
/// same canonical path, file, length and modification time) and found it whole. The integrity check
/// reads every page (about half a second for 100,000 notifications), so a long-running process (a
/// runner, the window) checks at its first open and again only when the file was rewritten since, not
/// on each of its many opens. SQLite itself reports a damaged page it reads in between.
fn checked_once(
    path: &Path,
    check: impl FnOnce() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock, PoisonError};
    static WHOLE: OnceLock<Mutex<HashSet<(PathBuf, String)>>> = OnceLock::new();
    let Ok(meta) = std::fs::metadata(path) else {
        return check();
    };
    let key = (
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        file_version(&meta),
    );
    let whole = || {
        WHOLE
            .get_or_init(|| Mutex::new(HashSet::new()))
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    };
    if whole().contains(&key) {
        return Ok(());
    }
    check()?;
    whole().insert(key);
    Ok(())
}

/// What tells one state of a file from another: its identity, length and modification time.
fn file_version(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    let id = {
        use std::os::unix::fs::MetadataExt;
        format!("{}:{}", meta.dev(), meta.ino())
    };
    #[cfg(not(unix))]
    let id = String::new();
    format!("{id}:{}:{:?}", meta.len(), meta.modified().ok())
}

/// Runs `PRAGMA quick_check` on the database `conn` has open, before anything writes to it. A damaged
/// database is copied aside and refused; the connection closes without the checkpoint that would
/// otherwise move the write-ahead log into the damaged file, so the original is left byte for byte.
fn check_whole(conn: &Connection, path: &Path, shown: &str) -> Result<(), StoreError> {
    let sql = |source| StoreError::Sqlite {
        path: shown.to_string(),
        source,
    };
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .map_err(sql)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
    let found: rusqlite::Result<Vec<String>> = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect());
    let problem = match found {
        Ok(rows) if rows.len() == 1 && rows[0] == "ok" => None,
        Ok(rows) => {
            let shown_rows: Vec<&str> = rows.iter().take(3).map(String::as_str).collect();
            let more = rows.len().saturating_sub(shown_rows.len());
            Some(if more > 0 {
                format!("{}; and {more} more problems", shown_rows.join("; "))
            } else {
                shown_rows.join("; ")
            })
        }
        Err(rusqlite::Error::SqliteFailure(e, message))
            if matches!(e.code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) =>
        {
            Some(message.unwrap_or_else(|| e.to_string()))
        }
        Err(e) => return Err(sql(e)),
    };
    if let Some(problem) = problem {
        return Err(StoreError::Damaged {
            path: shown.to_string(),
            problem,
            copy: keep_copy(path),
        });
    }
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)
        .map_err(sql)?;
    Ok(())
}

/// Copies the damaged database at `path` (and its write-ahead log, when it holds anything) to
/// `<path>.damaged-YYYYMMDDTHHMMSSZ` (0600, a new name: nothing is ever replaced).
fn keep_copy(path: &Path) -> Result<PathBuf, String> {
    // The name's instant only tells copies apart for the user; no rule depends on it.
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let copy_one = |from: &Path, to: &Path| -> std::io::Result<()> {
        let mut source = std::fs::File::open(from)?;
        let mut target = files::create_private_file(to)?;
        std::io::copy(&mut source, &mut target)?;
        target.sync_all()
    };
    for n in 0..100 {
        let suffix = if n == 0 {
            format!(".damaged-{stamp}")
        } else {
            format!(".damaged-{stamp}-{n}")
        };
        let copy = with_suffix(path, &suffix);
        match copy_one(path, &copy) {
            Ok(()) => {
                // Opening the database leaves an empty log even when there was none.
                let wal = with_suffix(path, "-wal");
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                    copy_one(&wal, &with_suffix(&copy, "-wal"))
                        .map_err(|e| format!("copying {}: {e}", wal.display()))?;
                }
                return Ok(copy);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("copying to {}: {e}", copy.display())),
        }
    }
    Err("too many copies with the same name".into())
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
        use crate::team::focus::FocusSession;
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
        let team = crate::team::sample::team();
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
    fn a_database_at_migration_3_keeps_every_row_through_the_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 3).unwrap();
            conn.execute_batch(
                "INSERT INTO notification (id, source, grp, sender, title, body, urgency, url,
                     idempotency_key, received_at, state, delivered_at, delivered_as, done_at)
                 VALUES
                 (1, 'ci', 'b-1', 'jenkins', 'held one', 'a body', 'high', 'https://ci/1', 'k1',
                  1000, 'held', NULL, NULL, NULL),
                 (2, 'ci', NULL, NULL, 'delivered', NULL, 'normal', NULL, NULL, 2000,
                  'delivered', 2500, 'urgent', NULL),
                 (7, 'mail', NULL, NULL, 'done', NULL, 'low', NULL, 'k2', 3000, 'done', 3100,
                  'digest', 3200);",
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        type Row = (
            i64,
            String,
            Option<String>,
            String,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Row> = store
            .conn
            .prepare(
                "SELECT id, source, idempotency_key, state, delivered_as, done_at FROM notification
                 ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (1, "ci".into(), Some("k1".into()), "held".into(), None, None),
                (
                    2,
                    "ci".into(),
                    None,
                    "delivered".into(),
                    Some("urgent".into()),
                    None
                ),
                (
                    7,
                    "mail".into(),
                    Some("k2".into()),
                    "done".into(),
                    Some("digest".into()),
                    Some(3200)
                ),
            ],
            "every row and its ids survive the rebuild"
        );
        let full = store
            .notifications(queue::NotificationFilter::All, 10)
            .unwrap();
        assert_eq!(
            (
                full[2].title.as_str(),
                full[2].body.as_deref(),
                full[2].url.as_deref()
            ),
            ("held one", Some("a body"), Some("https://ci/1"))
        );
        let indexes: Vec<String> = store
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notification' AND sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(indexes, vec!["notification_received", "notification_state"]);
        // The new table takes what the old one refused: a failed state, and a key another source used.
        store
            .conn
            .execute(
                "UPDATE notification SET state = 'failed', failed_at = 4000, failure = 'x' WHERE id = 1",
                [],
            )
            .unwrap();
        let mut other = crate::notify::notification::NewNotification {
            source: "mail".into(),
            group: None,
            sender: None,
            title: "same key".into(),
            body: None,
            urgency: crate::notify::notification::Urgency::Normal,
            url: None,
            idempotency_key: Some("k1".into()),
        };
        let at = chrono::DateTime::from_timestamp(5, 0).unwrap();
        assert!(!store.accept_notifications(&[other.clone()], at).unwrap()[0].duplicate);
        other.source = "ci".into();
        assert_eq!(
            store.accept_notifications(&[other], at).unwrap()[0],
            queue::Accepted {
                id: 1,
                duplicate: true
            }
        );
    }

    #[test]
    fn migration_5_moves_the_stored_me_into_the_machines_setting() {
        let dir = tempfile::tempdir().unwrap();
        for (me, expected) in [(Some("Kenji"), Some("Kenji")), (None, None)] {
            let path = dir.path().join(format!("v4-{}.db", me.unwrap_or("none")));
            {
                let mut conn = Connection::open(&path).unwrap();
                migrations().to_version(&mut conn, 4).unwrap();
                conn.execute(
                    "INSERT INTO team (id, name, me) VALUES (1, 'Platform', ?1)",
                    [me],
                )
                .unwrap();
                conn.execute_batch(
                    "INSERT INTO member (team_id, position, name, time_zone)
                     VALUES (1, 0, 'Ana', 'UTC'), (1, 1, 'Kenji', 'Asia/Tokyo');",
                )
                .unwrap();
            }
            let store = Store::open(&path).unwrap();
            assert_eq!(store.setting(settings::ME).unwrap().as_deref(), expected);
            let team = store.load_team().unwrap().unwrap();
            assert_eq!(
                team.me.as_deref(),
                expected,
                "nothing changes for today's users"
            );
            assert!(
                store.team_source().unwrap().is_none(),
                "a local team stays local"
            );
        }
    }

    #[test]
    fn the_me_setting_wins_over_the_files_me_and_a_local_import_sets_it() {
        let mut store = Store::open_in_memory().unwrap();
        let mut team = crate::team::sample::team();
        store.replace_team(&team).unwrap();
        assert_eq!(store.setting(settings::ME).unwrap().as_deref(), Some("Ana"));
        store.set_setting(settings::ME, "kenji").unwrap();
        assert_eq!(
            store.load_team().unwrap().unwrap().me.as_deref(),
            Some("Kenji"),
            "the setting, in the member's own spelling"
        );
        store.set_setting(settings::ME, "Someone Gone").unwrap();
        assert_eq!(
            store.load_team().unwrap().unwrap().me,
            None,
            "a setting naming nobody in the team is nobody, not the file's default"
        );
        store.clear_setting(settings::ME).unwrap();
        assert_eq!(
            store.load_team().unwrap().unwrap().me.as_deref(),
            Some("Ana"),
            "unset: the file's me"
        );
        team.me = None;
        store.replace_team(&team).unwrap();
        assert_eq!(store.setting(settings::ME).unwrap(), None);
        assert_eq!(store.load_team().unwrap().unwrap().me, None);
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

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    fn sibling(db: &Path, suffix: &str) -> PathBuf {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    }

    #[cfg(unix)]
    #[test]
    fn a_new_database_its_wal_and_shm_the_token_and_the_directories_made_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let made = dir.path().join("made");
        let data = made.join("by-baton");
        let db = data.join("baton.db");
        let store = Store::open(&db).unwrap();
        // The -wal and -shm files exist while a connection that wrote is open.
        store.set_setting("k", "v").unwrap();
        let token = crate::notify::intake::Token::path_for(&db);
        crate::notify::intake::Token::load_or_create(&token).unwrap();
        for (file, expected) in [
            (made, 0o700),
            (data, 0o700),
            (db.clone(), 0o600),
            (sibling(&db, "-wal"), 0o600),
            (sibling(&db, "-shm"), 0o600),
            (token, 0o600),
        ] {
            assert_eq!(mode(&file), expected, "{} is private", file.display());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_database_others_could_read_is_made_private_at_open_and_its_directory_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // A directory Baton did not make (like /tmp or a home for `--db /tmp/x.db`) keeps its mode.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let db = dir.path().join("baton.db");
        let first = Store::open(&db).unwrap();
        first.set_setting("k", "v").unwrap();
        let files = [db.clone(), sibling(&db, "-wal"), sibling(&db, "-shm")];
        for file in &files {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let _second = Store::open(&db).unwrap();
        for file in &files {
            assert_eq!(mode(file), 0o600, "{} is repaired", file.display());
        }
        assert_eq!(
            mode(dir.path()),
            0o755,
            "not Baton's directory: left as it is"
        );
    }

    #[test]
    fn an_empty_database_file_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        std::fs::write(&db, b"").unwrap();
        let err = Store::open(&db).unwrap_err().to_string();
        assert!(
            err.contains(&db.display().to_string()) && err.contains("empty"),
            "{err}"
        );
        assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "left as it was");
    }

    #[test]
    fn a_database_with_a_damaged_page_is_refused_kept_as_it_was_and_copied_aside() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        {
            let store = Store::open(&db).unwrap();
            // Enough rows for the notification table to fill many pages.
            store
                .conn
                .execute_batch(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                     INSERT INTO notification (source, title, body, urgency, received_at)
                     SELECT 'ci', 'title ' || i, printf('%.100c', 'x'), 'normal', i FROM n",
                )
                .unwrap();
        } // The last connection's close moves the WAL into the file.
        let mut bytes = std::fs::read(&db).unwrap();
        let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
        // A table leaf page (type 0x0d) holding many rows: the middle of the table.
        let leaves: Vec<usize> = (1..bytes.len() / page)
            .filter(|p| {
                let at = p * page;
                bytes[at] == 0x0d && u16::from_be_bytes([bytes[at + 3], bytes[at + 4]]) > 10
            })
            .collect();
        let at = leaves[leaves.len() / 2] * page;
        bytes[at + page / 4..at + 3 * page / 4].fill(0xff);
        std::fs::write(&db, &bytes).unwrap();

        let err = Store::open(&db).unwrap_err().to_string();
        assert!(
            err.contains(&db.display().to_string()) && err.contains("damaged"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            bytes,
            "the original is untouched"
        );
        let copies: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("baton.db.damaged-")
                    && !p.to_string_lossy().ends_with("-shm")
            })
            .collect();
        assert_eq!(copies.len(), 1, "one copy is kept: {copies:?}");
        assert_eq!(std::fs::read(&copies[0]).unwrap(), bytes, "an exact copy");
        assert!(
            err.contains(&copies[0].display().to_string()),
            "the message says where the copy is: {err}"
        );
        // This process opened the database whole before it was damaged: the check still runs, and
        // a refused database is refused again at every open, never taken as checked.
        assert!(matches!(Store::open(&db), Err(StoreError::Damaged { .. })));
    }

    #[test]
    fn holidays_and_travel_survive_the_migration_and_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v4.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 4).unwrap();
            conn.execute_batch(
                "INSERT INTO team (id, name, me) VALUES (1, 'T', 'Ana');
                 INSERT INTO member (id, team_id, position, name, time_zone)
                     VALUES (1, 1, 0, 'Ana', 'Europe/Berlin');
                 INSERT INTO member_rule (member_id, kind, position, spec)
                     VALUES (1, 'hours', 0, 'mon-fri 09:00-17:00');",
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let before = store.load_team().unwrap().unwrap();
        assert_eq!(
            before.members[0].holidays, None,
            "a team stored before issue 11"
        );
        assert!(before.members[0].travel.is_empty());
        let team = Team::from_toml_str(
            r#"
name = "T"
me = "Ana"
[[members]]
name = "Ana"
time_zone = "Europe/Berlin"
hours = ["mon-fri 09:00-17:00"]
holidays = "de-by"
travel = [
  { from = "2027-03-01", to = "2027-03-05", time_zone = "America/New_York" },
  { from = "2027-02-01", to = "2027-02-14", time_zone = "Asia/Tokyo" },
]
[[members]]
name = "Bo"
time_zone = "UTC"
"#,
            "t.toml",
        )
        .unwrap();
        store.replace_team(&team).unwrap();
        drop(store);
        let again = Store::open(&path).unwrap().load_team().unwrap().unwrap();
        assert_eq!(again, team);
        assert_eq!(
            again.members[0].holidays.as_ref().map(|h| h.region()),
            Some("DE-BY")
        );
        assert_eq!(
            again.members[0].travel[0].time_zone,
            chrono_tz::Asia::Tokyo,
            "trips are kept in date order"
        );
    }
}
