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

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use super::IntakeError;

/// Name of the token file, in the database's directory.
pub const TOKEN_FILE: &str = "intake-token";

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
    pub fn load(path: &Path) -> Result<Option<Token>, IntakeError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(IntakeError::TokenFile {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        let token = text.trim();
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(IntakeError::TokenCorrupt {
                path: path.display().to_string(),
            });
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
            std::fs::create_dir_all(dir).map_err(io)?;
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
            std::fs::create_dir_all(dir).map_err(io)?;
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
/// modification time or size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl FileStamp {
    /// The stamp of the file at `path`, or `None` when it cannot be read (missing, say).
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
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
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(format!("{first:?}"), "Token(..)", "Debug hides the secret");
    }

    #[test]
    fn regenerating_replaces_the_file_and_the_intake_follows_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TOKEN_FILE);
        let first = Token::load_or_create(&path).unwrap();
        let current = CurrentToken::new(path.clone(), first.clone());
        assert!(current.matches(first.as_str().as_bytes()));

        let second = Token::regenerate(&path).unwrap();
        assert_ne!(second, first);
        assert_eq!(Token::load(&path).unwrap(), Some(second.clone()));
        assert!(current.matches(second.as_str().as_bytes()));
        assert!(!current.matches(first.as_str().as_bytes()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o777,
                0o600,
                "the new file is as private as the first"
            );
        }
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
