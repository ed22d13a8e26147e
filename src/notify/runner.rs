//! One runner per database: the desktop app and `baton daemon` both serve the intake API and deliver
//! notifications from the same queue, so only one of them may run on a database at a time.
//!
//! The runner holds an advisory lock (`flock` on Unix, `LockFileEx` on Windows, through the standard
//! library's `File::try_lock`) on `<database>.lock` for as long as it runs, and writes who it is and its
//! process id into the file so that a second runner can say exactly what is in the way. The operating
//! system drops the lock when the process ends, however it ends, so a crash never leaves a stale lock;
//! the file's text is only read while the lock is held by someone, so it is never stale either.
//!
//! The lock is named after the database's canonical path (links and `..` resolved), so two runners
//! reaching one database file by different paths (a symlinked file or directory) meet at one lock. Hard
//! links are not covered: two names for one database file already break SQLite, whose `-wal` and `-shm`
//! go by name, so they are not a way to use Baton. The lock file is opened without following a link and
//! must be a regular file of the current user's with no other name, since Baton truncates and writes it.
//!
//! ```no_run
//! use baton::notify::runner::{RunnerLock, DAEMON};
//! let _lock = RunnerLock::acquire(std::path::Path::new("/tmp/baton.db"), DAEMON)?;
//! // ... serve until asked to stop; the lock goes with `_lock`.
//! # Ok::<(), baton::notify::runner::RunnerError>(())
//! ```

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::store::files::{self, Refusal};

/// How the desktop app names itself in the lock file.
pub const DESKTOP_APP: &str = "the Baton desktop app";
/// How `baton daemon` names itself in the lock file.
pub const DAEMON: &str = "baton daemon";

/// Why the lock could not be taken.
#[derive(Debug, Error)]
pub enum RunnerError {
    /// Another runner holds it.
    #[error("{who} (pid {pid}) is already running on {db}; stop it first, or use another database with --db")]
    AlreadyRunning {
        /// How the other runner names itself.
        who: String,
        /// Its process id, as it wrote it (0 if it had not written it yet).
        pid: u32,
        /// The database.
        db: String,
    },
    /// The lock file is not one Baton may write (a link, not a regular file, another user's).
    #[error(
        "lock file {path} {problem}; remove it (no Baton is running on it then) and start again"
    )]
    Refused {
        /// The lock file.
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The lock file could not be opened, locked or written.
    #[error("cannot lock {path}: {source}")]
    Io {
        /// The lock file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The held lock; dropping it lets another runner start.
#[derive(Debug)]
pub struct RunnerLock {
    // Closing the file releases the lock.
    _file: File,
    path: PathBuf,
}

impl RunnerLock {
    /// The lock file for the database at `db`: `<db>.lock`, for `db` as given ([`RunnerLock::acquire`]
    /// gives it the database's canonical path).
    pub fn path_for(db: &Path) -> PathBuf {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Takes the lock for the database at `db` as `who` (such as [`DAEMON`] or [`DESKTOP_APP`]),
    /// without waiting. The lock is the one for `db`'s canonical path, so every path to one database
    /// file finds it.
    pub fn acquire(db: &Path, who: &str) -> Result<RunnerLock, RunnerError> {
        let io_at = |path: &Path| {
            let path = path.display().to_string();
            move |source| RunnerError::Io {
                path: path.clone(),
                source,
            }
        };
        let path = RunnerLock::path_for(&canonical_db(db).map_err(io_at(db))?);
        let io = io_at(&path);
        // Not truncated on open: the text belongs to whoever holds the lock.
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(crate::store::files::PRIVATE_FILE);
        }
        let refused = |problem: String| RunnerError::Refused {
            path: path.display().to_string(),
            problem,
        };
        let (mut file, meta) = match files::open_own_regular(&path, &mut options) {
            Ok(opened) => opened,
            Err(Refusal::Io(e)) => return Err(io(e)),
            Err(other) => return Err(refused(other.to_string())),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if meta.nlink() > 1 {
                return Err(refused(format!(
                    "has {} names (hard links), so writing it would change another file",
                    meta.nlink()
                )));
            }
        }
        #[cfg(not(unix))]
        let _ = meta;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let mut lines = text.lines();
                let who = lines
                    .next()
                    .filter(|w| !w.trim().is_empty())
                    .unwrap_or("another Baton runner")
                    .to_string();
                let pid = lines
                    .next()
                    .and_then(|p| p.trim().parse().ok())
                    .unwrap_or(0);
                return Err(RunnerError::AlreadyRunning {
                    who,
                    pid,
                    db: db.display().to_string(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(&io)?;
        file.rewind().map_err(&io)?;
        writeln!(file, "{who}\n{}", std::process::id()).map_err(&io)?;
        file.flush().map_err(&io)?;
        Ok(RunnerLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The canonical path of the database at `db`: the file's when it exists, else its directory's (created,
/// private, when missing) joined with its name.
fn canonical_db(db: &Path) -> std::io::Result<PathBuf> {
    if db.exists() {
        return std::fs::canonicalize(db);
    }
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    files::create_private_dir(dir)?;
    let name = db.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the database path does not end in a file name",
        )
    })?;
    Ok(std::fs::canonicalize(dir)?.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_runner_is_told_who_is_running() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        let first = RunnerLock::acquire(&db, DESKTOP_APP).unwrap();
        let canonical_dir = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(first.path(), canonical_dir.join("baton.db.lock"));
        let err = RunnerLock::acquire(&db, DAEMON).unwrap_err();
        let expected = format!(
            "the Baton desktop app (pid {}) is already running on {}",
            std::process::id(),
            db.display()
        );
        assert!(err.to_string().starts_with(&expected), "{err}");
        drop(first);
        let again = RunnerLock::acquire(&db, DAEMON);
        assert!(again.is_ok(), "the lock goes with the runner: {again:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_that_is_a_symlink_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        let target = dir.path().join("precious.txt");
        std::fs::write(&target, "keep me\n").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("baton.db.lock")).unwrap();
        let err = RunnerLock::acquire(&db, DAEMON).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "keep me\n",
            "the file the link points to is not written"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_second_runner_through_a_symlinked_path_is_told_who_is_running() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("data");
        std::fs::create_dir(&real).unwrap();
        let db = real.join("baton.db");
        std::fs::write(&db, "").unwrap();
        std::os::unix::fs::symlink(&db, real.join("alias.db")).unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        let _first = RunnerLock::acquire(&db, DESKTOP_APP).unwrap();
        for alias in [real.join("alias.db"), dir.path().join("link/baton.db")] {
            match RunnerLock::acquire(&alias, DAEMON) {
                Err(RunnerError::AlreadyRunning { who, pid, .. }) => {
                    assert_eq!((who.as_str(), pid), (DESKTOP_APP, std::process::id()));
                }
                other => panic!("{} got past the lock: {other:?}", alias.display()),
            }
        }
    }
}
