//! The intake API's bearer token: 32 random bytes from the operating system, as 64 hex digits, in a file
//! next to the database that only its owner can read.
//!
//! The file is written whole under a temporary name created with mode 0600 (never widened and narrowed
//! afterwards), then hard-linked into place: the link fails if another process got there first, so two
//! runners starting at once agree on one token and no reader ever sees a half-written file.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

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
        let tmp = path.with_file_name(format!("{TOKEN_FILE}.{}.tmp", std::process::id()));
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
