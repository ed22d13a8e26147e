//! Tells a process when another one changed the database: the tray process redraws its menu when focus
//! starts in the window, and the window redraws when the tray, the CLI or an import wrote something.
//!
//! It rests on the operating system's file notifications (inotify on Linux), so a watching process sleeps
//! until a write happens: no polling. Only writes to the database file and its write-ahead log count.
//!
//! A change is reported once the writes have been quiet for [`SETTLE`]. SQLite appends a commit to the
//! log first and publishes it in the shared-memory index afterwards, which file notifications cannot
//! see; a reader that looked at the first write would still read the old state. The pause also folds a
//! burst of writes into one report.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// How long writes must have been quiet before a change is reported.
pub const SETTLE: Duration = Duration::from_millis(150);

/// Watches one database until dropped.
pub struct DbWatcher {
    _watcher: RecommendedWatcher,
}

impl std::fmt::Debug for DbWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbWatcher")
    }
}

impl DbWatcher {
    /// Calls `changed` (on a thread of the watcher's own) after writes to the database at `db`, once
    /// they have settled.
    pub fn start(
        db: &Path,
        changed: impl Fn() + Send + 'static,
    ) -> Result<DbWatcher, notify::Error> {
        let db = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
        let mut wal = db.clone().into_os_string();
        wal.push("-wal");
        let files: [PathBuf; 2] = [db.clone(), wal.into()];
        // Under a steady stream of writes, still report at least every eight settles.
        let wrote_tx = settled(SETTLE, Some(SETTLE * 8), changed);
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                let wrote = matches!(event.kind, EventKind::Modify(_) | EventKind::Create(_));
                if wrote && event.paths.iter().any(|p| files.contains(p)) {
                    let _ = wrote_tx.send(());
                }
            })?;
        // The directory, not the files: the write-ahead log comes and goes.
        let dir = db.parent().unwrap_or(Path::new("/"));
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
        Ok(DbWatcher { _watcher: watcher })
    }
}

/// Calls `changed` on a thread of its own once the events sent to the returned sender have been quiet
/// for `settle` (so a burst of writes is one call), and at least every `at_most` under a steady stream
/// when that is given. The thread ends when the sender is dropped (with the watcher holding it).
pub(crate) fn settled(
    settle: Duration,
    at_most: Option<Duration>,
    changed: impl Fn() + Send + 'static,
) -> mpsc::Sender<()> {
    let (wrote_tx, wrote) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        while wrote.recv().is_ok() {
            let latest = at_most.map(|d| std::time::Instant::now() + d);
            loop {
                let quiet = latest.map_or(settle, |l| {
                    settle.min(l.saturating_duration_since(std::time::Instant::now()))
                });
                match wrote.recv_timeout(quiet) {
                    Ok(()) => continue,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            changed();
        }
    });
    wrote_tx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_from_another_connection_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baton.db");
        let store = crate::store::Store::open(&path).unwrap();
        let (tx, rx) = mpsc::channel();
        let _watcher = DbWatcher::start(&path, move || {
            let _ = tx.send(());
        })
        .unwrap();
        // Another connection, as the CLI would be.
        let other = crate::store::Store::open(&path).unwrap();
        other.set_setting("focus_shortcut", "Ctrl+Alt+F").unwrap();
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the write was reported");
        drop(store);
    }
}
