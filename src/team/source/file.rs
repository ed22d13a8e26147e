//! A single team file followed on disk: the same TOML or JSON file `baton team import` reads, read
//! again whole whenever it changes.

use std::path::PathBuf;

use super::{
    content_hash, Reading, SourceError, SourceKind, SourceSpec, TeamSource, Validators, Version,
};
use crate::team::{Team, TeamError, TeamOrigin};

/// A team file at a path.
#[derive(Debug, Clone)]
pub struct FileSource {
    path: PathBuf,
}

impl FileSource {
    /// The team file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> FileSource {
        FileSource { path: path.into() }
    }
}

impl TeamSource for FileSource {
    fn spec(&self) -> SourceSpec {
        SourceSpec {
            kind: SourceKind::File,
            location: self.path.display().to_string(),
        }
    }

    fn read(&mut self, known: &Validators) -> Result<Reading, SourceError> {
        let origin = self.path.display().to_string();
        let text = std::fs::read_to_string(&self.path).map_err(|source| TeamError::Read {
            origin: origin.clone(),
            source,
        })?;
        let hash = content_hash(&[text.as_bytes()]);
        if known.hash.as_deref() == Some(hash.as_str()) {
            return Ok(Reading::Unchanged);
        }
        let team = Team::from_text(&text, TeamOrigin::Path(&self.path))?;
        Ok(Reading::Changed(Version {
            team,
            hash,
            etag: None,
            last_modified: None,
        }))
    }
}
