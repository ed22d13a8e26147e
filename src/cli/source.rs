//! `baton team follow | unfollow | sync | status | split`: a shared team source from the command line.
//! Each is one call into `baton::team::source`; this file only words the outcome.

use std::io::Write;
use std::path::Path;

use baton::store::source::SourceStatus;
use baton::team::source::follow::{self, FollowError, SyncOutcome};
use baton::team::source::{folder, SourceSpec};
use baton::{Instant, Team};
use chrono::{Local, Utc};

use super::{open_store, CliError, Global};

impl From<FollowError> for CliError {
    fn from(e: FollowError) -> Self {
        match e {
            FollowError::Store(e) => e.into(),
            FollowError::Write { .. } => CliError::System(e.to_string()),
            other => CliError::Input(other.to_string()),
        }
    }
}

fn now(g: &Global) -> Instant {
    g.at.unwrap_or_else(Utc::now)
}

fn me_hint(team: &Team) -> String {
    match &team.me {
        Some(me) => format!("You are \"{me}\" on this machine."),
        None => format!(
            "Say which member you are on this machine: `baton settings set me NAME` (one of {}).",
            team.members
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub(super) fn follow(g: &Global, source: &str, out: &mut impl Write) -> Result<(), CliError> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let spec = SourceSpec::parse(source, &cwd).map_err(|e| CliError::Input(e.to_string()))?;
    let mut store = open_store(g)?;
    let team = follow::follow(&mut store, &spec, now(g)).map_err(|e| match e {
        FollowError::Source(e) => {
            CliError::Input(format!("{e}\nnot followed: the current team is kept"))
        }
        other => other.into(),
    })?;
    if g.json {
        let v = serde_json::json!({
            "following": spec.shown(), "kind": spec.kind, "team": team.name,
            "members": team.members.len(), "me": team.me,
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "Following the {} {}: team \"{}\" ({} members).\n{}",
            spec.kind,
            spec.shown(),
            team.name,
            team.members.len(),
            me_hint(&team)
        )?;
    }
    Ok(())
}

pub(super) fn unfollow(g: &Global, out: &mut impl Write) -> Result<(), CliError> {
    let mut store = open_store(g)?;
    let Some(status) = store.team_source()? else {
        return Err(FollowError::NotFollowed.into());
    };
    follow::unfollow(&mut store)?;
    if g.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"unfollowed": status.spec.shown()})
        )?;
    } else {
        writeln!(
            out,
            "Stopped following {}; the team stays, as a local team.",
            status.spec.shown()
        )?;
    }
    Ok(())
}

pub(super) fn sync(g: &Global, out: &mut impl Write) -> Result<(), CliError> {
    let mut store = open_store(g)?;
    let shown = store
        .team_source()?
        .map(|s| s.spec.shown())
        .unwrap_or_default();
    let (changed, message) = match follow::sync(&mut store, now(g))? {
        SyncOutcome::Changed(team) => (
            true,
            format!(
                "Updated team \"{}\" ({} members) from {shown}.",
                team.name,
                team.members.len()
            ),
        ),
        SyncOutcome::Unchanged => (false, format!("No change in {shown}.")),
        SyncOutcome::NotFollowed => return Err(FollowError::NotFollowed.into()),
        SyncOutcome::Refused(e) => {
            return Err(CliError::Input(format!(
                "{e}\nthe last good team stays in use"
            )))
        }
    };
    if g.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"source": shown, "changed": changed})
        )?;
    } else {
        writeln!(out, "{message}")?;
    }
    Ok(())
}

fn local(t: Option<Instant>) -> String {
    t.map_or_else(
        || "never".into(),
        |t| {
            t.with_timezone(&Local)
                .format("%Y-%m-%d %H:%M:%S %:z")
                .to_string()
        },
    )
}

fn utc(t: Option<Instant>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

pub(super) fn status(g: &Global, out: &mut impl Write) -> Result<(), CliError> {
    let store = open_store(g)?;
    let team = store.load_team()?;
    let status: Option<SourceStatus> = store.team_source()?;
    if g.json {
        let v = match &status {
            None => serde_json::json!({
                "followed": false, "team": team.as_ref().map(|t| &t.name),
                "me": team.as_ref().and_then(|t| t.me.as_ref()),
            }),
            Some(s) => serde_json::json!({
                "followed": true,
                "kind": s.spec.kind,
                "source": s.spec.shown(),
                "team": team.as_ref().map(|t| &t.name),
                "members": team.as_ref().map(|t| t.members.len()),
                "me": team.as_ref().and_then(|t| t.me.as_ref()),
                "checked_at": utc(s.checked_at),
                "changed_at": utc(s.changed_at),
                "hash": s.validators.hash,
                "error": s.error,
                "problems": s.problems,
            }),
        };
        writeln!(out, "{v}")?;
        return Ok(());
    }
    let Some(s) = status else {
        match &team {
            Some(t) => writeln!(
                out,
                "Team \"{}\" is local (not followed from a source). {}",
                t.name,
                me_hint(t)
            )?,
            None => writeln!(
                out,
                "No team yet: `baton team follow SOURCE` or `baton team import FILE`."
            )?,
        }
        return Ok(());
    };
    let name = team.as_ref().map_or("", |t| t.name.as_str());
    writeln!(
        out,
        "Team \"{name}\" follows the {} {}",
        s.spec.kind,
        s.spec.shown()
    )?;
    writeln!(out, "  last checked  {}", local(s.checked_at))?;
    writeln!(out, "  last changed  {}", local(s.changed_at))?;
    writeln!(
        out,
        "  content hash  {}",
        s.validators.hash.as_deref().unwrap_or("-")
    )?;
    match &s.error {
        None => writeln!(out, "  error         none")?,
        Some(e) => {
            writeln!(
                out,
                "  error         the last check was refused; the last good team stays in use:"
            )?;
            for line in e.lines() {
                writeln!(out, "    {line}")?;
            }
        }
    }
    if let Some(t) = &team {
        writeln!(out, "{}", me_hint(t))?;
    }
    Ok(())
}

pub(super) fn split(
    g: &Global,
    file: &Path,
    into: &Path,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let team = Team::from_path(file)?;
    let written = folder::split(&team, into).map_err(|e| match e {
        folder::SplitError::NotEmpty(_) => CliError::Input(e.to_string()),
        other => CliError::System(other.to_string()),
    })?;
    if g.json {
        let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        writeln!(
            out,
            "{}",
            serde_json::json!({"folder": into.display().to_string(), "files": files})
        )?;
    } else {
        writeln!(
            out,
            "Wrote team \"{}\" to {}: team.toml and {} member files in members/ (one per person; \
             members are in file name order).",
            team.name,
            into.display(),
            team.members.len()
        )?;
        if team.me.is_some() {
            writeln!(
                out,
                "The file's `me` is not copied: on a shared team each person sets their own with \
                 `baton settings set me NAME`."
            )?;
        }
    }
    Ok(())
}
