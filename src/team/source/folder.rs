//! A team kept as a folder, one file per person, so that each person edits only their own file (in a
//! pull request, with no merge conflicts):
//!
//! ```text
//! team/
//!   team.toml            name = "Platform"          (and optionally me = "Ana", a default only)
//!   members/
//!     01-ana.toml        name = "Ana"
//!                        time_zone = "America/Sao_Paulo"
//!                        hours = ["mon-fri 09:00-17:30"]
//!     02-kenji.toml      ...
//! ```
//!
//! A member file holds exactly the fields of one `[[members]]` entry of a team file, at its top level.
//! Members are in the order of their file names (byte order), which is why [`split`] numbers the
//! files; files in `members/` that do not end in `.toml`, or start with `.`, are not read. Every file
//! is validated with the team file's rules; a problem names its own file and line, and a folder with
//! several broken files reports each of them ([`SourceError::Folder`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{
    content_hash, Reading, SourceError, SourceKind, SourceSpec, TeamSource, Validators, Version,
};
use crate::team::{line_col, MemberFile, Problem, RawMember, RawTeam, TeamError, TeamFile};

/// The team-wide file of a folder.
pub const TEAM_FILE: &str = "team.toml";
/// The folder of member files.
pub const MEMBERS_DIR: &str = "members";

/// The shape of `team.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "S: Deserialize<'de>"))]
struct FolderTeam<S> {
    /// The team's name.
    name: S,
    /// A default `me`, used only on machines whose `me` setting is unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    me: Option<S>,
}

/// A team folder at a path.
#[derive(Debug, Clone)]
pub struct FolderSource {
    dir: PathBuf,
}

impl FolderSource {
    /// The team folder at `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> FolderSource {
        FolderSource { dir: dir.into() }
    }

    /// The member files, in member order (file name order).
    pub fn member_files(&self) -> Result<Vec<PathBuf>, SourceError> {
        let members = self.dir.join(MEMBERS_DIR);
        let entries = std::fs::read_dir(&members).map_err(|e| SourceError::Read {
            origin: members.display().to_string(),
            message: e.to_string(),
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
            .map(|e| e.path())
            .filter(|p| is_member_file(p))
            .collect();
        files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        Ok(files)
    }

    /// The member file whose `name` is `member` (ignoring case), if there is one that parses.
    pub fn member_file_of(&self, member: &str) -> Result<Option<PathBuf>, SourceError> {
        for path in self.member_files()? {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if let Ok(m) = toml::from_str::<MemberFile>(&text) {
                if m.name.trim().eq_ignore_ascii_case(member.trim()) {
                    return Ok(Some(path));
                }
            }
        }
        Ok(None)
    }
}

/// Whether `path` is read as a member file: a name ending in `.toml` (any case), not hidden.
pub fn is_member_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !name.starts_with('.')
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

impl TeamSource for FolderSource {
    fn spec(&self) -> SourceSpec {
        SourceSpec {
            kind: SourceKind::Folder,
            location: self.dir.display().to_string(),
        }
    }

    fn read(&mut self, known: &Validators) -> Result<Reading, SourceError> {
        let folder = self.dir.display().to_string();
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| TeamError::Read {
                origin: path.display().to_string(),
                source,
            })
        };
        let team_path = self.dir.join(TEAM_FILE);
        let team_text = read(&team_path)?;
        let files = self.member_files()?;
        let mut texts = Vec::with_capacity(files.len());
        let mut errors = Vec::new();
        for f in &files {
            match read(f) {
                Ok(t) => texts.push(t),
                Err(e) => {
                    errors.push(e);
                    texts.push(String::new());
                }
            }
        }
        if !errors.is_empty() {
            return Err(SourceError::Folder { folder, errors });
        }
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let mut parts: Vec<&[u8]> = vec![TEAM_FILE.as_bytes(), team_text.as_bytes()];
        for (n, t) in names.iter().zip(&texts) {
            parts.push(n.as_bytes());
            parts.push(t.as_bytes());
        }
        let hash = content_hash(&parts);
        if known.hash.as_deref() == Some(hash.as_str()) {
            return Ok(Reading::Unchanged);
        }
        let team = read_folder(&folder, &team_path, &team_text, &files, &texts)?;
        Ok(Reading::Changed(Version {
            team,
            hash,
            etag: None,
            last_modified: None,
        }))
    }
}

fn syntax(origin: &Path, text: &str, e: &toml::de::Error) -> TeamError {
    let (line, column) = e.span().map(|s| line_col(text, s.start)).unzip();
    TeamError::Syntax {
        origin: origin.display().to_string(),
        line,
        column,
        message: e.message().trim().to_string(),
    }
}

type Spanned = toml::Spanned<String>;

/// Validates a folder's texts whole; every broken file is one error in the result.
fn read_folder(
    folder: &str,
    team_path: &Path,
    team_text: &str,
    files: &[PathBuf],
    texts: &[String],
) -> Result<crate::team::Team, SourceError> {
    let mut errors = Vec::new();
    let head: Option<FolderTeam<Spanned>> = match toml::from_str(team_text) {
        Ok(h) => Some(h),
        Err(e) => {
            errors.push(syntax(team_path, team_text, &e));
            None
        }
    };
    let mut members: Vec<Option<RawMember<Spanned>>> = Vec::with_capacity(files.len());
    for (i, (path, text)) in files.iter().zip(texts).enumerate() {
        let raw: RawMember<Spanned> = match toml::from_str(text) {
            Ok(m) => m,
            Err(e) => {
                errors.push(syntax(path, text, &e));
                members.push(None);
                continue;
            }
        };
        // The member alone, with the team file's rules; its problems keep this file's lines.
        let alone = RawTeam {
            name: raw.name.clone(),
            me: None,
            members: vec![raw.clone()],
        };
        let mut problems: Vec<Problem> = match alone.validate(Some(text)) {
            Ok(_) => vec![],
            Err(p) => p
                .into_iter()
                .filter(|p| p.member_index == Some(0))
                .collect(),
        };
        let name = raw.name.get_ref().trim();
        if !name.is_empty() {
            if let Some(j) = members.iter().position(|m| {
                m.as_ref()
                    .is_some_and(|m| m.name.get_ref().trim().eq_ignore_ascii_case(name))
            }) {
                problems.push(Problem {
                    line: Some(line_col(text, raw.name.span().start).0),
                    member: Some(name.to_string()),
                    member_index: Some(0),
                    field: "name".into(),
                    message: format!(
                        "\"{name}\" appears twice (also in {}); names must be unique",
                        files[j].file_name().unwrap_or_default().to_string_lossy()
                    ),
                    suggestions: vec![],
                });
            }
        }
        for p in &mut problems {
            p.member_index = Some(i);
        }
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        if problems.is_empty() {
            members.push(Some(raw));
        } else {
            errors.push(TeamError::Invalid {
                origin: path.display().to_string(),
                problems,
            });
            // Kept for the duplicate check of later files.
            members.push(Some(raw));
        }
    }
    if let Some(head) = &head {
        let mut problems = Vec::new();
        let line = |s: &Spanned| Some(line_col(team_text, s.span().start).0);
        if head.name.get_ref().trim().is_empty() {
            problems.push(team_problem(
                line(&head.name),
                "name",
                "the team name is empty",
            ));
        }
        if let Some(me) = head.me.as_ref().filter(|m| !m.get_ref().trim().is_empty()) {
            let known = members.iter().flatten().any(|m| {
                m.name
                    .get_ref()
                    .trim()
                    .eq_ignore_ascii_case(me.get_ref().trim())
            });
            if !known {
                let names: Vec<String> = members
                    .iter()
                    .flatten()
                    .map(|m| format!("\"{}\"", m.name.get_ref().trim()))
                    .collect();
                problems.push(team_problem(
                    line(me),
                    "me",
                    &format!(
                        "\"{}\" is not a member; use one of {}",
                        me.get_ref(),
                        names.join(", ")
                    ),
                ));
            }
        }
        if files.is_empty() {
            problems.push(team_problem(
                None,
                "members",
                &format!("a team needs at least one member file in {MEMBERS_DIR}/ (one *.toml per person)"),
            ));
        }
        if !problems.is_empty() {
            errors.insert(
                0,
                TeamError::Invalid {
                    origin: team_path.display().to_string(),
                    problems,
                },
            );
        }
    }
    let head = match head {
        Some(head) if errors.is_empty() => head,
        _ => {
            return Err(SourceError::Folder {
                folder: folder.to_string(),
                errors,
            })
        }
    };
    let plain = |s: &Spanned| s.get_ref().clone();
    // Each member file again in its plain shape: whatever fields a member has, they come across.
    let mut plain_members = Vec::with_capacity(files.len());
    for (path, text) in files.iter().zip(texts) {
        plain_members.push(toml::from_str::<MemberFile>(text).map_err(|e| syntax(path, text, &e))?);
    }
    let file = TeamFile {
        name: plain(&head.name),
        me: head.me.as_ref().map(plain),
        members: plain_members,
    };
    file.validate(None).map_err(|problems| {
        SourceError::Team(TeamError::Invalid {
            origin: folder.to_string(),
            problems,
        })
    })
}

fn team_problem(line: Option<usize>, field: &str, message: &str) -> Problem {
    Problem {
        line,
        member: None,
        member_index: None,
        field: field.into(),
        message: message.into(),
        suggestions: vec![],
    }
}

/// Why `baton team split` wrote nothing.
#[derive(Debug, Error)]
pub enum SplitError {
    /// The target folder exists and is not empty.
    #[error("{0} already exists and is not empty; split into a new or empty folder")]
    NotEmpty(String),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes `team` as a team folder at `dir` (created if needed; refused when it exists and is not
/// empty): `team.toml` with the name, and one file per member named from its position and name
/// (`01-ana.toml`, `02-kenji.toml`: safe, unique, and sorting in the team's order). The team's `me`
/// is not written: on a shared team each machine sets its own. Returns the files written.
pub fn split(team: &crate::team::Team, dir: &Path) -> Result<Vec<PathBuf>, SplitError> {
    let write_err = |path: &Path| {
        let path = path.display().to_string();
        move |source| SplitError::Write { path, source }
    };
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(SplitError::NotEmpty(dir.display().to_string()));
        }
    }
    let members_dir = dir.join(MEMBERS_DIR);
    std::fs::create_dir_all(&members_dir).map_err(write_err(&members_dir))?;
    let file = team.to_file();
    let head = FolderTeam::<String> {
        name: file.name.clone(),
        me: None,
    };
    let mut written = Vec::new();
    let team_path = dir.join(TEAM_FILE);
    let text = toml::to_string(&head).unwrap_or_default();
    std::fs::write(&team_path, text).map_err(write_err(&team_path))?;
    written.push(team_path);
    let width = file.members.len().to_string().len().max(2);
    let mut used = std::collections::HashSet::new();
    for (i, m) in file.members.iter().enumerate() {
        let base = format!("{:0width$}-{}", i + 1, slug(&m.name));
        let mut name = format!("{base}.toml");
        let mut n = 2;
        while !used.insert(name.clone()) {
            name = format!("{base}-{n}.toml");
            n += 1;
        }
        let path = members_dir.join(name);
        std::fs::write(&path, member_toml(m)).map_err(write_err(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// A member name as a safe file name part: lower-case ASCII letters and digits, other runs as `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "member".into()
    } else {
        out.chars().take(40).collect()
    }
}

/// A member as the text of its member file.
pub fn member_toml(m: &MemberFile) -> String {
    toml::to_string(m).unwrap_or_default()
}

/// Writes `member` to the member file at `path` whole: to a temporary file beside it, synced, then
/// renamed over it, so a reader (the follower, git) sees the old file or the new one, never half.
/// It is written in canonical form: comments in the old file are not kept.
pub fn write_member_file(path: &Path, member: &MemberFile) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(member_toml(member).as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_never_empty() {
        assert_eq!(slug("Ana Lima"), "ana-lima");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("Ünal"), "nal");
        assert_eq!(slug("李"), "member");
    }

    #[test]
    fn a_split_team_reads_back_the_same_without_me() {
        let dir = tempfile::tempdir().unwrap();
        let mut team = crate::team::sample::team();
        split(&team, &dir.path().join("t")).unwrap();
        let Reading::Changed(v) = FolderSource::new(dir.path().join("t"))
            .read(&Validators::default())
            .unwrap()
        else {
            panic!("a first read is a version")
        };
        team.me = None;
        assert_eq!(v.team, team, "members, order and specs survive the split");
        assert!(matches!(
            split(&team, &dir.path().join("t")),
            Err(SplitError::NotEmpty(_))
        ));
    }
}
