//! The CalDAV client against a real Radicale (see `support::radicale`): discovery from the bare
//! server address, a recurring series read across the US DST change, ctag and sync-token, publishing
//! Baton's focus events beside a foreign one, and a wrong password.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use baton::calendar::caldav::{
    publish, CaldavClient, CaldavError, Credentials, RemoteObject, CALDAV_LIMITS,
};
use baton::time::interval::Interval;
use chrono::{TimeZone, Utc};

use crate::support::radicale::{radicale, PASSWORD};

/// `[from, to)` in UTC, as (year, month, day, hour) pairs.
fn window(from: (i32, u32, u32, u32), to: (i32, u32, u32, u32)) -> Interval {
    let at = |(y, m, d, h): (i32, u32, u32, u32)| Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap();
    Interval::new(at(from), at(to)).unwrap()
}

/// America/New_York as RFC 5545 writes it (DST from the second Sunday of March).
pub(crate) const NEW_YORK: &str = "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n\
DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n\
DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// A daily 09:00 New York stand-up from 2 March 2026 for two weeks, without 6 March, with the
/// 9 March one (the Monday after the clocks change on 8 March) moved to 11:00.
pub(crate) fn standup_series() -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other client//EN\r\n{NEW_YORK}\
BEGIN:VEVENT\r\nUID:standup@example.com\r\nDTSTAMP:20260201T000000Z\r\n\
DTSTART;TZID=America/New_York:20260302T090000\r\n\
DTEND;TZID=America/New_York:20260302T093000\r\n\
RRULE:FREQ=DAILY;COUNT=14\r\nEXDATE;TZID=America/New_York:20260306T090000\r\n\
SUMMARY:Stand-up\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:standup@example.com\r\nDTSTAMP:20260201T000000Z\r\n\
RECURRENCE-ID;TZID=America/New_York:20260309T090000\r\n\
DTSTART;TZID=America/New_York:20260309T110000\r\n\
DTEND;TZID=America/New_York:20260309T113000\r\n\
SUMMARY:Stand-up (moved)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// A single event `uid` from `start` to `end` (UTC, `YYYYMMDDTHHMMSSZ`).
pub(crate) fn event(uid: &str, summary: &str, start: &str, end: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//baton tests//EN\r\nBEGIN:VEVENT\r\n\
UID:{uid}\r\nDTSTAMP:20260201T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\n\
SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// March 2026, the month every event of these tests is in.
fn march() -> Interval {
    window((2026, 3, 1, 0), (2026, 4, 1, 0))
}

/// The lines of an iCalendar text, sorted: Radicale stores what it is given but writes the
/// properties of a component back in its own order.
pub(crate) fn lines(ics: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = ics.split("\r\n").filter(|l| !l.is_empty()).collect();
    lines.sort_unstable();
    lines
}

/// The last part of an object's URL, percent-decoded (Radicale writes `@` as `%40`).
pub(crate) fn name_of(url: &str) -> String {
    let last = url.rsplit('/').next().unwrap();
    percent_encoding::percent_decode_str(last)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// The objects of the calendar in March 2026, by the last part of their URL.
fn objects_by_name(client: &CaldavClient, calendar: &str) -> BTreeMap<String, RemoteObject> {
    client
        .objects(calendar, march())
        .unwrap()
        .into_iter()
        .map(|o| (name_of(&o.url), o))
        .collect()
}

#[test]
#[cfg_attr(windows, ignore = "runs Radicale, a Python server started through sh")]
fn discovery_from_the_bare_server_address_finds_the_users_event_calendars() {
    let server = radicale();
    let work = server.mkcalendar("disc", "work", "Work", &["VEVENT"]);
    let home = server.mkcalendar("disc", "home", "Home", &["VEVENT", "VTODO"]);
    server.mkcalendar("disc", "tasks", "Tasks", &["VTODO"]);

    let mut found = server.client("disc").discover().unwrap();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    let seen: Vec<(&str, &str)> = found
        .iter()
        .map(|c| (c.name.as_str(), c.url.as_str()))
        .collect();
    assert_eq!(
        seen,
        [("Home", home.as_str()), ("Work", work.as_str())],
        "both event calendars, and not the VTODO-only one"
    );
    for calendar in &found {
        assert!(
            calendar.sync_token.is_some() || calendar.ctag.is_some(),
            "Radicale keeps a change marker for {}",
            calendar.name
        );
    }
    // From the well-known address, which Radicale redirects to its root, the same.
    let creds = Credentials {
        user: "disc".into(),
        password: PASSWORD.into(),
    };
    let well_known = format!("{}.well-known/caldav", server.base);
    let via = CaldavClient::new(&well_known, creds, CALDAV_LIMITS).unwrap();
    let mut again = via.discover().unwrap();
    again.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(again, found, "discovery follows the redirect");
    // Another user's calendars are not this user's to find.
    assert!(server.client("spare").discover().unwrap().is_empty());
}

#[test]
#[cfg_attr(windows, ignore = "runs Radicale, a Python server started through sh")]
fn a_recurring_series_with_an_exdate_and_a_moved_occurrence_is_read_across_the_dst_change() {
    let server = radicale();
    let calendar = server.mkcalendar("objs", "team", "Team", &["VEVENT"]);
    let other_client = server.client("objs");
    let series_etag = other_client
        .put(&calendar, "standup@example.com", &standup_series(), None)
        .unwrap();
    let inside = event(
        "review@example.com",
        "Review",
        "20260308T150000Z",
        "20260308T160000Z",
    );
    other_client
        .put(&calendar, "review@example.com", &inside, None)
        .unwrap();
    let last_year = event(
        "old@example.com",
        "Old",
        "20250308T150000Z",
        "20250308T160000Z",
    );
    other_client
        .put(&calendar, "old@example.com", &last_year, None)
        .unwrap();

    // 7 to 10 March UTC: the clocks go forward in New York on the 8th.
    let got = server
        .client("objs")
        .objects(&calendar, window((2026, 3, 7, 0), (2026, 3, 10, 0)))
        .unwrap();
    let mut names: Vec<String> = got.iter().map(|o| name_of(&o.url)).collect();
    names.sort();
    assert_eq!(
        names,
        ["review@example.com.ics", "standup@example.com.ics"],
        "the window's events, not last year's"
    );
    let series = got
        .iter()
        .find(|o| name_of(&o.url) == "standup@example.com.ics")
        .unwrap();
    assert_eq!(series.etag.as_deref(), Some(series_etag.as_str()));
    assert!(
        got.iter().all(|o| o.etag.is_some()),
        "every object has an ETag"
    );
    for part in [
        "RRULE:FREQ=DAILY;COUNT=14",
        "EXDATE;TZID=America/New_York:20260306T090000",
        "RECURRENCE-ID;TZID=America/New_York:20260309T090000",
        "DTSTART;TZID=America/New_York:20260309T110000",
        "BEGIN:VTIMEZONE",
    ] {
        assert!(series.ics.contains(part), "{part} in\n{}", series.ics);
    }
    assert!(series.ics.contains("\r\n"), "CRLF line ends");
}

#[test]
#[cfg_attr(windows, ignore = "runs Radicale, a Python server started through sh")]
fn a_change_on_the_server_changes_the_state_and_no_change_leaves_it() {
    let server = radicale();
    let calendar = server.mkcalendar("state", "work", "Work", &["VEVENT"]);
    let client = server.client("state");
    let before = client.state(&calendar).unwrap();
    assert!(
        before.ctag.is_some() && before.sync_token.is_some(),
        "Radicale gives both: {before:?}"
    );
    client.objects(&calendar, march()).unwrap();
    assert_eq!(
        client.state(&calendar).unwrap(),
        before,
        "reading changes nothing"
    );

    let other_client = server.client("state");
    let meeting = event(
        "m@example.com",
        "Meeting",
        "20260310T150000Z",
        "20260310T160000Z",
    );
    other_client
        .put(&calendar, "m@example.com", &meeting, None)
        .unwrap();
    let after = client.state(&calendar).unwrap();
    assert_ne!(after.ctag, before.ctag, "a new event changes the ctag");
    assert_ne!(after.sync_token, before.sync_token, "and the sync-token");
    assert_eq!(client.state(&calendar).unwrap(), after, "and then stays");
}

#[test]
#[cfg_attr(windows, ignore = "runs Radicale, a Python server started through sh")]
fn publish_writes_moves_and_removes_baton_events_and_leaves_a_foreign_one_alone() {
    let server = radicale();
    let calendar = server.mkcalendar("publ", "work", "Work", &["VEVENT"]);
    let client = server.client("publ");
    let lunch = event(
        "lunch@example.com",
        "Lunch",
        "20260310T120000Z",
        "20260310T130000Z",
    );
    let lunch_etag = server
        .client("publ")
        .put(&calendar, "lunch@example.com", &lunch, None)
        .unwrap();

    let focus = |n: u32, hour: u32| {
        (
            format!("focus-{n}@baton.local"),
            event(
                &format!("focus-{n}@baton.local"),
                "Focus",
                &format!("202603{:02}T{hour:02}0000Z", 10 + n),
                &format!("202603{:02}T{:02}0000Z", 10 + n, hour + 2),
            ),
        )
    };
    let desired: BTreeMap<String, String> = (1..=3).map(|n| focus(n, 9)).collect();
    let known = publish(&client, &calendar, &desired, &BTreeMap::new()).unwrap();
    assert_eq!(
        known.keys().collect::<Vec<_>>(),
        desired.keys().collect::<Vec<_>>()
    );
    let on_server = objects_by_name(&client, &calendar);
    for (uid, ics) in &desired {
        let object = &on_server[&format!("{uid}.ics")];
        assert_eq!(
            lines(&object.ics),
            lines(ics),
            "the server holds what Baton wrote"
        );
        assert_eq!(object.etag.as_deref(), Some(known[uid].etag.as_str()));
    }

    // focus-2 moves to 14:00, focus-3 is no longer wanted, focus-1 stays.
    let mut desired2 = desired.clone();
    let (uid2, moved) = focus(2, 14);
    desired2.insert(uid2.clone(), moved.clone());
    desired2.remove("focus-3@baton.local");
    let known2 = publish(&client, &calendar, &desired2, &known).unwrap();
    assert_eq!(known2.len(), 2);
    assert_eq!(
        known2["focus-1@baton.local"], known["focus-1@baton.local"],
        "unchanged: not written again"
    );
    assert_ne!(
        known2[&uid2].etag, known[&uid2].etag,
        "moved: a new version"
    );
    let on_server = objects_by_name(&client, &calendar);
    assert_eq!(
        on_server.keys().collect::<Vec<_>>(),
        [
            "focus-1@baton.local.ics",
            "focus-2@baton.local.ics",
            "lunch@example.com.ics"
        ],
        "focus-3 deleted, the rest there"
    );
    assert!(on_server["focus-2@baton.local.ics"]
        .ics
        .contains("DTSTART:20260312T140000Z"));
    let lunch_now = &on_server["lunch@example.com.ics"];
    assert_eq!(
        lines(&lunch_now.ics),
        lines(&lunch),
        "the foreign event is untouched"
    );
    assert_eq!(lunch_now.etag.as_deref(), Some(lunch_etag.as_str()));

    // The same desired set again changes nothing on the server.
    let state = client.state(&calendar).unwrap();
    let known3 = publish(&client, &calendar, &desired2, &known2).unwrap();
    assert_eq!(known3, known2);
    assert_eq!(client.state(&calendar).unwrap(), state, "no write was made");

    // Someone moves Baton's focus-1 in another client: Baton's next change still wins (its events
    // are Baton's to set), over the new version.
    let edited = event(
        "focus-1@baton.local",
        "Focus (edited)",
        "20260311T070000Z",
        "20260311T080000Z",
    );
    server
        .client("publ")
        .put(
            &calendar,
            "focus-1@baton.local",
            &edited,
            Some(&known3["focus-1@baton.local"].etag),
        )
        .unwrap();
    let (uid1, later) = focus(1, 15);
    let mut desired4 = desired2.clone();
    desired4.insert(uid1.clone(), later.clone());
    let known4 = publish(&client, &calendar, &desired4, &known3).unwrap();
    let now = &objects_by_name(&client, &calendar)[&format!("{uid1}.ics")];
    assert_eq!(
        lines(&now.ics),
        lines(&later),
        "Baton's version, not the edit"
    );
    assert_eq!(now.etag.as_deref(), Some(known4[&uid1].etag.as_str()));
}

#[test]
#[cfg_attr(windows, ignore = "runs Radicale, a Python server started through sh")]
fn a_wrong_password_is_an_auth_error_naming_the_server_and_changes_nothing() {
    let server = radicale();
    let calendar = server.mkcalendar("auth", "work", "Work", &["VEVENT"]);
    let good = server.client("auth");
    let before = good.state(&calendar).unwrap();

    let wrong = "not-the-password-42";
    assert_ne!(wrong, PASSWORD);
    let bad = server.client_with("auth", wrong);
    let e = bad.discover().unwrap_err();
    assert!(matches!(e, CaldavError::Auth { .. }), "{e:?}");
    let message = e.to_string();
    assert!(
        message.contains(&server.base)
            && message.contains("refused the user name or password")
            && !message.contains(wrong),
        "{message}"
    );
    let meeting = event(
        "m@example.com",
        "Meeting",
        "20260310T150000Z",
        "20260310T160000Z",
    );
    let e = bad
        .put(&calendar, "m@example.com", &meeting, None)
        .unwrap_err();
    assert!(matches!(e, CaldavError::Auth { .. }), "{e:?}");
    assert!(!e.to_string().contains(wrong), "{e}");

    assert_eq!(good.state(&calendar).unwrap(), before, "nothing changed");
    assert!(good.objects(&calendar, march()).unwrap().is_empty());
}
