//! The files Baton keeps beside its database (the database, its `-wal` and `-shm`, the intake token,
//! the runner lock): who may read them, and opening them without being led somewhere else.
//!
//! Modes are set explicitly here rather than through the process umask. The core is shared by three
//! binaries, tests and benches: one rule in the core covers them all, where a umask would have to be set
//! in each binary before its first thread starts (it is process-wide) and would then also narrow files
//! the user asks for elsewhere and the umask of every program Baton starts (a browser opened on a
//! link); and a umask cannot repair a file made wide by an earlier version anyway. So a directory Baton
//! creates is 0700, each file Baton creates is created 0600 (never widened and narrowed afterwards), and
//! SQLite's unix VFS gives `-wal` and `-shm` the database file's own mode when it creates them
//! (`findCreateFileMode` and `unixOpenSharedMemory` read it, `robust_open` applies it past the umask).
//!
//! Files that hold a secret or that Baton writes into blindly (the token, the lock) are opened with
//! `O_NOFOLLOW | O_NONBLOCK` and then checked on the open descriptor: a regular file, owned by the
//! current user. Checking the open file rather than the path leaves no window for a swap between the
//! check and the use; `O_NONBLOCK` keeps a FIFO planted at the path from blocking the open.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Mode of every file Baton creates beside its database.
#[cfg(unix)]
pub(crate) const PRIVATE_FILE: u32 = 0o600;

/// Mode of a directory Baton creates.
#[cfg(unix)]
const PRIVATE_DIR: u32 = 0o700;

/// Creates `dir` and any missing parents, private to the user (0700 on Unix). Answers whether `dir`
/// was missing, so it is now Baton's own.
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<bool> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(false);
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(PRIVATE_DIR);
    }
    builder.create(dir)?;
    Ok(true)
}

/// Creates `path`, which must not exist, readable and writable by its owner only.
pub(crate) fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PRIVATE_FILE);
    }
    options.open(path)
}

/// Narrows the mode of the directory `dir` to 0700 when group or others have any access to it,
/// saying so on standard error. Only for a directory that is Baton's own (see `Store::open`).
pub(crate) fn repair_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    return repair(dir, PRIVATE_DIR, "data directory");
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Narrows the mode of the file `path` (followed if it is a link) to 0600 when group or others have
/// any access to it, saying so on standard error. A missing file, or one of another user's (which only
/// its owner could change), is left as it is.
pub(crate) fn repair_file(path: &Path, what: &str) -> io::Result<()> {
    #[cfg(unix)]
    return repair(path, PRIVATE_FILE, what);
    #[cfg(not(unix))]
    {
        let _ = (path, what);
        Ok(())
    }
}

#[cfg(unix)]
fn repair(path: &Path, private: u32, what: &str) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 == 0 || meta.uid() != current_user() {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(private))?;
    eprintln!(
        "baton: {what} {} was mode {mode:04o}, open to other users; changed it to {private:04o}",
        path.display()
    );
    Ok(())
}

/// The user Baton runs as (the effective user id).
#[cfg(unix)]
pub(crate) fn current_user() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Why a file beside the database was not used.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// There is no file at the path.
    Missing,
    /// The path is a symbolic link.
    Symlink,
    /// The path is something other than a regular file (a directory, FIFO, device, socket).
    NotRegular,
    /// The file belongs to another user (Unix: elsewhere no owner is compared).
    #[cfg(unix)]
    OtherOwner {
        /// Its owner's user id.
        owner: u32,
        /// Ours.
        me: u32,
    },
    /// Opening or checking failed.
    Io(io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Missing => f.write_str("does not exist"),
            Refusal::Symlink => f.write_str(
                "is a symbolic link, which Baton does not follow (it must be a regular file of its own)",
            ),
            Refusal::NotRegular => {
                f.write_str("is not a regular file (a directory, FIFO, device or socket)")
            }
            #[cfg(unix)]
            Refusal::OtherOwner { owner, me } => write!(
                f,
                "belongs to another user (uid {owner}; Baton runs as uid {me}), so someone else may \
                 have put it there"
            ),
            Refusal::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Opens `path` with `options`, never through a symbolic link, and checks on the open file that it is
/// a regular file owned by the current user. Answers the file and its metadata.
pub(crate) fn open_own_regular(
    path: &Path,
    options: &mut OpenOptions,
) -> Result<(File, std::fs::Metadata), Refusal> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
        // The flags' bits are small positive constants, so the conversion cannot fail.
        options.custom_flags(i32::try_from(flags.bits()).unwrap_or(0));
        let file = options
            .open(path)
            .map_err(|e| refusal_of_failed_open(path, e))?;
        let meta = file.metadata().map_err(Refusal::Io)?;
        check_opened(&meta, current_user())?;
        Ok((file, meta))
    }
    #[cfg(not(unix))]
    {
        // No O_NOFOLLOW: refuse a link seen at the path, then check the file that was opened.
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Refusal::Symlink);
        }
        let file = options
            .open(path)
            .map_err(|e| refusal_of_failed_open(path, e))?;
        let meta = file.metadata().map_err(Refusal::Io)?;
        if !meta.is_file() {
            return Err(Refusal::NotRegular);
        }
        Ok((file, meta))
    }
}

/// What a failed open means: `O_NOFOLLOW` fails on a link (with `ELOOP` on Linux and macOS, other
/// codes elsewhere), so the path is looked at again to say so.
fn refusal_of_failed_open(path: &Path, e: io::Error) -> Refusal {
    if e.kind() == io::ErrorKind::NotFound {
        return Refusal::Missing;
    }
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Refusal::Symlink;
    }
    Refusal::Io(e)
}

/// Checks an opened file: a regular file owned by the user `me`.
#[cfg(unix)]
fn check_opened(meta: &std::fs::Metadata, me: u32) -> Result<(), Refusal> {
    use std::os::unix::fs::MetadataExt;
    let owner = meta.uid();
    if !meta.is_file() {
        return Err(Refusal::NotRegular);
    }
    if owner != me {
        return Err(Refusal::OtherOwner { owner, me });
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_another_user_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        create_private_file(&path).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let me = current_user();
        assert!(check_opened(&meta, me).is_ok());
        // As seen by another user, the file is someone else's.
        let other = me.wrapping_add(1);
        let refused = check_opened(&meta, other).unwrap_err().to_string();
        assert!(
            refused.contains(&format!("uid {me}; Baton runs as uid {other}")),
            "{refused}"
        );
    }
}
