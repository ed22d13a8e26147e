//! Argument parsing and command dispatch for the `baton` CLI.

mod calendar;
mod docs;
mod intake;
mod render;
mod source;

use std::io::Write;
use std::path::PathBuf;

use baton::query::report::{ForecastReport, HolidayEntry, HolidaysReport};
use baton::query::report::{
    HandoffReport, HoursReport, NowReport, OverlapReport, RangeReport, RelayReport,
};
use baton::query::{coverage_forecast, HandoffQuery, OverlapQuery, RelayQuery, FORECAST_MAX_DAYS};
use baton::store::{default_db_path, Store, DB_ENV};
use baton::team::holidays::{country_name, HolidayCalendar, HOLIDAY_YEARS};
use baton::team::schedule::TeamSchedule;
use baton::time::{local_days_span, parse_time_zone, suggest_time_zones};
use baton::{Instant, Team};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// How far past the range handoffs look for the receiver's next working period.
const HANDOFF_LOOKAHEAD_DAYS: i64 = 7;

/// Working hours, focus blocks and follow-the-sun handoffs for async teams.
#[derive(Debug, Parser)]
#[command(name = "baton", version = baton::about::version_line(), about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Global {
    /// Database file [default: the OS data directory, e.g. ~/.local/share/baton/baton.db]
    #[arg(long, global = true, env = DB_ENV, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Read the team from this TOML or JSON file instead of the database
    #[arg(long, global = true, value_name = "FILE")]
    team: Option<PathBuf>,
    /// Print stable JSON instead of tables
    #[arg(long, global = true)]
    json: bool,
    /// Viewer's time zone for the range and the tables [default: the team's `me`, else UTC]
    #[arg(long, global = true, value_name = "ZONE", value_parser = parse_zone_arg)]
    tz: Option<Tz>,
    /// First local date of the range [default: today in the viewer's zone]
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    from: Option<NaiveDate>,
    /// Number of days in the range
    #[arg(long, global = true, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
    days: u32,
    /// Treat this instant as now (RFC 3339, e.g. 2026-03-09T14:00:00Z) [default: the clock]
    #[arg(long, global = true, value_name = "INSTANT", value_parser = parse_instant_arg)]
    at: Option<Instant>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Each member's working and focus intervals in the range
    Hours {
        /// Members to show [default: everyone]
        members: Vec<String>,
    },
    /// Each member's local time, status, and when it next changes
    Now,
    /// Windows when the chosen members are all available outside focus, and the best slot
    Overlap {
        /// Members to consider, comma-separated [default: everyone]
        #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
        members: Vec<String>,
        /// Shortest window worth showing (e.g. 30m, 1h, 1h30m)
        #[arg(long, default_value = "30m", value_parser = parse_duration_arg)]
        min: Duration,
        /// Windows when at least K of them are available, instead of all
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..))]
        at_least: Option<u32>,
        /// With --at-least: a window at every change of who is available, listing everyone in it
        /// [default: on up to 50 members; beyond, maximal windows with who is there throughout]
        #[arg(long)]
        detail: bool,
        /// Count focus blocks as available
        #[arg(long)]
        include_focus: bool,
        /// Count calendar busy times (meetings) as available
        #[arg(long)]
        include_busy: bool,
    },
    /// Baton-pass windows from one member to another
    Handoff {
        /// The giver
        #[arg(value_name = "FROM")]
        giver: String,
        /// The receiver
        #[arg(value_name = "TO")]
        receiver: String,
        /// Shortest overlap that counts as a live (sync) handoff
        #[arg(long, default_value = "15m", value_parser = parse_duration_arg)]
        min: Duration,
        /// Count focus blocks as available
        #[arg(long)]
        include_focus: bool,
        /// Count calendar busy times (meetings) as available
        #[arg(long)]
        include_busy: bool,
    },
    /// The follow-the-sun relay: order, daily chain of handoffs, coverage gaps
    Relay {
        /// Members in relay order, comma-separated [default: everyone, east to west]; with
        /// `--forecast`, the members whose coverage is forecast
        #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
        members: Vec<String>,
        /// Shortest overlap that counts as a live (sync) handoff
        #[arg(long, default_value = "15m", value_parser = parse_duration_arg)]
        min: Duration,
        /// Count focus blocks as available
        #[arg(long)]
        include_focus: bool,
        /// Count calendar busy times (meetings) as available
        #[arg(long)]
        include_busy: bool,
        /// Instead: the coverage gaps of the coming weeks (from now) that a normal week does not have,
        /// with who is missing and why, e.g. 8w or 10d (at most 26w)
        #[arg(long, value_name = "WEEKS", value_parser = parse_forecast_arg)]
        forecast: Option<u32>,
    },
    /// A region's public holidays (date and name), e.g. `baton holidays DE-BY --year 2027`
    Holidays {
        /// ISO 3166-1 country code, optionally with an ISO 3166-2 subdivision: US, DE-BY, GB-SCT
        region: String,
        /// The year [default: the current year, UTC]
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
    },
    /// Move the team between the database and a team file
    #[command(subcommand)]
    Team(TeamCommand),
    /// Calendars: my ICS and CalDAV calendars, the team's feeds, and my own feed out
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Show or change the desktop app's settings (such as the focus shortcut)
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Run the notification intake in the foreground (instead of the desktop app), until SIGTERM or Ctrl-C
    Daemon,
    /// Hand a notification to Baton: to the running app or daemon, else straight into the database
    Notify(intake::NotifyArgs),
    /// Notifications received, grouped by source and group, most pressing reply-by first
    Inbox {
        #[command(subcommand)]
        action: Option<intake::InboxCommand>,
        /// Include items marked done
        #[arg(long)]
        all: bool,
        /// Most items to read per state
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
    },
    /// The notification intake API
    #[command(subcommand)]
    Intake(intake::IntakeCommand),
    /// Start or stop an on-demand focus session (notifications wait for its end)
    #[command(subcommand)]
    Focus(intake::FocusCommand),
    /// The week in focus: focus protected against the goal, interruptions, what was held, my handoffs,
    /// meetings and fragmented time, per day [default: this week, from Monday; --from: the first day]
    Week,
    /// Print the completion script for a shell, e.g. `baton completions bash > ~/.local/share/bash-completion/completions/baton`
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or with --dir write it and one page per subcommand there
    Man {
        /// The folder to write baton.1 and baton-SUBCOMMAND.1 into
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum SettingsCommand {
    /// Every setting with its value
    List,
    /// Change a setting (the app applies it at its next start)
    Set {
        /// The setting, e.g. focus_shortcut
        key: String,
        /// The value; an empty string turns a shortcut off
        value: String,
    },
}

#[derive(Debug, Subcommand)]
enum TeamCommand {
    /// Replace the team in the database with a team file (all or nothing)
    Import {
        /// The TOML or JSON team file
        #[arg(required_unless_present = "sample", conflicts_with = "sample")]
        file: Option<PathBuf>,
        /// Import the sample team that ships with Baton
        #[arg(long)]
        sample: bool,
    },
    /// Print the team in the database as a team file
    Export {
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Toml)]
        format: Format,
        /// Write to this file instead of standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Follow a shared team: a folder (team.toml + members/*.toml), a team file, or an https:// URL
    Follow {
        /// The folder, the file, or the URL (http:// only to 127.0.0.1, ::1 or localhost)
        source: String,
    },
    /// Stop following the team's source; the current team stays, as a local team
    Unfollow,
    /// Read the followed source now and apply it (the running app shows the change)
    Sync,
    /// Where the team comes from: source, last checked, last changed, content hash, error
    Status,
    /// Write a team file as a team folder (team.toml + members/*.toml, one file per person)
    Split {
        /// The TOML or JSON team file
        file: PathBuf,
        /// The folder to create (it must not exist, or be empty)
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
    },
    /// Print a generated team of N members (for benchmarks)
    #[command(hide = true)]
    Generate {
        /// Number of members
        #[arg(long)]
        members: usize,
        /// Random seed
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Toml)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Toml,
    Json,
}

/// A failed command: bad input (exit 2, nothing changed), a failure of the system (exit 1), or a
/// notification refused for now by the rate limit (exit 3, nothing stored; retry later).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The user's input is wrong; the message says what and where.
    #[error("{0}")]
    Input(String),
    /// Something else failed.
    #[error("{0}")]
    System(String),
    /// The running Baton refused a notification for now (its source is over the rate limit).
    #[error("{0}")]
    RateLimited(String),
    /// Standard output was closed early (`baton ... | head`): stop quietly.
    #[error("output closed")]
    OutputClosed,
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::System(_) => 1,
            CliError::RateLimited(_) => 3,
            CliError::OutputClosed => 0,
        }
    }
}

impl From<baton::TeamError> for CliError {
    fn from(e: baton::TeamError) -> Self {
        // A missing or unreadable team file is the user's input too.
        CliError::Input(e.to_string())
    }
}

impl From<baton::store::StoreError> for CliError {
    fn from(e: baton::store::StoreError) -> Self {
        CliError::System(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError::OutputClosed;
        }
        CliError::System(format!("cannot write output: {e}"))
    }
}

/// Runs a parsed command, writing its output to `out`.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<(), CliError> {
    let g = &cli.global;
    use_locale(g);
    match &cli.command {
        Command::Team(cmd) => team_command(g, cmd, out),
        Command::Calendar(cmd) => calendar::run(g, cmd, out),
        Command::Settings(cmd) => settings_command(g, cmd, out),
        Command::Daemon => intake::daemon(&db_path(g)?),
        Command::Notify(args) => intake::notify(&db_path(g)?, g.json, args, out),
        Command::Inbox {
            action: None,
            all,
            limit,
        } => intake::inbox(
            &db_path(g)?,
            g.json,
            g.tz,
            *all,
            *limit as usize,
            g.at.unwrap_or_else(Utc::now),
            out,
        ),
        Command::Inbox {
            action: Some(action),
            ..
        } => intake::inbox_action(
            &db_path(g)?,
            g.json,
            action,
            g.at.unwrap_or_else(Utc::now),
            out,
        ),
        Command::Focus(cmd) => intake::focus(
            &db_path(g)?,
            g.json,
            cmd,
            g.at.unwrap_or_else(Utc::now),
            out,
        ),
        Command::Intake(cmd) => intake::intake_command(&db_path(g)?, g.json, cmd, out),
        Command::Week => week(g, out),
        Command::Completions { shell } => docs::completions(*shell, out),
        Command::Man { dir } => docs::man(dir.as_deref(), out),
        Command::Now => {
            let team = load_team(g)?;
            let report = NowReport::build(&team, g.at.unwrap_or_else(Utc::now));
            emit(out, g.json, &report, |o| {
                render::now(o, &team, &report, viewer_zone(g, &team))
            })
        }
        Command::Hours { members } => {
            let team = load_team(g)?;
            let members = if members.is_empty() {
                (0..team.members.len()).collect()
            } else {
                member_indexes(&team, members)?
            };
            let (schedule, range) = schedule(g, &team, Duration::zero());
            let report = HoursReport::build(&schedule, range, &members);
            emit(out, g.json, &report, |o| render::hours(o, &report))
        }
        Command::Overlap {
            members,
            min,
            at_least,
            detail,
            include_focus,
            include_busy,
        } => {
            let team = load_team(g)?;
            let members = if members.is_empty() {
                (0..team.members.len()).collect()
            } else {
                member_indexes(&team, members)?
            };
            let at_least = at_least.map(|k| k as usize);
            if let Some(k) = at_least.filter(|&k| k > members.len()) {
                return Err(CliError::Input(format!(
                    "--at-least {k} is more than the {} member(s) chosen; use a number from 1 to {}",
                    members.len(),
                    members.len()
                )));
            }
            let (schedule, range) = schedule(g, &team, Duration::zero());
            let q = OverlapQuery {
                members,
                min: *min,
                at_least,
                include_focus: *include_focus,
                include_busy: *include_busy,
            };
            let detail = *detail || q.members.len() <= baton::query::report::DETAIL_MEMBERS;
            let report = OverlapReport::build_detail(&schedule, range, &q, detail);
            emit(out, g.json, &report, |o| render::overlap(o, &report))
        }
        Command::Handoff {
            giver,
            receiver,
            min,
            include_focus,
            include_busy,
        } => {
            let team = load_team(g)?;
            let ids = [
                member_indexes(&team, std::slice::from_ref(giver))?[0],
                member_indexes(&team, std::slice::from_ref(receiver))?[0],
            ];
            if ids[0] == ids[1] {
                return Err(CliError::Input(format!(
                    "a handoff needs two different members; both are \"{giver}\""
                )));
            }
            let (schedule, range) = schedule(g, &team, Duration::days(HANDOFF_LOOKAHEAD_DAYS));
            let q = HandoffQuery {
                from: ids[0],
                to: ids[1],
                min_sync: *min,
                include_focus: *include_focus,
                include_busy: *include_busy,
            };
            let report = HandoffReport::build(&schedule, range, &q);
            emit(out, g.json, &report, |o| render::handoff(o, &report))
        }
        Command::Relay {
            forecast: Some(days),
            members,
            ..
        } => {
            let mut team = load_team(g)?;
            // The relay's members, when named: the forecast is of their coverage alone.
            if !members.is_empty() {
                let ids = member_indexes(&team, members)?;
                team.members = ids.iter().map(|&i| team.members[i].clone()).collect();
                team.me = None;
            }
            let now = g.at.unwrap_or_else(Utc::now);
            let report = ForecastReport {
                from: now,
                days: *days,
                gaps: coverage_forecast(&team, now, *days),
            };
            emit(out, g.json, &report, |o| render::forecast(o, &report))
        }
        Command::Holidays { region, year } => {
            let calendar =
                HolidayCalendar::parse(region).map_err(|e| CliError::Input(e.to_string()))?;
            let year = year.unwrap_or_else(|| g.at.unwrap_or_else(Utc::now).year());
            if !HOLIDAY_YEARS.contains(&year) {
                return Err(CliError::Input(format!(
                    "--year {year}: the holiday data covers {} to {}",
                    HOLIDAY_YEARS.start(),
                    HOLIDAY_YEARS.end()
                )));
            }
            let report = HolidaysReport {
                region: calendar.region().to_string(),
                country: country_name(&calendar.region()[..2]).map(str::to_string),
                year,
                holidays: calendar
                    .in_year(year)
                    .into_iter()
                    .map(|(date, name)| HolidayEntry {
                        date,
                        name: name.to_string(),
                    })
                    .collect(),
            };
            emit(out, g.json, &report, |o| render::holidays(o, &report))
        }
        Command::Relay {
            members,
            min,
            include_focus,
            include_busy,
            forecast: None,
        } => {
            let team = load_team(g)?;
            let order = if members.is_empty() {
                None
            } else {
                Some(member_indexes(&team, members)?)
            };
            let (schedule, range) = schedule(g, &team, Duration::days(HANDOFF_LOOKAHEAD_DAYS));
            let q = RelayQuery {
                order,
                min_sync: *min,
                include_focus: *include_focus,
                include_busy: *include_busy,
            };
            let report = RelayReport::build(&schedule, range, &q);
            emit(out, g.json, &report, |o| render::relay(o, &report))
        }
    }
}

fn team_command(g: &Global, cmd: &TeamCommand, out: &mut impl Write) -> Result<(), CliError> {
    match cmd {
        TeamCommand::Import { file, sample } => {
            let team = match (file, sample) {
                (_, true) => baton::team::sample::team(),
                (Some(path), false) => Team::from_path(path)?,
                (None, false) => {
                    return Err(CliError::Input(
                        "give a team file to import, or --sample".into(),
                    ))
                }
            };
            let mut store = open_store(g)?;
            if let Some(status) = store.team_source()? {
                return Err(CliError::Input(format!(
                    "the team is followed from the {} {}: an import would be replaced at its next \
                     change; run `baton team unfollow` first to make the team local",
                    status.spec.kind,
                    status.spec.shown()
                )));
            }
            store.replace_team(&team)?;
            if g.json {
                let v = serde_json::json!({"imported": team.name, "members": team.members.len(), "db": store.path()});
                writeln!(out, "{v}")?;
            } else {
                writeln!(
                    out,
                    "Imported team \"{}\" ({} members) into {}",
                    team.name,
                    team.members.len(),
                    store.path()
                )?;
            }
            Ok(())
        }
        TeamCommand::Export { format, output } => {
            // With --team, export converts that file (TOML to JSON, or to canonical form).
            let team = load_team(g)?;
            let text = match format {
                Format::Toml => team.to_toml_string(),
                Format::Json => team.to_json_string() + "\n",
            };
            match output {
                Some(path) => std::fs::write(path, text).map_err(|e| {
                    CliError::System(format!("cannot write {}: {e}", path.display()))
                })?,
                None => out.write_all(text.as_bytes())?,
            }
            Ok(())
        }
        TeamCommand::Follow { source } => source::follow(g, source, out),
        TeamCommand::Unfollow => source::unfollow(g, out),
        TeamCommand::Sync => source::sync(g, out),
        TeamCommand::Status => source::status(g, out),
        TeamCommand::Split { file, into } => source::split(g, file, into, out),
        TeamCommand::Generate {
            members,
            seed,
            format,
        } => {
            let team = baton::team::sample::generate(*members, *seed);
            let text = match format {
                Format::Toml => team.to_toml_string(),
                Format::Json => team.to_json_string() + "\n",
            };
            out.write_all(text.as_bytes())?;
            Ok(())
        }
    }
}

/// `baton week`: the desktop's week view, from the database (sessions and notifications live there).
fn week(g: &Global, out: &mut impl Write) -> Result<(), CliError> {
    if g.team.is_some() {
        return Err(CliError::Input(
            "baton week reads focus sessions and notifications from the database, and the team with \
             them: import the team with `baton team import FILE` instead of --team"
                .into(),
        ));
    }
    let store = open_store(g)?;
    let report = baton::desktop::views::week_view(&store, g.from, g.at.unwrap_or_else(Utc::now))
        .map_err(|e| match e.code {
            baton::error::ErrorCode::Storage => CliError::System(e.message),
            _ => CliError::Input(e.message),
        })?;
    emit(out, g.json, &report, |o| render::week(o, &report))
}

fn db_path(g: &Global) -> Result<PathBuf, CliError> {
    g.db.clone().or_else(default_db_path).ok_or_else(|| {
        CliError::Input(format!(
            "cannot find a data directory for the database; pass --db PATH or set {DB_ENV}"
        ))
    })
}

fn settings_command(
    g: &Global,
    cmd: &SettingsCommand,
    out: &mut impl Write,
) -> Result<(), CliError> {
    use baton::store::settings::{validate_with_team, ME, SETTINGS};
    let store = open_store(g)?;
    if let SettingsCommand::Set { key, value } = cmd {
        let team = if key == ME { store.load_team()? } else { None };
        let value = validate_with_team(key, value, team.as_ref())
            .map_err(|e| CliError::Input(e.to_string()))?;
        if key == ME && value.is_empty() {
            store.clear_setting(key)?;
        } else {
            store.set_setting(key, &value)?;
        }
    }
    let mut rows = Vec::new();
    for (key, default, about) in SETTINGS {
        let value = store
            .setting(key)?
            .unwrap_or_else(|| (*default).to_string());
        rows.push(serde_json::json!({"key": key, "value": value, "about": about}));
    }
    if g.json {
        writeln!(out, "{}", serde_json::json!({ "settings": rows }))?;
    } else {
        for (row, (key, _, about)) in rows.iter().zip(SETTINGS) {
            let value = row["value"].as_str().unwrap_or_default();
            let shown = match value {
                "" if *key == ME => "(unset: the team file's me, if any)",
                "" => "(off)",
                v => v,
            };
            writeln!(out, "{key} = {shown}    # {about}")?;
        }
    }
    Ok(())
}

/// Shows times as the system locale and the database's `time_format` and `week_start` settings say
/// (tables only: `--json` stays RFC 3339). A database that does not exist yet is not created for it.
///
/// With `--team FILE` no database is opened for it (the command reads none): the locale alone decides.
fn use_locale(g: &Global) {
    let store = db_path(g)
        .ok()
        .filter(|p| g.team.is_none() && p.is_file())
        .and_then(|p| Store::open(&p).ok());
    baton::store::settings::time_locale(|key| {
        store.as_ref().and_then(|s| s.setting(key).ok().flatten())
    })
    .set_current();
}

fn open_store(g: &Global) -> Result<Store, CliError> {
    Ok(Store::open(&db_path(g)?)?)
}

fn no_team(db: &str) -> CliError {
    CliError::Input(format!(
        "no team in the database {db}; import one with `baton team import FILE` (or `--sample`), or pass --team FILE"
    ))
}

fn load_team(g: &Global) -> Result<Team, CliError> {
    if let Some(path) = &g.team {
        return Ok(Team::from_path(path)?);
    }
    let store = open_store(g)?;
    store.load_team()?.ok_or_else(|| no_team(store.path()))
}

fn viewer_zone(g: &Global, team: &Team) -> Tz {
    g.tz.or_else(|| team.me().map(|m| m.time_zone))
        .unwrap_or(Tz::UTC)
}

fn schedule<'a>(
    g: &Global,
    team: &'a Team,
    lookahead: Duration,
) -> (TeamSchedule<'a>, RangeReport) {
    let tz = viewer_zone(g, team);
    let from = g.from.unwrap_or_else(|| {
        g.at.unwrap_or_else(Utc::now)
            .with_timezone(&tz)
            .date_naive()
    });
    let span = local_days_span(tz, from, g.days);
    (
        TeamSchedule::build(team, span, lookahead),
        RangeReport::new(from, g.days, tz, span),
    )
}

/// Team indexes of `names`, in the order given; each member may be named once.
fn member_indexes(team: &Team, names: &[String]) -> Result<Vec<usize>, CliError> {
    let mut ids = Vec::with_capacity(names.len());
    for n in names {
        let Some((i, m)) = team.member(n) else {
            let known: Vec<_> = team.members.iter().map(|m| m.name.as_str()).collect();
            return Err(CliError::Input(format!(
                "no member named \"{n}\" in team \"{}\"; members: {}",
                team.name,
                known.join(", ")
            )));
        };
        if ids.contains(&i) {
            return Err(CliError::Input(format!(
                "\"{}\" is listed twice; name each member once",
                m.name
            )));
        }
        ids.push(i);
    }
    Ok(ids)
}

fn emit<T: serde::Serialize>(
    out: &mut impl Write,
    json: bool,
    report: &T,
    human: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    if json {
        serde_json::to_writer_pretty(&mut *out, report).map_err(|e| match e.io_error_kind() {
            Some(kind) => CliError::from(std::io::Error::from(kind)),
            None => CliError::System(e.to_string()),
        })?;
        writeln!(out)?;
    } else {
        human(out)?;
    }
    Ok(())
}

fn parse_zone_arg(s: &str) -> Result<Tz, String> {
    parse_time_zone(s).ok_or_else(|| {
        let suggestions = suggest_time_zones(s, 3);
        if suggestions.is_empty() {
            "unknown time zone; use an IANA name such as Europe/Berlin".to_string()
        } else {
            format!(
                "unknown time zone; did you mean {}?",
                suggestions.join(", ")
            )
        }
    })
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| "expected a date like 2026-03-09".to_string())
}

fn parse_instant_arg(s: &str) -> Result<Instant, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| "expected an RFC 3339 instant like 2026-03-09T14:00:00Z".to_string())
}

/// `8w` or `10d` as a number of days, 1 to [`FORECAST_MAX_DAYS`].
fn parse_forecast_arg(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let err = || "expected weeks or days like 8w or 10d, at most 26w".to_string();
    let (n, per) = match t.char_indices().last() {
        Some((i, 'w' | 'W')) => (&t[..i], 7),
        Some((i, 'd' | 'D')) => (&t[..i], 1),
        _ => return Err(err()),
    };
    let days = n.parse::<u32>().map_err(|_| err())?.saturating_mul(per);
    if (1..=FORECAST_MAX_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(err())
    }
}

fn parse_duration_arg(s: &str) -> Result<Duration, String> {
    let std = humantime::parse_duration(s)
        .map_err(|_| "expected a duration like 30m, 1h or 1h30m".to_string())?;
    Duration::from_std(std).map_err(|_| "duration too long".to_string())
}
