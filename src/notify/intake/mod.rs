//! The notification intake: a small HTTP API on the loopback interface through which scripts, CI jobs
//! and other tools hand notifications to Baton, which holds them until its delivery policy lets them
//! through.
//!
//! `POST /v1/notifications` answers `202 {"id": N, "duplicate": bool}` only once the notification is
//! committed to SQLite, so an id a sender holds is never lost, even if Baton is killed the next moment.
//! Commits are grouped (see [`commit`]): one writer thread stores everything waiting in one transaction.
//! The database runs in WAL mode with `synchronous=FULL` (the store's one opener sets it): each commit
//! fsyncs the WAL, so an acknowledged notification survives a power cut as well as a killed process.
//! `NORMAL` would already survive `kill -9` (a commit is in the OS's page cache once `write` returns),
//! but grouping makes the fsync cheap enough to keep the stronger guarantee.
//!
//! The same listener speaks the publishing forms of tools nobody here wrote (see [`compat`]): ntfy's
//! (`POST`/`PUT /{topic}`, `POST /`), Gotify's (`POST /message`) and the Alertmanager and Grafana
//! webhooks (`/v1/webhooks/...`). Every accepted item's answer, on every path, carries the policy's
//! decision for it (see [`answer`]).
//!
//! Every request passes the same checks, in this order: an `Origin` header (a web page) is refused
//! with 403; a `Host` that is not a loopback name (DNS rebinding) with 403; a missing or wrong token
//! with 401 (compared in constant time): `Authorization: Bearer`, or Basic with the token as the
//! password; on the ntfy paths also ntfy's `auth` query parameter, on Gotify's also `X-Gotify-Key` or
//! `?token=`, on the calendar feed `?token=`. Then a POST must be `application/json` (415), at most
//! [`submission::MAX_BODY_BYTES`] (413), a valid notification (400, naming each bad field), and within
//! its source's rate and the overall rate of all sources (429 with `Retry-After`, saying which; a
//! retry with the same idempotency key counts like any other request, since it is a request the sender
//! made). `GET /v1/notifications?state=held|delivered|done|failed|all` lists stored notifications a
//! page at a time, newest first (see [`MAX_LIST_LIMIT`]); `GET /v1/health` answers without a token,
//! and with `?challenge=HEX` proves that it holds the token (see [`proof`]), so a client can tell
//! Baton from a program squatting on its port before it sends the token.
//!
//! The server listens on 127.0.0.1 and on ::1 (when the machine has IPv6 loopback) at the port from the
//! `intake_port` setting, and refuses to start when either address is taken by another program, which
//! would otherwise answer clients in Baton's name. Its connections have time limits and a cap (see
//! [`conn`]). After each commit it pings an [`Notify`] so the delivery scheduler wakes.

mod answer;
pub mod client;
mod commit;
pub mod compat;
mod conn;
pub mod proof;
mod rate;
pub mod submission;
mod token;

use std::future::Future;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::extract::Path as UrlPath;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use thiserror::Error;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify, Semaphore};

pub use answer::{CompatSettings, PolicyCache, Receipt};
pub use commit::{CommitQueue, MAX_BATCH};
pub use conn::ConnectionLimits;
pub use rate::{Limit, Limited, RateLimit};
pub use token::{CurrentToken, Token, TOKEN_FILE};

use crate::error::{ErrorCode, ErrorPayload, FieldProblem};
use crate::notify::policy;
use crate::store::settings::{self, SettingError};
use crate::store::{NotificationFilter, Store, StoreError};

/// Path of the notifications resource.
pub const NOTIFICATIONS_PATH: &str = "/v1/notifications";
/// Path of the health check.
pub const HEALTH_PATH: &str = "/v1/health";
/// My calendar feed (focus, days off, working hours, handoffs), for calendar apps on this machine.
/// They cannot send headers, so the token may also come as the `token` query parameter here.
pub const CALENDAR_PATH: &str = "/v1/calendar.ics";
/// Gotify-compatible publishing (`POST /message`).
pub const GOTIFY_PATH: &str = "/message";
/// Prometheus Alertmanager's webhook.
pub const ALERTMANAGER_PATH: &str = "/v1/webhooks/alertmanager";
/// Grafana alerting's webhook contact point.
pub const GRAFANA_PATH: &str = "/v1/webhooks/grafana";
/// What `GET /v1/health` answers in `service`, so a client can tell Baton from another program.
pub const SERVICE: &str = "baton-intake";
/// Notifications a listing page holds unless `limit` says otherwise.
pub const DEFAULT_LIST_LIMIT: usize = 100;
/// Most notifications one listing page holds: pages, not one answer of every row, keep a listing's
/// JSON bounded (each row came in a request of at most 64 KiB). A page is newest first; its
/// `next_after` (the last id on it, `null` on the last page) passed as `after` fetches the next one,
/// ids below it, and `next` is that request's path.
pub const MAX_LIST_LIMIT: usize = 1000;

/// Why the intake could not start or keep running.
#[derive(Debug, Error)]
pub enum IntakeError {
    /// The token file could not be read or created.
    #[error("token file {path}: {source}")]
    TokenFile {
        /// The token file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The token file does not hold a token.
    #[error("token file {path} does not hold a token (64 hex digits); delete it and a new one is made at the next start")]
    TokenCorrupt {
        /// The token file.
        path: String,
    },
    /// The token file is not one Baton may use (a link, not a regular file, another user's, too large).
    #[error("token file {path} {problem}")]
    TokenRefused {
        /// The token file.
        path: String,
        /// What is wrong with it, and what to do.
        problem: String,
    },
    /// The operating system gave no random bytes for a token.
    #[error("cannot generate a token: {0}")]
    Random(String),
    /// A stored intake setting is not valid.
    #[error(transparent)]
    Setting(#[from] SettingError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another program listens on one of the intake's addresses.
    #[error(
        "cannot listen on {addr}: another program already listens there, and Baton will not run \
         beside it (it would take requests meant for Baton). Find it with `ss -ltnp 'sport = :{port}'` \
         and stop it, or give Baton another port with `baton settings set intake_port PORT`"
    )]
    PortTaken {
        /// The address.
        addr: String,
        /// Its port.
        port: u16,
    },
    /// The port could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The writer thread could not be started or stopped unexpectedly.
    #[error("intake writer: {0}")]
    Writer(String),
}

/// The clock the intake stamps arrivals with and decides at: the system's, or a fixed instant (tests).
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> crate::Instant + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(chrono::Utc::now))
    }

    /// A clock that always reads `at`.
    pub fn fixed(at: crate::Instant) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// The time now.
    pub fn now(&self) -> crate::Instant {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

/// How the intake server runs: its port, the rate limits, the token and its connections' limits.
///
/// The token is the one in force when the server starts; from the first request on, the server follows
/// the token file next to the database (see [`CurrentToken`]), so a regenerated token applies at once.
#[derive(Debug, Clone)]
pub struct IntakeConfig {
    /// Port on the loopback addresses; 0 picks a free one (tests).
    pub port: u16,
    /// Notifications one source may send per minute.
    pub rate_per_minute: u32,
    /// Notifications all sources together may send per minute.
    pub rate_total_per_minute: u32,
    /// The bearer token requests must carry.
    pub token: Token,
    /// Time limits and the cap on connections.
    pub limits: ConnectionLimits,
    /// The clock (the system's but in tests).
    pub clock: Clock,
}

impl IntakeConfig {
    /// A configuration on `port` with `token` and every other field at its default (the settings'
    /// defaults and [`ConnectionLimits::default`]).
    pub fn new(port: u16, token: Token) -> IntakeConfig {
        let default = |key| {
            settings::default_value(key)
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
        };
        IntakeConfig {
            port,
            rate_per_minute: default(settings::INTAKE_RATE_PER_MINUTE),
            rate_total_per_minute: default(settings::INTAKE_RATE_TOTAL_PER_MINUTE),
            token,
            limits: ConnectionLimits::default(),
            clock: Clock::system(),
        }
    }

    /// The configuration for the database at `db`: the port and rate from its settings, and the token
    /// from the file next to it (created on first run).
    pub fn load(store: &Store, db: &Path) -> Result<IntakeConfig, IntakeError> {
        Ok(IntakeConfig {
            port: configured_port(store)?,
            rate_per_minute: settings::number(
                settings::INTAKE_RATE_PER_MINUTE,
                store.setting(settings::INTAKE_RATE_PER_MINUTE)?.as_deref(),
            )?,
            rate_total_per_minute: settings::number(
                settings::INTAKE_RATE_TOTAL_PER_MINUTE,
                store
                    .setting(settings::INTAKE_RATE_TOTAL_PER_MINUTE)?
                    .as_deref(),
            )?,
            token: Token::load_or_create(&Token::path_for(db))?,
            limits: ConnectionLimits::default(),
            clock: Clock::system(),
        })
    }
}

/// The intake port the database's settings ask for.
pub fn configured_port(store: &Store) -> Result<u16, IntakeError> {
    let port = settings::number(
        settings::INTAKE_PORT,
        store.setting(settings::INTAKE_PORT)?.as_deref(),
    )?;
    // The setting's validation keeps it within 1..=65535.
    Ok(u16::try_from(port).unwrap_or(u16::MAX))
}

/// The intake's sockets, bound but not yet serving: [`Listening::addrs`] says where (tests bind port 0
/// and read the port here).
#[derive(Debug)]
pub struct Listening {
    listeners: Vec<TcpListener>,
    addrs: Vec<SocketAddr>,
    skipped: Vec<String>,
    config: IntakeConfig,
}

/// Binds 127.0.0.1 at the configured port, then ::1 at the same port.
///
/// Either address taken by another program is [`IntakeError::PortTaken`]: a client that reaches that
/// program instead of Baton would be answered by it. A machine without IPv6 loopback (::1 not
/// available, or no IPv6 at all) is not an error: the reason is kept in [`Listening::skipped`] and the
/// intake carries on with 127.0.0.1. With port 0 (tests) a port free on both addresses is picked.
pub async fn bind(config: IntakeConfig) -> Result<Listening, IntakeError> {
    // With port 0 the kernel picks a port free on 127.0.0.1, which ::1 may not have free: try again.
    let attempts = if config.port == 0 { 20 } else { 1 };
    let mut last = None;
    for _ in 0..attempts {
        match bind_once(&config).await {
            Err(IntakeError::PortTaken { addr, port })
                if config.port == 0 && addr.starts_with('[') =>
            {
                last = Some(IntakeError::PortTaken { addr, port });
            }
            other => {
                return other.map(|(listeners, addrs, skipped)| Listening {
                    listeners,
                    addrs,
                    skipped,
                    config,
                })
            }
        }
    }
    Err(last.unwrap_or_else(|| IntakeError::Writer("no port could be bound".into())))
}

type Bound = (Vec<TcpListener>, Vec<SocketAddr>, Vec<String>);

async fn bind_once(config: &IntakeConfig) -> Result<Bound, IntakeError> {
    let taken_or = |addr: SocketAddr, source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            IntakeError::PortTaken {
                addr: addr.to_string(),
                port: addr.port(),
            }
        } else {
            IntakeError::Bind {
                addr: addr.to_string(),
                source,
            }
        }
    };
    let v4 = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
    let listener = TcpListener::bind(v4)
        .await
        .map_err(|source| taken_or(v4, source))?;
    let first = listener
        .local_addr()
        .map_err(|source| taken_or(v4, source))?;
    let mut bound: Bound = (vec![listener], vec![first], vec![]);
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, first.port()));
    match TcpListener::bind(v6)
        .await
        .and_then(|l| Ok((l.local_addr()?, l)))
    {
        Ok((addr, listener)) => {
            bound.0.push(listener);
            bound.1.push(addr);
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => return Err(taken_or(v6, e)),
        // No IPv6 loopback here (EADDRNOTAVAIL, EAFNOSUPPORT, ...): nobody can reach ::1 either.
        Err(e) => bound.2.push(format!("{v6}: {e}")),
    }
    Ok(bound)
}

impl Listening {
    /// The bound addresses: 127.0.0.1 first, then ::1 when it could be bound.
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// The port (the same on every address).
    pub fn port(&self) -> u16 {
        self.addrs[0].port()
    }

    /// Addresses that could not be bound, each with the reason (for the runner's log).
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Serves the API on the database at `db`, pinging `accepted` after every commit, until `shutdown`
    /// completes. Then it stops accepting connections, gives the requests in flight
    /// [`ConnectionLimits::shutdown_grace`] to finish (their commits included), cuts whatever is still
    /// open, and returns once the writer has stored everything it was given.
    pub async fn serve(
        self,
        db: &Path,
        accepted: Arc<Notify>,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<Stopped, IntakeError> {
        let token_file = Token::path_for(db);
        let db: PathBuf = db.to_path_buf();
        let (writer, reader, policy_store) = tokio::task::spawn_blocking(move || {
            Ok::<_, StoreError>((Store::open(&db)?, Store::open(&db)?, Store::open(&db)?))
        })
        .await
        .map_err(|e| IntakeError::Writer(e.to_string()))??;
        let clock = self.config.clock.clone();
        let (queue, thread) = CommitQueue::start(writer, accepted, clock.clone())
            .map_err(|e| IntakeError::Writer(e.to_string()))?;
        let shared = Arc::new(Shared {
            token: CurrentToken::new(token_file, self.config.token),
            rate: Mutex::new(RateLimit::new(
                self.config.rate_per_minute,
                self.config.rate_total_per_minute,
            )),
            body_timeout: self.config.limits.body_timeout,
            queue,
            reader: Arc::new(Mutex::new(reader)),
            policy_store: Arc::new(Mutex::new(policy_store)),
            policy: Mutex::new(None),
            clock,
        });
        let app = router(shared);
        let limits = self.config.limits;
        let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
        let (stop, stopping) = watch::channel(());
        let servers: Vec<_> = self
            .listeners
            .into_iter()
            .map(|listener| {
                tokio::spawn(conn::serve_listener(
                    listener,
                    app.clone(),
                    limits,
                    slots.clone(),
                    stopping.clone(),
                ))
            })
            .collect();
        // From here on only the servers hold the router, and with it the commit queue.
        drop(app);
        drop(stopping);
        shutdown.await;
        // Resolves every `stopping.changed()`.
        drop(stop);
        let mut failure = None;
        let mut stopped = Stopped { cut: 0 };
        for server in servers {
            match server.await {
                Ok(cut) => stopped.cut += cut,
                Err(e) => failure = Some(IntakeError::Writer(format!("server task: {e}"))),
            }
        }
        // Every request has been answered, so the queue's senders are gone and the writer ends.
        tokio::task::spawn_blocking(move || thread.join())
            .await
            .map_err(|e| IntakeError::Writer(e.to_string()))?
            .map_err(|_| IntakeError::Writer("the writer thread panicked".into()))?;
        failure.map_or(Ok(stopped), Err)
    }
}

/// How the intake stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// Connections still open at the end of the shutdown grace period, which were cut (a request
    /// cut while its notification waited for the writer is stored all the same, unanswered).
    pub cut: usize,
}

/// What every request handler shares.
struct Shared {
    token: CurrentToken,
    rate: Mutex<RateLimit>,
    body_timeout: Duration,
    queue: CommitQueue,
    reader: Arc<Mutex<Store>>,
    /// The connection the policy's inputs are read on (see [`answer`]).
    policy_store: Arc<Mutex<Store>>,
    policy: Mutex<Option<Arc<PolicyCache>>>,
    clock: Clock,
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(NOTIFICATIONS_PATH, get(list).post(accept))
        .route(HEALTH_PATH, get(health))
        .route(CALENDAR_PATH, get(calendar_feed))
        .route(GOTIFY_PATH, post(gotify_publish))
        .route(ALERTMANAGER_PATH, post(alertmanager_hook))
        .route(GRAFANA_PATH, post(grafana_hook).put(grafana_hook))
        .route("/", post(ntfy_json_publish).put(ntfy_json_publish))
        .route(
            "/{topic}",
            post(ntfy_publish).put(ntfy_publish).get(ntfy_subscribe),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// An error answer in the shape the app uses everywhere: `{code, message, problems}`.
fn refuse(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Response {
    refuse_with(status, code, message, vec![])
}

fn refuse_with(
    status: StatusCode,
    code: ErrorCode,
    message: impl Into<String>,
    problems: Vec<FieldProblem>,
) -> Response {
    let payload = ErrorPayload {
        code,
        message: message.into(),
        problems,
    };
    (status, Json(payload)).into_response()
}

/// 400 for a query string with unknown or invalid parameters, each named.
fn invalid_query(problems: Vec<FieldProblem>) -> Response {
    refuse_with(
        StatusCode::BAD_REQUEST,
        ErrorCode::Invalid,
        "invalid query parameters",
        problems,
    )
}

/// The checks every request passes before its handler: no web origin, a loopback `Host`, the token.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if headers.contains_key(header::ORIGIN) {
        return refuse(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "requests from web pages (with an Origin header) are refused; the intake is for local programs",
        );
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if !host.is_some_and(is_loopback_host) {
        return refuse(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "the Host header must be localhost, 127.0.0.1 or [::1] (with or without the port)",
        );
    }
    let path = request.uri().path();
    let query = request.uri().query();
    let by_query = match path {
        CALENDAR_PATH | GOTIFY_PATH => {
            query_token(query).is_some_and(|t| shared.token.matches(t.as_bytes()))
        }
        _ if is_ntfy_path(path) => {
            query_auth(query).is_some_and(|value| credentials_match(&shared.token, &value))
        }
        _ => false,
    };
    let by_gotify_key = path == GOTIFY_PATH
        && headers
            .get("x-gotify-key")
            .is_some_and(|k| shared.token.matches(k.as_bytes().trim_ascii()));
    if path != HEALTH_PATH && !by_query && !by_gotify_key && !authorized(&shared.token, headers) {
        let compat = is_ntfy_path(path) || path == GOTIFY_PATH || path.starts_with("/v1/webhooks/");
        let mut response = refuse_in(
            if compat { Form::Compat } else { Form::Baton },
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            format!(
                "missing or wrong token: send `Authorization: Bearer <token>` (or Basic with the token \
                 as the password) with the token in the {TOKEN_FILE} file next to the database \
                 (`baton intake info` shows where)"
            ),
            vec![],
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    next.run(request).await
}

/// Whether `host` (a `Host` header) names the loopback interface: `localhost`, `127.0.0.1` or `[::1]`,
/// each with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port))
            if !name.ends_with(':')
                && !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit()) =>
        {
            name
        }
        _ => host,
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]"
}

/// A query string's `key=value` pairs in order (a bare `key` has an empty value; empty pairs are
/// skipped).
fn query_pairs(query: Option<&str>) -> impl Iterator<Item = (&str, &str)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// The `token` query parameter, if the query has one.
fn query_token(query: Option<&str>) -> Option<&str> {
    query_pairs(query)
        .find_map(|(key, value)| (key == "token").then_some(value))
        .filter(|t| !t.is_empty())
}

fn authorized(token: &CurrentToken, headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .is_some_and(|value| credentials_match(token, value.as_bytes()))
}

/// Whether an `Authorization` value carries the token: `Bearer TOKEN`, or `Basic` with the token as the
/// password under any user name (as ntfy clients send a token, `curl -u :TOKEN`).
fn credentials_match(token: &CurrentToken, value: &[u8]) -> bool {
    let value = value.trim_ascii();
    let (bearer, basic) = (b"bearer ", b"basic ");
    if value.len() > bearer.len() && value[..bearer.len()].eq_ignore_ascii_case(bearer) {
        return token.matches(value[bearer.len()..].trim_ascii());
    }
    if value.len() > basic.len() && value[..basic.len()].eq_ignore_ascii_case(basic) {
        let Some(decoded) = decode_base64(&value[basic.len()..]) else {
            return false;
        };
        return decoded
            .iter()
            .position(|&b| b == b':')
            .is_some_and(|i| token.matches(&decoded[i + 1..]));
    }
    false
}

/// Standard or URL-safe base64, with or without padding (ntfy's `auth` parameter is URL-safe without
/// padding, its documentation's examples standard).
fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine;
    let text = text.trim_ascii();
    [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

/// ntfy's `auth` (or `authorization`) query parameter: a whole `Authorization` value, base64-encoded.
fn query_auth(query: Option<&str>) -> Option<Vec<u8>> {
    query_pairs(query)
        .find_map(|(key, value)| matches!(key, "auth" | "authorization").then_some(value))
        .and_then(|v| {
            let v = percent_encoding::percent_decode_str(v).collect::<Vec<u8>>();
            decode_base64(&v)
        })
}

/// Whether `path` is an ntfy publishing path: `/` or `/{topic}` (one segment that is not one of
/// Baton's own).
fn is_ntfy_path(path: &str) -> bool {
    path == "/" || (path.len() > 1 && !path[1..].contains('/') && path != GOTIFY_PATH)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::TooLarge,
        format!(
            "the body is larger than {} KiB",
            submission::MAX_BODY_BYTES / 1024
        ),
    )
}

/// Reads the body, refusing it as soon as it passes `max` bytes.
async fn read_limited(body: Body, max: usize) -> Result<Vec<u8>, Response> {
    let mut body = pin!(body);
    let mut bytes = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
        let frame = frame.map_err(|e| {
            refuse(
                StatusCode::BAD_REQUEST,
                ErrorCode::Malformed,
                format!("cannot read the body: {e}"),
            )
        })?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > max {
                return Err(too_large());
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

/// The error shape of a path: Baton's own `{code, message, problems}`, or that with ntfy's `error` and
/// `http` members added, which ntfy and Gotify clients print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Baton,
    Compat,
}

fn refuse_in(
    form: Form,
    status: StatusCode,
    code: ErrorCode,
    message: impl Into<String>,
    problems: Vec<FieldProblem>,
) -> Response {
    let message = message.into();
    match form {
        Form::Baton => refuse_with(status, code, message, problems),
        Form::Compat => (
            status,
            Json(serde_json::json!({
                "code": code,
                "message": message,
                "problems": problems,
                "error": message,
                "http": status.as_u16(),
            })),
        )
            .into_response(),
    }
}

/// 400 naming each problem.
fn invalid(form: Form, problems: Vec<FieldProblem>) -> Response {
    let message = format!(
        "invalid notification: {}",
        problems
            .iter()
            .map(|p| if p.field.is_empty() {
                p.message.clone()
            } else {
                format!("{}: {}", p.field, p.message)
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    refuse_in(
        form,
        StatusCode::BAD_REQUEST,
        ErrorCode::Invalid,
        message,
        problems,
    )
}

/// The request's body, at most [`submission::MAX_BODY_BYTES`] and within the body time limit.
async fn read_body(
    shared: &Shared,
    form: Form,
    headers: &HeaderMap,
    body: Body,
) -> Result<Vec<u8>, Response> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        refuse_in(
            form,
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::TooLarge,
            format!(
                "the body is larger than {} KiB",
                submission::MAX_BODY_BYTES / 1024
            ),
            vec![],
        )
    };
    if declared.is_some_and(|n| n > submission::MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(
        shared.body_timeout,
        read_limited(body, submission::MAX_BODY_BYTES),
    )
    .await
    {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(response)) if response.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_large()),
        Ok(Err(response)) => Err(response),
        Err(_) => {
            let mut response = refuse_in(
                form,
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::Timeout,
                format!(
                    "the body did not arrive within {} s (was Content-Length more than was sent?)",
                    shared.body_timeout.as_secs_f64()
                ),
                vec![],
            );
            // The rest of the body may never come: the connection cannot carry another request.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            Err(response)
        }
    }
}

/// The policy's cached inputs, current at `now` (rebuilt when the store's policy version moved).
async fn current_policy(
    shared: &Arc<Shared>,
    now: crate::Instant,
) -> Result<Arc<PolicyCache>, String> {
    let version = shared
        .policy_store
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .policy_version()
        .map_err(|e| e.to_string())?;
    let cached = shared
        .policy
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    if let Some(cache) = cached.filter(|c| c.is_current(version, now)) {
        return Ok(cache);
    }
    let rebuild = shared.clone();
    tokio::task::spawn_blocking(move || {
        let store = rebuild
            .policy_store
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Another request may have rebuilt it while this one waited for the connection.
        let version = store.policy_version().map_err(|e| e.to_string())?;
        let cached = rebuild
            .policy
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(cache) = cached.filter(|c| c.is_current(version, now)) {
            return Ok(cache);
        }
        let cache = Arc::new(PolicyCache::load(&store, now)?);
        *rebuild
            .policy
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(cache.clone());
        Ok(cache)
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Checks `notification` against its source's rate and the overall rate, stores it (answering only
/// after its commit) and returns its receipt with the policy's verdict. `cache` is the policy as
/// read before, when the caller needed it already.
async fn admit(
    shared: &Arc<Shared>,
    form: Form,
    notification: crate::notify::notification::NewNotification,
    cache: Option<Arc<PolicyCache>>,
) -> Result<Receipt, Response> {
    let allowed = shared
        .rate
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take(&notification.source, std::time::Instant::now());
    if let Err(Limited { limit, retry_after }) = allowed {
        let wait = retry_after.as_secs();
        let message = match limit {
            Limit::Source => format!(
                "source '{}' is over its rate (setting {}); retry in {wait} s",
                notification.source,
                settings::INTAKE_RATE_PER_MINUTE,
            ),
            Limit::Total => format!(
                "the intake is over its overall rate for all sources together (setting {}); retry in \
                 {wait} s",
                settings::INTAKE_RATE_TOTAL_PER_MINUTE,
            ),
        };
        let mut response = refuse_in(
            form,
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            message,
            vec![],
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Err(response);
    }
    let item = crate::notify::notification::Item {
        id: 0,
        source: notification.source.clone(),
        group: notification.group.clone(),
        sender: notification.sender.clone(),
        title: notification.title.clone(),
        body: notification.body.clone(),
        urgency: notification.urgency,
        url: notification.url.clone(),
        received_at: chrono::DateTime::UNIX_EPOCH,
    };
    let (accepted, received) = match shared.queue.accept(notification).await {
        Ok(answer) => answer,
        Err(message) => {
            return Err(refuse_in(
                form,
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Storage,
                message,
                vec![],
            ))
        }
    };
    // Stored: from here on the answer is a receipt, whatever the verdict's reading finds.
    let now = shared.clock.now().max(received);
    let cache = match cache {
        Some(c) if c.is_current_enough(now) => Ok(c),
        _ => current_policy(shared, now).await,
    };
    let verdict = match cache {
        Ok(cache) => verdict_for(shared, &cache, accepted, item, received, now).await,
        Err(e) => Err(e),
    };
    Ok(match verdict {
        Ok(v) => Receipt::new(accepted, received, &v),
        Err(e) => Receipt::without_verdict(accepted, received, &e),
    })
}

async fn verdict_for(
    shared: &Arc<Shared>,
    cache: &Arc<PolicyCache>,
    accepted: crate::store::Accepted,
    mut item: crate::notify::notification::Item,
    received: crate::Instant,
    now: crate::Instant,
) -> Result<policy::Verdict, String> {
    item.id = accepted.id;
    item.received_at = received;
    let needs_row = accepted.duplicate;
    let needs_breakthroughs = cache.needs_breakthroughs(&item);
    if !needs_row && !needs_breakthroughs {
        return Ok(cache.verdict(&item, now, None));
    }
    let store = shared.policy_store.clone();
    let cache = cache.clone();
    tokio::task::spawn_blocking(move || {
        let store = store.lock().unwrap_or_else(PoisonError::into_inner);
        if needs_row {
            return match store.notification(accepted.id).map_err(|e| e.to_string())? {
                Some(row) => Ok(cache.verdict_for_stored(&row, now)),
                None => Ok(cache.verdict(&item, now, None)),
            };
        }
        let breakthroughs = store
            .breakthroughs_since(now - policy::CAP_WINDOW)
            .map_err(|e| e.to_string())?;
        Ok(cache.verdict(&item, now, Some(&breakthroughs)))
    })
    .await
    .map_err(|e| e.to_string())?
}

/// `POST /v1/notifications`.
async fn accept(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    if !is_json(&headers) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send the notification as JSON with `Content-Type: application/json`",
        );
    }
    let bytes = match read_body(&shared, Form::Baton, &headers, body).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let notification = match submission::parse(&bytes) {
        Ok(n) => n,
        Err(rejection) => {
            let payload = rejection.payload();
            return refuse_with(
                StatusCode::BAD_REQUEST,
                payload.code,
                payload.message,
                payload.problems,
            );
        }
    };
    match admit(&shared, Form::Baton, notification, None).await {
        Ok(receipt) => (StatusCode::ACCEPTED, Json(receipt)).into_response(),
        Err(response) => response,
    }
}

/// What the compatible paths share: the body read, the policy read (its priority mappings convert
/// the request), the conversion checked, the item admitted; `answer` makes the success answer from
/// the conversion's echo and the receipt.
async fn publish(
    shared: Arc<Shared>,
    headers: &HeaderMap,
    body: Body,
    convert: impl FnOnce(&[u8], &CompatSettings) -> Result<compat::Converted, Vec<FieldProblem>>,
    answer: impl FnOnce(serde_json::Value, Receipt) -> Response,
) -> Response {
    let bytes = match read_body(&shared, Form::Compat, headers, body).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let cache = match current_policy(&shared, shared.clock.now()).await {
        Ok(c) => c,
        Err(e) => {
            return refuse_in(
                Form::Compat,
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Storage,
                e,
                vec![],
            )
        }
    };
    let converted = match convert(&bytes, &cache.compat) {
        Ok(c) => c,
        Err(problems) => return invalid(Form::Compat, problems),
    };
    let notification = match compat::checked(&converted) {
        Ok(n) => n,
        Err(problems) => return invalid(Form::Compat, problems),
    };
    match admit(&shared, Form::Compat, notification, Some(cache)).await {
        Ok(receipt) => answer(converted.echo, receipt),
        Err(response) => response,
    }
}

/// The query's parameters, percent-decoded (`+` as a space).
fn decoded_query(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Merges the receipt's members into an answer object.
fn with_receipt(mut answer: serde_json::Value, receipt: &Receipt) -> serde_json::Value {
    if let (Some(object), Ok(serde_json::Value::Object(members))) =
        (answer.as_object_mut(), serde_json::to_value(receipt))
    {
        for (k, v) in members {
            if k != "id" {
                object.insert(k, v);
            }
        }
    }
    answer
}

/// ntfy's answer: its message object (`id`, `time`, `expires`, `event`, `topic`, `message`, ...) with
/// the receipt's members added, `200` as ntfy answers (Apprise takes only 200 as success).
fn ntfy_answer(echo: serde_json::Value, receipt: Receipt) -> Response {
    let time = chrono::DateTime::parse_from_rfc3339(&receipt.received_at)
        .map(|t| t.timestamp())
        .unwrap_or_default();
    let mut answer = serde_json::json!({
        "id": receipt.id.to_string(),
        "time": time,
        "expires": time + 12 * 3600,
    });
    if let (Some(a), serde_json::Value::Object(e)) = (answer.as_object_mut(), echo) {
        a.extend(e);
    }
    (StatusCode::OK, Json(with_receipt(answer, &receipt))).into_response()
}

/// `POST`/`PUT /{topic}`: ntfy's text publishing.
async fn ntfy_publish(
    State(shared): State<Arc<Shared>>,
    UrlPath(topic): UrlPath<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let query = decoded_query(query.as_deref());
    let params = compat::Params {
        headers: &headers,
        query: &query,
    };
    publish(
        shared,
        &headers,
        body,
        |bytes, c| compat::ntfy_text(&topic, &params, bytes, c),
        ntfy_answer,
    )
    .await
}

/// `POST`/`PUT /`: ntfy's JSON publishing.
async fn ntfy_json_publish(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let query = decoded_query(query.as_deref());
    let params = compat::Params {
        headers: &headers,
        query: &query,
    };
    publish(
        shared,
        &headers,
        body,
        |bytes, c| compat::ntfy_json(&params, bytes, c),
        ntfy_answer,
    )
    .await
}

/// `GET /{topic}`: ntfy's subscribing, which Baton does not serve.
async fn ntfy_subscribe() -> Response {
    refuse_in(
        Form::Compat,
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::NotFound,
        "Baton takes ntfy publishing (POST or PUT /TOPIC, POST / with JSON) but serves no \
         subscriptions",
        vec![],
    )
}

/// `POST /message`: Gotify's publishing.
async fn gotify_publish(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let unknown: Vec<FieldProblem> = decoded_query(query.as_deref())
        .into_iter()
        .filter(|(k, _)| k != "token")
        .map(|(k, _)| FieldProblem::new(&k, "unknown parameter; known: token"))
        .collect();
    if !unknown.is_empty() {
        return invalid(Form::Compat, unknown);
    }
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let form = match media.as_str() {
        "application/json" => false,
        "application/x-www-form-urlencoded" => true,
        "multipart/form-data" => {
            // Read (within the limits), then its text parts as a form.
            let bytes = match read_body(&shared, Form::Compat, &headers, body).await {
                Ok(b) => b,
                Err(response) => return response,
            };
            let content_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let encoded = match multipart_as_form(content_type, bytes).await {
                Ok(e) => e,
                Err(problem) => return invalid(Form::Compat, vec![problem]),
            };
            return publish(
                shared,
                &headers,
                Body::from(encoded),
                |bytes, c| compat::gotify(bytes, true, c),
                gotify_answer,
            )
            .await;
        }
        _ => {
            return refuse_in(
                Form::Compat,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "send the message as JSON (`Content-Type: application/json`) or as a form \
                 (`application/x-www-form-urlencoded` or `multipart/form-data`)",
                vec![],
            )
        }
    };
    publish(
        shared,
        &headers,
        body,
        |bytes, c| compat::gotify(bytes, form, c),
        gotify_answer,
    )
    .await
}

/// Gotify's answer: its message object (`id`, `appid`, `message`, `title`, `priority`, `date`) with the
/// receipt's members added, `200` as Gotify answers.
fn gotify_answer(echo: serde_json::Value, receipt: Receipt) -> Response {
    let mut answer = serde_json::json!({"id": receipt.id, "date": receipt.received_at});
    if let (Some(a), serde_json::Value::Object(e)) = (answer.as_object_mut(), echo) {
        a.extend(e);
    }
    (StatusCode::OK, Json(with_receipt(answer, &receipt))).into_response()
}

/// A `multipart/form-data` body's text fields as an URL-encoded form; a file part is refused.
async fn multipart_as_form(content_type: String, bytes: Vec<u8>) -> Result<Vec<u8>, FieldProblem> {
    fn bad(e: multer::Error) -> FieldProblem {
        FieldProblem::new("", &format!("the multipart form cannot be read: {e}"))
    }
    let boundary = multer::parse_boundary(&content_type).map_err(bad)?;
    let mut parts = multer::Multipart::with_reader(std::io::Cursor::new(bytes), boundary);
    let mut pairs: Vec<(String, String)> = Vec::new();
    while let Some(field) = parts.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if field.file_name().is_some() {
            return Err(FieldProblem::new(
                &name,
                "is a file; Baton takes text messages only",
            ));
        }
        let value = field.text().await.map_err(bad)?;
        pairs.push((name, value));
    }
    Ok(url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes())
}

async fn alert_hook(
    shared: Arc<Shared>,
    source: compat::AlertSource,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if !is_json(&headers) {
        return refuse_in(
            Form::Compat,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send the webhook's JSON with `Content-Type: application/json`",
            vec![],
        );
    }
    publish(
        shared,
        &headers,
        body,
        |bytes, c| compat::alert(source, bytes, c),
        |echo, receipt| {
            let mut answer = serde_json::json!({"id": receipt.id});
            if let (Some(a), serde_json::Value::Object(e)) = (answer.as_object_mut(), echo) {
                a.extend(e);
            }
            (StatusCode::ACCEPTED, Json(with_receipt(answer, &receipt))).into_response()
        },
    )
    .await
}

/// `POST /v1/webhooks/alertmanager`.
async fn alertmanager_hook(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    alert_hook(shared, compat::AlertSource::Alertmanager, headers, body).await
}

/// `POST`/`PUT /v1/webhooks/grafana`.
async fn grafana_hook(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    alert_hook(shared, compat::AlertSource::Grafana, headers, body).await
}

/// `GET /v1/notifications?state=held|delivered|done|failed|all&limit=N&after=ID`: one page, newest
/// first, of ids below `after` when given; the answer's `next_after` and `next` lead to the next page.
async fn list(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let mut filter = ("all", NotificationFilter::All);
    let mut limit = DEFAULT_LIST_LIMIT;
    let mut after: Option<i64> = None;
    let mut problems = Vec::new();
    for (key, value) in query_pairs(query.as_deref()) {
        match key {
            "state" => match NotificationFilter::parse(value) {
                Some(f) => filter = (value, f),
                None => problems.push(FieldProblem::new(
                    "state",
                    "use held, delivered, done, failed or all",
                )),
            },
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=MAX_LIST_LIMIT).contains(&n) => limit = n,
                _ => problems.push(FieldProblem::new(
                    "limit",
                    &format!("use a whole number from 1 to {MAX_LIST_LIMIT}"),
                )),
            },
            "after" => match value.parse::<i64>() {
                Ok(id) if id >= 1 => after = Some(id),
                _ => problems.push(FieldProblem::new(
                    "after",
                    "use a notification id (a whole number from 1), such as a page's next_after",
                )),
            },
            _ => problems.push(FieldProblem::new(
                key,
                "unknown parameter; known: state, limit, after",
            )),
        }
    }
    if !problems.is_empty() {
        return invalid_query(problems);
    }
    let reader = shared.reader.clone();
    let (state, filter) = filter;
    // One more than the page, to know whether another page follows.
    let rows = tokio::task::spawn_blocking(move || {
        reader
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .notifications_before(filter, after, limit + 1)
    })
    .await;
    match rows {
        Ok(Ok(mut rows)) => {
            let more = rows.len() > limit;
            rows.truncate(limit);
            let next_after = rows.last().map(|r| r.id).filter(|_| more);
            let next = next_after
                .map(|id| format!("{NOTIFICATIONS_PATH}?state={state}&limit={limit}&after={id}"));
            Json(serde_json::json!({
                "notifications": rows,
                "next_after": next_after,
                "next": next,
            }))
            .into_response()
        }
        Ok(Err(e)) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Storage,
            e.to_string(),
        ),
        Err(e) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Storage,
            e.to_string(),
        ),
    }
}

/// `GET /v1/calendar.ics[?days=N][&token=TOKEN]`: my feed as `text/calendar`
/// ([`crate::calendar::feed::my_feed`]), `days` ahead (1 to 366, default 28).
async fn calendar_feed(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let mut days = crate::calendar::feed::DEFAULT_DAYS;
    let mut problems = Vec::new();
    for pair in query_pairs(query.as_deref()) {
        match pair {
            ("token", _) => {}
            ("days", v) => match v.parse::<u32>() {
                Ok(n) if (1..=366).contains(&n) => days = n,
                _ => problems.push(FieldProblem::new(
                    "days",
                    "use a whole number from 1 to 366",
                )),
            },
            (key, _) => problems.push(FieldProblem::new(
                key,
                "unknown parameter; known: days, token",
            )),
        }
    }
    if !problems.is_empty() {
        return invalid_query(problems);
    }
    let reader = shared.reader.clone();
    let made = tokio::task::spawn_blocking(move || {
        let now = chrono::Utc::now();
        let store = reader.lock().unwrap_or_else(PoisonError::into_inner);
        store.snapshot(|s| {
            let team = s.load_team()?;
            let sessions = s.focus_sessions(crate::time::interval::Interval {
                start: now - chrono::Duration::days(8),
                end: now + chrono::Duration::days(i64::from(days) + 1),
            })?;
            Ok::<_, crate::store::StoreError>(
                team.and_then(|t| crate::calendar::feed::my_feed(&t, &sessions, now, days)),
            )
        })
    })
    .await;
    match made {
        Ok(Ok(Some(feed))) => (
            [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
            crate::calendar::export::write_ics(&feed),
        )
            .into_response(),
        Ok(Ok(None)) => refuse(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no feed yet: the feed is of my calendar; import a team and say which member you are \
             (`baton settings set me NAME`)",
        ),
        Ok(Err(e)) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Storage,
            e.to_string(),
        ),
        Err(e) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Storage,
            e.to_string(),
        ),
    }
}

/// `GET /v1/health`, and `GET /v1/health?challenge=HEX`, which adds the [`proof`] that this server
/// holds the current token, for the address the request came in on.
async fn health(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let mut challenge = None;
    let mut problems = Vec::new();
    for pair in query_pairs(request.uri().query()) {
        match pair {
            ("challenge", value) if proof::is_valid_challenge(value) => challenge = Some(value),
            ("challenge", _) => problems.push(FieldProblem::new(
                "challenge",
                &format!(
                    "must be {} to {} random bytes as hex digits",
                    proof::CHALLENGE_BYTES.start(),
                    proof::CHALLENGE_BYTES.end()
                ),
            )),
            (key, _) => problems.push(FieldProblem::new(
                key,
                "unknown parameter; known: challenge",
            )),
        }
    }
    if !problems.is_empty() {
        return invalid_query(problems);
    }
    let mut answer = serde_json::json!({ "status": "ok", "service": SERVICE });
    let to = request.extensions().get::<conn::ConnectedTo>();
    if let (Some(challenge), Some(to)) = (challenge, to) {
        let token = shared.token.current();
        answer["proof"] = proof::proof(&token, &to.0.to_string(), challenge).into();
    }
    Json(answer).into_response()
}

async fn not_found() -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        format!(
            "no such resource; the intake serves {NOTIFICATIONS_PATH}, {HEALTH_PATH}, \
             {CALENDAR_PATH}, {ALERTMANAGER_PATH}, {GRAFANA_PATH}, {GOTIFY_PATH} and ntfy's \
             POST /TOPIC and POST /"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for ok in [
            "localhost",
            "LOCALHOST:7429",
            "127.0.0.1",
            "127.0.0.1:80",
            "[::1]",
            "[::1]:7429",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "example.com",
            "localhost.evil.com",
            "127.0.0.1.nip.io",
            "evil.com:7429",
            "[::2]:7429",
            "::1",
            "127.0.0.1:",
            "",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}
