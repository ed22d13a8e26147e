//! Team sources: where a followed team comes from, read as a whole and validated before anything is
//! stored.
//!
//! A [`TeamSource`] is one outside place a team lives in, one implementation per backend: a
//! [`folder::FolderSource`] (`team.toml` plus `members/*.toml`, one file per person, so each person
//! edits only their own file), a [`file::FileSource`] (one team file, TOML or JSON, as `baton team
//! import` reads it) and a [`url::UrlSource`] (an `https://` team file, fetched with a conditional GET).
//! [`memory::ScriptedSource`] is the recording double for tests.
//!
//! Reading a source gives a whole [`Reading`]: a validated [`Team`] with the content hash and the
//! HTTP validators that identify this version, or [`Reading::Unchanged`] (a 304, or the same bytes as
//! the last good version), or a [`SourceError`] that names the source and, for a bad team, every
//! problem with its file, line, member and field, in the messages of [`TeamError`]. A source never
//! stores anything: [`follow`] applies a reading to the database (one transaction, the last good team
//! kept on error) and runs the watcher or timer that re-reads it.
//!
//! A URL may carry a secret (a token in its query string, a user and password before the host): only
//! [`SourceSpec::shown`] (scheme, host, port and path) ever appears in a message or a log.

pub mod file;
pub mod folder;
pub mod follow;
pub mod memory;
pub mod url;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::team::{Team, TeamError};

/// The three kinds of place a team can be followed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "bindings.ts")]
pub enum SourceKind {
    /// A folder with `team.toml` and `members/*.toml`.
    Folder,
    /// One team file, TOML or JSON.
    File,
    /// An `https://` (or loopback `http://`) team file.
    Url,
}

impl SourceKind {
    /// The kind as stored and printed: `folder`, `file`, `url`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Folder => "folder",
            SourceKind::File => "file",
            SourceKind::Url => "url",
        }
    }

    /// The kind named by [`SourceKind::as_str`].
    pub fn parse(s: &str) -> Option<SourceKind> {
        match s {
            "folder" => Some(SourceKind::Folder),
            "file" => Some(SourceKind::File),
            "url" => Some(SourceKind::Url),
            _ => None,
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which source a team is followed from: its kind and its full location (an absolute path, or the
/// URL with any secret in it). The location is only for reading the source and for the database;
/// show people [`SourceSpec::shown`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SourceSpec {
    /// Folder, file or URL.
    pub kind: SourceKind,
    /// The absolute path, or the whole URL.
    pub location: String,
}

/// `Debug` shows the location as [`SourceSpec::shown`] does, so a secret in a URL never reaches a log.
impl fmt::Debug for SourceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceSpec({} {})", self.kind, self.shown())
    }
}

impl SourceSpec {
    /// Reads what a person typed after `baton team follow`: a URL (`https://`, or `http://` to a
    /// loopback host only), else a path to a folder or a file, made absolute against `cwd`.
    ///
    /// ```
    /// use baton::team::source::{SourceKind, SourceSpec};
    /// let spec = SourceSpec::parse("https://example.com/team.toml?token=s3cret", "/".as_ref()).unwrap();
    /// assert_eq!(spec.kind, SourceKind::Url);
    /// assert_eq!(spec.shown(), "https://example.com/team.toml");
    /// assert!(SourceSpec::parse("http://example.com/team.toml", "/".as_ref()).is_err());
    /// assert!(SourceSpec::parse("http://127.0.0.1:8080/team.toml", "/".as_ref()).is_ok());
    /// ```
    pub fn parse(arg: &str, cwd: &Path) -> Result<SourceSpec, SourceError> {
        let arg = arg.trim();
        if arg.contains("://") {
            url::check_url(arg)?;
            return Ok(SourceSpec {
                kind: SourceKind::Url,
                location: arg.to_string(),
            });
        }
        let path = cwd.join(arg);
        let path = std::path::absolute(&path).unwrap_or(path);
        let shown = path.display().to_string();
        let meta = std::fs::metadata(&path).map_err(|e| SourceError::Read {
            origin: shown.clone(),
            message: e.to_string(),
        })?;
        Ok(SourceSpec {
            kind: if meta.is_dir() {
                SourceKind::Folder
            } else {
                SourceKind::File
            },
            location: shown,
        })
    }

    /// How the source is named to people: the path, or the URL without its query string, fragment
    /// and user information.
    pub fn shown(&self) -> String {
        match self.kind {
            SourceKind::Url => url::shown(&self.location),
            _ => self.location.clone(),
        }
    }

    /// The path of a folder or file source (`None` for a URL).
    pub fn path(&self) -> Option<PathBuf> {
        (self.kind != SourceKind::Url).then(|| PathBuf::from(&self.location))
    }

    /// The backend that reads this source, with the default limits.
    pub fn open(&self) -> Box<dyn TeamSource> {
        match self.kind {
            SourceKind::Folder => Box::new(folder::FolderSource::new(&self.location)),
            SourceKind::File => Box::new(file::FileSource::new(&self.location)),
            SourceKind::Url => Box::new(url::UrlSource::new(
                &self.location,
                url::UrlLimits::default(),
            )),
        }
    }
}

/// What identifies the version of a source last applied: its content hash, and for a URL the
/// validators the server sent with it (for a conditional GET).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// [`content_hash`] of the last good version.
    pub hash: Option<String>,
    /// The `ETag` the server sent with it.
    pub etag: Option<String>,
    /// The `Last-Modified` the server sent with it.
    pub last_modified: Option<String>,
}

/// A version of a team read whole from its source and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The validated team (its `me` is the file's default, see [`crate::store::Store::load_team`]).
    pub team: Team,
    /// [`content_hash`] of the bytes read.
    pub hash: String,
    /// The server's `ETag`, for a URL.
    pub etag: Option<String>,
    /// The server's `Last-Modified`, for a URL.
    pub last_modified: Option<String>,
}

/// The outcome of reading a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// A valid version (maybe the same content as before, which [`follow::apply`] then does not
    /// write).
    Changed(Version),
    /// Nothing changed: a `304 Not Modified`, or the same bytes as the last good version.
    Unchanged,
}

/// One outside place a team is kept. Implementations read; they never store.
pub trait TeamSource: Send {
    /// Which source this is.
    fn spec(&self) -> SourceSpec;
    /// Reads the whole team. `known` identifies the last good version, so a source that can tell
    /// (an HTTP server, or the same bytes) answers [`Reading::Unchanged`] without validating again.
    fn read(&mut self, known: &Validators) -> Result<Reading, SourceError>;
}

/// Why a source could not be read as a valid team. Every message names the source (a URL as
/// [`SourceSpec::shown`]); nothing is stored when this is returned.
#[derive(Debug, Error)]
pub enum SourceError {
    /// The team file (or the fetched text) is not a valid team: today's file, line, member and field.
    #[error(transparent)]
    Team(#[from] TeamError),
    /// Some files of a team folder are not valid; each error names its file.
    #[error("{folder}: {} file{} of the team folder {} not valid:\n{}", errors.len(),
        if errors.len() == 1 { "" } else { "s" }, if errors.len() == 1 { "is" } else { "are" },
        errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Folder {
        /// The folder.
        folder: String,
        /// One error per broken file (or for the team as a whole), in file name order.
        errors: Vec<TeamError>,
    },
    /// A file or folder could not be read.
    #[error("{origin}: cannot read the team source: {message}")]
    Read {
        /// The path.
        origin: String,
        /// Why.
        message: String,
    },
    /// The URL is not one Baton fetches (not https, http to a host that is not loopback, malformed).
    #[error("{origin}: {message}")]
    Refused {
        /// The URL as shown (or `the URL` when it cannot even be parsed).
        origin: String,
        /// What is wrong and what is accepted.
        message: String,
    },
    /// The server answered with an HTTP status other than 200 or 304.
    #[error("{origin}: the server answered HTTP {status}; the last good team stays in use")]
    Status {
        /// The URL as shown.
        origin: String,
        /// The status code.
        status: u16,
    },
    /// No answer in time.
    #[error("{origin}: no answer within {seconds} s; the last good team stays in use")]
    Timeout {
        /// The URL as shown.
        origin: String,
        /// The limit that passed.
        seconds: u64,
    },
    /// The body is larger than the limit; reading stopped there.
    #[error("{origin}: the team file is larger than {limit} bytes; Baton stops reading there")]
    TooLarge {
        /// The URL as shown.
        origin: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The connection failed (DNS, refused, TLS, reset).
    #[error("{origin}: cannot fetch the team: {message}")]
    Network {
        /// The URL as shown.
        origin: String,
        /// What failed (never with the URL's secret).
        message: String,
    },
}

/// One problem of a refused version, with the file it is in, for the window's banner and editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export_to = "bindings.ts")]
pub struct SourceProblem {
    /// The file (a path, or the URL as shown) the problem is in.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The member, when the problem belongs to one.
    pub member: Option<String>,
    /// The field (`time_zone`, `hours[1]`, ...); empty for a file that does not parse at all.
    pub field: String,
    /// What is wrong and what is valid.
    pub message: String,
}

impl SourceError {
    /// Each problem with its file, line, member and field; a failure to read or fetch is one
    /// problem without a field.
    pub fn problems(&self) -> Vec<SourceProblem> {
        fn of_team(e: &TeamError, out: &mut Vec<SourceProblem>) {
            match e {
                TeamError::Invalid { origin, problems } => {
                    out.extend(problems.iter().map(|p| SourceProblem {
                        file: origin.clone(),
                        line: p.line,
                        member: p.member.clone(),
                        field: p.field.clone(),
                        message: p.message.clone(),
                    }))
                }
                TeamError::Syntax {
                    origin,
                    line,
                    message,
                    ..
                } => out.push(SourceProblem {
                    file: origin.clone(),
                    line: *line,
                    member: None,
                    field: String::new(),
                    message: message.clone(),
                }),
                TeamError::Read { origin, source } => out.push(SourceProblem {
                    file: origin.clone(),
                    line: None,
                    member: None,
                    field: String::new(),
                    message: format!("cannot read the file: {source}"),
                }),
            }
        }
        let mut out = Vec::new();
        match self {
            SourceError::Team(e) => of_team(e, &mut out),
            SourceError::Folder { errors, .. } => errors.iter().for_each(|e| of_team(e, &mut out)),
            other => out.push(SourceProblem {
                file: other.source_name().to_string(),
                line: None,
                member: None,
                field: String::new(),
                message: other.to_string(),
            }),
        }
        out
    }

    fn source_name(&self) -> &str {
        match self {
            SourceError::Team(
                TeamError::Invalid { origin, .. }
                | TeamError::Syntax { origin, .. }
                | TeamError::Read { origin, .. },
            ) => origin,
            SourceError::Folder { folder, .. } => folder,
            SourceError::Read { origin, .. }
            | SourceError::Refused { origin, .. }
            | SourceError::Status { origin, .. }
            | SourceError::Timeout { origin, .. }
            | SourceError::TooLarge { origin, .. }
            | SourceError::Network { origin, .. } => origin,
        }
    }
}

/// The short content hash Baton shows and compares: the first 12 hex digits of the SHA-256 of
/// `parts` (each part length-prefixed, so no two lists of parts give the same input).
///
/// ```
/// use baton::team::source::content_hash;
/// assert_eq!(content_hash(&[b"a"]).len(), 12);
/// assert_ne!(content_hash(&[b"ab", b""]), content_hash(&[b"a", b"b"]));
/// ```
pub fn content_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}
