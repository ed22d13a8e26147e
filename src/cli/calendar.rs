//! `baton calendar add | list | sync | remove | publish | export`: calendars from the command line.
//! Each is one call into `baton::calendar` or the store; this file only words the outcome.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use baton::calendar::caldav::RemoteCalendar;
use baton::calendar::export::write_ics;
use baton::calendar::feed::{my_feed, DEFAULT_DAYS};
use baton::calendar::manage::{self, ManageError};
use baton::calendar::sync::{self, CalendarOutcome, CalendarSynced};
use baton::store::calendar::{CalendarKind, StoredCalendar};
use baton::team::source::url::shown;
use baton::Instant;
use chrono::{Duration, Local, Utc};
use clap::Subcommand;

use super::{open_store, CliError, Global};

#[derive(Debug, Subcommand)]
pub(super) enum CalendarCommand {
    /// Add one of my calendars: an ICS address (`https://…/basic.ics`, `webcal://…`), or with
    /// `--caldav` a CalDAV account (its calendars are found and chosen)
    Add {
        /// The ICS address, or the CalDAV server's address (`https://host/`)
        url: String,
        /// The address is a CalDAV server: find its calendars (RFC 6764, RFC 4791)
        #[arg(long)]
        caldav: bool,
        /// The CalDAV user name
        #[arg(long, requires = "caldav")]
        user: Option<String>,
        /// Read the password (or app password) from standard input instead of asking
        #[arg(long, requires = "caldav")]
        password_stdin: bool,
        /// Which CalDAV calendars to read, by name (repeatable) [default: ask; all when not asked]
        #[arg(long = "calendar", value_name = "NAME", requires = "caldav")]
        calendars: Vec<String>,
        /// Publish my focus blocks to this CalDAV calendar (by name)
        #[arg(long, value_name = "NAME", requires = "caldav")]
        publish: Option<String>,
    },
    /// Every calendar with its last reading and error
    #[command(alias = "status")]
    List,
    /// Read every calendar again now
    Sync,
    /// Stop reading a calendar of mine (its id from `baton calendar list`); its password is forgotten
    Remove {
        /// The calendar's id
        id: i64,
    },
    /// Publish my focus blocks to a CalDAV calendar of mine (`on`), or stop (`off`)
    Publish {
        /// The calendar's id
        id: i64,
        /// on or off
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// My focus, days off, working hours and handoffs as an iCalendar feed
    Export {
        /// Write to this file instead of standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// How many days ahead
        #[arg(long, default_value_t = DEFAULT_DAYS, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
    },
}

fn now(g: &Global) -> Instant {
    g.at.unwrap_or_else(Utc::now)
}

pub(super) fn run(g: &Global, cmd: &CalendarCommand, out: &mut impl Write) -> Result<(), CliError> {
    match cmd {
        CalendarCommand::Add {
            url, caldav: false, ..
        } => add_ics(g, url, out),
        CalendarCommand::Add {
            url,
            caldav: true,
            user,
            password_stdin,
            calendars,
            publish,
        } => add_caldav(
            g,
            url,
            user.as_deref(),
            *password_stdin,
            calendars,
            publish.as_deref(),
            out,
        ),
        CalendarCommand::List => list(g, out),
        CalendarCommand::Sync => {
            let mut store = open_store(g)?;
            let synced = sync::sync_all(&mut store, now(g))?;
            report(g, &synced, out)?;
            if synced.is_empty() && !g.json {
                writeln!(out, "No calendars: add one with `baton calendar add URL`.")?;
            }
            Ok(())
        }
        CalendarCommand::Remove { id } => {
            let mut store = open_store(g)?;
            let cal = manage::remove(&mut store, *id)?;
            writeln!(out, "Removed calendar {id} ({}).", shown(&cal.spec.url))?;
            Ok(())
        }
        CalendarCommand::Publish { id, state } => {
            let mut store = open_store(g)?;
            let cal = find(&store, *id)?;
            if cal.spec.kind != CalendarKind::Caldav || cal.spec.owner.is_some() {
                return Err(CliError::Input(format!(
                    "calendar {id} is not a CalDAV calendar of mine; focus is published only to those"
                )));
            }
            store.set_calendar_publish(*id, state == "on")?;
            if state == "on" {
                let result = baton::calendar::remote::publish_focus(&mut store, now(g))
                    .map_err(CliError::Input)?;
                writeln!(
                    out,
                    "Publishing my focus to {}: {} events there now.",
                    cal.spec.name.as_deref().unwrap_or(&shown(&cal.spec.url)),
                    result
                )?;
            } else {
                writeln!(out, "No longer publishing focus to calendar {id} (the events already there stay until removed there).")?;
            }
            Ok(())
        }
        CalendarCommand::Export { output, days } => {
            let store = open_store(g)?;
            let team = store
                .load_team()?
                .ok_or_else(|| super::no_team(store.path()))?;
            let now = now(g);
            let sessions = store.focus_sessions(baton::Interval {
                start: now - Duration::days(8),
                end: now + Duration::days(i64::from(*days) + 1),
            })?;
            let feed = my_feed(&team, &sessions, now, *days).ok_or_else(|| {
                CliError::Input(
                    "the feed is of my calendar: say which member you are with \
                     `baton settings set me NAME`"
                        .into(),
                )
            })?;
            let text = write_ics(&feed);
            match output {
                Some(path) => std::fs::write(path, text).map_err(|e| {
                    CliError::System(format!("cannot write {}: {e}", path.display()))
                })?,
                None => out.write_all(text.as_bytes())?,
            }
            Ok(())
        }
    }
}

fn find(store: &baton::store::Store, id: i64) -> Result<StoredCalendar, CliError> {
    store
        .calendars()?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            CliError::Input(format!(
                "no calendar {id}; `baton calendar list` shows them"
            ))
        })
}

impl From<ManageError> for CliError {
    fn from(e: ManageError) -> Self {
        match e {
            ManageError::Store(e) => e.into(),
            ManageError::Refused(m) => CliError::Input(m),
        }
    }
}

fn add_ics(g: &Global, url: &str, out: &mut impl Write) -> Result<(), CliError> {
    let mut store = open_store(g)?;
    let synced = manage::add_ics(&mut store, url, now(g))?;
    report(g, &[synced], out)?;
    me_hint(g, &store, out)
}

fn me_hint(g: &Global, store: &baton::store::Store, out: &mut impl Write) -> Result<(), CliError> {
    if !g.json && store.load_team()?.as_ref().and_then(|t| t.me()).is_none() {
        writeln!(
            out,
            "Say which member you are (`baton settings set me NAME`) so your calendars count for you."
        )?;
    }
    Ok(())
}

fn password(password_stdin: bool) -> Result<String, CliError> {
    let line = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            CliError::System(format!("cannot read the password from standard input: {e}"))
        })?;
        line
    } else if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password (or app password): ")
            .map_err(|e| CliError::System(format!("cannot read the password: {e}")))?
    } else {
        return Err(CliError::Input(
            "no terminal to ask for the password: pass --password-stdin and write it to standard input"
                .into(),
        ));
    };
    let pw = line.trim_end_matches(['\r', '\n']).to_string();
    if pw.is_empty() {
        return Err(CliError::Input("the password is empty".into()));
    }
    Ok(pw)
}

fn add_caldav(
    g: &Global,
    base: &str,
    user: Option<&str>,
    password_stdin: bool,
    wanted: &[String],
    publish: Option<&str>,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let user = user.ok_or_else(|| CliError::Input("--caldav needs --user NAME".into()))?;
    let pw = password(password_stdin)?;
    let found = manage::discover(base, user, &pw)
        .map_err(|e| CliError::Input(format!("{e}\nnothing added")))?;
    let chosen = choose(&found, wanted, out)?;
    let mut store = open_store(g)?;
    let (kept, synced) = manage::add_caldav(&mut store, base, user, &pw, &chosen, publish, now(g))?;
    if !g.json {
        writeln!(out, "The password is kept in {kept}.")?;
    }
    report(g, &synced, out)?;
    me_hint(g, &store, out)
}

/// The calendars to read: those named, else asked for at a terminal, else all.
fn choose(
    found: &[RemoteCalendar],
    wanted: &[String],
    out: &mut impl Write,
) -> Result<Vec<RemoteCalendar>, CliError> {
    if !wanted.is_empty() {
        let mut chosen = Vec::new();
        for w in wanted {
            match found.iter().find(|c| c.name.eq_ignore_ascii_case(w.trim())) {
                Some(c) => chosen.push(c.clone()),
                None => {
                    return Err(CliError::Input(format!(
                        "no calendar named \"{w}\"; the account has: {}",
                        found
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
        }
        return Ok(chosen);
    }
    if !std::io::stdin().is_terminal() {
        return Ok(found.to_vec());
    }
    writeln!(out, "Calendars found:")?;
    for (i, c) in found.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, c.name)?;
    }
    write!(
        out,
        "Which to read (numbers, comma-separated; Enter for all): "
    )?;
    out.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    if line.trim().is_empty() {
        return Ok(found.to_vec());
    }
    line.split(',')
        .map(|s| {
            s.trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| found.get(i).cloned())
                .ok_or_else(|| {
                    CliError::Input(format!("\"{}\" is not one of the numbers", s.trim()))
                })
        })
        .collect()
}

fn report(g: &Global, synced: &[CalendarSynced], out: &mut impl Write) -> Result<(), CliError> {
    if g.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(synced).unwrap_or_default()
        )?;
        return Ok(());
    }
    for s in synced {
        let whose = s
            .owner
            .as_deref()
            .map_or("mine".to_string(), |o| format!("{o}'s"));
        match &s.outcome {
            CalendarOutcome::Changed { events } => writeln!(
                out,
                "{} ({whose}): read, {events} events in the window.",
                s.shown
            )?,
            CalendarOutcome::Unchanged => writeln!(out, "{} ({whose}): no change.", s.shown)?,
            CalendarOutcome::Failed { error } => writeln!(
                out,
                "{} ({whose}): {error}\n  the last good copy stays in use",
                s.shown
            )?,
        }
    }
    Ok(())
}

fn local(t: Option<Instant>) -> String {
    t.map_or_else(
        || "never".into(),
        |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn list(g: &Global, out: &mut impl Write) -> Result<(), CliError> {
    let store = open_store(g)?;
    if g.json {
        // The same entries as the app's Settings show.
        let view = baton::desktop::views::calendars_view(&store)
            .map_err(|e| CliError::System(e.message))?;
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&view.calendars).unwrap_or_default()
        )?;
        return Ok(());
    }
    let cals = store.calendars()?;
    if cals.is_empty() {
        writeln!(
            out,
            "No calendars. Add yours with `baton calendar add URL` (an ICS address) or \
             `baton calendar add --caldav https://host/ --user NAME`; a teammate's comes from \
             `calendar = \"https://…\"` in their team entry."
        )?;
        return Ok(());
    }
    for c in &cals {
        let whose = c
            .spec
            .owner
            .as_deref()
            .map_or("mine".to_string(), |o| format!("{o}'s"));
        let what = match c.spec.kind {
            CalendarKind::Ics => "ICS".to_string(),
            CalendarKind::Caldav => format!(
                "CalDAV \"{}\" as {}",
                c.spec.name.as_deref().unwrap_or("?"),
                c.spec.user.as_deref().unwrap_or("?")
            ),
        };
        writeln!(
            out,
            "{:>3}  {whose}  {what}  {}{}",
            c.id,
            shown(&c.spec.url),
            if c.publish {
                "  (focus published here)"
            } else {
                ""
            }
        )?;
        writeln!(
            out,
            "     {} events; last changed {}, last checked {}",
            c.events,
            local(c.changed_at),
            local(c.checked_at)
        )?;
        if let Some(e) = &c.error {
            writeln!(out, "     error: {e} (the last good copy stays in use)")?;
        }
    }
    Ok(())
}
