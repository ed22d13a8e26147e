//! What the desktop's two processes (the tray and the window) do to the store, one function each, so
//! the tray menu, the focus shortcut and the window's commands start focus the same way.
//!
//! Each takes the store and `now` and answers with the view the caller shows next, or an
//! [`ErrorPayload`] ready to cross IPC or to be logged. The settings and the intake's token are here
//! too, for the window's settings view.

use std::path::{Path, PathBuf};

use chrono::Duration;

use crate::desktop::views::{
    self, CalendarView, HandoffsView, IntakeView, Moment, OverlayView, SettingRow,
};
use crate::error::{ErrorCode, ErrorPayload, FieldProblem};
use crate::notify::delivery::{self, DeliveryError, Notifier, PolicyInputs};
use crate::notify::inbox::{self, InboxView};
use crate::notify::intake::{IntakeError, Token, NOTIFICATIONS_PATH};
use crate::store::settings::{self, SettingError, SETTINGS};
use crate::store::{default_db_path, NotificationFilter, Store, StoreError, DB_ENV};
use crate::team::focus::{self, FocusLength, FocusSession};
use crate::time::interval::{Instant, Interval};
use crate::Team;

/// The desktop's database: `BATON_DB`, else the OS data directory (as the CLI).
pub fn database_path() -> Result<PathBuf, String> {
    std::env::var_os(DB_ENV)
        .map(PathBuf::from)
        .or_else(default_db_path)
        .ok_or_else(|| format!("no data directory on this system; set {DB_ENV}"))
}

/// Opens the store at `path`, importing the sample team into an empty database so that the first run
/// shows something real; afterwards the team is the user's. A database getting the sample also gets
/// the first-run card (`first_run = show`) unless that setting was already chosen (a test or a script
/// that set it before the app first opened keeps its answer). The setting is written first: a crash
/// in between leaves no team, and the next start imports the sample again.
pub fn open_with_sample(path: &Path) -> Result<Store, String> {
    let mut store = Store::open(path).map_err(|e| e.to_string())?;
    if store.load_team().map_err(|e| e.to_string())?.is_none() {
        if store
            .setting(settings::FIRST_RUN)
            .map_err(|e| e.to_string())?
            .is_none()
        {
            store
                .set_setting(settings::FIRST_RUN, "show")
                .map_err(|e| e.to_string())?;
        }
        store
            .replace_team(&crate::team::sample::team())
            .map_err(|e| e.to_string())?;
    }
    Ok(store)
}

/// A storage failure as an [`ErrorPayload`] with code `storage`.
pub fn storage(e: StoreError) -> ErrorPayload {
    ErrorPayload {
        code: ErrorCode::Storage,
        message: e.to_string(),
        problems: vec![],
    }
}

/// A storage failure crosses IPC as [`storage`] says, so that reads in one [`Store::snapshot`] can
/// answer with an [`ErrorPayload`].
impl From<StoreError> for ErrorPayload {
    fn from(e: StoreError) -> ErrorPayload {
        storage(e)
    }
}

/// Invalid input: code `invalid`, the `problems`, and a message listing each as `field: message`.
pub fn invalid(problems: Vec<FieldProblem>) -> ErrorPayload {
    let message = problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join("; ");
    ErrorPayload {
        code: ErrorCode::Invalid,
        message,
        problems,
    }
}

/// The stored team; `not_found` before any team was imported.
pub fn team(store: &Store) -> Result<Team, ErrorPayload> {
    store
        .load_team()
        .map_err(storage)?
        .ok_or_else(|| ErrorPayload {
            code: ErrorCode::NotFound,
            message: "there is no team yet; import a team file".into(),
            problems: vec![],
        })
}

/// Focus sessions that matter at `now`: the week around it, including any running one.
pub fn recent_sessions(store: &Store, now: Instant) -> Result<Vec<FocusSession>, ErrorPayload> {
    store
        .focus_sessions(Interval {
            start: now - Duration::days(8),
            end: now + Duration::days(8),
        })
        .map_err(storage)
}

/// The team and the focus sessions that matter at `now`, read in one [`Store::snapshot`]: what a view
/// of the moment needs, from one state of the database (a session another process starts is seen with
/// the team it was started against, or not at all).
pub fn team_and_sessions(
    store: &Store,
    now: Instant,
) -> Result<(Team, Vec<FocusSession>), ErrorPayload> {
    store.snapshot(|store| Ok((team(store)?, recent_sessions(store, now)?)))
}

/// Who is working, my next handoff and my focus, at `now`.
pub fn overlay(store: &Store, now: Instant) -> Result<OverlayView, ErrorPayload> {
    let (team, sessions) = team_and_sessions(store, now)?;
    let mut view = views::overlay_at(&Moment::new(&team, now), &sessions);
    view.calendar_error = calendar_error(store)?;
    Ok(view)
}

/// The first calendar whose last check failed, with its error, for the tray's warning line.
pub fn calendar_error(store: &Store) -> Result<Option<String>, ErrorPayload> {
    Ok(calendar_errors(store)?.into_iter().next())
}

/// Every calendar whose last check failed: "name: error" (the error names the address).
pub fn calendar_errors(store: &Store) -> Result<Vec<String>, ErrorPayload> {
    Ok(store
        .calendars()?
        .into_iter()
        .filter_map(|c| {
            let error = c.error?;
            Some(match (&c.spec.name, &c.spec.owner) {
                (Some(name), _) => format!("{name}: {error}"),
                (None, Some(owner)) => format!("{owner}'s calendar: {error}"),
                (None, None) => error,
            })
        })
        .collect())
}

/// The team calendar at `now` (see [`views::calendar`] for `from`, `days` and `zone`), from one read of
/// the store; a bad `from` or `zone` is `invalid` with that field's problem.
pub fn calendar(
    store: &Store,
    now: Instant,
    from: Option<&str>,
    days: u32,
    zone: Option<&str>,
) -> Result<CalendarView, ErrorPayload> {
    let (team, sessions, source, errors) = store.snapshot(|store| {
        let team = team(store)?;
        let source = views::team_source_view_for(store, Some(&team))?;
        let errors = calendar_errors(store)?;
        Ok::<_, ErrorPayload>((team, recent_sessions(store, now)?, source, errors))
    })?;
    let mut view =
        views::calendar(&team, &sessions, now, from, days, zone).map_err(|p| invalid(vec![p]))?;
    view.source = Some(source);
    view.calendar_errors = errors;
    Ok(view)
}

/// My handoffs and the team's relay for `days` days from `now` (see [`views::handoffs`]), from one
/// read of the store.
pub fn handoffs(store: &Store, now: Instant, days: u32) -> Result<HandoffsView, ErrorPayload> {
    let team = store.snapshot(team)?;
    Ok(views::handoffs(&team, now, days))
}

/// Starts a focus session of `length` at `now` (replacing a running one).
pub fn start_focus(
    store: &mut Store,
    now: Instant,
    length: FocusLength,
) -> Result<OverlayView, ErrorPayload> {
    let team = team(store)?;
    start_at(store, &Moment::new(&team, now), length)
}

/// Starts a session at `moment`, whose schedule then also gives the overlay answered with: one
/// expansion of the team for the whole request.
fn start_at(
    store: &mut Store,
    moment: &Moment<'_>,
    length: FocusLength,
) -> Result<OverlayView, ErrorPayload> {
    let now = moment.now;
    let ends = focus::focus_end(&moment.start_focus_schedule(), now, length).map_err(|e| {
        ErrorPayload {
            code: ErrorCode::Focus,
            message: e.to_string(),
            problems: vec![],
        }
    })?;
    store.start_focus(now, ends).map_err(storage)?;
    Ok(views::overlay_at(moment, &recent_sessions(store, now)?))
}

/// Stops the session running at `now`, if any.
pub fn stop_focus(store: &mut Store, now: Instant) -> Result<OverlayView, ErrorPayload> {
    store.stop_focus(now).map_err(storage)?;
    overlay(store, now)
}

/// The focus shortcut's action: stop the running session, or start 25 minutes.
pub fn toggle_focus(store: &mut Store, now: Instant) -> Result<OverlayView, ErrorPayload> {
    let team = team(store)?;
    let moment = Moment::new(&team, now);
    // What the overlay's `focus.session` says: a session of the week around `now` is running.
    if recent_sessions(store, now)?
        .iter()
        .any(|s| s.is_active(now))
    {
        store.stop_focus(now).map_err(storage)?;
        Ok(views::overlay_at(&moment, &recent_sessions(store, now)?))
    } else {
        start_at(store, &moment, FocusLength::Minutes { minutes: 25 })
    }
}

/// Every setting, in [`SETTINGS`] order, with its value in force.
pub fn settings(store: &Store) -> Result<Vec<SettingRow>, ErrorPayload> {
    SETTINGS
        .iter()
        .map(|&(key, default, description)| {
            let value = store.setting(key).map_err(storage)?;
            Ok(SettingRow {
                key: key.into(),
                effective: value.clone().unwrap_or_else(|| default.into()),
                value,
                default: default.into(),
                description: description.into(),
                next_start: settings::APPLIED_AT_START.contains(&key),
            })
        })
        .collect()
}

/// Stores `value` for `key` in the canonical form [`settings::validate`] gives it, or forgets the
/// stored value when `value` is `None` (the default applies again), and returns the setting's row.
///
/// A value `validate` refuses is not stored: the error has code `invalid` and one problem whose
/// `field` is the key, for a message next to that setting.
pub fn set_setting(
    store: &Store,
    key: &str,
    value: Option<&str>,
) -> Result<SettingRow, ErrorPayload> {
    match value {
        Some(value) => {
            // `me` must name a member of the stored team; an empty one means "unset".
            let team = if key == settings::ME {
                store.load_team().map_err(storage)?
            } else {
                None
            };
            let canonical =
                settings::validate_with_team(key, value, team.as_ref()).map_err(invalid_setting)?;
            if key == settings::ME && canonical.is_empty() {
                store.clear_setting(key).map_err(storage)?;
            } else {
                store.set_setting(key, &canonical).map_err(storage)?;
            }
        }
        None => {
            if settings::default_value(key).is_none() {
                return Err(invalid_setting(SettingError::UnknownKey(key.into())));
            }
            store.clear_setting(key).map_err(storage)?;
        }
    }
    settings(store)?
        .into_iter()
        .find(|row| row.key == key)
        .ok_or_else(|| invalid_setting(SettingError::UnknownKey(key.into())))
}

fn invalid_setting(e: SettingError) -> ErrorPayload {
    let (field, problem) = match &e {
        SettingError::UnknownKey(key) => (key.clone(), e.to_string()),
        SettingError::BadValue { key, message } => (key.clone(), message.clone()),
    };
    ErrorPayload {
        code: ErrorCode::Invalid,
        message: e.to_string(),
        problems: vec![FieldProblem::new(&field, &problem)],
    }
}

/// Where programs post notifications for the database at `db`, and the token they need (the token file
/// is created, as the runner would, when there is none yet).
pub fn intake(store: &Store, db: &Path) -> Result<IntakeView, ErrorPayload> {
    let token = Token::load_or_create(&Token::path_for(db)).map_err(intake_error)?;
    intake_view(store, db, &token)
}

/// Replaces the intake's token with a fresh one. The running intake accepts the new token and refuses
/// the old one from its next request (it follows the token file), so senders must be given the new one.
pub fn regenerate_token(store: &Store, db: &Path) -> Result<IntakeView, ErrorPayload> {
    let token = Token::regenerate(&Token::path_for(db)).map_err(intake_error)?;
    intake_view(store, db, &token)
}

fn intake_view(store: &Store, db: &Path, token: &Token) -> Result<IntakeView, ErrorPayload> {
    let port = crate::notify::intake::configured_port(store).map_err(intake_error)?;
    Ok(IntakeView {
        url: format!("http://127.0.0.1:{port}{NOTIFICATIONS_PATH}"),
        token_file: Token::path_for(db).display().to_string(),
        token: token.as_str().into(),
    })
}

fn intake_error(e: IntakeError) -> ErrorPayload {
    match e {
        IntakeError::Store(e) => storage(e),
        IntakeError::Setting(e) => invalid_setting(e),
        other => ErrorPayload {
            code: ErrorCode::Storage,
            message: other.to_string(),
            problems: vec![],
        },
    }
}

/// The Inbox at `now`: every held item, and the recent failed, delivered and done ones.
pub fn inbox(store: &Store, now: Instant) -> Result<InboxView, ErrorPayload> {
    use_locale(store);
    let mut rows = store
        .notifications(NotificationFilter::Held, usize::MAX)
        .map_err(storage)?;
    for filter in [
        NotificationFilter::Failed,
        NotificationFilter::Delivered,
        NotificationFilter::Done,
    ] {
        rows.extend(
            store
                .notifications(filter, inbox::RECENT_LIMIT)
                .map_err(storage)?,
        );
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    let held: Vec<_> = rows
        .iter()
        .filter(|r| r.state == crate::notify::notification::ItemState::Held)
        .map(|r| r.item())
        .collect();
    let inputs = PolicyInputs::load(store, &held, now).map_err(delivery_error)?;
    Ok(inbox::inbox_view(&inputs.context(now), &rows))
}

/// Delivers everything held now as one digest through `notifier`, and answers with the Inbox. A
/// notifier failure has code `notifier` (the items stay held).
pub fn deliver_now(
    store: &mut Store,
    notifier: &dyn Notifier,
    now: Instant,
) -> Result<InboxView, ErrorPayload> {
    let delivery = delivery::deliver_now(store, notifier, now).map_err(delivery_error)?;
    if let Some(failure) = delivery.failure {
        return Err(ErrorPayload {
            code: ErrorCode::Notifier,
            message: format!("cannot show the notification: {failure}; the items stay held"),
            problems: vec![],
        });
    }
    inbox(store, now)
}

/// Marks the items `ids` done at `now`, and answers with the Inbox.
pub fn mark_done(store: &mut Store, ids: &[i64], now: Instant) -> Result<InboxView, ErrorPayload> {
    store.mark_done(ids, now).map_err(storage)?;
    inbox(store, now)
}

/// How this person reads times (the system locale with the `time_format` and `week_start` settings),
/// for the web view's `Intl`.
pub fn locale(store: &Store) -> Result<crate::time::locale::LocaleView, ErrorPayload> {
    time_locale(store).map(|l| l.view())
}

/// Makes the system locale with the stored `time_format` and `week_start` the one this process's
/// labels (the tray menu, the Inbox's, the notifications') are written in; called before each of those
/// is made, so a changed setting applies at once.
pub fn use_locale(store: &Store) {
    if let Ok(l) = time_locale(store) {
        l.set_current();
    }
}

/// The system locale with the stored `time_format` and `week_start` settings.
pub fn time_locale(store: &Store) -> Result<crate::time::locale::TimeLocale, ErrorPayload> {
    let mut failed = None;
    let resolved = settings::time_locale(|key| {
        store
            .setting(key)
            .map_err(|e| failed = failed.take().or(Some(e)))
            .ok()
            .flatten()
    });
    match failed {
        Some(e) => Err(storage(e)),
        None => Ok(resolved),
    }
}

/// Opens the link of the stored item `id` in the desktop's browser. Only a stored item's own link,
/// and only an `http` or `https` one, can be opened this way: the web view names an item, not a URL.
pub fn open_link(store: &Store, id: i64) -> Result<(), ErrorPayload> {
    let row = store.notification(id).map_err(storage)?;
    let url = row.and_then(|r| r.url).filter(|u| {
        let lower = u.to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    });
    let Some(url) = url else {
        return Err(ErrorPayload {
            code: ErrorCode::NotFound,
            message: format!("notification {id} has no link to open"),
            problems: vec![],
        });
    };
    open::that_detached(&url).map_err(|e| ErrorPayload {
        code: ErrorCode::Storage,
        message: format!("cannot open {url}: {e}"),
        problems: vec![],
    })
}

fn delivery_error(e: DeliveryError) -> ErrorPayload {
    match e {
        DeliveryError::Store(e) => storage(e),
        DeliveryError::Setting(e) => invalid_setting(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn store_with_sample() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store.replace_team(&crate::team::sample::team()).unwrap();
        store
    }

    #[test]
    fn a_calendar_that_failed_is_in_the_calendar_banner_and_the_tray_line() {
        use crate::store::calendar::{CalendarKind, NewCalendar};
        let mut store = store_with_sample();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        assert!(calendar(&store, now, None, 1, None)
            .unwrap()
            .calendar_errors
            .is_empty());
        let id = store
            .add_calendar(&NewCalendar {
                owner: None,
                kind: CalendarKind::Caldav,
                url: "https://dav.example.com/cal/work/".into(),
                name: Some("Work".into()),
                account: Some("https://dav.example.com/".into()),
                user: Some("ana".into()),
            })
            .unwrap();
        store
            .calendar_failed(
                id,
                "https://dav.example.com/: the server refused the user name or password",
                now,
            )
            .unwrap();
        let expected =
            "Work: https://dav.example.com/: the server refused the user name or password";
        assert_eq!(
            calendar(&store, now, None, 1, None)
                .unwrap()
                .calendar_errors,
            [expected]
        );
        assert_eq!(
            overlay(&store, now).unwrap().calendar_error.as_deref(),
            Some(expected)
        );
    }

    #[test]
    fn toggle_starts_then_stops_a_session() {
        let mut store = store_with_sample();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        let started = toggle_focus(&mut store, now).unwrap();
        assert!(started.focus.session);
        assert!(store.active_focus(now).unwrap().is_some());
        let later = now + Duration::minutes(5);
        let stopped = toggle_focus(&mut store, later).unwrap();
        assert!(!stopped.focus.session);
        assert!(store.active_focus(later).unwrap().is_none());
    }

    #[test]
    fn settings_are_validated_stored_canonically_and_reset() {
        let store = Store::open_in_memory().unwrap();
        let rows = settings(&store).unwrap();
        assert_eq!(rows.len(), SETTINGS.len());
        let port = rows
            .iter()
            .find(|r| r.key == settings::INTAKE_PORT)
            .unwrap();
        assert_eq!(
            (
                port.value.as_deref(),
                port.effective.as_str(),
                port.next_start
            ),
            (None, settings::DEFAULT_INTAKE_PORT, true)
        );

        let row = set_setting(&store, settings::DIGEST_CADENCE, Some(" every 60 min ")).unwrap();
        assert_eq!(row.value.as_deref(), Some("every 1h"), "stored canonical");
        assert_eq!(row.effective, "every 1h");
        assert!(!row.next_start, "the policy reads it at each use");

        let err = set_setting(&store, settings::DIGEST_CADENCE, Some("hourly")).unwrap_err();
        assert_eq!(err.code, "invalid");
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].field, settings::DIGEST_CADENCE);
        assert!(
            err.problems[0]
                .message
                .starts_with("'hourly' is not a cadence"),
            "{}",
            err.problems[0].message
        );
        assert_eq!(
            store.setting(settings::DIGEST_CADENCE).unwrap().as_deref(),
            Some("every 1h"),
            "a refused value changes nothing"
        );

        let reset = set_setting(&store, settings::DIGEST_CADENCE, None).unwrap();
        assert_eq!(reset.value, None);
        assert_eq!(reset.effective, reset.default);
        assert_eq!(store.setting(settings::DIGEST_CADENCE).unwrap(), None);

        let unknown = set_setting(&store, "colour", None).unwrap_err();
        assert_eq!(
            (unknown.code.as_str(), unknown.problems[0].field.as_str()),
            ("invalid", "colour")
        );
    }

    #[test]
    fn the_intake_view_follows_the_port_and_the_regenerated_token() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        let store = Store::open(&db).unwrap();
        let first = intake(&store, &db).unwrap();
        assert_eq!(first.url, "http://127.0.0.1:7429/v1/notifications");
        assert_eq!(
            first.token_file,
            dir.path().join("intake-token").display().to_string()
        );
        assert_eq!(first.token.len(), 64);
        assert_eq!(intake(&store, &db).unwrap(), first, "reading creates once");
        assert!(
            !format!("{first:?}").contains(&first.token),
            "Debug hides it"
        );

        set_setting(&store, settings::INTAKE_PORT, Some("9000")).unwrap();
        let second = regenerate_token(&store, &db).unwrap();
        assert_eq!(second.url, "http://127.0.0.1:9000/v1/notifications");
        assert_ne!(second.token, first.token);
        assert_eq!(intake(&store, &db).unwrap().token, second.token);
    }

    #[test]
    fn calendar_and_handoffs_read_the_store_once_and_answer_as_the_views() {
        let mut store = store_with_sample();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        store.start_focus(now, now + Duration::minutes(25)).unwrap();
        let (team, sessions) = team_and_sessions(&store, now).unwrap();
        assert_eq!(
            sessions.len(),
            1,
            "the running session is read with the team"
        );
        let read = calendar(&store, now, None, 3, None).unwrap();
        assert_eq!(
            read.source.as_ref().map(|s| &s.edit),
            Some(&views::TeamEdit::Local),
            "the calendar carries where the team comes from: here, a local team"
        );
        assert_eq!(
            CalendarView {
                source: None,
                ..read
            },
            views::calendar(&team, &sessions, now, None, 3, None).unwrap()
        );
        assert_eq!(
            handoffs(&store, now, 7).unwrap(),
            views::handoffs(&team, now, 7)
        );
        let err = calendar(&store, now, Some("soon"), 3, None).unwrap_err();
        assert_eq!(err.code, "invalid");
        assert_eq!(err.problems[0].field, "from");
        assert_eq!(
            err.message,
            format!("from: {}", err.problems[0].message),
            "the message names the field, as the window's commands always said"
        );
    }

    #[test]
    fn an_empty_store_says_there_is_no_team() {
        let store = Store::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        assert_eq!(overlay(&store, now).unwrap_err().code, "not_found");
        assert_eq!(
            calendar(&store, now, None, 3, None).unwrap_err().code,
            "not_found"
        );
        assert_eq!(handoffs(&store, now, 7).unwrap_err().code, "not_found");
    }

    #[test]
    fn deliver_now_and_mark_done_answer_with_the_inbox() {
        let mut store = store_with_sample();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        let n = crate::notify::notification::NewNotification {
            source: "ci".into(),
            group: None,
            sender: None,
            title: "build failed".into(),
            body: None,
            urgency: crate::notify::notification::Urgency::Normal,
            url: None,
            idempotency_key: None,
        };
        store
            .accept_notifications(&[n.clone(), n], now - Duration::minutes(5))
            .unwrap();
        assert_eq!(inbox(&store, now).unwrap().held_count, 2);

        let notifier = crate::notify::delivery::RecordingNotifier::new();
        notifier.set_failure(Some("no daemon"));
        let err = deliver_now(&mut store, &notifier, now).unwrap_err();
        assert_eq!(err.code, "notifier");
        assert_eq!(inbox(&store, now).unwrap().held_count, 2, "nothing lost");

        notifier.set_failure(None);
        let view = deliver_now(&mut store, &notifier, now).unwrap();
        assert_eq!((view.held_count, view.delivered.len()), (0, 2));
        assert_eq!(notifier.shown().len(), 1, "one digest");

        let ids = view.delivered[0].entry.ids.clone();
        let view = mark_done(&mut store, &ids, now).unwrap();
        assert_eq!((view.delivered.len(), view.done.len()), (1, 1));
    }
}
