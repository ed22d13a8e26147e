//! The notification commands: `baton daemon` (the intake without the desktop app), `baton notify`,
//! `baton inbox` and `baton intake info`.

use std::fmt::Display;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use baton::dnd::{DndEvent, Silence};
use baton::notify::delivery::{
    self, DesktopNotifier, Notifier, PolicyInputs, RecordingNotifier, NOTIFIER_LOG_ENV,
};
use baton::notify::inbox::{entries, with_reply_by, InboxEntry};
use baton::notify::intake::client::{ClientError, Health, IntakeClient, Posted};
use baton::notify::intake::{self, submission, PolicyCache, Receipt, Token};
use baton::notify::policy;
use baton::notify::run::{Runner, RunnerEvent, StartError, WithoutIntake};
use baton::notify::runner;
use baton::store::settings;
use baton::store::{NotificationFilter, Store};
use baton::team::focus::{FocusError, MAX_FOCUS_MINUTES};
use baton::Instant;
use chrono::Utc;
use chrono_tz::Tz;
use clap::{Args, Subcommand};
use serde_json::{json, Map, Value};

use super::render::{table, write_table};
use super::CliError;

/// `baton notify`'s options: the fields of the intake API's JSON body.
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// Who sends it (ci, github, backup, ...)
    #[arg(long)]
    source: String,
    /// One line saying what happened
    #[arg(long)]
    title: String,
    /// More text
    #[arg(long)]
    body: Option<String>,
    /// low, normal, high or critical [default: normal]
    #[arg(long)]
    urgency: Option<String>,
    /// The person behind it
    #[arg(long)]
    sender: Option<String>,
    /// Thread key: items with the same source and group are shown as one entry
    #[arg(long)]
    group: Option<String>,
    /// A link (http or https) to what it is about
    #[arg(long)]
    url: Option<String>,
    /// Retry key: sending the same key again stores nothing new and answers with the first id
    #[arg(long)]
    idempotency_key: Option<String>,
}

/// `baton inbox ...`.
#[derive(Debug, Subcommand)]
pub enum InboxCommand {
    /// Mark items done (the ids `baton inbox --json` lists)
    Done {
        /// Item ids
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Show everything held now, in one digest
    Deliver,
}

/// `baton focus ...`.
#[derive(Debug, Subcommand)]
pub enum FocusCommand {
    /// Start a session now (stopping any running one); held notifications wait for its end
    Start {
        /// Length in minutes (1 to 720)
        #[arg(long, default_value_t = 50)]
        minutes: u32,
    },
    /// Stop the running session; what it held is delivered by the running Baton
    Stop,
    /// The running session, if any, and the desktop's do-not-disturb: which backend Baton
    /// switches (or why none) and whether Baton has it on now
    Status,
}

/// `baton intake ...`.
#[derive(Debug, Subcommand)]
pub enum IntakeCommand {
    /// The intake's URL, port, token file, and whether a Baton is listening
    Info,
}

fn system(e: impl Display) -> CliError {
    CliError::System(e.to_string())
}

/// A line on standard error with a UTC timestamp.
fn log(message: impl Display) {
    eprintln!(
        "{} baton daemon: {message}",
        Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ")
    );
}

/// Runs the intake in the foreground until SIGTERM or SIGINT, holding the runner lock throughout.
pub fn daemon(db: &Path) -> Result<(), CliError> {
    let runner = Runner::start(db, runner::DAEMON).map_err(|e| match e {
        StartError::Lock(e) => CliError::System(format!("cannot start: {e}")),
        e => system(e),
    })?;
    let notifier = notifier_from_env().map_err(system)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(system)?;
    let logged_db = db.to_path_buf();
    let stopped = runtime
        .block_on(runner.run(
            notifier,
            || {},
            stop_requested(),
            WithoutIntake::Stop,
            move |event| log_event(&logged_db, event),
        ))
        .map_err(system)?;
    if stopped.cut > 0 {
        log(format_args!(
            "closed {} connection{} still open at the end of the grace period",
            stopped.cut,
            if stopped.cut == 1 { "" } else { "s" }
        ));
    }
    log("stopped; every accepted notification is stored");
    Ok(())
}

/// The daemon's log line for what its runner reports.
fn log_event(db: &Path, event: RunnerEvent<'_>) {
    match event {
        RunnerEvent::NotWatching(e) => log(format_args!(
            "cannot watch the database ({e}); changes made elsewhere are seen at the next arrival"
        )),
        RunnerEvent::Skipped(skipped) => log(format_args!(
            "not listening on {skipped}; carrying on without it"
        )),
        RunnerEvent::Listening {
            addrs,
            rate_per_minute,
            rate_total_per_minute,
        } => {
            let addrs: Vec<String> = addrs.iter().map(ToString::to_string).collect();
            log(format_args!(
                "database {}; listening on {} ({} per source per minute, {} in all); token in {}",
                db.display(),
                addrs.join(" and "),
                rate_per_minute,
                rate_total_per_minute,
                Token::path_for(db).display()
            ));
        }
        // With `WithoutIntake::Stop` these come back as the error instead.
        RunnerEvent::Team(event) => log(format_args!("{event}")),
        RunnerEvent::Calendar(synced) => match &synced.outcome {
            baton::calendar::sync::CalendarOutcome::Changed { events } => log(format_args!(
                "calendar {}: read, {events} events",
                synced.shown
            )),
            baton::calendar::sync::CalendarOutcome::Unchanged => {}
            baton::calendar::sync::CalendarOutcome::Failed { error } => {
                log(format_args!("calendar {}: {error}", synced.shown))
            }
        },
        RunnerEvent::Dnd(event) => log(format_args!("{}", dnd_line(event))),
        RunnerEvent::NoIntake(_) | RunnerEvent::IntakeStopped(_) => {}
    }
}

/// A do-not-disturb event in words, for the daemon's log.
fn dnd_line(event: &DndEvent<'_>) -> String {
    match event {
        DndEvent::Using(name) => format!("do not disturb: switching {name}'s with focus"),
        DndEvent::Unavailable(why) => format!("do not disturb: not switched: {why}"),
        DndEvent::On {
            backend,
            found_on: true,
            ..
        } => format!("do not disturb: {backend}'s was already on; it stays on"),
        DndEvent::On {
            backend, silence, ..
        } => format!(
            "do not disturb: turned {backend}'s on ({})",
            match silence {
                Silence::Focus => "focus",
                Silence::OffHours => "outside working hours",
            }
        ),
        DndEvent::Restored {
            backend,
            found_on: true,
        } => format!("do not disturb: focus ended; {backend}'s stays on, as it was"),
        DndEvent::Restored { backend, .. } => {
            format!("do not disturb: focus ended; turned {backend}'s off again")
        }
        DndEvent::Resumed(backend) => {
            format!("do not disturb: focus still runs; {backend}'s stays on from the last run")
        }
        DndEvent::Failed(e) => format!("do not disturb: {e} (focus goes on without it)"),
        DndEvent::Store(e) => format!("do not disturb: {e}"),
    }
}

/// The notifier the CLI and the daemon show notifications with: the desktop's, or, when
/// [`NOTIFIER_LOG_ENV`] names a file (a test hook), a [`RecordingNotifier`] appending JSON lines to it.
pub(crate) fn notifier_from_env() -> Result<Arc<dyn Notifier>, String> {
    match std::env::var_os(NOTIFIER_LOG_ENV) {
        Some(path) if !path.is_empty() => RecordingNotifier::logging_to(Path::new(&path))
            .map(|n| Arc::new(n) as Arc<dyn Notifier>)
            .map_err(|e| {
                format!(
                    "cannot open {} ({NOTIFIER_LOG_ENV}): {e}",
                    Path::new(&path).display()
                )
            }),
        _ => Ok(Arc::new(DesktopNotifier)),
    }
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => log("SIGTERM: finishing requests in flight"),
                _ = tokio::signal::ctrl_c() => log("SIGINT: finishing requests in flight"),
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    log("SIGINT: finishing requests in flight");
}

/// Posts the notification to the running Baton; when nothing listens, stores it in the database
/// itself. Either way it is stored once this returns `Ok`.
pub fn notify(
    db: &Path,
    json_out: bool,
    args: &NotifyArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let mut fields = Map::new();
    fields.insert("source".into(), json!(args.source));
    fields.insert("title".into(), json!(args.title));
    for (name, value) in [
        ("body", &args.body),
        ("urgency", &args.urgency),
        ("sender", &args.sender),
        ("group", &args.group),
        ("url", &args.url),
        ("idempotency_key", &args.idempotency_key),
    ] {
        if let Some(v) = value {
            fields.insert(name.into(), json!(v));
        }
    }
    let body = Value::Object(fields);
    // The same checks the server makes, so a bad field is refused here whichever way it would go.
    let notification = submission::from_value(body.clone())
        .map_err(|rejection| CliError::Input(rejection.to_string()))?;
    let mut store = Store::open(db)?;
    let port = intake::configured_port(&store).map_err(system)?;
    // No token file means no Baton has ever served this database, so nothing can be listening for it.
    let token = Token::load(&Token::path_for(db)).map_err(system)?;
    // Set when the port is held by a program that is not this database's Baton.
    let mut squatted = None;
    if let Some(token) = token {
        let client = IntakeClient::new(port, Some(token));
        match client.post(body.to_string().as_bytes()) {
            Ok(Posted::Accepted(receipt)) => {
                let url = client.notifications_url();
                if json_out {
                    let mut answer = serde_json::to_value(&receipt).map_err(system)?;
                    answer["stored_by"] = json!("running");
                    answer["url"] = json!(url);
                    return writeln!(out, "{answer}").map_err(CliError::from);
                }
                let what = if receipt.duplicate {
                    "already queued as id {id} (same idempotency key)"
                } else {
                    "queued id {id}"
                }
                .replace("{id}", &receipt.id.to_string());
                writeln!(out, "{what} with the running Baton at {url}")?;
                return writeln!(out, "{}", receipt_line(&receipt.reason, receipt.reply_by.as_deref(), &store))
                    .map_err(CliError::from);
            }
            Ok(Posted::Refused {
                status: 429,
                message,
                ..
            }) => return Err(CliError::RateLimited(format!("not stored: {message}"))),
            Ok(Posted::Refused {
                status: 400,
                message,
                ..
            }) => return Err(CliError::Input(message)),
            Ok(Posted::Refused {
                status,
                message,
                ..
            }) => {
                return Err(CliError::System(format!(
                    "not stored: the Baton listening on port {port} answered {status}: {message}"
                )))
            }
            Err(ClientError::NotListening(_)) => {}
            // Nothing but a random challenge reached it, so storing here is safe, and what the
            // sender wants: the notification is kept, and Baton delivers it when it runs (a Baton
            // running on another port sees the write to the database at once).
            Err(e @ ClientError::NotBaton { .. }) => {
                eprintln!(
                    "baton: warning: {e}. Stop that program, or give Baton another port with \
                     `baton settings set {} PORT`",
                    settings::INTAKE_PORT
                );
                squatted = Some(e.to_string());
            }
            Err(e @ ClientError::Failed { .. }) => {
                return Err(CliError::System(format!(
                    "{e}; it may or may not be stored: send it again with the same --idempotency-key to be sure"
                )))
            }
        }
    }
    let now = Utc::now();
    let accepted = store
        .accept_notifications(std::slice::from_ref(&notification), now)?
        .remove(0);
    // What the policy will do with it, as the running Baton would answer.
    let receipt = match PolicyCache::load(&store, now) {
        Ok(cache) => {
            let verdict = match store.notification(accepted.id)? {
                Some(row) if accepted.duplicate => cache.verdict_for_stored(&row, now),
                Some(row) => {
                    let breakthroughs = store.breakthroughs_since(now - policy::CAP_WINDOW)?;
                    cache.verdict(&row.item(), now, Some(&breakthroughs))
                }
                None => {
                    return Err(CliError::System(format!(
                        "id {} is not stored",
                        accepted.id
                    )))
                }
            };
            Receipt::new(accepted, now, &verdict)
        }
        Err(e) => Receipt::without_verdict(accepted, now, &e),
    };
    if json_out {
        let mut answer = serde_json::to_value(&receipt).map_err(system)?;
        answer["stored_by"] = json!("database");
        answer["db"] = json!(store.path());
        if let Some(warning) = &squatted {
            answer["warning"] = json!(warning);
        }
        writeln!(out, "{answer}")?;
    } else {
        let what = if receipt.duplicate {
            "already stored as id"
        } else {
            "stored id"
        };
        let why = if squatted.is_some() {
            format!("127.0.0.1:{port} is held by another program, not Baton")
        } else {
            "no Baton running".to_string()
        };
        writeln!(
            out,
            "{why}: {what} {} in {}; it will be delivered when Baton starts",
            receipt.id,
            store.path()
        )?;
        writeln!(
            out,
            "{}",
            receipt_line(&receipt.reason, receipt.reply_by.as_deref(), &store)
        )?;
    }
    Ok(())
}

/// The policy's decision in one line: "Ana is in focus until 11:00 America/Sao_Paulo; it goes in the
/// digest then. Reply by Tue 13:00."
fn receipt_line(reason: &str, reply_by: Option<&str>, store: &Store) -> String {
    let mut chars = reason.chars();
    let mut line: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    line.push_str(chars.as_str());
    let tz = store
        .load_team()
        .ok()
        .flatten()
        .and_then(|t| t.me().map(|m| m.zone_at(Utc::now())));
    if let (Some(by), Some(tz)) = (
        reply_by.and_then(|r| chrono::DateTime::parse_from_rfc3339(r).ok()),
        tz,
    ) {
        let now = Utc::now();
        line.push_str(&format!(
            "; reply expected by {}",
            baton::notify::inbox::local_label(by.with_timezone(&Utc), now, tz)
        ));
    }
    line.push('.');
    line
}

/// Lists the inbox: held, failed (with the reason the notification service gave) and delivered items
/// (and done ones with `all`), grouped, the earliest reply-by first.
pub fn inbox(
    db: &Path,
    json_out: bool,
    tz: Option<Tz>,
    all: bool,
    limit: usize,
    now: Instant,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let store = Store::open(db)?;
    let mut rows = store.notifications(NotificationFilter::Held, usize::MAX)?;
    rows.extend(store.notifications(NotificationFilter::Failed, limit)?);
    rows.extend(store.notifications(NotificationFilter::Delivered, limit)?);
    if all {
        rows.extend(store.notifications(NotificationFilter::Done, limit)?);
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    let items: Vec<_> = rows.iter().map(|r| r.item()).collect();
    let inputs = PolicyInputs::load(&store, &items, now).map_err(system)?;
    let oldest = rows.iter().map(|r| r.received_at).min().unwrap_or(now);
    let timeline = inputs.timeline(oldest, now);
    let inbox: Vec<InboxEntry> = with_reply_by(entries(&rows), &rows, &timeline, now);
    if json_out {
        writeln!(out, "{}", json!({ "entries": inbox }))?;
        return Ok(());
    }
    if inbox.is_empty() {
        writeln!(out, "The inbox is empty.")?;
        return Ok(());
    }
    let tz = tz
        .or_else(|| inputs.team.me().map(|m| m.time_zone))
        .unwrap_or(Tz::UTC);
    let mut t = table(&[
        "state", "source", "group", "count", "urgency", "title", "received", "reply by",
    ]);
    for e in &inbox {
        t.add_row(vec![
            e.state.as_str().to_string(),
            e.source.clone(),
            e.group.clone().unwrap_or_else(|| "–".into()),
            e.count.to_string(),
            e.urgency.to_string(),
            match &e.failure {
                Some(reason) => format!("{} (not shown: {reason})", e.title),
                None => e.title.clone(),
            },
            {
                let at = e.received_at.with_timezone(&tz);
                format!(
                    "{} {}",
                    baton::time::locale::TimeLocale::current().date_time(&at),
                    at.format("%Z")
                )
            },
            e.reply_by
                .map(|t| {
                    let at =
                        baton::time::locale::TimeLocale::current().date_time(&t.with_timezone(&tz));
                    if e.overdue {
                        format!("{at} OVERDUE")
                    } else {
                        at
                    }
                })
                .unwrap_or_else(|| "–".into()),
        ]);
    }
    write_table(out, &t)?;
    Ok(())
}

/// `baton inbox done` and `baton inbox deliver`.
pub fn inbox_action(
    db: &Path,
    json_out: bool,
    action: &InboxCommand,
    now: Instant,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    match action {
        InboxCommand::Done { ids } => {
            let known: std::collections::HashSet<i64> = store
                .notifications(NotificationFilter::All, usize::MAX)?
                .iter()
                .map(|n| n.id)
                .collect();
            let unknown: Vec<String> = ids
                .iter()
                .filter(|id| !known.contains(id))
                .map(ToString::to_string)
                .collect();
            if !unknown.is_empty() {
                return Err(CliError::Input(format!(
                    "no notification with id {}; `baton inbox --json` lists the ids",
                    unknown.join(", ")
                )));
            }
            let changed = store.mark_done(ids, now)?;
            if json_out {
                writeln!(out, "{}", json!({"done": changed, "ids": ids}))?;
            } else {
                writeln!(
                    out,
                    "marked {changed} item{} done{}",
                    if changed == 1 { "" } else { "s" },
                    if changed < ids.len() {
                        format!(" ({} already were)", ids.len() - changed)
                    } else {
                        String::new()
                    }
                )?;
            }
        }
        InboxCommand::Deliver => {
            let notifier = notifier_from_env().map_err(system)?;
            let d = delivery::deliver_now(&mut store, &*notifier, now).map_err(system)?;
            if let Some(e) = &d.failure {
                return Err(CliError::System(format!(
                    "cannot show a notification: {e}; {} items stay in the inbox",
                    d.undelivered
                )));
            }
            if json_out {
                writeln!(
                    out,
                    "{}",
                    json!({"delivered": d.digest, "failed": d.failed})
                )?;
                return Ok(());
            }
            if d.digest.is_empty() && d.failed.is_empty() {
                writeln!(out, "nothing is held")?;
            } else if !d.digest.is_empty() {
                let n = d.digest.len();
                writeln!(
                    out,
                    "delivered {n} held item{} in {}",
                    if n == 1 { "" } else { "s" },
                    if d.failed.is_empty() {
                        "one digest"
                    } else {
                        "digests"
                    }
                )?;
            }
            if !d.failed.is_empty() {
                let n = d.failed.len();
                writeln!(
                    out,
                    "{n} item{} could not be shown (the notification service refused {}): see `baton inbox`",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "it" } else { "them" }
                )?;
            }
        }
    }
    Ok(())
}

/// `baton focus start` and `baton focus stop`. A running Baton sees the change through its database
/// watcher and delivers what the session held.
pub fn focus(
    db: &Path,
    json_out: bool,
    cmd: &FocusCommand,
    now: Instant,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let session = match cmd {
        FocusCommand::Start { minutes } => {
            if !(1..=MAX_FOCUS_MINUTES).contains(minutes) {
                return Err(CliError::Input(FocusError::BadLength(*minutes).to_string()));
            }
            let ends = now + chrono::Duration::minutes(i64::from(*minutes));
            Some(store.start_focus(now, ends)?)
        }
        FocusCommand::Stop => store.stop_focus(now)?,
        FocusCommand::Status => return focus_status(&store, json_out, now, out),
    };
    let stamp = |t: Instant| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    match (cmd, session) {
        (FocusCommand::Start { .. }, Some(s)) if json_out => writeln!(
            out,
            "{}",
            json!({"focus": "started", "ends_at": stamp(s.ends_at)})
        )?,
        (FocusCommand::Start { .. }, Some(s)) => writeln!(out, "focus until {}", stamp(s.ends_at))?,
        (_, Some(_)) if json_out => writeln!(out, "{}", json!({"focus": "stopped"}))?,
        (_, Some(_)) => writeln!(out, "focus stopped")?,
        (_, None) if json_out => writeln!(out, "{}", json!({"focus": "none"}))?,
        (_, None) => writeln!(out, "no focus session was running")?,
    }
    Ok(())
}

/// `baton focus status`: the session, then the desktop's do-not-disturb.
fn focus_status(
    store: &Store,
    json_out: bool,
    now: Instant,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let stamp = |t: Instant| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let session = store.active_focus(now)?;
    let choice = baton::dnd::Choice::from_setting(
        &store
            .setting(settings::DESKTOP_DND)?
            .unwrap_or_else(|| "auto".into()),
    );
    let held = store.dnd_record()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(system)?;
    let status = runtime.block_on(baton::dnd::status(choice, held));
    if json_out {
        let dnd = json!({
            "backend": status.backend.as_ref().ok(),
            "unavailable": status.backend.as_ref().err(),
            "on_by_baton": status.held.as_ref().is_some_and(|h| !h.found_on),
            "held": status.held.as_ref().map(|h| json!({
                "backend": h.backend,
                "found_on": h.found_on,
                "since": stamp(h.changed_at),
            })),
        });
        let focus = match &session {
            Some(s) => json!({"focus": "running", "ends_at": stamp(s.ends_at), "dnd": dnd}),
            None => json!({"focus": "none", "dnd": dnd}),
        };
        writeln!(out, "{focus}")?;
        return Ok(());
    }
    match &session {
        Some(s) => writeln!(out, "focus until {}", stamp(s.ends_at))?,
        None => writeln!(out, "no focus session is running")?,
    }
    let held = match &status.held {
        Some(h) if h.found_on => format!(
            "on since {} (it was on already; Baton leaves it on)",
            stamp(h.changed_at)
        ),
        Some(h) => format!("on: Baton turned it on at {}", stamp(h.changed_at)),
        None => "Baton has not turned it on".into(),
    };
    match &status.backend {
        Ok(name) => writeln!(out, "do not disturb: {name}; {held}")?,
        Err(why) if status.held.is_some() => writeln!(out, "do not disturb: {held}; now {why}")?,
        Err(why) => writeln!(out, "do not disturb: none: {why}")?,
    }
    Ok(())
}

/// `baton intake info`.
pub fn intake_command(
    db: &Path,
    json_out: bool,
    cmd: &IntakeCommand,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let IntakeCommand::Info = cmd;
    let store = Store::open(db)?;
    let port = intake::configured_port(&store).map_err(system)?;
    let rate = settings::number(
        settings::INTAKE_RATE_PER_MINUTE,
        store.setting(settings::INTAKE_RATE_PER_MINUTE)?.as_deref(),
    )
    .map_err(system)?;
    let rate_total = settings::number(
        settings::INTAKE_RATE_TOTAL_PER_MINUTE,
        store
            .setting(settings::INTAKE_RATE_TOTAL_PER_MINUTE)?
            .as_deref(),
    )
    .map_err(system)?;
    let token_file = Token::path_for(db);
    let token_exists = token_file.exists();
    // With the token, a listening Baton can prove it is this database's (a broken file proves nothing).
    let token = Token::load(&token_file).ok().flatten();
    let client = IntakeClient::new(port, token);
    let health = client.health().map_err(system)?;
    let listening = match health {
        Health::Baton => "baton",
        Health::Other => "other",
        Health::NotListening => "no",
    };
    let url = client.notifications_url();
    if json_out {
        writeln!(
            out,
            "{}",
            json!({
                "url": url,
                "port": port,
                "token_file": token_file.display().to_string(),
                "token_exists": token_exists,
                "listening": listening,
                "rate_per_minute": rate,
                "rate_total_per_minute": rate_total,
                "db": store.path(),
            })
        )?;
        return Ok(());
    }
    writeln!(out, "URL:        {url} (also on [::1]:{port})")?;
    writeln!(
        out,
        "Port:       {port} (setting {})",
        settings::INTAKE_PORT
    )?;
    writeln!(
        out,
        "Token file: {}{}",
        token_file.display(),
        if token_exists {
            ""
        } else {
            " (not created yet: Baton makes it when it first starts)"
        }
    )?;
    writeln!(
        out,
        "Listening:  {}",
        match health {
            Health::Baton => "yes, a Baton is running",
            Health::Other =>
                "no: the port is taken by another program, not the Baton of this \
                database (it could not prove that it holds the token); `baton notify` stores into \
                the database directly, and Baton cannot start on this port until it is free",
            Health::NotListening => "no (`baton notify` stores into the database directly)",
        }
    )?;
    writeln!(
        out,
        "Rate:       {rate} per source per minute (setting {}), {rate_total} for all sources (setting {})",
        settings::INTAKE_RATE_PER_MINUTE,
        settings::INTAKE_RATE_TOTAL_PER_MINUTE
    )?;
    writeln!(out, "Database:   {}", store.path())?;
    Ok(())
}
