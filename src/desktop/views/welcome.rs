//! The first-run card: the four questions a new user answers once (which member is me, where the team
//! comes from, start at login, whether the desktop shows Baton's notifications), shown on the calendar
//! of a fresh database until it is dismissed.
//!
//! It is a card, not a wizard: the calendar works behind it, and every answer is an ordinary setting
//! (`me`, the followed team source, the autostart entry) changed later where it always lives, so
//! dismissing the card keeps the defaults. Whether it shows is the `first_run` setting, which a fresh
//! database starts at `show` ([`crate::desktop::actions::open_with_sample`]).

use serde::Serialize;
use ts_rs::TS;

use crate::desktop::actions::{storage, team};
use crate::desktop::views::editor::{save_member, MemberDraft};
use crate::error::{ErrorPayload, FieldProblem};
use crate::notify::delivery::{Notifier, NotifyError};
use crate::notify::digest::NotificationText;
use crate::notify::notification::Urgency;
use crate::store::settings::FIRST_RUN;
use crate::store::Store;
use crate::team::Team;

/// The hours "Add me" starts a new member with, until they change them in the editor.
pub const DEFAULT_HOURS: &str = "mon-fri 09:00-17:00";

/// What the first-run card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct WelcomeView {
    /// Whether the card is shown (`first_run` is `show`).
    pub show: bool,
    /// The team's name.
    pub team: String,
    /// The team is the built-in sample, unchanged: made-up people to look around with.
    pub sample: bool,
    /// The team's members, in order, for "Which one is you?".
    pub members: Vec<String>,
    /// The member this machine's user is, if known.
    pub me: Option<String>,
    /// Members can be added here (a local team; a followed one is changed at its source).
    pub can_add_me: bool,
    /// The tray starts at login (its autostart entry exists).
    pub start_at_login: bool,
}

/// What a test notification did, in words for the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct TestNotification {
    /// The notification service took it.
    pub shown: bool,
    /// The service that took it ("dunst 1.11.0"), where the platform says.
    pub server: Option<String>,
    /// What happened, and what to do when it did not appear.
    pub message: String,
}

/// The card's state from the store, with whether the tray starts at login (read by the caller from the
/// autostart entry, which is not in the store). Once the card is done (the usual case, asked at every
/// calendar refresh) only `show` and `start_at_login` are filled: the team is not read.
pub fn welcome_view(store: &Store, start_at_login: bool) -> Result<WelcomeView, ErrorPayload> {
    let show = store.setting(FIRST_RUN).map_err(storage)?.as_deref() == Some("show");
    if !show {
        return Ok(WelcomeView {
            show,
            team: String::new(),
            sample: false,
            members: vec![],
            me: None,
            can_add_me: false,
            start_at_login,
        });
    }
    let team = team(store)?;
    let local = store.team_source().map_err(storage)?.is_none();
    let sample = local && is_sample(&team);
    Ok(WelcomeView {
        show,
        sample,
        members: team.members.iter().map(|m| m.name.clone()).collect(),
        me: team.me().map(|m| m.name.clone()),
        team: team.name,
        can_add_me: local,
        start_at_login,
    })
}

/// Whether `team` is the built-in sample as it was imported (the same members, hours and all).
fn is_sample(team: &Team) -> bool {
    let sample = crate::team::sample::team();
    let (mut a, mut b) = (team.to_file(), sample.to_file());
    // Who is me is this machine's answer, not part of what makes the team the sample.
    a.me = None;
    b.me = None;
    a == b
}

/// "I am not in this team yet: add me": the team with a member `name` in `time_zone` (the system's,
/// as the web view reads it) working [`DEFAULT_HOURS`], added at the end. Every problem comes back by
/// field, as from the editor; the caller saves the team and sets `me`.
pub fn add_me(team: &Team, name: &str, time_zone: &str) -> Result<Team, Vec<FieldProblem>> {
    save_member(
        team,
        None,
        MemberDraft {
            name: name.to_string(),
            time_zone: time_zone.to_string(),
            hours: vec![DEFAULT_HOURS.to_string()],
            focus: vec![],
            days_off: vec![],
            holidays: None,
            travel: None,
        },
    )
}

/// The test notification's words.
pub fn test_text() -> NotificationText {
    NotificationText {
        summary: "Baton: notifications work".into(),
        body: "This is how Baton brings you what it held while you were in focus or away.".into(),
        link: None,
    }
}

/// Shows the test notification through `notifier` and says what happened: the service that took it
/// (`server`, where known) and, either way, what to do when nothing appeared.
pub fn test_notification(notifier: &impl Notifier, server: Option<String>) -> TestNotification {
    match notifier.show(&test_text(), Urgency::Normal) {
        Ok(()) => TestNotification {
            message: format!(
                "Sent to {}. Not on your screen? Your desktop's do-not-disturb may be on, or \
                 notifications from Baton may be turned off in its notification settings.",
                server.as_deref().unwrap_or("the desktop's notification service")
            ),
            shown: true,
            server,
        },
        Err(NotifyError::Unavailable(why)) => TestNotification {
            shown: false,
            server: None,
            message: format!(
                "No notification service answered ({why}). Baton shows notifications through the \
                 desktop's own service (org.freedesktop.Notifications on Linux); a bare window manager \
                 may have none: install and start one, such as dunst or mako, then try again. Until \
                 then Baton keeps every notification in its Inbox."
            ),
        },
        Err(NotifyError::Refused(why)) => TestNotification {
            shown: false,
            server,
            message: format!("The notification service refused it: {why}."),
        },
    }
}

/// The desktop's notification service as it names itself ("dunst 1.11.0"), where the platform can say.
pub fn notification_server() -> Option<String> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        notify_rust::get_server_information()
            .ok()
            .map(|s| format!("{} {}", s.name, s.version).trim().to_string())
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::delivery::RecordingNotifier;

    /// A fresh database as the app first opens it (kept in `dir`).
    fn fresh(dir: &tempfile::TempDir) -> Store {
        crate::desktop::actions::open_with_sample(&dir.path().join("baton.db")).unwrap()
    }

    #[test]
    fn a_fresh_database_shows_the_card_with_the_sample_team() {
        let dir = tempfile::tempdir().unwrap();
        let store = fresh(&dir);
        let v = welcome_view(&store, false).unwrap();
        assert!(v.show, "a fresh database starts with the card");
        assert!(v.sample && v.can_add_me);
        assert_eq!(v.me.as_deref(), Some("Ana"), "the sample's own me");
        assert!(v.members.iter().any(|m| m == "Kenji"), "{:?}", v.members);
    }

    #[test]
    fn a_chosen_answer_before_the_first_open_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baton.db");
        Store::open(&path)
            .unwrap()
            .set_setting(FIRST_RUN, "done")
            .unwrap();
        let store = crate::desktop::actions::open_with_sample(&path).unwrap();
        assert!(!welcome_view(&store, false).unwrap().show);
    }

    #[test]
    fn a_changed_team_is_no_longer_the_sample() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = fresh(&dir);
        let team = team(&store).unwrap();
        let added = add_me(&team, "Zoe", "Europe/Berlin").unwrap();
        store.replace_team(&added).unwrap();
        let v = welcome_view(&store, true).unwrap();
        assert!(!v.sample);
        assert!(v.start_at_login);
        assert_eq!(v.members.last().map(String::as_str), Some("Zoe"));
        let zoe = added.members.last().unwrap();
        assert_eq!(zoe.time_zone, chrono_tz::Europe::Berlin);
    }

    #[test]
    fn add_me_names_each_bad_field() {
        let team = crate::team::sample::team();
        let problems = add_me(&team, "Kenji", "Mars/Olympus").unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"name"), "a duplicate name: {problems:?}");
        assert!(
            fields.contains(&"time_zone"),
            "an unknown zone: {problems:?}"
        );
    }

    #[test]
    fn a_test_notification_says_where_it_went_or_what_to_do() {
        let n = RecordingNotifier::new();
        let ok = test_notification(&n, Some("dunst 1.11.0".into()));
        assert!(ok.shown);
        assert!(
            ok.message.starts_with("Sent to dunst 1.11.0."),
            "{}",
            ok.message
        );
        assert_eq!(n.shown().len(), 1);
        assert_eq!(n.shown()[0].text.summary, "Baton: notifications work");

        n.set_failure(Some("org.freedesktop.DBus.Error.ServiceUnknown"));
        let failed = test_notification(&n, None);
        assert!(!failed.shown);
        assert!(
            failed.message.contains("ServiceUnknown"),
            "{}",
            failed.message
        );
        assert!(
            failed.message.contains("dunst or mako"),
            "{}",
            failed.message
        );
    }
}
