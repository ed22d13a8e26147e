//! Delivery steps on an in-memory store with a fake clock (every `now` is passed in) and a
//! [`RecordingNotifier`].

use chrono::{TimeZone, Utc};

use super::*;
use crate::notify::notification::{ItemState, NewNotification};
use crate::store::settings::DIGEST_CADENCE;
use crate::store::NotificationFilter;

/// Monday 2026-03-09 at `h:m` UTC.
fn at(h: u32, m: u32) -> Instant {
    Utc.with_ymd_and_hms(2026, 3, 9, h, m, 0).unwrap()
}

/// A store whose team has me working 09:00-17:00 UTC on weekdays, with the digest `cadence`.
fn store(cadence: &str) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let team = Team::from_toml_str(
        "name = \"T\"\nme = \"me\"\n[[members]]\nname = \"Me\"\ntime_zone = \"UTC\"\n\
         hours = [\"mon-fri 09:00-17:00\"]\n",
        "t.toml",
    )
    .unwrap();
    store.replace_team(&team).unwrap();
    store.set_setting(DIGEST_CADENCE, cadence).unwrap();
    store
}

fn post(store: &mut Store, title: &str, urgency: Urgency, now: Instant) -> i64 {
    let n = NewNotification {
        source: "ci".into(),
        group: None,
        sender: None,
        title: title.into(),
        body: None,
        urgency,
        url: None,
        idempotency_key: None,
    };
    store.accept_notifications(&[n], now).unwrap()[0].id
}

fn state(store: &Store, id: i64) -> ItemState {
    store
        .notifications(NotificationFilter::All, usize::MAX)
        .unwrap()
        .into_iter()
        .find(|n| n.id == id)
        .unwrap()
        .state
}

#[test]
fn a_critical_item_in_working_hours_is_shown_once_on_its_own() {
    let mut store = store("at 10:00,13:00,16:00");
    let notifier = RecordingNotifier::new();
    let id = post(&mut store, "API down", Urgency::Critical, at(11, 0));
    let d = deliver_due(&mut store, &notifier, at(11, 0)).unwrap();
    assert_eq!((d.urgent.clone(), d.digest.clone()), (vec![id], vec![]));
    let shown = notifier.shown();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].text.summary, "Critical · ci: API down");
    assert_eq!(shown[0].urgency, Urgency::Critical);
    assert_eq!(state(&store, id), ItemState::Delivered);
    let again = deliver_due(&mut store, &notifier, at(11, 1)).unwrap();
    assert_eq!(again, Delivery::default(), "nothing is left to deliver");
    assert_eq!(notifier.shown().len(), 1, "shown once");
}

#[test]
fn an_item_held_in_focus_comes_in_a_digest_when_the_session_ends() {
    let mut store = store("instant");
    store.start_focus(at(10, 0), at(11, 0)).unwrap();
    let notifier = RecordingNotifier::new();
    let id = post(&mut store, "Review requested", Urgency::High, at(10, 15));
    let d = deliver_due(&mut store, &notifier, at(10, 15)).unwrap();
    assert_eq!(d.delivered(), 0, "held in focus");
    assert_eq!(d.next_wake, Some(at(11, 0)), "due when the session ends");
    assert!(deliver_due(&mut store, &notifier, at(10, 59))
        .unwrap()
        .digest
        .is_empty());
    assert!(notifier.shown().is_empty());
    let d = deliver_due(&mut store, &notifier, at(11, 0)).unwrap();
    assert_eq!(d.digest, vec![id]);
    let shown = notifier.shown();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].text.summary, "1 h of focus · 1 held notification");
    assert_eq!(shown[0].text.body, "ci: Review requested");
    assert_eq!(state(&store, id), ItemState::Delivered);
    deliver_due(&mut store, &notifier, at(11, 30)).unwrap();
    assert_eq!(notifier.shown().len(), 1, "not again");
}

#[test]
fn an_item_committed_after_now_was_taken_joins_the_digest() {
    // The scheduler took `now` at 11:00:00.2; before it read the store, the session was stopped
    // (stored to the second, 11:00:00) and one more item was committed at 11:00:00.5.
    let mut store = store("instant");
    store.start_focus(at(10, 0), at(12, 0)).unwrap();
    let notifier = RecordingNotifier::new();
    let early = post(&mut store, "Build 1 failed", Urgency::Normal, at(10, 30));
    let ms = |n: i64| at(11, 0) + chrono::Duration::milliseconds(n);
    let late = post(&mut store, "Build 2 failed", Urgency::Normal, ms(500));
    store.stop_focus(ms(600)).unwrap();
    let d = deliver_due(&mut store, &notifier, ms(200)).unwrap();
    assert_eq!(d.digest, vec![early, late], "both in one digest");
    assert_eq!(notifier.shown().len(), 1, "one notification");
    assert_eq!(
        deliver_due(&mut store, &notifier, ms(900)).unwrap(),
        Delivery::default()
    );
    assert_eq!(notifier.shown().len(), 1, "and no second one after it");
}

#[test]
fn a_notifier_failure_keeps_items_held_until_a_later_success() {
    let mut store = store("instant");
    let notifier = RecordingNotifier::new();
    notifier.set_failure(Some("no notification service"));
    let urgent = post(&mut store, "fire", Urgency::Critical, at(12, 0));
    let ordinary = post(&mut store, "fyi", Urgency::Normal, at(12, 0));
    let d = deliver_due(&mut store, &notifier, at(12, 0)).unwrap();
    assert_eq!(d.failure.as_deref(), Some("no notification service"));
    assert_eq!(d.undelivered, 2, "the urgent item and the digest after it");
    assert_eq!(d.delivered(), 0);
    assert_eq!(store.held_count().unwrap(), 2, "nothing is dropped");
    notifier.set_failure(None);
    let d = deliver_due(&mut store, &notifier, at(12, 1)).unwrap();
    assert_eq!((d.urgent, d.digest), (vec![urgent], vec![ordinary]));
    assert_eq!(d.failure, None);
    deliver_due(&mut store, &notifier, at(12, 2)).unwrap();
    assert_eq!(notifier.shown().len(), 2, "each shown once");
    assert_eq!(store.held_count().unwrap(), 0);
}

#[test]
fn a_failure_in_the_digest_keeps_the_urgent_items_already_shown() {
    let mut store = store("instant");
    let urgent = post(&mut store, "fire", Urgency::Critical, at(12, 0));
    let ordinary = post(&mut store, "fyi", Urgency::Normal, at(12, 0));
    /// Shows one notification, then fails.
    struct OneThenFail(Mutex<usize>);
    impl Notifier for OneThenFail {
        fn show(&self, _: &NotificationText, _: Urgency) -> Result<(), NotifyError> {
            let mut n = lock(&self.0);
            *n += 1;
            if *n == 1 {
                Ok(())
            } else {
                Err(NotifyError::Unavailable("gone".into()))
            }
        }
    }
    let d = deliver_due(&mut store, &OneThenFail(Mutex::new(0)), at(12, 0)).unwrap();
    assert_eq!((d.urgent, d.undelivered), (vec![urgent], 1));
    assert_eq!(state(&store, urgent), ItemState::Delivered);
    assert_eq!(state(&store, ordinary), ItemState::Held);
}

#[test]
fn no_item_is_delivered_twice_over_a_day_of_steps() {
    let mut store = store("every 30m");
    store.start_focus(at(13, 0), at(14, 10)).unwrap();
    let notifier = RecordingNotifier::new();
    let mut rng = fastrand::Rng::with_seed(7);
    let mut posted = Vec::new();
    let mut delivered: Vec<i64> = Vec::new();
    // A step every 7 minutes from 06:00 to 20:00, with arrivals in between.
    let mut now = at(6, 0);
    while now < at(20, 0) {
        for _ in 0..rng.usize(0..3) {
            let urgency = Urgency::ALL[rng.usize(0..4)];
            posted.push(post(&mut store, "x", urgency, now));
        }
        let d = deliver_due(&mut store, &notifier, now).unwrap();
        if let Some(w) = d.next_wake {
            assert!(w > now, "the next wake is in the future");
        }
        delivered.extend(d.urgent);
        delivered.extend(d.digest);
        now += Duration::minutes(7);
    }
    let mut sorted = delivered.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), delivered.len(), "no id twice");
    let held: Vec<i64> = store.held_items().unwrap().iter().map(|i| i.id).collect();
    assert!(
        held.iter().all(|id| !delivered.contains(id)),
        "delivered items are no longer held"
    );
    assert_eq!(
        held.len() + delivered.len(),
        posted.len(),
        "every item is either delivered or still held (those after 17:00)"
    );
}

#[test]
fn deliver_now_sends_everything_in_one_digest() {
    let mut store = store("at 10:00,13:00,16:00");
    let notifier = RecordingNotifier::new();
    let ids = [
        post(&mut store, "a", Urgency::Low, at(20, 0)),
        post(&mut store, "b", Urgency::Normal, at(21, 0)),
    ];
    assert_eq!(
        deliver_due(&mut store, &notifier, at(21, 0))
            .unwrap()
            .delivered(),
        0,
        "off hours"
    );
    let d = deliver_now(&mut store, &notifier, at(21, 0)).unwrap();
    assert_eq!(d.digest, ids.to_vec());
    assert_eq!(
        notifier.shown()[0].text.summary,
        "Baton: all 2 held notifications"
    );
    assert_eq!(
        deliver_now(&mut store, &notifier, at(21, 1)).unwrap(),
        Delivery::default()
    );
}

#[test]
fn without_a_team_all_time_is_working_time() {
    let mut store = Store::open_in_memory().unwrap();
    let notifier = RecordingNotifier::new();
    let id = post(&mut store, "a", Urgency::Normal, at(3, 0));
    let d = deliver_due(&mut store, &notifier, at(3, 0)).unwrap();
    assert_eq!(
        d.next_wake,
        Some(at(10, 0)),
        "the default cadence's next tick, in UTC"
    );
    assert_eq!(
        deliver_due(&mut store, &notifier, at(10, 0))
            .unwrap()
            .digest,
        vec![id]
    );
}

#[test]
fn the_log_file_gets_one_json_line_per_call() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shown.jsonl");
    let notifier = RecordingNotifier::logging_to(&path).unwrap();
    let text = NotificationText {
        summary: "s".into(),
        body: "b".into(),
        link: None,
    };
    notifier.show(&text, Urgency::High).unwrap();
    notifier.show(&text, Urgency::Low).unwrap();
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        serde_json::json!({"urgency": "high", "summary": "s", "body": "b"})
    );
    assert!(notifier.wait_for(2, StdDuration::ZERO));
}

#[test]
fn desktop_timeouts_leave_time_to_read() {
    let text = |lines: usize| NotificationText {
        summary: "s".into(),
        body: vec!["line"; lines].join("\n"),
        link: None,
    };
    assert_eq!(
        DesktopNotifier::timeout(&text(0), Urgency::Normal),
        Some(StdDuration::from_secs(6))
    );
    assert_eq!(
        DesktopNotifier::timeout(&text(6), Urgency::Normal),
        Some(StdDuration::from_secs(18))
    );
    assert_eq!(
        DesktopNotifier::timeout(&text(40), Urgency::Low),
        Some(StdDuration::from_secs(30))
    );
    assert_eq!(DesktopNotifier::timeout(&text(1), Urgency::Critical), None);
}

#[tokio::test]
async fn the_scheduler_delivers_an_arrival_and_stops_on_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let mut store = Store::open(&db).unwrap();
    let notifier = Arc::new(RecordingNotifier::new());
    let wake = Arc::new(Notify::new());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(run(db.clone(), notifier.clone(), wake.clone(), async {
        let _ = stopped.await;
    }));
    post(&mut store, "fire", Urgency::Critical, Utc::now());
    wake.notify_one();
    let waiter = notifier.clone();
    let shown = tokio::task::spawn_blocking(move || waiter.wait_for(1, StdDuration::from_secs(10)))
        .await
        .unwrap();
    assert!(shown, "the ping woke the scheduler, which showed the item");
    stop.send(()).unwrap();
    tokio::time::timeout(StdDuration::from_secs(10), task)
        .await
        .expect("the scheduler stops on shutdown")
        .unwrap();
    assert_eq!(store.held_count().unwrap(), 0);
}

/// Posts an item from `source` with `title` and `body`.
fn post_full(
    store: &mut Store,
    source: &str,
    title: &str,
    body: Option<&str>,
    urgency: Urgency,
    now: Instant,
) -> i64 {
    let n = NewNotification {
        source: source.into(),
        group: None,
        sender: None,
        title: title.into(),
        body: body.map(Into::into),
        urgency,
        url: None,
        idempotency_key: None,
    };
    store.accept_notifications(&[n], now).unwrap()[0].id
}

fn failure_of(store: &Store, id: i64) -> Option<String> {
    store
        .notifications(NotificationFilter::All, usize::MAX)
        .unwrap()
        .into_iter()
        .find(|n| n.id == id)
        .unwrap()
        .failure
}

#[test]
fn a_refused_urgent_item_is_set_aside_and_everything_after_it_is_delivered() {
    let mut store = store("instant");
    let notifier = RecordingNotifier::new();
    notifier.refuse_containing(Some("POISON"));
    // The oldest held item, critical, with text the service refuses (the NUL of issue 9, say).
    let poison = post_full(
        &mut store,
        "ci",
        "fire",
        Some("POISON"),
        Urgency::Critical,
        at(12, 0),
    );
    let urgent = post(&mut store, "second fire", Urgency::Critical, at(12, 1));
    let ordinary = post(&mut store, "fyi", Urgency::Normal, at(12, 1));
    let d = deliver_due(&mut store, &notifier, at(12, 1)).unwrap();
    assert_eq!(
        (d.urgent.clone(), d.digest.clone(), d.failed.clone()),
        (vec![urgent], vec![ordinary], vec![poison]),
        "the refused item is set aside; the urgent item and the digest after it still go out"
    );
    assert_eq!(
        (d.failure, d.undelivered),
        (None, 0),
        "a refusal is not an outage"
    );
    assert_eq!(state(&store, poison), ItemState::Failed);
    assert!(
        failure_of(&store, poison).is_some_and(|f| f.contains("POISON")),
        "the reason is kept"
    );
    // Later arrivals are not held up, and the failed item is not tried again.
    let later = post(&mut store, "third fire", Urgency::Critical, at(12, 5));
    let d = deliver_due(&mut store, &notifier, at(12, 5)).unwrap();
    assert_eq!((d.urgent, d.failed), (vec![later], vec![]));
    assert_eq!(notifier.refused().len(), 1, "refused once, never retried");
    assert_eq!(notifier.shown().len(), 3);
}

#[test]
fn a_refused_digest_is_split_until_only_the_refused_items_are_left_out() {
    let mut store = store("at 10:00,13:00,16:00");
    let notifier = RecordingNotifier::new();
    notifier.refuse_containing(Some("POISON"));
    // Eight sources, so every title shows in the digest (a hidden one would not be refused).
    let titles = ["a", "b", "POISON c", "d", "e", "f", "POISON g", "h"];
    let ids: Vec<i64> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            post_full(
                &mut store,
                &format!("s{i}"),
                t,
                None,
                Urgency::Normal,
                at(11, 0),
            )
        })
        .collect();
    let d = deliver_due(&mut store, &notifier, at(13, 0)).unwrap();
    assert_eq!(
        d.failed,
        vec![ids[2], ids[6]],
        "only the refusing items are set aside"
    );
    let mut good: Vec<i64> = ids.clone();
    good.retain(|id| !d.failed.contains(id));
    assert_eq!(d.digest, good, "every other item is delivered, in order");
    assert_eq!((d.failure, d.undelivered), (None, 0));
    let shown = notifier.shown();
    assert!(
        shown.len() <= 4,
        "the good items come as a few digests, not one by one: {shown:?}"
    );
    assert!(shown.iter().all(|s| !s.text.body.contains("POISON")));
    for id in &good {
        assert_eq!(state(&store, *id), ItemState::Delivered);
    }
    for id in &d.failed {
        assert_eq!(state(&store, *id), ItemState::Failed);
    }
    assert_eq!(store.held_count().unwrap(), 0);
}

#[test]
fn an_unavailable_service_while_splitting_keeps_the_rest_held() {
    let mut store = store("instant");
    /// Refuses the whole digest, shows the first half, then is gone.
    struct RefuseShowThenGone(Mutex<usize>);
    impl Notifier for RefuseShowThenGone {
        fn show(&self, _: &NotificationText, _: Urgency) -> Result<(), NotifyError> {
            let mut n = lock(&self.0);
            *n += 1;
            match *n {
                1 => Err(NotifyError::Refused("too much".into())),
                2 => Ok(()),
                _ => Err(NotifyError::Unavailable("gone".into())),
            }
        }
    }
    let ids: Vec<i64> = (0..4)
        .map(|i| post(&mut store, &format!("n{i}"), Urgency::Normal, at(12, 0)))
        .collect();
    let d = deliver_due(&mut store, &RefuseShowThenGone(Mutex::new(0)), at(12, 0)).unwrap();
    assert_eq!(
        (d.digest.clone(), d.failed.clone()),
        (ids[..2].to_vec(), vec![])
    );
    assert_eq!((d.failure.as_deref(), d.undelivered), (Some("gone"), 2));
    assert_eq!(
        store.held_count().unwrap(),
        2,
        "nothing is set aside for an outage"
    );
}

#[test]
fn the_desktop_notifier_refuses_nul_and_tells_refusals_from_outages() {
    let text = |body: &str| NotificationText {
        summary: "s".into(),
        body: body.into(),
        link: None,
    };
    assert!(matches!(
        DesktopNotifier::check(&text("a\0b")),
        Err(NotifyError::Refused(m)) if m.contains("body")
    ));
    assert_eq!(DesktopNotifier::check(&text("a\nb\tc")), Ok(()));
    for refused in [
        "org.freedesktop.DBus.Error.InvalidArgs: String contains NUL",
        "incorrect type",
        "Signature mismatch: got `u`, expected s",
    ] {
        assert!(
            matches!(
                DesktopNotifier::classify(refused.into()),
                NotifyError::Refused(_)
            ),
            "{refused}"
        );
    }
    for unavailable in [
        "org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable",
        "org.freedesktop.DBus.Error.NoReply: timed out",
        "I/O error: Connection reset by peer (os error 104)",
        "failed to connect to `unix:path=/run/user/1000/bus`: No such file or directory",
        "address error: DBUS_SESSION_BUS_ADDRESS not set",
    ] {
        assert!(
            matches!(
                DesktopNotifier::classify(unavailable.into()),
                NotifyError::Unavailable(_)
            ),
            "{unavailable}"
        );
    }
}

#[tokio::test]
async fn the_scheduler_goes_on_past_a_refused_item_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let mut store = Store::open(&db).unwrap();
    /// Runs the scheduler until it has shown `count` notifications, then stops it.
    async fn run_until_shown(
        db: &Path,
        notifier: Arc<RecordingNotifier>,
        count: usize,
        wake: Arc<Notify>,
    ) {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(run(
            db.to_path_buf(),
            notifier.clone(),
            wake.clone(),
            async {
                let _ = stopped.await;
            },
        ));
        wake.notify_one();
        let waiter = notifier.clone();
        let shown =
            tokio::task::spawn_blocking(move || waiter.wait_for(count, StdDuration::from_secs(10)))
                .await
                .unwrap();
        assert!(shown, "the scheduler delivered past the refused item");
        stop.send(()).unwrap();
        tokio::time::timeout(StdDuration::from_secs(10), task)
            .await
            .expect("the scheduler stops on shutdown")
            .unwrap();
    }
    let first = Arc::new(RecordingNotifier::new());
    first.refuse_containing(Some("POISON"));
    let poison = post_full(
        &mut store,
        "ci",
        "fire",
        Some("POISON"),
        Urgency::Critical,
        Utc::now(),
    );
    post(&mut store, "second fire", Urgency::Critical, Utc::now());
    run_until_shown(&db, first.clone(), 1, Arc::new(Notify::new())).await;
    assert_eq!(first.refused().len(), 1);
    assert_eq!(state(&store, poison), ItemState::Failed);
    // A restart: a new scheduler and notifier on the same database.
    let second = Arc::new(RecordingNotifier::new());
    second.refuse_containing(Some("POISON"));
    post(&mut store, "third fire", Urgency::Critical, Utc::now());
    run_until_shown(&db, second.clone(), 1, Arc::new(Notify::new())).await;
    assert!(
        second.refused().is_empty(),
        "the failed item is not tried again"
    );
    assert_eq!(second.shown()[0].text.summary, "Critical · ci: third fire");
    assert_eq!(store.held_count().unwrap(), 0);
}
