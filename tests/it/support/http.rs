//! A real HTTP server on 127.0.0.1 answering every request, whatever its path, with the next answer a
//! test scripted, and recording each request's path and `If-None-Match`: what the team-URL and the
//! calendar-feed tests read from.
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted answer of the test server.
#[derive(Clone)]
pub enum Answer {
    /// 200 with this body and ETag.
    Body { body: Vec<u8>, etag: &'static str },
    /// 304 when the request carries this ETag in `If-None-Match` (else 404).
    NotModifiedIf(&'static str),
    /// This status and no body.
    Status(u16),
    /// Nothing for two minutes: a server that accepted and never answers.
    Stall,
}

impl Answer {
    /// 200 with `text` and `etag`.
    pub fn text(text: impl Into<String>, etag: &'static str) -> Answer {
        Answer::Body {
            body: text.into().into_bytes(),
            etag,
        }
    }
}

#[derive(Default)]
struct Script {
    answers: VecDeque<Answer>,
    if_none_match: Vec<Option<String>>,
    paths: Vec<String>,
}

/// The running server; it stops when dropped (with its runtime).
pub struct Server {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    script: Arc<Mutex<Script>>,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    /// A server on a free port, with nothing scripted (every request a 404 until [`Server::then`]).
    pub fn start() -> Server {
        use axum::extract::State;
        use axum::http::{HeaderMap, StatusCode, Uri};
        use axum::response::{IntoResponse, Response};
        let script = Arc::new(Mutex::new(Script::default()));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        async fn answer(
            State(s): State<Arc<Mutex<Script>>>,
            uri: Uri,
            headers: HeaderMap,
        ) -> Response {
            let inm = headers
                .get("if-none-match")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let next = {
                let mut s = s.lock().unwrap();
                s.if_none_match.push(inm.clone());
                s.paths.push(uri.path().to_string());
                s.answers.pop_front()
            };
            match next {
                Some(Answer::Body { body, etag }) => {
                    ([("etag", etag), ("content-type", "text/plain")], body).into_response()
                }
                Some(Answer::NotModifiedIf(etag)) if inm.as_deref() == Some(etag) => {
                    StatusCode::NOT_MODIFIED.into_response()
                }
                Some(Answer::Status(code)) => StatusCode::from_u16(code).unwrap().into_response(),
                Some(Answer::Stall) => {
                    tokio::time::sleep(Duration::from_secs(120)).await;
                    StatusCode::OK.into_response()
                }
                _ => StatusCode::NOT_FOUND.into_response(),
            }
        }
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new()
            .fallback(axum::routing::get(answer))
            .with_state(script.clone());
        runtime.spawn(async move { axum::serve(listener, app).await });
        Server {
            base: format!("http://{addr}"),
            script,
            _runtime: runtime,
        }
    }

    /// Answers the next request not yet scripted with `a`.
    pub fn then(&self, a: Answer) {
        self.script.lock().unwrap().answers.push_back(a);
    }

    /// Each request's `If-None-Match`, in order.
    pub fn if_none_match(&self) -> Vec<Option<String>> {
        self.script.lock().unwrap().if_none_match.clone()
    }

    /// Each request's path, in order.
    pub fn paths(&self) -> Vec<String> {
        self.script.lock().unwrap().paths.clone()
    }
}
