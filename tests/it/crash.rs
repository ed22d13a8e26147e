//! Crash safety of the intake: `baton daemon` is killed with SIGKILL at random moments while a client
//! streams notifications at it, then restarted; the client re-sends whatever was not acknowledged, with
//! the same idempotency key. In the end every acknowledged id is stored exactly once, under its key,
//! and no key has two rows.
//!
//! Then delivery: the team's `me` works around the clock with the `instant` cadence, but a focus session
//! covers the whole kill phase, so everything is held (delivery is at-least-once: a kill between
//! showing and marking would show an item twice, by design, so the kills must not race a delivery).
//! When the test stops the session, the running daemon notices the write, and shows every held item
//! in one digest, through the notifier that writes to a file (`BATON_NOTIFIER_LOG`).
//! [`CrashRun::check_delivered_once`] checks that every acknowledged id is delivered, in that one
//! digest, and that the log holds that one notification, counting them all. (A digest's text names
//! at most a few entries, so the log is checked by its count, and the ids by their stored state.)
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baton::notify::intake::client::{Health, IntakeClient, Posted};
use baton::notify::intake::Token;
use baton::notify::notification::{DeliveredAs, ItemState};
use baton::store::settings::{
    DIGEST_CADENCE, INTAKE_PORT, INTAKE_RATE_PER_MINUTE, INTAKE_RATE_TOTAL_PER_MINUTE,
};
use baton::store::{NotificationFilter, Store};
use baton::Team;

use crate::intake::free_port;

/// How many times the daemon is killed.
const KILLS: usize = 18;
/// Longest wait for a restarted daemon to answer (a hang, not a slow machine, if it is ever reached).
const START_DEADLINE: Duration = Duration::from_secs(30);

struct Daemon {
    child: Child,
    db: PathBuf,
    log: PathBuf,
}

impl Daemon {
    fn start(db: &Path, log: &Path, port: u16) -> Daemon {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_baton"))
            .env_remove("BATON_DB")
            .env("BATON_NOTIFIER_LOG", db.with_file_name("shown.jsonl"))
            .arg("--db")
            .arg(db)
            .arg("daemon")
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .unwrap();
        let daemon = Daemon {
            child,
            db: db.to_path_buf(),
            log: log.to_path_buf(),
        };
        let since = Instant::now();
        // The daemon makes the token on its first start; the probe needs it to see a proven Baton.
        let proven = || {
            let token = Token::load(&Token::path_for(db)).ok().flatten();
            token.is_some() && IntakeClient::new(port, token).health().ok() == Some(Health::Baton)
        };
        while !proven() {
            assert!(
                since.elapsed() < START_DEADLINE,
                "the daemon on {} never answered; its log:\n{}",
                daemon.db.display(),
                std::fs::read_to_string(&daemon.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        daemon
    }

    /// SIGKILL: no chance to finish anything.
    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and the daemon must stop cleanly.
    fn stop(mut self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(
            exit.success(),
            "SIGTERM ends the daemon cleanly: {exit}; log:\n{}",
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
    }
}

/// What the client saw: every key it sent, and the id each acknowledgement carried.
#[derive(Debug, Default)]
struct CrashRun {
    sent: Vec<String>,
    acknowledged: Vec<(String, i64)>,
    unacknowledged_attempts: usize,
}

impl CrashRun {
    /// Every stored item was delivered, once, in the digest sent after `focus_stopped`, and the
    /// notifier was called exactly once, for a digest of all of them.
    fn check_delivered_once(&self, db: &Path, focus_stopped: chrono::DateTime<chrono::Utc>) {
        let store = Store::open(db).unwrap();
        let since = Instant::now();
        while store.held_count().unwrap() > 0 {
            assert!(
                since.elapsed() < START_DEADLINE,
                "the daemon did not deliver after the focus session was stopped: {} still held",
                store.held_count().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let rows = store
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap();
        for row in &rows {
            assert_eq!(
                (row.state, row.delivered_as),
                (ItemState::Delivered, Some(DeliveredAs::Digest)),
                "id {} is delivered in the digest",
                row.id
            );
            assert!(
                row.delivered_at.unwrap() >= focus_stopped - chrono::Duration::seconds(1),
                "id {} was delivered after the focus session, not during the kills",
                row.id
            );
        }
        let shown: Vec<serde_json::Value> =
            std::fs::read_to_string(db.with_file_name("shown.jsonl"))
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
        assert_eq!(shown.len(), 1, "one notification, once: {shown:?}");
        // "M min of focus · N ..." (or "Focus ended: N ..." under a minute), or "Baton: N ..." when
        // the last items arrived within the second the session was stopped in (sessions are stored
        // to the second, so those were in free time).
        let summary = shown[0]["summary"].as_str().unwrap();
        let count = format!("{} held notifications", rows.len());
        assert!(
            [" of focus · ", "Focus ended: ", "Baton: "]
                .iter()
                .any(|head| summary.ends_with(&format!("{head}{count}"))),
            "the digest counts every stored item: {summary}"
        );
        for (key, id) in &self.acknowledged {
            assert!(
                rows.iter().any(|r| r.id == *id),
                "acknowledged id {id} ({key}) was delivered"
            );
        }
    }

    /// Every acknowledged id is stored once, under the key it was acknowledged for; a key
    /// acknowledged twice (a retry of a commit whose answer was lost) got the same id both times;
    /// no key has two rows; every key sent is stored (each was retried until acknowledged).
    fn check_stored_once(&self, db: &Path) {
        let rows = Store::open(db)
            .unwrap()
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap();
        let mut rows_by_key: HashMap<&str, Vec<i64>> = HashMap::new();
        for row in &rows {
            let key = row
                .idempotency_key
                .as_deref()
                .expect("every post has a key");
            rows_by_key.entry(key).or_default().push(row.id);
        }
        for (key, ids) in &rows_by_key {
            assert_eq!(ids.len(), 1, "key {key} has rows {ids:?}");
        }
        let mut acked_id: HashMap<&str, i64> = HashMap::new();
        for (key, id) in &self.acknowledged {
            let first = *acked_id.entry(key).or_insert(*id);
            assert_eq!(first, *id, "key {key} was acknowledged with two ids");
            assert_eq!(
                rows_by_key.get(key.as_str()),
                Some(&vec![*id]),
                "acknowledged id {id} ({key}) is stored under its key"
            );
        }
        assert_eq!(
            rows.len(),
            self.sent.len(),
            "every key sent was eventually stored once, and nothing else"
        );
    }
}

#[test]
#[cfg_attr(windows, ignore = "stops the daemon with SIGTERM (no such signal)")]
fn acknowledged_notifications_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let log = dir.path().join("daemon.log");
    let port = free_port();
    {
        let store = Store::open(&db).unwrap();
        store.set_setting(INTAKE_PORT, &port.to_string()).unwrap();
        store
            .set_setting(INTAKE_RATE_PER_MINUTE, "1000000")
            .unwrap();
        store
            .set_setting(INTAKE_RATE_TOTAL_PER_MINUTE, "1000000")
            .unwrap();
        let mut store = store;
        store
            .replace_team(
                &Team::from_toml_str(
                    "name = \"T\"\nme = \"me\"\n[[members]]\nname = \"Me\"\n\
                     time_zone = \"UTC\"\nhours = [\"daily 00:00-24:00\"]\n",
                    "t.toml",
                )
                .unwrap(),
            )
            .unwrap();
        store.set_setting(DIGEST_CADENCE, "instant").unwrap();
        let now = chrono::Utc::now();
        store
            .start_focus(now, now + chrono::Duration::hours(1))
            .unwrap();
    }
    let mut daemon = Daemon::start(&db, &log, port);
    let token = Token::load(&Token::path_for(&db)).unwrap().unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let run = Arc::new(Mutex::new(CrashRun::default()));
    let client = {
        let (done, run) = (done.clone(), run.clone());
        std::thread::spawn(move || {
            let client = IntakeClient::new(port, Some(token));
            let mut n = 0;
            while !done.load(Ordering::SeqCst) {
                let key = format!("crash-{n}");
                run.lock().unwrap().sent.push(key.clone());
                // Until acknowledged, the same key again: the daemon may have stored it before dying.
                loop {
                    let body = format!(
                        r#"{{"source": "crash", "title": "n{n}", "idempotency_key": "{key}"}}"#
                    );
                    match client.post(body.as_bytes()) {
                        Ok(Posted::Accepted(a)) => {
                            run.lock().unwrap().acknowledged.push((key.clone(), a.id));
                            break;
                        }
                        Ok(refused @ Posted::Refused { .. }) => panic!("refused: {refused:?}"),
                        Err(_) => {
                            run.lock().unwrap().unacknowledged_attempts += 1;
                            std::thread::sleep(Duration::from_millis(2));
                        }
                    }
                }
                n += 1;
            }
        })
    };

    let mut rng = fastrand::Rng::with_seed(0x0ba7_0c4a);
    for _ in 0..KILLS {
        std::thread::sleep(Duration::from_millis(rng.u64(100..900)));
        daemon.kill_9();
        daemon = Daemon::start(&db, &log, port);
    }
    done.store(true, Ordering::SeqCst);
    client.join().unwrap();
    let focus_stopped = chrono::Utc::now();
    Store::open(&db).unwrap().stop_focus(focus_stopped).unwrap();
    run.lock().unwrap().check_delivered_once(&db, focus_stopped);
    daemon.stop();

    let run = run.lock().unwrap();
    eprintln!(
        "{KILLS} kills: {} keys sent, {} acknowledgements, {} failed attempts retried",
        run.sent.len(),
        run.acknowledged.len(),
        run.unacknowledged_attempts
    );
    assert!(
        run.acknowledged.len() > KILLS,
        "the client got acknowledgements between kills"
    );
    run.check_stored_once(&db);
}
