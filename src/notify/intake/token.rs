//! The intake API's bearer token: 32 random bytes from the operating system, as 64 hex digits, in a file
//! next to the database that only its owner can read.
//!
//! The file is written whole under a temporary name created with mode 0600 (never widened and narrowed
//! afterwards), then hard-linked into place: the link fails if another process got there first, so two
//! runners starting at once agree on one token and no reader ever sees a half-written file. A new token
//! ([`Token::regenerate`]) is written the same way and renamed over the old file, so a reader sees either
//! the old token or the new one.
//!
//! The running intake lives in another process (the tray, or `baton daemon`), so it cannot be told about
//! a new token; [`CurrentToken`] notices instead: it looks at the file's metadata on every request and
//! re-reads the file when its inode, size or modification time changed. That is one `stat` per request,
//! far below the cost of the request itself, and no restart or signal is needed.
//!
//! Reading is careful, because the file is a secret in a place others might reach: it is opened without
//! following a symbolic link and must be a regular file of the current user's, at most
//! [`MAX_TOKEN_FILE`] bytes (and no more is ever read). A file that group or others could read is
//! taken as leaked and replaced by a new token, with a line on standard error; anything else wrong is
//! refused with the path and what to do, since guessing could hand the secret to someone else.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use super::IntakeError;
use crate::store::files::{self, Refusal};

/// Name of the token file, in the database's directory.
pub const TOKEN_FILE: &str = "intake-token";

/// The most a token file may hold: 64 hex digits and a line end, with room for stray whitespace.
pub const MAX_TOKEN_FILE: u64 = 1024;

/// A bearer token. Its `Debug` form hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Token {
    /// Where the token for the database at `db` lives: `intake-token` in the same directory.
    pub fn path_for(db: &Path) -> PathBuf {
        db.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join(TOKEN_FILE)
    }

    /// A fresh random token.
    pub fn generate() -> Result<Token, IntakeError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| IntakeError::Random(e.to_string()))?;
        Ok(Token(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// The token stored at `path`, or `None` when there is no file yet.
    ///
    /// A token file that group or others may read is considered leaked: it is replaced with a fresh
    /// token (see [`Token::regenerate`]), which is returned, and a line on standard error says so. A
    /// symbolic link, something other than a regular file, a file of another user's or one larger
    /// than [`MAX_TOKEN_FILE`] is refused ([`IntakeError::TokenRefused`]) without being read.
    pub fn load(path: &Path) -> Result<Option<Token>, IntakeError> {
        let shown = || path.display().to_string();
        let refused = |problem: String| IntakeError::TokenRefused {
            path: shown(),
            problem,
        };
        let (file, meta) =
            match files::open_own_regular(path, std::fs::OpenOptions::new().read(true)) {
                Ok(opened) => opened,
                Err(Refusal::Missing) => return Ok(None),
                Err(Refusal::Io(source)) => {
                    return Err(IntakeError::TokenFile {
                        path: shown(),
                        source,
                    })
                }
                Err(other) => {
                    return Err(refused(format!(
                        "{other}; remove it, and a new token is made at the next start"
                    )))
                }
            };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let mode = meta.mode() & 0o7777;
            if mode & 0o077 != 0 {
                drop(file);
                let token = Token::regenerate(path)?;
                eprintln!(
                    "baton: token file {} was mode {mode:04o}, readable by other users, so its token is \
                     considered leaked: replaced it with a new token (mode 0600); programs that post to \
                     Baton need the new one",
                    shown()
                );
                return Ok(Some(token));
            }
        }
        let too_large = |len: u64| {
            refused(format!(
                "is {len} bytes, larger than a token file can be ({MAX_TOKEN_FILE} bytes); remove it, \
                 and a new token is made at the next start"
            ))
        };
        if meta.len() > MAX_TOKEN_FILE {
            return Err(too_large(meta.len()));
        }
        // Bounded even if the file grows after the check.
        let mut bytes = Vec::new();
        file.take(MAX_TOKEN_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| IntakeError::TokenFile {
                path: shown(),
                source,
            })?;
        if bytes.len() as u64 > MAX_TOKEN_FILE {
            return Err(too_large(bytes.len() as u64));
        }
        let token = std::str::from_utf8(&bytes).unwrap_or_default().trim();
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(IntakeError::TokenCorrupt { path: shown() });
        }
        Ok(Some(Token(token.to_ascii_lowercase())))
    }

    /// The token stored at `path`, creating the file (mode 0600) with a fresh token when there is none.
    pub fn load_or_create(path: &Path) -> Result<Token, IntakeError> {
        if let Some(token) = Token::load(path)? {
            return Ok(token);
        }
        let io = |source| IntakeError::TokenFile {
            path: path.display().to_string(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            files::create_private_dir(dir).map_err(io)?;
        }
        let token = Token::generate()?;
        let tmp = temp_path(path);
        let written = write_private(&tmp, &token.0);
        let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(token),
            // Another runner created it between our read and our link: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Token::load(path)?
                .ok_or_else(|| IntakeError::TokenCorrupt {
                    path: path.display().to_string(),
                }),
            Err(e) => Err(io(e)),
        }
    }

    /// Replaces the token at `path` with a fresh one (creating the file when there is none) and returns
    /// it. The new file is complete and private (0600) before it is renamed over the old one, so a
    /// running intake that re-reads the file (see [`CurrentToken`]) accepts the new token and refuses
    /// the old one from its next request on.
    pub fn regenerate(path: &Path) -> Result<Token, IntakeError> {
        let io = |source| IntakeError::TokenFile {
            path: path.display().to_string(),
            source,
        };
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            files::create_private_dir(dir).map_err(io)?;
        }
        let token = Token::generate()?;
        let tmp = temp_path(path);
        let renamed = write_private(&tmp, &token.0).and_then(|()| std::fs::rename(&tmp, path));
        if let Err(e) = renamed {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        // The rename is durable once the directory is synced; without that a power cut could bring the
        // old token back. Best effort: not every system can open a directory for syncing.
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir.unwrap_or(Path::new("."))) {
            let _ = d.sync_all();
        }
        Ok(token)
    }

    /// The token's text, for the `Authorization: Bearer` header.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `presented` is this token, comparing in time that does not depend on where they differ.
    pub fn matches(&self, presented: &[u8]) -> bool {
        let ours = self.0.as_bytes();
        if presented.len() != ours.len() {
            // The length is public (always 64), so leaving early here reveals nothing.
            return false;
        }
        let diff = ours
            .iter()
            .zip(presented)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        std::hint::black_box(diff) == 0
    }
}

/// A temporary name next to `path`, unique within this process and across processes.
fn temp_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!("{TOKEN_FILE}.{}.{n}.tmp", std::process::id()))
}

/// What identifies one version of the token file: a rename gives a new inode, a rewrite in place a new
/// modification time or size, a `chmod` a new mode (a token made readable by others is replaced).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
    #[cfg(unix)]
    inode: (u64, u64, u32),
}

impl FileStamp {
    /// The stamp of the file at `path` (a link's own, not its target's), or `None` when it cannot be
    /// read (missing, say).
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        Some(FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino(), meta.mode())
            },
        })
    }
}

/// The token a running intake checks requests against: the token file's current content.
///
/// It starts from the token the intake was configured with and re-reads the file whenever the file's
/// stamp differs from the one last read (the first request always reads it). A file that is missing or
/// does not hold a token leaves the last good token in force: the intake keeps working, and
/// `baton intake info` reports the broken file.
#[derive(Debug)]
pub struct CurrentToken {
    path: PathBuf,
    cached: Mutex<(Token, Option<FileStamp>)>,
}

impl CurrentToken {
    /// Follows the file at `path`, with `token` in force until the file is read.
    pub fn new(path: PathBuf, token: Token) -> CurrentToken {
        CurrentToken {
            path,
            cached: Mutex::new((token, None)),
        }
    }

    /// Whether `presented` is the current token (compared in constant time, see [`Token::matches`]).
    pub fn matches(&self, presented: &[u8]) -> bool {
        self.current().matches(presented)
    }

    /// The token in force now: the file's, re-read when it changed.
    pub fn current(&self) -> Token {
        // The stamp is taken before the read: a file replaced in between is read again next time.
        let stamp = FileStamp::of(&self.path);
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        if stamp.is_some() && stamp != cached.1 {
            if let Ok(Some(token)) = Token::load(&self.path) {
                cached.0 = token;
            }
            cached.1 = stamp;
        }
        cached.0.clone()
    }
}

/// Creates `path` readable and writable by its owner only, and writes `text` into it durably.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = files::create_private_file(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token file created in `dir`, and a [`CurrentToken`] following it, which takes that token.
    fn followed(dir: &tempfile::TempDir) -> (PathBuf, Token, CurrentToken) {
        let path = dir.path().join(TOKEN_FILE);
        let first = Token::load_or_create(&path).unwrap();
        let current = CurrentToken::new(path.clone(), first.clone());
        assert!(current.matches(first.as_str().as_bytes()));
        (path, first, current)
    }

    /// The file's permission bits (`0o600`: its owner may read and write it, nobody else anything).
    #[cfg(unix)]
    fn permission_bits(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn created_once_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let path = Token::path_for(&dir.path().join("baton.db"));
        assert_eq!(path, dir.path().join(TOKEN_FILE));
        assert_eq!(Token::load(&path).unwrap(), None);
        let first = Token::load_or_create(&path).unwrap();
        assert_eq!(first.as_str().len(), 64);
        assert_eq!(
            Token::load_or_create(&path).unwrap(),
            first,
            "a second start reuses the file"
        );
        #[cfg(unix)]
        assert_eq!(permission_bits(&path), 0o600);
        assert_eq!(format!("{first:?}"), "Token(..)", "Debug hides the secret");
    }

    #[test]
    fn regenerating_replaces_the_file_and_the_intake_follows_it() {
        let dir = tempfile::tempdir().unwrap();
        let (path, first, current) = followed(&dir);

        let second = Token::regenerate(&path).unwrap();
        assert_ne!(second, first);
        assert_eq!(Token::load(&path).unwrap(), Some(second.clone()));
        assert!(current.matches(second.as_str().as_bytes()));
        assert!(!current.matches(first.as_str().as_bytes()));
        #[cfg(unix)]
        assert_eq!(
            permission_bits(&path),
            0o600,
            "the new file is as private as the first"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [TOKEN_FILE], "no temporary file is left behind");

        // A broken or missing file keeps the last good token in force.
        std::fs::write(&path, "not a token\n").unwrap();
        assert!(current.matches(second.as_str().as_bytes()));
        std::fs::remove_file(&path).unwrap();
        assert!(current.matches(second.as_str().as_bytes()));
        // Regenerating without a file creates one.
        let third = Token::regenerate(&path).unwrap();
        assert!(current.matches(third.as_str().as_bytes()));
        assert!(!current.matches(second.as_str().as_bytes()));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_dev_zero_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TOKEN_FILE);
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        for err in [
            Token::load(&path).unwrap_err(),
            Token::load_or_create(&path).unwrap_err(),
        ] {
            let text = err.to_string();
            assert!(
                text.contains(&path.display().to_string()) && text.contains("symbolic link"),
                "the refusal names the file and what is wrong with it: {text}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_token_others_could_read_is_replaced_as_leaked() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (path, first, current) = followed(&dir);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            !current.matches(first.as_str().as_bytes()),
            "the running intake notices the chmod and stops taking the leaked token"
        );
        let second = Token::load(&path).unwrap().unwrap();
        assert_ne!(
            second, first,
            "a token others could read must be considered leaked"
        );
        assert_eq!(permission_bits(&path), 0o600, "its replacement is private");
        assert_eq!(Token::load(&path).unwrap(), Some(second));
    }

    #[cfg(unix)]
    #[test]
    fn a_token_that_is_not_a_small_regular_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TOKEN_FILE);
        let refused = |expected: &str| {
            let text = Token::load(&path).unwrap_err().to_string();
            assert!(
                text.contains(&path.display().to_string()) && text.contains(expected),
                "expected \"{expected}\" and the path in: {text}"
            );
        };
        std::fs::create_dir(&path).unwrap();
        refused("not a regular file");
        std::fs::remove_dir(&path).unwrap();
        // Opening a FIFO for reading would wait for a writer forever.
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        refused("not a regular file");
        std::fs::remove_file(&path).unwrap();
        write_private(&path, &"0".repeat(1 << 20)).unwrap();
        refused("larger than");
    }

    #[test]
    fn matching() {
        let t = Token::generate().unwrap();
        assert!(t.matches(t.as_str().as_bytes()));
        let mut wrong = t.as_str().as_bytes().to_vec();
        wrong[63] = if wrong[63] == b'0' { b'1' } else { b'0' };
        assert!(!t.matches(&wrong));
        assert!(!t.matches(b""));
        assert_ne!(t, Token::generate().unwrap());
    }
}
