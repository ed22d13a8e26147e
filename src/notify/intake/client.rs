//! A small blocking client of the intake API, for `baton notify`, `baton intake info`, the tests and the
//! benchmark. It keeps connections alive between requests (one [`ureq::Agent`] per client).
//!
//! "Nothing is listening" (connection refused) is its own error, [`ClientError::NotListening`], because
//! it is the one failure after which the caller may safely store the notification itself: the request
//! never reached a server. Any other failure may have happened after the server committed, so it is
//! reported, never retried here.
//!
//! Before its first POST the client makes sure it talks to Baton: it asks the health endpoint for the
//! [`proof`](super::proof) that the server holds the token, and sends the token only to a server that
//! gave it. A server that does not is [`ClientError::NotBaton`]: it was sent nothing but a random
//! challenge, so the caller may store the notification itself as when nothing listens. The client
//! speaks to 127.0.0.1 by address, never to a name that may resolve to ::1, and follows no redirects.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::Receipt;
use super::{proof, Token, HEALTH_PATH, NOTIFICATIONS_PATH, SERVICE};

/// How long a request may take before the client gives up.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What the server answered to a POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    /// Stored (202).
    Accepted(Receipt),
    /// Refused with an error body.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The error code (`invalid`, `rate_limited`, `unauthorized`, ...).
        code: String,
        /// The server's message.
        message: String,
        /// `Retry-After`, in seconds, for a 429.
        retry_after: Option<u64>,
    },
}

/// What the health check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// The Baton of this database answered: it proved it holds the client's token.
    Baton,
    /// Something answered, but it did not prove it holds the token (another program, or a Baton
    /// serving another database); a client without a token finds only this.
    Other,
    /// Nothing listens on the port.
    NotListening,
}

/// Why a request failed without an answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Nothing listens on the port: the request certainly did not arrive.
    #[error("nothing is listening on {0}")]
    NotListening(String),
    /// Something listens, but it is not the Baton of this database, or could not show that it is: it
    /// was sent neither the token nor the notification.
    #[error(
        "another program, not the Baton of this database, is listening on {addr} ({why}); neither \
         the token nor the notification was sent to it"
    )]
    NotBaton {
        /// The address, `127.0.0.1:PORT`.
        addr: String,
        /// What the health check found.
        why: String,
    },
    /// Anything else (timeout, reset, a garbled answer): the request may or may not have arrived.
    #[error("request to {url} failed: {message}")]
    Failed {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
}

/// A client of the intake at one loopback port.
#[derive(Debug, Clone)]
pub struct IntakeClient {
    agent: ureq::Agent,
    addr: String,
    base: String,
    token: Option<Token>,
    /// The server proved it holds the token (shared by clones).
    verified: Arc<AtomicBool>,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

impl IntakeClient {
    /// A client of `http://127.0.0.1:{port}`, sending `token` (none: requests will get 401).
    pub fn new(port: u16, token: Option<Token>) -> IntakeClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(TIMEOUT))
            // A redirect would take the request (and, for a POST, its body) somewhere unverified.
            .max_redirects(0)
            .build()
            .new_agent();
        let addr = format!("127.0.0.1:{port}");
        IntakeClient {
            agent,
            base: format!("http://{addr}"),
            addr,
            token,
            verified: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The URL notifications are posted to.
    pub fn notifications_url(&self) -> String {
        format!("{}{NOTIFICATIONS_PATH}", self.base)
    }

    fn failed(url: &str, e: ureq::Error) -> ClientError {
        match e {
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                ClientError::NotListening(url.to_string())
            }
            other => ClientError::Failed {
                url: url.to_string(),
                message: other.to_string(),
            },
        }
    }

    /// Posts a JSON notification body, once the server proved it is the Baton of this database (see
    /// [`IntakeClient::health`]); until then nothing but the challenge is sent.
    pub fn post(&self, body: &[u8]) -> Result<Posted, ClientError> {
        if !self.verified.load(Ordering::Acquire) {
            let not_baton = |why: String| ClientError::NotBaton {
                addr: self.addr.clone(),
                why,
            };
            match self.health() {
                Ok(Health::Baton) => {}
                Ok(Health::NotListening) => {
                    return Err(ClientError::NotListening(self.notifications_url()))
                }
                Ok(Health::Other) => {
                    return Err(not_baton(
                        "it could not prove that it holds the token".into(),
                    ))
                }
                Err(e) => return Err(not_baton(format!("its health check failed: {e}"))),
            }
        }
        let url = self.notifications_url();
        let mut request = self.agent.post(&url).content_type("application/json");
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {}", token.as_str()));
        }
        let mut response = request.send(body).map_err(|e| Self::failed(&url, e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| Self::failed(&url, e))?;
        if status == 202 {
            let accepted: Receipt =
                serde_json::from_str(&text).map_err(|e| ClientError::Failed {
                    url: url.clone(),
                    message: format!("unexpected answer {text:?}: {e}"),
                })?;
            return Ok(Posted::Accepted(accepted));
        }
        let error: ErrorBody = serde_json::from_str(&text).unwrap_or_default();
        Ok(Posted::Refused {
            status,
            code: error.code,
            message: if error.message.is_empty() {
                format!("HTTP {status}")
            } else {
                error.message
            },
            retry_after,
        })
    }

    /// Asks `GET /v1/health?challenge=HEX` who is listening: [`Health::Baton`] only when the answer
    /// carries the proof for the client's token (so never for a client without one).
    pub fn health(&self) -> Result<Health, ClientError> {
        let challenge = proof::challenge().map_err(|e| ClientError::Failed {
            url: format!("{}{HEALTH_PATH}", self.base),
            message: format!("cannot make a challenge: {e}"),
        })?;
        let url = format!("{}{HEALTH_PATH}?challenge={challenge}", self.base);
        let mut response = match self.agent.get(&url).call() {
            Ok(r) => r,
            Err(e) => {
                return match Self::failed(&url, e) {
                    ClientError::NotListening(_) => Ok(Health::NotListening),
                    other => Err(other),
                }
            }
        };
        let body: serde_json::Value = response
            .body_mut()
            .read_json()
            .unwrap_or(serde_json::Value::Null);
        let proven = self.token.as_ref().is_some_and(|token| {
            body["service"] == SERVICE
                && body["proof"]
                    .as_str()
                    .is_some_and(|p| proof::verify(token, &self.addr, &challenge, p))
        });
        if proven {
            self.verified.store(true, Ordering::Release);
            Ok(Health::Baton)
        } else {
            Ok(Health::Other)
        }
    }
}
