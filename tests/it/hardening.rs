//! The intake against a hostile local user: a program squatting on Baton's port, clients that open
//! connections and stall, a flood of made-up source names, and bodies that say one thing twice.
//!
//! Every wait here has a generous bound so that a broken server fails the test instead of hanging it;
//! no test asserts how long anything took.
#![allow(clippy::unwrap_used)]

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baton::notify::intake::client::{Health, IntakeClient};
use baton::notify::intake::{self, proof, IntakeConfig, IntakeError, Token};
use baton::store::settings::INTAKE_PORT;
use baton::store::Store;

use crate::intake::{baton, free_port, intake_info, notify_from_ci, send, TestIntake};

/// How long a test waits for something that must happen before it gives up (never asserted on).
const HANG_GUARD: Duration = Duration::from_secs(60);

/// A program on Baton's port that says it is Baton (`"service": "baton-intake"`, a made-up proof,
/// 202 to every POST) and keeps everything it is sent.
struct Squatter {
    port: u16,
    received: Arc<Mutex<Vec<u8>>>,
}

impl Squatter {
    fn start() -> Squatter {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        // Runs until the test binary exits; each connection gets one answer, then is closed.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    request.extend_from_slice(&buf[..n]);
                    if complete(&request) {
                        break;
                    }
                }
                log.lock().unwrap().extend_from_slice(&request);
                let body = if request.starts_with(b"GET") {
                    format!(
                        r#"{{"status":"ok","service":"{}","proof":"{}"}}"#,
                        intake::SERVICE,
                        "ab".repeat(32)
                    )
                } else {
                    r#"{"id":1,"duplicate":false}"#.to_string()
                };
                let status = if request.starts_with(b"GET") {
                    "200 OK"
                } else {
                    "202 Accepted"
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Squatter { port, received }
    }

    fn received(&self) -> String {
        String::from_utf8_lossy(&self.received.lock().unwrap()).into_owned()
    }
}

/// Whether `request` holds a whole HTTP request (head, and as much body as it declares).
fn complete(request: &[u8]) -> bool {
    let text = String::from_utf8_lossy(request);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    body.len() >= length
}

/// A database that a Baton served before (its token exists), set to `port`.
fn database_on(dir: &Path, port: u16) -> (std::path::PathBuf, Token) {
    let db = dir.join("baton.db");
    let token = Token::load_or_create(&Token::path_for(&db)).unwrap();
    Store::open(&db)
        .unwrap()
        .set_setting(INTAKE_PORT, &port.to_string())
        .unwrap();
    (db, token)
}

#[test]
fn notify_sends_a_squatter_neither_the_token_nor_the_notification() {
    let squatter = Squatter::start();
    let dir = tempfile::tempdir().unwrap();
    let (db, token) = database_on(dir.path(), squatter.port);
    let out = notify_from_ci(&db, &["--title", "Quarterly numbers leak"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    let received = squatter.received();
    assert!(
        received.contains("GET /v1/health?challenge="),
        "the squatter was asked to prove itself: {received:?}"
    );
    assert!(
        !received.contains(token.as_str()),
        "the token went to the squatter: {received:?}"
    );
    assert!(
        !received.contains("Quarterly") && !received.contains("POST"),
        "the notification went to the squatter: {received:?}"
    );
    assert!(
        stderr.contains(&format!(
            "another program, not the Baton of this database, is listening on 127.0.0.1:{}",
            squatter.port
        )),
        "{stderr}"
    );
    let rows = Store::open(&db).unwrap().held_items().unwrap();
    assert_eq!(rows.len(), 1, "stored in the database instead");
    assert_eq!(rows[0].title, "Quarterly numbers leak");
    let (first, decision) = stdout.split_once('\n').unwrap();
    assert_eq!(
        first,
        format!(
            "127.0.0.1:{} is held by another program, not Baton: stored id {} in {}; it will be \
             delivered when Baton starts",
            squatter.port,
            rows[0].id,
            db.display()
        )
    );
    // No team here: all time counts as working, so it waits for the next digest of the cadence.
    assert!(
        decision.starts_with("You are working; it goes in the next digest, "),
        "{decision}"
    );
}

#[test]
fn intake_info_says_the_port_is_taken_by_something_that_is_not_baton() {
    let squatter = Squatter::start();
    let dir = tempfile::tempdir().unwrap();
    let (db, token) = database_on(dir.path(), squatter.port);
    let info = intake_info(&db);
    assert_eq!(info["listening"], "other", "{info}");
    let text = baton(&db).args(["intake", "info"]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Listening:  no: the port is taken by another program, not the Baton"),
        "{text}"
    );
    assert!(!squatter.received().contains(token.as_str()));
}

#[test]
fn the_health_check_proves_the_current_token() {
    let server = TestIntake::start(60);
    let addr = format!("127.0.0.1:{}", server.port);
    let challenge = proof::challenge().unwrap();
    let reply = send(
        server.port,
        &format!("GET /v1/health?challenge={challenge} HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answer = reply.json()["proof"].as_str().unwrap().to_string();
    assert!(proof::verify(&server.token, &addr, &challenge, &answer));
    let client = IntakeClient::new(server.port, Some(server.token.clone()));
    assert_eq!(client.health().unwrap(), Health::Baton);
    let stranger = IntakeClient::new(server.port, Some(Token::generate().unwrap()));
    assert_eq!(
        stranger.health().unwrap(),
        Health::Other,
        "a client with another token cannot take this server for its Baton"
    );

    // The running intake follows the token file.
    let store = Store::open(&server.db).unwrap();
    let new = baton::desktop::actions::regenerate_token(&store, &server.db)
        .unwrap()
        .token;
    let fresh = IntakeClient::new(
        server.port,
        Token::load(&Token::path_for(&server.db)).unwrap(),
    );
    assert_eq!(
        fresh.health().unwrap(),
        Health::Baton,
        "proved with {new:.8}…"
    );
    assert_eq!(
        client.health().unwrap(),
        Health::Other,
        "the old token proves nothing"
    );

    let bad = send(
        server.port,
        &format!("GET /v1/health?challenge=xyz HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.fields(), vec!["challenge"]);
}

/// Whether this machine has IPv6 loopback.
fn has_v6() -> bool {
    TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
}

#[test]
fn the_runner_refuses_to_start_beside_a_program_on_either_address() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let token = Token::generate().unwrap();
    let mut taken: Vec<SocketAddr> = vec![SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()))];
    if has_v6() {
        taken.push(SocketAddr::from((Ipv6Addr::LOCALHOST, free_port())));
    } else {
        eprintln!("no IPv6 loopback here: only 127.0.0.1 is checked");
    }
    for addr in taken {
        let _squatter = TcpListener::bind(addr).unwrap();
        let result = runtime.block_on(intake::bind(IntakeConfig::new(addr.port(), token.clone())));
        match result {
            Err(IntakeError::PortTaken { addr: named, port }) => {
                assert_eq!((named, port), (addr.to_string(), addr.port()));
            }
            other => panic!("{addr} is taken, yet bind gave {other:?}"),
        }

        let dir = tempfile::tempdir().unwrap();
        let (db, _) = database_on(dir.path(), addr.port());
        let out = baton(&db)
            .arg("daemon")
            .timeout(HANG_GUARD)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "the daemon refuses to start");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "cannot listen on {addr}: another program already listens there"
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains("baton settings set intake_port"),
            "{stderr}"
        );
    }
}

/// A server whose every time limit is `limit`, with at most `max_connections` connections.
fn strict(limit: Duration, max_connections: usize) -> TestIntake {
    TestIntake::start_with(|config| {
        config.limits.header_timeout = limit;
        config.limits.body_timeout = limit;
        config.limits.idle_timeout = limit;
        config.limits.max_connections = max_connections;
    })
}

/// A connection that has sent `bytes` and then nothing.
fn stalled(port: u16, bytes: &str) -> TcpStream {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
    stream.write_all(bytes.as_bytes()).unwrap();
    stream
}

/// Reads until the server closes the connection and returns what it sent; fails if it does not
/// close within the hang guard.
fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!(
                "the server did not close the connection ({e}); it sent {:?}",
                String::from_utf8_lossy(&got)
            ),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn a_stalled_request_head_is_closed() {
    let server = strict(Duration::from_millis(500), 256);
    let mut half_line = stalled(server.port, "POST /v1/notif");
    assert_eq!(read_until_closed(&mut half_line), "");
    let mut half_head = stalled(
        server.port,
        "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    );
    assert_eq!(read_until_closed(&mut half_head), "");
    let mut silent = stalled(server.port, "");
    assert_eq!(read_until_closed(&mut silent), "");
}

#[test]
fn a_body_shorter_than_its_content_length_gets_408_and_is_closed() {
    let server = strict(Duration::from_millis(500), 256);
    let mut short = stalled(
        server.port,
        &format!(
            "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"source\":",
            server.bearer()
        ),
    );
    let answer = read_until_closed(&mut short);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(answer.contains(r#""code":"timeout""#), "{answer:?}");
    assert!(server.rows().is_empty());
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let server = strict(Duration::from_millis(500), 256);
    let mut idle = stalled(
        server.port,
        "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    );
    let answer = read_until_closed(&mut idle);
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "answered, then closed once idle: {answer:?}"
    );
}

#[test]
fn at_the_cap_a_request_waits_for_a_stalled_connection_to_time_out() {
    let server = strict(Duration::from_millis(500), 2);
    let mut first = stalled(server.port, "POST /v1/notif");
    let mut second = stalled(server.port, "POST /v1/notif");
    let reply = send(
        server.port,
        "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    );
    assert_eq!(reply.status, 200, "the legitimate request is answered");
    // It was answered only once a slot was free: one of the stalled connections is closed already.
    let closed_now = |stream: &mut TcpStream| {
        stream.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 16];
        let closed = match stream.read(&mut buf) {
            Ok(0) => true,
            Err(e) => e.kind() == ErrorKind::ConnectionReset,
            Ok(_) => false,
        };
        stream.set_nonblocking(false).unwrap();
        closed
    };
    assert!(
        closed_now(&mut first) || closed_now(&mut second),
        "the third connection was served while two stalled ones held both slots"
    );
    assert_eq!(read_until_closed(&mut first), "");
    assert_eq!(read_until_closed(&mut second), "");
}

#[test]
#[cfg_attr(windows, ignore = "stops the daemon with SIGTERM (no such signal)")]
fn the_daemon_stops_on_sigterm_with_a_stalled_client_connected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let port = free_port();
    Store::open(&db)
        .unwrap()
        .set_setting(INTAKE_PORT, &port.to_string())
        .unwrap();
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_baton"))
        .env_remove("BATON_DB")
        .env("BATON_NOTIFIER_LOG", dir.path().join("shown.jsonl"))
        .arg("--db")
        .arg(&db)
        .arg("daemon")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let since = Instant::now();
    let proven = || {
        let token = Token::load(&Token::path_for(&db)).ok().flatten();
        token.is_some() && IntakeClient::new(port, token).health().ok() == Some(Health::Baton)
    };
    while !proven() {
        assert!(since.elapsed() < HANG_GUARD, "the daemon never answered");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Half a request head: the server holds the connection as a request in progress.
    let _stalled = stalled(
        port,
        "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    );
    // Answered after the stalled connection was accepted (one queue, in order); then give the server
    // a moment to read what it sent.
    assert_eq!(
        send(port, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status,
        200
    );
    std::thread::sleep(Duration::from_millis(200));
    let killed = Command::new("kill")
        .arg("-TERM")
        .arg(daemon.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let since = Instant::now();
    let status = loop {
        if let Some(status) = daemon.try_wait().unwrap() {
            break status;
        }
        if since.elapsed() > HANG_GUARD {
            daemon.kill().unwrap();
            panic!("the daemon did not stop after SIGTERM with a stalled client connected");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut log = String::new();
    daemon
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(status.success(), "{status}: {log}");
    assert!(
        log.contains("every accepted notification is stored"),
        "{log}"
    );
}

#[test]
fn new_source_names_do_not_escape_the_overall_rate() {
    let server = TestIntake::start_with(|config| {
        config.rate_per_minute = 60;
        config.rate_total_per_minute = 3;
    });
    for i in 0..3 {
        let reply = server.post(&format!(r#"{{"source": "s{i}", "title": "t"}}"#));
        assert_eq!(reply.status, 202, "{}", reply.body);
    }
    let limited = server.post(r#"{"source": "s3", "title": "t"}"#);
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert_eq!(limited.json()["code"], "rate_limited");
    let message = limited.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("overall rate") && message.contains("intake_rate_total_per_minute"),
        "says which limit: {message}"
    );
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!(
        (1..=20).contains(&retry),
        "3 a minute frees a slot within 20 s, said {retry}"
    );
    assert_eq!(server.rows().len(), 3);
}
