//! One runner per database: the desktop app and `baton daemon` both serve the intake API and deliver
//! notifications from the same queue, so only one of them may run on a database at a time.
//!
//! The runner holds an advisory lock (`flock` on Unix, `LockFileEx` on Windows, through the standard
//! library's `File::try_lock`) on `<database>.lock` for as long as it runs, and writes who it is and its
//! process id into the file so that a second runner can say exactly what is in the way. The operating
//! system drops the lock when the process ends, however it ends, so a crash never leaves a stale lock;
//! the file's text is only read while the lock is held by someone, so it is never stale either.
//!
//! ```no_run
//! use baton::runner::{RunnerLock, DAEMON};
//! let _lock = RunnerLock::acquire(std::path::Path::new("/tmp/baton.db"), DAEMON)?;
//! // ... serve until asked to stop; the lock goes with `_lock`.
//! # Ok::<(), baton::runner::RunnerError>(())
//! ```

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

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
    /// The lock file for the database at `db`: `<db>.lock`.
    pub fn path_for(db: &Path) -> PathBuf {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Takes the lock for the database at `db` as `who` (such as [`DAEMON`] or [`DESKTOP_APP`]),
    /// without waiting.
    pub fn acquire(db: &Path, who: &str) -> Result<RunnerLock, RunnerError> {
        let path = RunnerLock::path_for(db);
        let io = |source| RunnerError::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        // Not truncated on open: the text belongs to whoever holds the lock.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
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
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        writeln!(file, "{who}\n{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(RunnerLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_runner_is_told_who_is_running() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        let first = RunnerLock::acquire(&db, DESKTOP_APP).unwrap();
        assert_eq!(first.path(), dir.path().join("baton.db.lock"));
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
}
