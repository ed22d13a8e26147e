//! The commands the web view may call (each listed in `build.rs` and granted per window in
//! `capabilities/`). Each is one call into the core; input is validated there, and errors cross IPC as
//! [`ErrorPayload`] `{code, message, problems}`.

use baton::desktop::actions::{invalid, storage};
use baton::desktop::autostart;
use baton::desktop::views::{
    self, CalendarView, CalendarsView, ErrorCode, ErrorPayload, FieldProblem, HandoffsView,
    IntakeView, MemberDraft, OverlayView, SettingRow, TeamDraft, TeamEdit, TeamSourceView,
};
use baton::notify::delivery::DesktopNotifier;
use baton::notify::inbox::InboxView;
use baton::team::focus::FocusLength;
use baton::team::TeamOrigin;
use baton::Team;
use chrono::Utc;
use tauri::State;

use crate::Shell;

fn load(shell: &Shell) -> Result<Team, ErrorPayload> {
    baton::desktop::actions::team(&*shell.store()?)
}

fn save(shell: &Shell, team: &Team) -> Result<TeamDraft, ErrorPayload> {
    shell.store()?.replace_team(team).map_err(storage)?;
    shell.changed();
    Ok(TeamDraft::from(team))
}

/// The team calendar for `days` days from `from` (default: today in the chosen zone) in `zone`.
#[tauri::command(async)]
pub fn calendar(
    shell: State<'_, Shell>,
    from: Option<String>,
    days: u32,
    zone: Option<String>,
) -> Result<CalendarView, ErrorPayload> {
    baton::desktop::actions::calendar(
        &*shell.store()?,
        Utc::now(),
        from.as_deref(),
        days,
        zone.as_deref(),
    )
}

/// Who is working now, my next handoff and my focus.
#[tauri::command(async)]
pub fn overlay(shell: State<'_, Shell>) -> Result<OverlayView, ErrorPayload> {
    baton::desktop::actions::overlay(&*shell.store()?, Utc::now())
}

/// My handoffs and the relay for the coming `days` days.
#[tauri::command(async)]
pub fn handoffs(shell: State<'_, Shell>, days: u32) -> Result<HandoffsView, ErrorPayload> {
    baton::desktop::actions::handoffs(&*shell.store()?, Utc::now(), days)
}

/// The team, for the editor.
#[tauri::command(async)]
pub fn team(shell: State<'_, Shell>) -> Result<TeamDraft, ErrorPayload> {
    Ok(TeamDraft::from(&load(&shell)?))
}

/// Every IANA time zone name, for the editor's search.
#[tauri::command(async)]
pub fn time_zones() -> Vec<String> {
    baton::time::all_time_zones()
        .into_iter()
        .map(String::from)
        .collect()
}

/// Refuses an edit of a followed team (other than my own entry of a followed folder), saying why.
fn local_only(shell: &Shell) -> Result<(), ErrorPayload> {
    edit_allowed(views::team_source_view(&*shell.store()?)?.edit)
}

/// [`local_only`] for an edit right already read.
fn edit_allowed(edit: TeamEdit) -> Result<(), ErrorPayload> {
    match edit {
        TeamEdit::Local => Ok(()),
        TeamEdit::OwnEntry { file } => Err(read_only(format!(
            "the team comes from a shared folder: only your own entry ({file}) can be edited here"
        ))),
        TeamEdit::ReadOnly { reason } => Err(read_only(reason)),
    }
}

fn read_only(message: String) -> ErrorPayload {
    ErrorPayload {
        code: ErrorCode::ReadOnly,
        message,
        problems: vec![],
    }
}

/// Adds (`original` = `None`) or replaces a teammate; nothing is saved when any field is invalid. In a
/// followed folder, my own entry is saved into my member file instead.
#[tauri::command(async)]
pub fn save_member(
    shell: State<'_, Shell>,
    original: Option<String>,
    draft: MemberDraft,
) -> Result<TeamDraft, ErrorPayload> {
    let edit = views::team_source_view(&*shell.store()?)?.edit;
    if let TeamEdit::OwnEntry { .. } = edit {
        let team = load(&shell)?;
        let mine = original.as_deref().zip(team.me.as_deref());
        if mine.is_some_and(|(o, me)| o.eq_ignore_ascii_case(me)) {
            let saved = views::save_own_entry(&mut *shell.store()?, draft, Utc::now())?;
            shell.changed();
            return Ok(saved);
        }
    }
    edit_allowed(edit)?;
    let team = load(&shell)?;
    let updated = views::save_member(&team, original.as_deref(), draft).map_err(invalid)?;
    save(&shell, &updated)
}

/// Removes a teammate (a local team only).
#[tauri::command(async)]
pub fn remove_member(shell: State<'_, Shell>, name: String) -> Result<TeamDraft, ErrorPayload> {
    local_only(&shell)?;
    let team = load(&shell)?;
    let updated = views::remove_member(&team, &name).map_err(|p| invalid(vec![p]))?;
    save(&shell, &updated)
}

/// Where the team comes from, for the banner and the editor.
#[tauri::command(async)]
pub fn team_source(shell: State<'_, Shell>) -> Result<TeamSourceView, ErrorPayload> {
    views::team_source_view(&*shell.store()?)
}

/// "Sync now": reads the followed source at once.
#[tauri::command(async)]
pub fn sync_team(shell: State<'_, Shell>) -> Result<TeamSourceView, ErrorPayload> {
    let view = views::sync_now(|| shell.store(), Utc::now())?;
    shell.changed();
    Ok(view)
}

/// "Follow a shared team": a folder, a team file or a URL.
#[tauri::command(async)]
pub fn follow_team(
    shell: State<'_, Shell>,
    source: String,
) -> Result<TeamSourceView, ErrorPayload> {
    let view = views::follow_source(|| shell.store(), &source, Utc::now())?;
    shell.changed();
    Ok(view)
}

/// "Stop following": the team in use stays, as a local team.
#[tauri::command(async)]
pub fn unfollow_team(shell: State<'_, Shell>) -> Result<TeamSourceView, ErrorPayload> {
    let view = views::unfollow(&mut *shell.store()?)?;
    shell.changed();
    Ok(view)
}

/// "This is me": sets this machine's `me`.
#[tauri::command(async)]
pub fn set_me(shell: State<'_, Shell>, name: String) -> Result<TeamSourceView, ErrorPayload> {
    let view = views::set_me(&*shell.store()?, &name)?;
    shell.changed();
    Ok(view)
}

/// Replaces the team with a team file's text, read as the core decides for text with no file name
/// (TOML, or JSON when it starts with `{`).
#[tauri::command(async)]
pub fn import_team(shell: State<'_, Shell>, text: String) -> Result<TeamDraft, ErrorPayload> {
    local_only(&shell)?;
    let parsed = Team::from_text(&text, TeamOrigin::Unnamed("imported file"));
    let team = parsed.map_err(|e| match e {
        baton::TeamError::Invalid { problems, .. } => {
            let mut payload = invalid(problems.iter().cloned().map(FieldProblem::from).collect());
            payload.message = problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            payload
        }
        other => ErrorPayload {
            code: ErrorCode::Invalid,
            message: other.to_string(),
            problems: vec![],
        },
    })?;
    save(&shell, &team)
}

/// The team as a TOML team file.
#[tauri::command(async)]
pub fn export_team(shell: State<'_, Shell>) -> Result<String, ErrorPayload> {
    Ok(load(&shell)?.to_toml_string())
}

/// Starts a focus session (replacing a running one) and returns the new state.
#[tauri::command(async)]
pub fn start_focus(
    shell: State<'_, Shell>,
    length: FocusLength,
) -> Result<OverlayView, ErrorPayload> {
    begin_focus(&shell, length)
}

/// Stops the running focus session, if any.
#[tauri::command(async)]
pub fn stop_focus(shell: State<'_, Shell>) -> Result<OverlayView, ErrorPayload> {
    end_focus(&shell)
}

/// Every setting with its value in force, for the settings view.
#[tauri::command(async)]
pub fn settings(shell: State<'_, Shell>) -> Result<Vec<SettingRow>, ErrorPayload> {
    baton::desktop::actions::settings(&*shell.store()?)
}

/// Sets a setting (`value` = `None`: back to its default); an invalid value is refused with code
/// `invalid` naming the key, and nothing is stored.
#[tauri::command(async)]
pub fn set_setting(
    shell: State<'_, Shell>,
    key: String,
    value: Option<String>,
) -> Result<SettingRow, ErrorPayload> {
    baton::desktop::actions::set_setting(&*shell.store()?, &key, value.as_deref())
}

/// The intake's URL and token, for the settings view.
#[tauri::command(async)]
pub fn intake(shell: State<'_, Shell>) -> Result<IntakeView, ErrorPayload> {
    baton::desktop::actions::intake(&*shell.store()?, &shell.db)
}

/// Replaces the intake's token; the running intake refuses the old one from its next request.
#[tauri::command(async)]
pub fn regenerate_token(shell: State<'_, Shell>) -> Result<IntakeView, ErrorPayload> {
    baton::desktop::actions::regenerate_token(&*shell.store()?, &shell.db)
}

/// The Inbox: held items grouped by the delivery they will go out in, and recent delivered ones.
#[tauri::command(async)]
pub fn inbox(shell: State<'_, Shell>) -> Result<InboxView, ErrorPayload> {
    baton::desktop::actions::inbox(&*shell.store()?, Utc::now())
}

/// Shows everything held now as one desktop notification, and answers with the Inbox.
#[tauri::command(async)]
pub fn deliver_now(shell: State<'_, Shell>) -> Result<InboxView, ErrorPayload> {
    let view =
        baton::desktop::actions::deliver_now(&mut *shell.store()?, &DesktopNotifier, Utc::now());
    shell.changed();
    view
}

/// Marks the items `ids` done, and answers with the Inbox.
#[tauri::command(async)]
pub fn mark_done(shell: State<'_, Shell>, ids: Vec<i64>) -> Result<InboxView, ErrorPayload> {
    let view = baton::desktop::actions::mark_done(&mut *shell.store()?, &ids, Utc::now())?;
    shell.changed();
    Ok(view)
}

/// How this person reads times: the locale's tag, 12- or 24-hour clock, the week's first day.
#[tauri::command(async)]
pub fn locale(shell: State<'_, Shell>) -> Result<baton::time::locale::LocaleView, ErrorPayload> {
    baton::desktop::actions::locale(&*shell.store()?)
}

/// Opens the link of the stored item `id` in the browser (only a stored item's own http(s) link).
#[tauri::command(async)]
pub fn open_link(shell: State<'_, Shell>, id: i64) -> Result<(), ErrorPayload> {
    baton::desktop::actions::open_link(&*shell.store()?, id)
}

/// Shared by the commands: start a session of `length` now.
fn begin_focus(shell: &Shell, length: FocusLength) -> Result<OverlayView, ErrorPayload> {
    let view = baton::desktop::actions::start_focus(&mut *shell.store()?, Utc::now(), length)?;
    shell.changed();
    Ok(view)
}

/// Shared by the commands: stop the running session.
fn end_focus(shell: &Shell) -> Result<OverlayView, ErrorPayload> {
    let view = baton::desktop::actions::stop_focus(&mut *shell.store()?, Utc::now())?;
    shell.changed();
    Ok(view)
}

/// Settings' "Calendars" section.
#[tauri::command(async)]
pub fn calendars(shell: State<'_, Shell>) -> Result<CalendarsView, ErrorPayload> {
    views::calendars_view(&*shell.store()?)
}

/// "Sync now" for calendars: each is read with the store released.
#[tauri::command(async)]
pub fn sync_calendars(shell: State<'_, Shell>) -> Result<CalendarsView, ErrorPayload> {
    let view = views::sync_calendars(|| shell.store(), Utc::now())?;
    shell.changed();
    Ok(view)
}

/// Adds an ICS address of mine (read once first; refused with its error when it cannot be read).
#[tauri::command(async)]
pub fn add_calendar(shell: State<'_, Shell>, url: String) -> Result<CalendarsView, ErrorPayload> {
    let view = views::add_ics_calendar(&mut *shell.store()?, &url, Utc::now())?;
    shell.changed();
    Ok(view)
}

/// Adds a CalDAV account's calendars; the password goes to the keyring or the secrets file.
#[tauri::command(async)]
pub fn add_caldav(
    shell: State<'_, Shell>,
    url: String,
    user: String,
    password: String,
) -> Result<CalendarsView, ErrorPayload> {
    let view = views::add_caldav_account(
        &mut *shell.store()?,
        &url,
        &user,
        &password,
        &[],
        None,
        Utc::now(),
    )?;
    shell.changed();
    Ok(view)
}

/// Removes a calendar of mine.
#[tauri::command(async)]
pub fn remove_calendar(shell: State<'_, Shell>, id: i64) -> Result<CalendarsView, ErrorPayload> {
    let view = views::remove_calendar(&mut *shell.store()?, id)?;
    shell.changed();
    Ok(view)
}

/// Publishes my focus to a CalDAV calendar of mine, or stops.
#[tauri::command(async)]
pub fn publish_focus(
    shell: State<'_, Shell>,
    id: i64,
    on: bool,
) -> Result<CalendarsView, ErrorPayload> {
    let view = views::publish_focus_to(&mut *shell.store()?, id, on, Utc::now())?;
    shell.changed();
    Ok(view)
}

/// The week in focus starting on `from` (a local date, `YYYY-MM-DD`; none: this week).
#[tauri::command(async)]
pub fn week(
    shell: State<'_, Shell>,
    from: Option<String>,
) -> Result<baton::query::week::WeekReport, ErrorPayload> {
    let from = match from {
        Some(date) => Some(
            date.parse::<chrono::NaiveDate>()
                .map_err(|_| ErrorPayload {
                    code: ErrorCode::Invalid,
                    message: format!(
                        "{date:?} is not a date; give the week's first day as YYYY-MM-DD"
                    ),
                    problems: vec![],
                })?,
        ),
        None => None,
    };
    views::week_view(&*shell.store()?, from, Utc::now())
}

/// The first-run card: whether it shows, and what it asks about.
#[tauri::command(async)]
pub fn welcome(shell: State<'_, Shell>) -> Result<views::WelcomeView, ErrorPayload> {
    views::welcome_view(&*shell.store()?, start_at_login_now())
}

fn start_at_login_now() -> bool {
    autostart::enabled(&autostart::tray_program())
}

/// "I am not in this team yet: add me": adds a member named `name` in `time_zone` (the system's) with
/// the default hours and makes them me. A local team only.
#[tauri::command(async)]
pub fn add_me(
    shell: State<'_, Shell>,
    name: String,
    time_zone: String,
) -> Result<views::WelcomeView, ErrorPayload> {
    local_only(&shell)?;
    let updated = views::add_me(&load(&shell)?, &name, &time_zone).map_err(invalid)?;
    let mut store = shell.store()?;
    store.replace_team(&updated).map_err(storage)?;
    if let Some(added) = updated.members.last() {
        views::set_me(&store, &added.name)?;
    }
    shell.changed();
    views::welcome_view(&store, start_at_login_now())
}

/// "Start at login": writes or removes the tray's autostart entry (the tray menu's item does the same).
#[tauri::command(async)]
pub fn set_start_at_login(
    shell: State<'_, Shell>,
    on: bool,
) -> Result<views::WelcomeView, ErrorPayload> {
    autostart::set(&autostart::tray_program(), on).map_err(|e| ErrorPayload {
        code: ErrorCode::Storage,
        message: format!("cannot change start at login: {e}"),
        problems: vec![],
    })?;
    views::welcome_view(&*shell.store()?, start_at_login_now())
}

/// "Send a test notification": shows one at once (two D-Bus calls, off the main thread as every
/// blocking command), and says where it went or what to do.
#[tauri::command(async)]
pub fn test_notification() -> views::TestNotification {
    views::test_notification(&DesktopNotifier, views::notification_server())
}

/// This build (version, commit, time-zone database) for Settings' About line.
#[tauri::command]
pub fn about() -> baton::about::About {
    baton::about::about()
}

/// The desktop's do-not-disturb for Settings: the backend found (asked over D-Bus, at most 3 s) and
/// what Baton does with it.
#[tauri::command]
pub async fn desktop_dnd(shell: State<'_, Shell>) -> Result<views::DndView, ErrorPayload> {
    let (choice, enabled, held) = views::dnd_inputs(&*shell.store()?)?;
    let status = baton::dnd::status(choice, held).await;
    Ok(views::dnd_view(&status, enabled))
}
