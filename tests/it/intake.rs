//! The intake API over real HTTP: a server bound on port 0 on a temporary database, spoken to with raw
//! HTTP/1.1 so every header (Host, Origin, Content-Type, chunked bodies) is exactly what the test says;
//! and `baton notify` / `baton daemon` as a user runs them.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use assert_cmd::Command;
use baton::notify::intake::{self, IntakeConfig, IntakeError, Stopped, Token};
use baton::notify::notification::DeliveredAs;
use baton::notify::runner::{RunnerLock, DESKTOP_APP};
use baton::store::settings::INTAKE_PORT;
use baton::store::{NotificationFilter, Store};
use serde_json::Value;
use tokio::sync::Notify;

/// A running intake server on its own runtime thread; stopped (gracefully) when dropped.
pub struct TestIntake {
    _dir: tempfile::TempDir,
    pub db: PathBuf,
    pub port: u16,
    pub token: Token,
    pub v6: bool,
    pub accepted: Arc<Notify>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<Result<Stopped, IntakeError>>>,
}

impl TestIntake {
    pub fn start(rate_per_minute: u32) -> TestIntake {
        TestIntake::start_with(|config| config.rate_per_minute = rate_per_minute)
    }

    /// A server on port 0 with the default configuration as `configure` changes it.
    pub fn start_with(configure: impl FnOnce(&mut IntakeConfig)) -> TestIntake {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        let token = Token::load_or_create(&Token::path_for(&db)).unwrap();
        let mut config = IntakeConfig::new(0, token.clone());
        configure(&mut config);
        let accepted = Arc::new(Notify::new());
        let (bound, bound_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (server_db, server_accepted) = (db.clone(), accepted.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listening = intake::bind(config).await?;
                bound
                    .send((listening.port(), listening.addrs().len() == 2))
                    .unwrap();
                listening
                    .serve(&server_db, server_accepted, async {
                        let _ = stop_rx.await;
                    })
                    .await
            })
        });
        let (port, v6) = bound_rx.recv().expect("the server binds");
        TestIntake {
            _dir: dir,
            db,
            port,
            token,
            v6,
            accepted,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn bearer(&self) -> String {
        format!("Authorization: Bearer {}\r\n", self.token.as_str())
    }

    /// A POST of `body` as JSON with the right token and Host.
    pub fn post(&self, body: &str) -> Reply {
        send(
            self.port,
            &format!(
                "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                self.port,
                self.bearer(),
                body.len()
            ),
        )
    }

    pub fn get(&self, path: &str) -> Reply {
        send(
            self.port,
            &format!(
                "GET {path} HTTP/1.1\r\nHost: localhost:{}\r\n{}\r\n",
                self.port,
                self.bearer()
            ),
        )
    }

    pub fn rows(&self) -> Vec<baton::store::StoredNotification> {
        Store::open(&self.db)
            .unwrap()
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap()
    }
}

impl Drop for TestIntake {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let result = thread.join();
            if !std::thread::panicking() {
                result.unwrap().unwrap();
            }
        }
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The fields the error names, in order.
    pub fn fields(&self) -> Vec<String> {
        self.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap().to_string())
            .collect()
    }
}

/// Sends one raw request on a new connection (closed after the answer) and reads the answer.
pub fn send(port: u16, request: &str) -> Reply {
    send_to(&format!("127.0.0.1:{port}"), request.as_bytes())
}

pub fn send_to(addr: &str, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    // Ask the server to close after answering, so reading to the end reads exactly one answer.
    let text = String::from_utf8_lossy(request);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let request = format!("{head}\r\nConnection: close\r\n\r\n{body}");
    // A server that refuses early may close before taking the whole body.
    let _ = stream.write_all(request.as_bytes());
    let mut raw = Vec::new();
    // The server may close before reading an over-long body; the answer is still there to read.
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {raw:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

#[test]
fn accepted_notifications_are_stored_before_the_202() {
    let server = TestIntake::start(60);
    let reply = server.post(
        r#"{"source": "ci", "title": "Build failed", "urgency": "high", "group": "build-142",
            "sender": "jenkins", "body": "3 tests failed", "url": "https://ci.example/142"}"#,
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    let id = reply.json()["id"].as_i64().unwrap();
    assert_eq!(reply.json()["duplicate"], false);
    // The answer came after the commit, so a fresh connection sees the row.
    let rows = server.rows();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (
            row.id,
            row.source.as_str(),
            row.title.as_str(),
            row.group.as_deref(),
            row.state.as_str()
        ),
        (id, "ci", "Build failed", Some("build-142"), "held")
    );
    // The delivery scheduler's wake-up is pending.
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(server.accepted.notified());
}

#[test]
fn listing_filters_by_state() {
    let server = TestIntake::start(60);
    let ids: Vec<i64> = (0..3)
        .map(|i| {
            server
                .post(&format!(r#"{{"source": "ci", "title": "n{i}"}}"#))
                .json()["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    Store::open(&server.db)
        .unwrap()
        .mark_delivered(&ids[..1], chrono::Utc::now(), DeliveredAs::Digest)
        .unwrap();
    let ids_in = |path: &str| -> Vec<(i64, String)> {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["id"].as_i64().unwrap(),
                    n["state"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        ids_in("/v1/notifications?state=held"),
        vec![(ids[2], "held".into()), (ids[1], "held".into())]
    );
    assert_eq!(
        ids_in("/v1/notifications?state=delivered"),
        vec![(ids[0], "delivered".into())]
    );
    assert_eq!(ids_in("/v1/notifications?state=all&limit=2").len(), 2);
    assert_eq!(ids_in("/v1/notifications").len(), 3);
    let bad = server.get("/v1/notifications?state=open&colour=red");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.fields(), vec!["state", "colour"]);
}

#[test]
fn listing_pages_newest_first_with_a_cursor_to_the_next_page() {
    let server = TestIntake::start(60);
    let n = |i: usize| baton::notify::notification::NewNotification {
        source: "ci".into(),
        group: None,
        sender: None,
        title: format!("n{i}"),
        body: None,
        urgency: baton::notify::notification::Urgency::Normal,
        url: None,
        idempotency_key: None,
    };
    let batch: Vec<_> = (0..150).map(n).collect();
    let mut ids: Vec<i64> = Store::open(&server.db)
        .unwrap()
        .accept_notifications(&batch, chrono::Utc::now())
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    ids.reverse();
    let page = |path: &str| -> (Vec<i64>, Value, Value) {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{}", reply.body);
        let json = reply.json();
        let got = json["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_i64().unwrap())
            .collect();
        (got, json["next_after"].clone(), json["next"].clone())
    };
    let (first, next_after, next) = page("/v1/notifications");
    assert_eq!(first, ids[..100], "a default page is the newest 100");
    assert_eq!(next_after, ids[99]);
    assert_eq!(
        next,
        format!("/v1/notifications?state=all&limit=100&after={}", ids[99]).as_str()
    );
    // A script follows `next` until it is null, and sees every row once, newest first.
    let mut seen = Vec::new();
    let mut path = "/v1/notifications?limit=40".to_string();
    loop {
        let (got, _, next) = page(&path);
        seen.extend(got);
        match next.as_str() {
            Some(p) => path = p.to_string(),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    let (last, next_after, next) = page(&format!("/v1/notifications?after={}", ids[120]));
    assert_eq!(last, ids[121..], "ids below the cursor");
    assert_eq!(
        (next_after, next),
        (Value::Null, Value::Null),
        "the last page says so"
    );
    let (held, _, next) = page("/v1/notifications?state=held&limit=149");
    assert_eq!(held.len(), 149);
    assert!(next
        .as_str()
        .unwrap()
        .starts_with("/v1/notifications?state=held&limit=149&after="));
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("after=0", "after"),
        ("after=-3", "after"),
        ("after=abc", "after"),
        ("after=", "after"),
    ] {
        let bad = server.get(&format!("/v1/notifications?{query}"));
        assert_eq!(bad.status, 400, "{query}: {}", bad.body);
        assert_eq!(bad.fields(), vec![field], "{query}");
    }
}

#[test]
fn the_token_is_required_except_for_health() {
    let server = TestIntake::start(60);
    let body = r#"{"source": "ci", "title": "t"}"#;
    let without = send(
        server.port,
        &format!(
            "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(without.status, 401);
    assert_eq!(without.header("www-authenticate"), Some("Bearer"));
    assert_eq!(without.json()["code"], "unauthorized");
    let wrong_token = "0".repeat(64);
    let wrong = send(
        server.port,
        &format!(
            "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {wrong_token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(wrong.status, 401);
    let list = send(
        server.port,
        "GET /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    );
    assert_eq!(list.status, 401, "listing needs the token too");
    let health = send(
        server.port,
        "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["service"], intake::SERVICE);
    assert!(server.rows().is_empty());
}

#[test]
fn a_regenerated_token_applies_at_once_and_the_old_one_is_refused() {
    let server = TestIntake::start(60);
    let post_with = |token: &str| {
        let body = r#"{"source": "ci", "title": "Deploy done"}"#;
        send(
            server.port,
            &format!(
                "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                server.port,
                body.len()
            ),
        )
    };
    let old = server.token.as_str().to_string();
    assert_eq!(post_with(&old).status, 202, "the first token works");

    // What the settings view's Regenerate does, from another process's point of view: only the file
    // changes, and the server is not told.
    let store = Store::open(&server.db).unwrap();
    let new = baton::desktop::actions::regenerate_token(&store, &server.db)
        .unwrap()
        .token;
    assert_ne!(new, old);

    let refused = post_with(&old);
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert_eq!(refused.json()["code"], "unauthorized");
    let accepted = post_with(&new);
    assert_eq!(accepted.status, 202, "{}", accepted.body);
    assert_eq!(
        server.rows().len(),
        2,
        "only the two accepted posts are stored"
    );
}

#[test]
fn web_origins_and_foreign_hosts_are_forbidden_before_the_token_is_checked() {
    let server = TestIntake::start(60);
    let body = r#"{"source": "ci", "title": "t"}"#;
    let request = |extra: &str, host: &str| {
        send(
            server.port,
            &format!(
                "POST /v1/notifications HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ),
        )
    };
    let bearer = server.bearer();
    let origin = request(
        &format!("{bearer}Origin: http://localhost:3000\r\n"),
        "localhost",
    );
    assert_eq!(origin.status, 403, "even with the right token");
    assert_eq!(origin.json()["code"], "forbidden");
    assert_eq!(
        request("Origin: https://evil.example\r\n", "localhost").status,
        403,
        "an Origin is refused before the missing token"
    );
    let rebinding = request(&bearer, &format!("evil.example:{}", server.port));
    assert_eq!(rebinding.status, 403, "a DNS-rebinding Host is refused");
    assert_eq!(request("", "attacker.example").status, 403);
    assert_eq!(
        request(&bearer, &format!("[::1]:{}", server.port)).status,
        202
    );
    assert_eq!(server.rows().len(), 1);
}

#[test]
fn only_json_is_accepted() {
    let server = TestIntake::start(60);
    for content_type in [
        "Content-Type: text/plain\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\n",
        "",
    ] {
        let body = r#"{"source": "ci", "title": "t"}"#;
        let reply = send(
            server.port,
            &format!(
                "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n{}{content_type}Content-Length: {}\r\n\r\n{body}",
                server.bearer(),
                body.len()
            ),
        );
        assert_eq!(reply.status, 415, "{content_type:?}");
        assert_eq!(reply.json()["code"], "unsupported_media_type");
    }
    let with_charset = send(
        server.port,
        &format!(
            "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Type: Application/JSON; charset=utf-8\r\nContent-Length: 30\r\n\r\n{{\"source\": \"ci\", \"title\": \"t\"}}",
            server.bearer()
        ),
    );
    assert_eq!(with_charset.status, 202, "{}", with_charset.body);
    assert_eq!(server.rows().len(), 1);
}

#[test]
fn bodies_over_64_kib_are_refused() {
    let server = TestIntake::start(60);
    let big = format!(
        r#"{{"source": "ci", "title": "t", "body": "{}"}}"#,
        "x".repeat(70 * 1024)
    );
    let declared = server.post(&big);
    assert_eq!(declared.status, 413);
    assert_eq!(declared.json()["code"], "too_large");
    // Without a Content-Length (chunked), the limit applies while reading.
    let chunked = send(
        server.port,
        &format!(
            "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
            server.bearer(),
            big.len()
        ),
    );
    assert_eq!(chunked.status, 413);
    assert!(server.rows().is_empty());
}

#[test]
fn bad_fields_are_named() {
    let server = TestIntake::start(60);
    let empty_title = server.post(r#"{"source": "ci", "title": "  "}"#);
    assert_eq!(empty_title.status, 400);
    assert_eq!(empty_title.json()["code"], "invalid");
    assert_eq!(empty_title.fields(), vec!["title"]);
    let urgency = server.post(r#"{"source": "ci", "title": "t", "urgency": "urgent"}"#);
    assert_eq!(urgency.status, 400);
    assert_eq!(urgency.fields(), vec!["urgency"]);
    assert!(
        urgency.json()["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("low, normal, high or critical"),
        "the message says what is valid"
    );
    let unknown = server.post(r#"{"source": "ci", "title": "t", "priority": 1}"#);
    assert_eq!(unknown.fields(), vec!["priority"]);
    let malformed = server.post("{\"source\": \"ci\",\n \"title\": }");
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.json()["code"], "malformed");
    let message = malformed.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("line 2, column"), "{message}");
    assert!(server.rows().is_empty());
}

#[test]
fn a_repeated_field_is_refused_naming_it() {
    let server = TestIntake::start(60);
    let reply = server.post(r#"{"source": "ci", "title": "a", "title": "b"}"#);
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.json()["code"], "invalid");
    assert_eq!(reply.fields(), vec!["title"]);
    assert!(server.rows().is_empty(), "neither title is stored");
}

#[test]
fn a_body_holding_a_nul_is_refused_with_400_naming_body() {
    let server = TestIntake::start(60);
    // Valid JSON, but no D-Bus string can carry it: stored, it would block delivery (issue 9).
    let reply =
        server.post(r#"{"source": "ci", "title": "t", "urgency": "critical", "body": "a\u0000b"}"#);
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.json()["code"], "invalid");
    assert_eq!(reply.fields(), vec!["body"]);
    let bidi = server.post("{\"source\": \"c\u{202E}i\", \"title\": \"t\"}");
    assert_eq!(bidi.status, 400, "{}", bidi.body);
    assert_eq!(bidi.fields(), vec!["source"]);
    assert!(server.rows().is_empty(), "nothing is stored");
}

#[test]
fn a_source_over_its_rate_gets_429_with_retry_after() {
    let server = TestIntake::start(2);
    let post = |source: &str| server.post(&format!(r#"{{"source": "{source}", "title": "t"}}"#));
    assert_eq!(post("ci").status, 202);
    assert_eq!(post("ci").status, 202);
    let limited = post("ci");
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json()["code"], "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!(
        (1..=30).contains(&retry),
        "2 a minute frees a slot within 30 s, said {retry}"
    );
    assert_eq!(post("backup").status, 202, "each source has its own rate");
    assert_eq!(server.rows().len(), 3);
}

#[test]
fn a_repeated_idempotency_key_returns_the_first_id() {
    let server = TestIntake::start(60);
    let body =
        r#"{"source": "ci", "title": "Build failed", "idempotency_key": "build-142-failed"}"#;
    let first = server.post(body).json();
    let second = server.post(body).json();
    assert_eq!(first["duplicate"], false);
    assert_eq!(second["duplicate"], true);
    assert_eq!(first["id"], second["id"]);
    assert_eq!(server.rows().len(), 1);
}

#[test]
fn an_idempotency_key_is_scoped_to_its_source() {
    let server = TestIntake::start(60);
    let post = |source: &str| {
        server
            .post(&format!(
                r#"{{"source": "{source}", "title": "from {source}", "idempotency_key": "deploy-1"}}"#
            ))
            .json()
    };
    let ci = post("ci");
    let mail = post("mail");
    assert_eq!(
        mail["duplicate"], false,
        "another source's key does not swallow the item"
    );
    assert_ne!(
        mail["id"], ci["id"],
        "and it is not answered with a foreign id"
    );
    let again = post("mail");
    assert_eq!(
        (again["id"].clone(), again["duplicate"].clone()),
        (mail["id"].clone(), true.into())
    );
    let mut titles: Vec<String> = server.rows().into_iter().map(|r| r.title).collect();
    titles.sort();
    assert_eq!(titles, vec!["from ci", "from mail"]);
}

#[test]
fn both_loopback_addresses_answer() {
    let server = TestIntake::start(60);
    if !server.v6 {
        // No IPv6 loopback on this machine: the server carried on with 127.0.0.1 alone.
        return;
    }
    let body = r#"{"source": "ci", "title": "over v6"}"#;
    let reply = send_to(
        &format!("[::1]:{}", server.port),
        format!(
            "POST /v1/notifications HTTP/1.1\r\nHost: [::1]:{}\r\n{}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            server.port,
            server.bearer(),
            body.len()
        )
        .as_bytes(),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
}

pub fn baton(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("baton").unwrap();
    cmd.env_remove("BATON_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_TIME")
        .env("LANG", "C.UTF-8")
        .arg("--db")
        .arg(db);
    cmd
}

/// `baton notify --source ci` and then `fields` (the title and any others) for the database at `db`.
pub fn notify_from_ci(db: &Path, fields: &[&str]) -> Command {
    let mut cmd = baton(db);
    cmd.args(["notify", "--source", "ci"]).args(fields);
    cmd
}

/// What `baton intake info --json` says for the database at `db`.
pub fn intake_info(db: &Path) -> Value {
    let out = baton(db)
        .args(["intake", "info", "--json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn notify_posts_to_the_running_intake() {
    let server = TestIntake::start(1);
    Store::open(&server.db)
        .unwrap()
        .set_setting(INTAKE_PORT, &server.port.to_string())
        .unwrap();
    let out = baton(&server.db)
        .args(["notify", "--source", "ci", "--title", "Build failed"])
        .args(["--urgency", "critical", "--group", "build-142"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = server.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "queued id {} with the running Baton at http://127.0.0.1:{}/v1/notifications\n\
             Critical: shown to you now, at any hour and in focus.\n",
            rows[0].id, server.port
        ),
        "the second line is the policy's decision, from the running Baton's answer"
    );
    let limited = baton(&server.db)
        .args(["notify", "--source", "ci", "--title", "again"])
        .output()
        .unwrap();
    assert_eq!(
        limited.status.code(),
        Some(3),
        "a rate-limited notification exits 3"
    );
    assert!(String::from_utf8_lossy(&limited.stderr).contains("retry in"));
    assert_eq!(server.rows().len(), 1);
}

#[test]
fn notify_stores_directly_when_nothing_listens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    // A token exists (Baton ran here before), so notify really tries the port and is refused.
    Token::load_or_create(&Token::path_for(&db)).unwrap();
    baton(&db)
        .args(["settings", "set", INTAKE_PORT, &free_port().to_string()])
        .assert()
        .success();
    let out = baton(&db)
        .args(["notify", "--source", "backup", "--title", "Backup done"])
        .args(["--urgency", "critical"])
        .args(["--idempotency-key", "backup-2026-03-09", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["stored_by"], "database");
    assert_eq!(answer["delivery"], "now");
    assert_eq!(answer["deliver_at"], answer["received_at"]);
    assert_eq!(
        answer["reply_by"], answer["received_at"],
        "critical: due at once"
    );
    let human = baton(&db)
        .args(["notify", "--source", "backup", "--title", "Backup done"])
        .args(["--urgency", "critical"])
        .args(["--idempotency-key", "backup-2026-03-09"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&human.stdout),
        format!(
            "no Baton running: already stored as id {} in {}; it will be delivered when Baton starts\n\
             Critical: shown to you now, at any hour and in focus.\n",
            answer["id"],
            db.display()
        )
    );
    let rows = Store::open(&db).unwrap().held_items().unwrap();
    assert_eq!(rows.len(), 1, "the repeated key stored nothing new");
    assert_eq!(rows[0].title, "Backup done");
}

#[test]
fn notify_refuses_bad_fields_with_exit_2_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let out = notify_from_ci(&db, &["--title", "t", "--urgency", "urgent"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("urgency: unknown urgency \"urgent\""),
        "{stderr}"
    );
    let out = baton(&db)
        .args(["notify", "--source", "ci", "--title", " "])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("title: must not be empty"));
    let stored = Store::open(&db).unwrap().held_items().unwrap();
    assert!(stored.is_empty());
}

#[test]
fn the_daemon_refuses_to_run_beside_the_desktop_app() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let _app = RunnerLock::acquire(&db, DESKTOP_APP).unwrap();
    let out = baton(&db).arg("daemon").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = format!(
        "the Baton desktop app (pid {}) is already running on {}",
        std::process::id(),
        db.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn inbox_groups_and_intake_info_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    for title in ["lint failed", "tests failed"] {
        notify_from_ci(&db, &["--group", "build-142", "--title", title])
            .assert()
            .success();
    }
    let inbox: Value = serde_json::from_slice(
        &baton(&db)
            .args(["inbox", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let entries = inbox["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            &entries[0]["count"],
            &entries[0]["title"],
            &entries[0]["overdue"]
        ),
        (
            &Value::from(2),
            &Value::from("tests failed"),
            &Value::from(false)
        ),
        "with no team all time is working time, so a normal item is due 24 hours on"
    );
    assert!(entries[0]["reply_by"].is_string());
    baton(&db)
        .args(["settings", "set", INTAKE_PORT, &free_port().to_string()])
        .assert()
        .success();
    let info = intake_info(&db);
    assert_eq!(info["listening"], "no");
    assert_eq!(
        info["token_exists"], false,
        "notify never creates the token"
    );
    assert_eq!(
        info["token_file"],
        dir.path().join("intake-token").display().to_string()
    );
}
