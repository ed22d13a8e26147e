//! Where a calendar account's password is kept: the system keyring when one answers, else a file in
//! Baton's data directory that only the user can read.
//!
//! The keyring is the `keyring` crate: the Secret Service on Linux (GNOME Keyring, KWallet), the
//! Keychain on macOS, the Credential Manager on Windows; an entry is service `baton`, user the
//! account key (e.g. `caldav:ana@dav.example.com`). A machine without one (a server, a minimal
//! desktop, a test run: no Secret Service on the session bus) gets the fallback file
//! [`SECRETS_FILE`], a JSON object of key → secret, created 0600 (never widened and narrowed) and
//! replaced whole by a rename, with the same careful opening as the intake token (no symbolic link,
//! a regular file of the user's own: see [`crate::store::files`]). `BATON_NO_KEYRING=1` forces the
//! file. Secrets never appear in messages.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::store::files::{self, Refusal};

/// The fallback file's name, in Baton's data directory.
pub const SECRETS_FILE: &str = "secrets.json";

/// The keyring service name of every Baton secret.
pub const KEYRING_SERVICE: &str = "baton";

/// The environment variable that, set to `1`, keeps secrets out of the keyring (in the file).
pub const NO_KEYRING_ENV: &str = "BATON_NO_KEYRING";

/// Most bytes the fallback file may hold.
const MAX_SECRETS_FILE: u64 = 1024 * 1024;

/// Where a secret was put.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretStore {
    /// The system keyring.
    Keyring,
    /// The fallback file at this path.
    File(PathBuf),
}

impl fmt::Display for SecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretStore::Keyring => f.write_str("the system keyring"),
            SecretStore::File(path) => {
                let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
                let shown = match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
                    Some(rest) => format!("~/{}", rest.display()),
                    None => path.display().to_string(),
                };
                write!(f, "the file {shown} (readable by you only)")
            }
        }
    }
}

/// Why a secret could not be kept or read.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// Reading or writing the fallback file failed.
    #[error("the secrets file {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
    /// The fallback file is not one Baton reads (a link, another user's, too large).
    #[error("the secrets file {path} {problem}; remove it and enter the password again")]
    Refused {
        /// The file.
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The fallback file is not a JSON object of strings.
    #[error("the secrets file {path} is damaged (not a JSON object of strings); remove it and enter the password again")]
    Corrupt {
        /// The file.
        path: String,
    },
    /// The keyring answered with an error other than "not available".
    #[error("the system keyring refused the secret: {message}")]
    Keyring {
        /// Its message (never the secret).
        message: String,
    },
}

/// Keeps `secret` under `key`: in the keyring if one answers (any copy in the file is removed),
/// else in the fallback file in `data_dir`. Answers where it went.
pub fn save_secret(data_dir: &Path, key: &str, secret: &str) -> Result<SecretStore, SecretError> {
    if keyring_allowed() {
        match keyring_entry(key).and_then(|e| e.set_password(secret)) {
            Ok(()) => {
                remove_from_file(&secrets_path(data_dir), key)?;
                return Ok(SecretStore::Keyring);
            }
            Err(e) if unavailable(&e) => {}
            Err(e) => return Err(keyring_error(e)),
        }
    }
    let path = secrets_path(data_dir);
    save_in_file(&path, key, secret)?;
    Ok(SecretStore::File(path))
}

/// The secret kept under `key` (the keyring's, else the fallback file's), `None` when there is
/// none.
pub fn load_secret(data_dir: &Path, key: &str) -> Result<Option<String>, SecretError> {
    if keyring_allowed() {
        match keyring_entry(key).and_then(|e| e.get_password()) {
            Ok(secret) => return Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => {}
            Err(e) if unavailable(&e) => {}
            Err(e) => return Err(keyring_error(e)),
        }
    }
    load_from_file(&secrets_path(data_dir), key)
}

/// Forgets the secret kept under `key`, in the keyring and in the fallback file. Forgetting one
/// that is not kept is not an error.
pub fn delete_secret(data_dir: &Path, key: &str) -> Result<(), SecretError> {
    if keyring_allowed() {
        match keyring_entry(key).and_then(|e| e.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(e) if unavailable(&e) => {}
            Err(e) => return Err(keyring_error(e)),
        }
    }
    remove_from_file(&secrets_path(data_dir), key)
}

/// The fallback file of `data_dir`.
pub fn secrets_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SECRETS_FILE)
}

fn keyring_allowed() -> bool {
    std::env::var_os(NO_KEYRING_ENV).is_none_or(|v| v != "1")
}

fn keyring_entry(key: &str) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(KEYRING_SERVICE, key)
}

/// Whether the keyring error means there is no keyring to talk to (no Secret Service on the bus,
/// a locked or absent store).
fn unavailable(e: &keyring::Error) -> bool {
    matches!(
        e,
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)
    )
}

fn keyring_error(e: keyring::Error) -> SecretError {
    SecretError::Keyring {
        message: e.to_string(),
    }
}

fn save_in_file(path: &Path, key: &str, secret: &str) -> Result<(), SecretError> {
    let mut all = read_file(path)?;
    all.insert(key.to_string(), secret.to_string());
    write_file(path, &all)
}

fn load_from_file(path: &Path, key: &str) -> Result<Option<String>, SecretError> {
    Ok(read_file(path)?.remove(key))
}

fn remove_from_file(path: &Path, key: &str) -> Result<(), SecretError> {
    let mut all = read_file(path)?;
    if all.remove(key).is_some() {
        write_file(path, &all)?;
    }
    Ok(())
}

/// Every secret in the file (none when there is no file). A file others could read is narrowed to
/// 0600 first, with a line on standard error.
fn read_file(path: &Path) -> Result<BTreeMap<String, String>, SecretError> {
    let shown = || path.display().to_string();
    let io = |source| SecretError::File {
        path: shown(),
        source,
    };
    let (file, meta) = match files::open_own_regular(path, std::fs::OpenOptions::new().read(true)) {
        Ok(opened) => opened,
        Err(Refusal::Missing) => return Ok(BTreeMap::new()),
        Err(Refusal::Io(source)) => return Err(io(source)),
        Err(other) => {
            return Err(SecretError::Refused {
                path: shown(),
                problem: other.to_string(),
            })
        }
    };
    files::repair_file(path, "secrets file").map_err(io)?;
    let too_large = || SecretError::Refused {
        path: shown(),
        problem: format!("is larger than a secrets file can be ({MAX_SECRETS_FILE} bytes)"),
    };
    if meta.len() > MAX_SECRETS_FILE {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(MAX_SECRETS_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_SECRETS_FILE {
        return Err(too_large());
    }
    serde_json::from_slice(&bytes).map_err(|_| SecretError::Corrupt { path: shown() })
}

/// Replaces the file with `all`: written whole under a temporary name created 0600, then renamed
/// over the old one, so a reader sees the old secrets or the new ones.
fn write_file(path: &Path, all: &BTreeMap<String, String>) -> Result<(), SecretError> {
    let io = |source| SecretError::File {
        path: path.display().to_string(),
        source,
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        files::create_private_dir(dir).map_err(io)?;
    }
    let text = serde_json::to_string_pretty(all).map_err(|e| io(std::io::Error::other(e)))?;
    let tmp = temp_path(path);
    let written = files::create_private_file(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

/// A temporary name next to `path`, unique within this process and across processes.
fn temp_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!("{SECRETS_FILE}.{}.{n}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_file_is_private_and_round_trips_and_forgets() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("baton");
        let path = secrets_path(&data);
        assert_eq!(
            load_from_file(&path, "caldav:ana@h").unwrap(),
            None,
            "no file yet"
        );
        save_in_file(&path, "caldav:ana@h", "pw \"1\"").unwrap();
        save_in_file(&path, "caldav:ben@h", "pw2").unwrap();
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600, "only its owner may read it");
        assert_eq!(
            load_from_file(&path, "caldav:ana@h").unwrap().as_deref(),
            Some("pw \"1\"")
        );
        remove_from_file(&path, "caldav:ana@h").unwrap();
        assert_eq!(load_from_file(&path, "caldav:ana@h").unwrap(), None);
        assert_eq!(
            load_from_file(&path, "caldav:ben@h").unwrap().as_deref(),
            Some("pw2"),
            "the other secret stays"
        );
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600, "still private after a rewrite");
        let leftovers: Vec<_> = std::fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != SECRETS_FILE)
            .collect();
        assert!(
            leftovers.is_empty(),
            "no temporary files left: {leftovers:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_could_read_is_narrowed_and_a_link_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = secrets_path(dir.path());
        save_in_file(&path, "k", "v").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(load_from_file(&path, "k").unwrap().as_deref(), Some("v"));
        assert_eq!(mode(&path), 0o600);

        let other = tempfile::tempdir().unwrap();
        let link = secrets_path(other.path());
        std::os::unix::fs::symlink(&path, &link).unwrap();
        let e = load_from_file(&link, "k").unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
    }

    #[test]
    fn a_damaged_file_is_an_error_that_shows_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = secrets_path(dir.path());
        std::fs::write(&path, "{\"k\": \"s3cret\"").unwrap();
        let e = load_from_file(&path, "k").unwrap_err().to_string();
        assert!(e.contains("damaged") && !e.contains("s3cret"), "{e}");
    }

    /// Against a real Secret Service, which a plain test run does not have. Run it with:
    /// `dbus-run-session -- sh -c 'echo pw | gnome-keyring-daemon --unlock --components=secrets
    /// >/dev/null; cargo test -p baton --lib calendar::secret -- --ignored'`.
    #[test]
    #[ignore = "needs a Secret Service on the session bus (see its doc comment)"]
    fn the_keyring_keeps_the_secret_and_the_file_does_not() {
        assert!(keyring_allowed(), "{NO_KEYRING_ENV} is set");
        let dir = tempfile::tempdir().unwrap();
        let key = format!("caldav:test-{}@localhost", std::process::id());
        // A copy left in the file from a time without a keyring goes when the keyring takes it.
        save_in_file(&secrets_path(dir.path()), &key, "old").unwrap();
        let store = save_secret(dir.path(), &key, "s3cret").unwrap();
        assert_eq!(store, SecretStore::Keyring);
        assert_eq!(
            load_from_file(&secrets_path(dir.path()), &key).unwrap(),
            None
        );
        assert_eq!(
            load_secret(dir.path(), &key).unwrap().as_deref(),
            Some("s3cret")
        );
        delete_secret(dir.path(), &key).unwrap();
        assert_eq!(load_secret(dir.path(), &key).unwrap(), None);
    }

    #[test]
    fn the_store_says_where_the_secret_is() {
        assert_eq!(SecretStore::Keyring.to_string(), "the system keyring");
        let shown = SecretStore::File(PathBuf::from("/srv/baton/secrets.json")).to_string();
        assert_eq!(
            shown,
            "the file /srv/baton/secrets.json (readable by you only)"
        );
    }
}
