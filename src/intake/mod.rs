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
//! Every request passes the same checks, in this order: an `Origin` header (a web page) is refused
//! with 403; a `Host` that is not a loopback name (DNS rebinding) with 403; a missing or wrong bearer
//! token with 401 (compared in constant time). Then a POST must be `application/json` (415), at most
//! [`submission::MAX_BODY_BYTES`] (413), a valid notification (400, naming each bad field), and within
//! its source's rate (429 with `Retry-After`; a retry with the same idempotency key counts like any
//! other request, since it is a request the sender made). `GET /v1/notifications?state=held|delivered|done|all`
//! lists stored notifications, newest first; `GET /v1/health` answers without a token.
//!
//! The server listens on 127.0.0.1 and on ::1 (when the machine has IPv6 loopback) at the port from the
//! `intake_port` setting. After each commit it pings an [`Notify`] so the delivery scheduler wakes.

pub mod client;
mod commit;
mod rate;
pub mod submission;
mod token;

use std::future::{Future, IntoFuture};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, HttpBody};
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::{Json, Router};
use thiserror::Error;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};

pub use commit::{CommitQueue, MAX_BATCH};
pub use rate::RateLimit;
pub use token::{CurrentToken, Token, TOKEN_FILE};

use crate::settings::{self, SettingError};
use crate::store::{NotificationFilter, Store, StoreError};
use crate::views::{ErrorPayload, FieldProblem};

/// Path of the notifications resource.
pub const NOTIFICATIONS_PATH: &str = "/v1/notifications";
/// Path of the health check.
pub const HEALTH_PATH: &str = "/v1/health";
/// What `GET /v1/health` answers in `service`, so a client can tell Baton from another program.
pub const SERVICE: &str = "baton-intake";
/// Notifications a listing returns unless `limit` says otherwise.
pub const DEFAULT_LIST_LIMIT: usize = 1000;
/// Most notifications one listing returns.
pub const MAX_LIST_LIMIT: usize = 10_000;

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

/// How the intake server runs: its port, the per-source rate limit and the token.
///
/// The token is the one in force when the server starts; from the first request on, the server follows
/// the token file next to the database (see [`CurrentToken`]), so a regenerated token applies at once.
#[derive(Debug, Clone)]
pub struct IntakeConfig {
    /// Port on the loopback addresses; 0 picks a free one (tests).
    pub port: u16,
    /// Notifications one source may send per minute.
    pub rate_per_minute: u32,
    /// The bearer token requests must carry.
    pub token: Token,
}

impl IntakeConfig {
    /// The configuration for the database at `db`: the port and rate from its settings, and the token
    /// from the file next to it (created on first run).
    pub fn load(store: &Store, db: &Path) -> Result<IntakeConfig, IntakeError> {
        Ok(IntakeConfig {
            port: configured_port(store)?,
            rate_per_minute: settings::number(
                settings::INTAKE_RATE_PER_MINUTE,
                store.setting(settings::INTAKE_RATE_PER_MINUTE)?.as_deref(),
            )?,
            token: Token::load_or_create(&Token::path_for(db))?,
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

/// Binds 127.0.0.1 at the configured port, then ::1 at the same port. IPv4 loopback must work; when
/// IPv6 loopback cannot be bound, the reason is kept in [`Listening::skipped`] and the intake carries on.
pub async fn bind(config: IntakeConfig) -> Result<Listening, IntakeError> {
    let v4 = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
    let listener = TcpListener::bind(v4)
        .await
        .map_err(|source| IntakeError::Bind {
            addr: v4.to_string(),
            source,
        })?;
    let first = listener.local_addr().map_err(|source| IntakeError::Bind {
        addr: v4.to_string(),
        source,
    })?;
    let mut listening = Listening {
        listeners: vec![listener],
        addrs: vec![first],
        skipped: vec![],
        config,
    };
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, first.port()));
    match TcpListener::bind(v6)
        .await
        .and_then(|l| Ok((l.local_addr()?, l)))
    {
        Ok((addr, listener)) => {
            listening.listeners.push(listener);
            listening.addrs.push(addr);
        }
        Err(e) => listening.skipped.push(format!("{v6}: {e}")),
    }
    Ok(listening)
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
    /// completes. Then it stops accepting connections, finishes the requests in flight (their commits
    /// included) and returns once the writer has stored everything it was given.
    pub async fn serve(
        self,
        db: &Path,
        accepted: Arc<Notify>,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), IntakeError> {
        let token_file = Token::path_for(db);
        let db: PathBuf = db.to_path_buf();
        let (writer, reader) = tokio::task::spawn_blocking(move || {
            Ok::<_, StoreError>((Store::open(&db)?, Store::open(&db)?))
        })
        .await
        .map_err(|e| IntakeError::Writer(e.to_string()))??;
        let (queue, thread) =
            CommitQueue::start(writer, accepted).map_err(|e| IntakeError::Writer(e.to_string()))?;
        let shared = Arc::new(Shared {
            token: CurrentToken::new(token_file, self.config.token),
            rate: Mutex::new(RateLimit::new(self.config.rate_per_minute)),
            queue,
            reader: Arc::new(Mutex::new(reader)),
        });
        let app = router(shared);
        let (stop, stopping) = watch::channel(());
        let servers: Vec<_> = self
            .listeners
            .into_iter()
            .map(|listener| {
                let mut stopping = stopping.clone();
                // Answers are small and latency is the point: no Nagle delay on them.
                let listener = listener.tap_io(|tcp| {
                    let _ = tcp.set_nodelay(true);
                });
                tokio::spawn(
                    axum::serve(listener, app.clone())
                        .with_graceful_shutdown(async move {
                            // Resolves when `stop` is dropped.
                            let _ = stopping.changed().await;
                        })
                        .into_future(),
                )
            })
            .collect();
        // From here on only the servers hold the router, and with it the commit queue.
        drop(app);
        shutdown.await;
        drop(stop);
        let mut failure = None;
        for server in servers {
            match server.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failure = Some(IntakeError::Writer(format!("server: {e}"))),
                Err(e) => failure = Some(IntakeError::Writer(format!("server task: {e}"))),
            }
        }
        // Every request has been answered, so the queue's senders are gone and the writer ends.
        tokio::task::spawn_blocking(move || thread.join())
            .await
            .map_err(|e| IntakeError::Writer(e.to_string()))?
            .map_err(|_| IntakeError::Writer("the writer thread panicked".into()))?;
        failure.map_or(Ok(()), Err)
    }
}

/// What every request handler shares.
struct Shared {
    token: CurrentToken,
    rate: Mutex<RateLimit>,
    queue: CommitQueue,
    reader: Arc<Mutex<Store>>,
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(NOTIFICATIONS_PATH, get(list).post(accept))
        .route(HEALTH_PATH, get(health))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// An error answer in the shape the app uses everywhere: `{code, message, problems}`.
fn refuse(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    refuse_with(status, code, message, vec![])
}

fn refuse_with(
    status: StatusCode,
    code: &str,
    message: impl Into<String>,
    problems: Vec<FieldProblem>,
) -> Response {
    let payload = ErrorPayload {
        code: code.into(),
        message: message.into(),
        problems,
    };
    (status, Json(payload)).into_response()
}

/// The checks every request passes before its handler: no web origin, a loopback `Host`, the token.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if headers.contains_key(header::ORIGIN) {
        return refuse(
            StatusCode::FORBIDDEN,
            "forbidden",
            "requests from web pages (with an Origin header) are refused; the intake is for local programs",
        );
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if !host.is_some_and(is_loopback_host) {
        return refuse(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the Host header must be localhost, 127.0.0.1 or [::1] (with or without the port)",
        );
    }
    if request.uri().path() != HEALTH_PATH && !authorized(&shared.token, headers) {
        let mut response = refuse(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            format!(
                "missing or wrong token: send `Authorization: Bearer <token>` with the token in the \
                 {TOKEN_FILE} file next to the database (`baton intake info` shows where)"
            ),
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

fn authorized(token: &CurrentToken, headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return false;
    };
    let value = value.as_bytes();
    let scheme = b"bearer ";
    value.len() > scheme.len()
        && value[..scheme.len()].eq_ignore_ascii_case(scheme)
        && token.matches(value[scheme.len()..].trim_ascii())
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
        "too_large",
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
                "malformed",
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

/// `POST /v1/notifications`.
async fn accept(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    if !is_json(&headers) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the notification as JSON with `Content-Type: application/json`",
        );
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > submission::MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let bytes = match read_limited(body, submission::MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let notification = match submission::parse(&bytes) {
        Ok(n) => n,
        Err(rejection) => {
            let payload = rejection.payload();
            return refuse_with(
                StatusCode::BAD_REQUEST,
                &payload.code,
                payload.message,
                payload.problems,
            );
        }
    };
    let allowed = shared
        .rate
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take(&notification.source, std::time::Instant::now());
    if let Err(wait) = allowed {
        let mut response = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "source '{}' is over its rate (setting {}); retry in {} s",
                notification.source,
                settings::INTAKE_RATE_PER_MINUTE,
                wait.as_secs()
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs()));
        return response;
    }
    match shared.queue.accept(notification).await {
        Ok(accepted) => (StatusCode::ACCEPTED, Json(accepted)).into_response(),
        Err(message) => refuse(StatusCode::SERVICE_UNAVAILABLE, "storage", message),
    }
}

/// `GET /v1/notifications?state=held|delivered|done|all&limit=N`.
async fn list(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let mut filter = NotificationFilter::All;
    let mut limit = DEFAULT_LIST_LIMIT;
    let mut problems = Vec::new();
    for pair in query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "state" => match NotificationFilter::parse(value) {
                Some(f) => filter = f,
                None => problems.push(FieldProblem::new(
                    "state",
                    "use held, delivered, done or all",
                )),
            },
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=MAX_LIST_LIMIT).contains(&n) => limit = n,
                _ => problems.push(FieldProblem::new(
                    "limit",
                    &format!("use a whole number from 1 to {MAX_LIST_LIMIT}"),
                )),
            },
            _ => problems.push(FieldProblem::new(
                key,
                "unknown parameter; known: state, limit",
            )),
        }
    }
    if !problems.is_empty() {
        return refuse_with(
            StatusCode::BAD_REQUEST,
            "invalid",
            "invalid query parameters",
            problems,
        );
    }
    let reader = shared.reader.clone();
    let rows = tokio::task::spawn_blocking(move || {
        reader
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .notifications(filter, limit)
    })
    .await;
    match rows {
        Ok(Ok(rows)) => Json(serde_json::json!({ "notifications": rows })).into_response(),
        Ok(Err(e)) => refuse(StatusCode::SERVICE_UNAVAILABLE, "storage", e.to_string()),
        Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "storage", e.to_string()),
    }
}

/// `GET /v1/health`.
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "service": SERVICE }))
}

async fn not_found() -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no such resource; the intake serves {NOTIFICATIONS_PATH} and {HEALTH_PATH}"),
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
