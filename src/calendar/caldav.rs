//! A CalDAV (RFC 4791) client: finding a user's calendars (RFC 6764 discovery), reading the events of
//! a window, telling whether a calendar changed (ctag, sync-token), and writing Baton's own events
//! into a calendar ([`publish`]).
//!
//! It is the few WebDAV requests Baton needs (PROPFIND, REPORT, PUT, DELETE, MKCALENDAR) on Baton's
//! own `ureq` 3 agent, with `quick-xml` reading the answers. The CalDAV crates did not fit: `libdav`
//! and `fast-dav-rs` are async on hyper and tokio and would bring a second HTTP and TLS stack beside
//! ureq (with its own certificate handling, where Baton checks against the platform verifier);
//! `minicaldav` is on ureq 2 and GPL-3.0-licensed, and unmaintained since 2023. Being ours, every
//! request follows the same rules as the team file's fetch (see [`crate::team::source::url`]):
//! `https://` only, except `http://` to a loopback host; a connect and a total timeout; a size limit
//! on every answer. Redirects are followed by hand, and only to the host the user gave: the password
//! is sent to no other.
//!
//! XML is read by namespace URI, never by prefix, into a small element tree; a `multistatus` answer
//! is read per response, keeping only the properties of its `200` propstats. Hrefs are resolved
//! against the URL of the request that returned them, so relative and absolute ones both work.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use url::Url;

use crate::team::source::content_hash;
use crate::team::source::url::{check_url, scrub, shown, UrlLimits};
use crate::team::source::SourceError;
use crate::time::interval::Interval;

const DAV: &str = "DAV:";
const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
const CALSERVER: &str = "http://calendarserver.org/ns/";
const APPLE_ICAL: &str = "http://apple.com/ns/ical/";

/// How every UID Baton makes ends: an event with another UID is never Baton's to replace.
pub const BATON_UID_SUFFIX: &str = "@baton.local";

/// Most redirects followed in a row during discovery.
const MAX_REDIRECTS: usize = 5;

/// Deepest XML nesting read (a multistatus answer is about seven deep).
const MAX_XML_DEPTH: usize = 64;

/// Limits for a CalDAV server: 10 s to connect, 60 s in all, 10 MiB per answer (a calendar-query
/// answer holds the whole text of every event of the window).
pub const CALDAV_LIMITS: UrlLimits = UrlLimits {
    connect: Duration::from_secs(10),
    total: Duration::from_secs(60),
    max_bytes: 10 * 1024 * 1024,
};

/// A user name and password for HTTP Basic authentication. Its `Debug` form hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user name.
    pub user: String,
    /// The password (an app password, usually).
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"…")
            .finish()
    }
}

/// Why a CalDAV request failed. Every message names the server as [`shown`] gives it, never the
/// password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaldavError {
    /// The server answered 401: the user name or password is wrong.
    #[error(
        "{server}: the server refused the user name or password (HTTP 401); check them in the \
         calendar's settings"
    )]
    Auth {
        /// The URL asked, as shown.
        server: String,
    },
    /// The server answered 403: the user may not do that there (a read-only or someone else's
    /// calendar).
    #[error(
        "{server}: the server does not let this user do that here (HTTP 403); the calendar may be \
         read-only or another user's"
    )]
    Forbidden {
        /// The URL asked, as shown.
        server: String,
    },
    /// The event changed on the server since Baton last read or wrote it (HTTP 412).
    #[error("{server}: the event changed on the server since Baton last wrote it (HTTP 412)")]
    Conflict {
        /// The event's URL, as shown.
        server: String,
    },
    /// Another unexpected HTTP status.
    #[error("{server}: the server answered HTTP {status} to {method}")]
    Status {
        /// The URL asked, as shown.
        server: String,
        /// The HTTP method.
        method: String,
        /// The status.
        status: u16,
    },
    /// The connection failed (DNS, TCP, TLS, or the connection dropped).
    #[error("{server}: could not reach the server: {message}")]
    Network {
        /// The URL asked, as shown.
        server: String,
        /// What failed, without secrets.
        message: String,
    },
    /// The server did not answer in time.
    #[error("{server}: no answer within {seconds} s")]
    Timeout {
        /// The URL asked, as shown.
        server: String,
        /// The limit.
        seconds: u64,
    },
    /// The answer was larger than the limit.
    #[error("{server}: the answer is larger than {limit} bytes, more than Baton reads")]
    TooLarge {
        /// The URL asked, as shown.
        server: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The answer is not what CalDAV says (bad XML, a missing property, no CalDAV there).
    #[error("{server}: {message}")]
    Protocol {
        /// The URL asked, as shown.
        server: String,
        /// What was wrong.
        message: String,
    },
    /// Baton does not send the request: plain `http://` to another host than loopback, a redirect
    /// to another host, or not a URL.
    #[error("{server}: {message}")]
    Refused {
        /// The URL, as shown.
        server: String,
        /// Why, and what is accepted.
        message: String,
    },
}

/// A calendar collection found by [`CaldavClient::discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCalendar {
    /// The collection's URL.
    pub url: String,
    /// Its `displayname`, or the last part of its path when it has none.
    pub name: String,
    /// Its `CS:getctag`, if the server keeps one.
    pub ctag: Option<String>,
    /// Its `DAV:sync-token` (RFC 6578), if the server keeps one.
    pub sync_token: Option<String>,
    /// Its colour (`calendar-color`, e.g. `#ff0000ff`), if set.
    pub color: Option<String>,
}

/// What says whether a calendar changed: either value differs after any change of its events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CollectionState {
    /// `CS:getctag`.
    pub ctag: Option<String>,
    /// `DAV:sync-token`.
    pub sync_token: Option<String>,
}

/// One calendar object resource (one `.ics`: an event series with its overrides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteObject {
    /// Its URL.
    pub url: String,
    /// Its ETag, as the server sent it.
    pub etag: Option<String>,
    /// Its iCalendar text, with CRLF line ends.
    pub ics: String,
}

/// An event Baton wrote to a calendar: where, its ETag then, and the hash of the text written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The event's URL.
    pub url: String,
    /// Its ETag after Baton's write.
    pub etag: String,
    /// [`content_hash`] of the iCalendar text written.
    pub hash: String,
}

/// A CalDAV account: a base URL and the credentials sent (to that host only).
pub struct CaldavClient {
    base: Url,
    authorization: String,
    limits: UrlLimits,
    agent: ureq::Agent,
}

impl fmt::Debug for CaldavClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaldavClient({})", shown(self.base.as_str()))
    }
}

/// One answer, read whole (within the limit).
struct Answer {
    status: u16,
    etag: Option<String>,
    location: Option<String>,
    body: String,
}

/// One `response` of a multistatus answer.
#[derive(Debug)]
struct DavResponse {
    url: Url,
    /// The properties of its `200` propstats.
    props: Vec<Element>,
}

impl DavResponse {
    fn prop(&self, ns: &str, name: &str) -> Option<&Element> {
        self.props.iter().find(|p| p.is(ns, name))
    }

    fn text(&self, ns: &str, name: &str) -> Option<String> {
        self.prop(ns, name)
            .map(|p| p.text.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// The URL in the `href` inside the property `ns:name`.
    fn href(&self, ns: &str, name: &str) -> Option<Result<Url, url::ParseError>> {
        let href = self.prop(ns, name)?.child(DAV, "href")?;
        Some(self.url.join(href.text.trim()))
    }
}

impl CaldavClient {
    /// A client for the account at `base_url` (the server's address, the principal's or the
    /// calendar home's; [`discover`](Self::discover) finds the rest), with `limits` on every
    /// request. Refused when Baton would not send requests there (see
    /// [`check_url`](crate::team::source::url::check_url)).
    pub fn new(
        base_url: &str,
        creds: Credentials,
        limits: UrlLimits,
    ) -> Result<CaldavClient, CaldavError> {
        let base = parse_checked(base_url)?;
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .allow_non_standard_methods(true)
            .timeout_connect(Some(limits.connect))
            .timeout_global(Some(limits.total))
            .https_only(base.scheme() == "https")
            .max_redirects(0)
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                    .build(),
            )
            .user_agent(concat!("baton/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        let pair = format!("{}:{}", creds.user, creds.password);
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        );
        Ok(CaldavClient {
            base,
            authorization,
            limits,
            agent,
        })
    }

    /// The user's calendars that hold events (RFC 6764 and RFC 4791 discovery).
    ///
    /// The principal (`current-user-principal`) is asked of the base URL, then of
    /// `/.well-known/caldav` on its host (redirects followed, to the same host only); its
    /// `calendar-home-set` is asked of the principal; and the home's members (Depth 1) are kept when
    /// their `resourcetype` is a calendar and their `supported-calendar-component-set` includes
    /// `VEVENT` (a calendar without that property holds every component, RFC 4791 §5.2.3).
    pub fn discover(&self) -> Result<Vec<RemoteCalendar>, CaldavError> {
        let principal = self.principal()?;
        let (url, responses) = self.propfind(&principal, "0", "<C:calendar-home-set/>")?;
        let home = responses
            .iter()
            .find_map(|r| r.href(CALDAV, "calendar-home-set"))
            .ok_or_else(|| protocol(&url, "the principal has no calendar-home-set"))?
            .map_err(|_| protocol(&url, "the calendar-home-set is not a valid URL"))?;
        let props = "<D:resourcetype/><D:displayname/><C:supported-calendar-component-set/>\
                     <CS:getctag/><D:sync-token/><A:calendar-color/>";
        let (_, members) = self.propfind(&home, "1", props)?;
        Ok(members
            .iter()
            .filter(|r| is_event_calendar(r))
            .map(|r| RemoteCalendar {
                url: r.url.to_string(),
                name: r
                    .text(DAV, "displayname")
                    .unwrap_or_else(|| last_segment(&r.url)),
                ctag: r.text(CALSERVER, "getctag"),
                sync_token: r.text(DAV, "sync-token"),
                color: r.text(APPLE_ICAL, "calendar-color"),
            })
            .collect())
    }

    /// The calendar's current ctag and sync-token: when both are as last seen, nothing changed.
    pub fn state(&self, calendar_url: &str) -> Result<CollectionState, CaldavError> {
        let url = self.url(calendar_url)?;
        let (url, responses) = self.propfind(&url, "0", "<CS:getctag/><D:sync-token/>")?;
        let r = responses.first().ok_or_else(|| {
            protocol(
                &url,
                "the calendar's properties are missing from the answer",
            )
        })?;
        Ok(CollectionState {
            ctag: r.text(CALSERVER, "getctag"),
            sync_token: r.text(DAV, "sync-token"),
        })
    }

    /// The calendar's objects with an event in `window` (a calendar-query REPORT with a `VEVENT`
    /// time-range filter), each with its URL, ETag and iCalendar text. A recurring series comes
    /// whole (its rule, exceptions and overrides) when any occurrence falls in the window.
    pub fn objects(
        &self,
        calendar_url: &str,
        window: Interval,
    ) -> Result<Vec<RemoteObject>, CaldavError> {
        let url = self.url(calendar_url)?;
        let stamp = |t: crate::time::interval::Instant| t.format("%Y%m%dT%H%M%SZ").to_string();
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"{CALDAV}\">\
             <D:prop><D:getetag/><C:calendar-data/></D:prop>\
             <C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\">\
             <C:time-range start=\"{}\" end=\"{}\"/>\
             </C:comp-filter></C:comp-filter></C:filter></C:calendar-query>",
            stamp(window.start),
            stamp(window.end)
        );
        let answer = self.send("REPORT", &url, &[("Depth", "1")], Some(&body))?;
        let responses = self.multistatus(&url, "REPORT", answer)?;
        Ok(responses
            .into_iter()
            .filter_map(|r| {
                let data = r.prop(CALDAV, "calendar-data")?;
                Some(RemoteObject {
                    url: r.url.to_string(),
                    etag: r.text(DAV, "getetag"),
                    ics: crlf(&data.text),
                })
            })
            .collect())
    }

    /// Writes the event `{calendar_url}/{uid}.ics` (the UID percent-encoded): a new one with
    /// `If-None-Match: *` when `etag` is `None`, else a replacement with `If-Match: etag`. Answers
    /// the new ETag, read back when the server does not send one. A precondition that fails (the
    /// event exists, or changed since) is [`CaldavError::Conflict`].
    pub fn put(
        &self,
        calendar_url: &str,
        uid: &str,
        ics: &str,
        etag: Option<&str>,
    ) -> Result<String, CaldavError> {
        let url = self.object_url(calendar_url, uid)?;
        self.put_at(&url, ics, etag)
    }

    /// Deletes the object at `object_url`, only if its ETag is still `etag` when one is given. One
    /// that is already gone counts as deleted.
    pub fn delete(&self, object_url: &str, etag: Option<&str>) -> Result<(), CaldavError> {
        let url = self.url(object_url)?;
        let mut headers = Vec::new();
        if let Some(etag) = etag {
            headers.push(("If-Match", etag));
        }
        let answer = self.send("DELETE", &url, &headers, None)?;
        match answer.status {
            200 | 202 | 204 | 404 => Ok(()),
            status => Err(self.status_error(&url, "DELETE", status)),
        }
    }

    /// Creates the calendar collection `calendar_url` (MKCALENDAR) named `name`, for the
    /// `components` given (e.g. `["VEVENT"]`).
    pub fn make_calendar(
        &self,
        calendar_url: &str,
        name: &str,
        components: &[&str],
    ) -> Result<(), CaldavError> {
        let url = self.url(calendar_url)?;
        let comps: String = components
            .iter()
            .map(|c| format!("<C:comp name=\"{}\"/>", quick_xml::escape::escape(*c)))
            .collect();
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"{CALDAV}\"><D:set><D:prop>\
             <D:displayname>{}</D:displayname>\
             <C:supported-calendar-component-set>{comps}</C:supported-calendar-component-set>\
             </D:prop></D:set></C:mkcalendar>",
            quick_xml::escape::escape(name)
        );
        let answer = self.send("MKCALENDAR", &url, &[], Some(&body))?;
        match answer.status {
            200 | 201 => Ok(()),
            status => Err(self.status_error(&url, "MKCALENDAR", status)),
        }
    }

    /// The URL of the event `uid` in the calendar: `{calendar_url}/{uid}.ics`.
    fn object_url(&self, calendar_url: &str, uid: &str) -> Result<Url, CaldavError> {
        let mut url = self.url(calendar_url)?;
        let refused = || CaldavError::Refused {
            server: shown(calendar_url),
            message: "the calendar URL cannot hold an event path".into(),
        };
        url.path_segments_mut()
            .map_err(|()| refused())?
            .pop_if_empty()
            .push(&format!("{uid}.ics"));
        Ok(url)
    }

    fn put_at(&self, url: &Url, ics: &str, etag: Option<&str>) -> Result<String, CaldavError> {
        let condition = match etag {
            Some(etag) => ("If-Match", etag),
            None => ("If-None-Match", "*"),
        };
        let headers = [("Content-Type", "text/calendar; charset=utf-8"), condition];
        let answer = self.send("PUT", url, &headers, Some(ics))?;
        match answer.status {
            200 | 201 | 204 => {}
            status => return Err(self.status_error(url, "PUT", status)),
        }
        if let Some(etag) = answer.etag {
            return Ok(etag);
        }
        self.etag_of(url)?
            .ok_or_else(|| protocol(url, "the server gave the event no ETag"))
    }

    /// The current ETag of the object at `url` (`None` when it is gone).
    fn etag_of(&self, url: &Url) -> Result<Option<String>, CaldavError> {
        match self.propfind(url, "0", "<D:getetag/>") {
            Ok((_, responses)) => Ok(responses.iter().find_map(|r| r.text(DAV, "getetag"))),
            Err(CaldavError::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The principal's URL: asked of the base URL, then of `/.well-known/caldav`.
    fn principal(&self) -> Result<Url, CaldavError> {
        let mut well_known = self.base.clone();
        well_known.set_path("/.well-known/caldav");
        well_known.set_query(None);
        let mut last = None;
        for start in [self.base.clone(), well_known] {
            match self.propfind(&start, "0", "<D:current-user-principal/>") {
                Ok((url, responses)) => {
                    match responses
                        .iter()
                        .find_map(|r| r.href(DAV, "current-user-principal"))
                    {
                        Some(Ok(principal)) => return Ok(principal),
                        Some(Err(_)) => {
                            last = Some(protocol(&url, "the current-user-principal is not a URL"))
                        }
                        None => last = Some(protocol(
                            &url,
                            "the server did not say who the user is (no current-user-principal); \
                             is this a CalDAV address?",
                        )),
                    }
                }
                // Another place on the same host is no likelier to work.
                Err(
                    e @ (CaldavError::Auth { .. }
                    | CaldavError::Network { .. }
                    | CaldavError::Timeout { .. }
                    | CaldavError::Refused { .. }),
                ) => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| protocol(&self.base, "no CalDAV service found")))
    }

    /// PROPFIND `props` on `url` at `depth`, following redirects to the same host. Answers the URL
    /// that answered and its responses.
    fn propfind(
        &self,
        url: &Url,
        depth: &str,
        props: &str,
    ) -> Result<(Url, Vec<DavResponse>), CaldavError> {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <D:propfind xmlns:D=\"DAV:\" xmlns:C=\"{CALDAV}\" xmlns:CS=\"{CALSERVER}\" \
             xmlns:A=\"{APPLE_ICAL}\"><D:prop>{props}</D:prop></D:propfind>"
        );
        let mut url = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let answer = self.send(
                "PROPFIND",
                &url,
                &[
                    ("Depth", depth),
                    ("Content-Type", "application/xml; charset=utf-8"),
                ],
                Some(&body),
            )?;
            if matches!(answer.status, 301 | 302 | 303 | 307 | 308) {
                let location = answer
                    .location
                    .as_deref()
                    .ok_or_else(|| protocol(&url, "a redirect without a Location"))?;
                url = url
                    .join(location)
                    .map_err(|_| protocol(&url, "a redirect to something that is not a URL"))?;
                continue;
            }
            let responses = self.multistatus(&url, "PROPFIND", answer)?;
            return Ok((url, responses));
        }
        Err(protocol(
            &url,
            &format!("more than {MAX_REDIRECTS} redirects in a row"),
        ))
    }

    /// The responses of a `207 Multi-Status` answer to a request on `url`.
    fn multistatus(
        &self,
        url: &Url,
        method: &str,
        answer: Answer,
    ) -> Result<Vec<DavResponse>, CaldavError> {
        if answer.status != 207 {
            return Err(self.status_error(url, method, answer.status));
        }
        parse_multistatus(url, &answer.body).map_err(|message| protocol(url, &message))
    }

    /// `href` parsed, and checked to be a place Baton sends this account's requests to.
    fn url(&self, href: &str) -> Result<Url, CaldavError> {
        let url = self
            .base
            .join(href)
            .map_err(|_| refused(href, "not a valid URL"))?;
        self.check(&url)?;
        Ok(url)
    }

    /// Baton's rules for a request: https (or http to loopback), and the base URL's host and port
    /// only (the password goes nowhere else).
    fn check(&self, url: &Url) -> Result<(), CaldavError> {
        check_url(url.as_str()).map_err(|e| refused_source(url.as_str(), e))?;
        if url.origin() != self.base.origin() {
            return Err(refused(
                url.as_str(),
                &format!(
                    "the server pointed to another host than {}; Baton sends the password only \
                     to the host it was given",
                    shown(self.base.as_str())
                ),
            ));
        }
        Ok(())
    }

    fn status_error(&self, url: &Url, method: &str, status: u16) -> CaldavError {
        let server = shown(url.as_str());
        match status {
            401 => CaldavError::Auth { server },
            403 => CaldavError::Forbidden { server },
            412 => CaldavError::Conflict { server },
            _ => CaldavError::Status {
                server,
                method: method.to_string(),
                status,
            },
        }
    }

    /// Sends one request and reads its answer whole, within the limits.
    fn send(
        &self,
        method: &str,
        url: &Url,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Answer, CaldavError> {
        self.check(url)?;
        let server = || shown(url.as_str());
        let network = |e: ureq::Error| match e {
            ureq::Error::Timeout(_) => CaldavError::Timeout {
                server: server(),
                seconds: self.limits.total.as_secs().max(1),
            },
            ureq::Error::BodyExceedsLimit(_) => CaldavError::TooLarge {
                server: server(),
                limit: self.limits.max_bytes,
            },
            ureq::Error::RequireHttpsOnly(_) => refused(
                url.as_str(),
                "the server redirected to a plain http:// address; Baton follows https:// only",
            ),
            e => CaldavError::Network {
                server: server(),
                message: scrub(&e.to_string(), url.as_str()),
            },
        };
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(url.as_str())
            .header("Authorization", &self.authorization);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let built = |e: ureq::http::Error| CaldavError::Refused {
            server: server(),
            message: format!("the request could not be made: {e}"),
        };
        let result = match body {
            Some(body) => self.agent.run(request.body(body).map_err(built)?),
            None => self.agent.run(request.body(()).map_err(built)?),
        };
        let mut response = result.map_err(network)?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (etag, location) = (header("etag"), header("location"));
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.limits.max_bytes)
            .read_to_vec()
            .map_err(network)?;
        let body =
            String::from_utf8(bytes).map_err(|_| protocol(url, "the answer is not UTF-8 text"))?;
        Ok(Answer {
            status,
            etag,
            location,
            body,
        })
    }
}

/// What [`publish`] does with one UID.
#[derive(Debug, PartialEq, Eq)]
enum Step<'a> {
    /// Desired and not known: PUT as new.
    Create { uid: &'a str, ics: &'a str },
    /// Desired, known, and its text changed: PUT over the known ETag.
    Replace {
        uid: &'a str,
        ics: &'a str,
        known: &'a Published,
    },
    /// Desired and unchanged: nothing to send.
    Keep { uid: &'a str, known: &'a Published },
    /// Known and no longer desired: DELETE at the known ETag.
    Remove { uid: &'a str, known: &'a Published },
}

/// The steps that make the calendar's Baton-made events `desired`, given what was `known`. Only
/// UIDs in `desired` or `known` appear.
fn plan<'a>(
    desired: &'a BTreeMap<String, String>,
    known: &'a BTreeMap<String, Published>,
) -> Vec<Step<'a>> {
    let mut steps: Vec<Step<'a>> = desired
        .iter()
        .map(|(uid, ics)| match known.get(uid) {
            None => Step::Create { uid, ics },
            Some(k) if k.hash == hash_of(ics) => Step::Keep { uid, known: k },
            Some(k) => Step::Replace { uid, ics, known: k },
        })
        .collect();
    steps.extend(
        known
            .iter()
            .filter(|(uid, _)| !desired.contains_key(*uid))
            .map(|(uid, k)| Step::Remove { uid, known: k }),
    );
    steps
}

fn hash_of(ics: &str) -> String {
    content_hash(&[ics.as_bytes()])
}

/// Makes the calendar's Baton-made events equal `desired` (UID → iCalendar text): PUTs new and
/// changed ones, DELETEs the ones Baton made that are no longer desired. `known` is what Baton
/// published last time (UID → URL, ETag, content hash). Never touches an event whose UID is in
/// neither `known` nor `desired`; an unchanged event costs no request. Answers the new `known`.
///
/// An event changed on the server since Baton wrote it (someone moved Baton's focus block in
/// another client) is Baton's to set: its current ETag is read and the write repeated once. A new
/// event whose URL is taken (a `known` lost after a failed publish) is replaced the same way, but
/// only when its UID ends with [`BATON_UID_SUFFIX`]; anything else is a [`CaldavError::Conflict`].
pub fn publish(
    client: &CaldavClient,
    calendar_url: &str,
    desired: &BTreeMap<String, String>,
    known: &BTreeMap<String, Published>,
) -> Result<BTreeMap<String, Published>, CaldavError> {
    let mut out = BTreeMap::new();
    for step in plan(desired, known) {
        match step {
            Step::Keep { uid, known } => {
                out.insert(uid.to_string(), known.clone());
            }
            Step::Create { uid, ics } => {
                let url = client.object_url(calendar_url, uid)?;
                let etag = match client.put_at(&url, ics, None) {
                    Err(CaldavError::Conflict { .. }) if uid.ends_with(BATON_UID_SUFFIX) => {
                        overwrite(client, &url, ics)?
                    }
                    other => other?,
                };
                out.insert(uid.to_string(), published(&url, etag, ics));
            }
            Step::Replace { uid, ics, known } => {
                let url = client.url(&known.url)?;
                let etag = match client.put_at(&url, ics, Some(&known.etag)) {
                    Err(CaldavError::Conflict { .. }) => overwrite(client, &url, ics)?,
                    other => other?,
                };
                out.insert(uid.to_string(), published(&url, etag, ics));
            }
            Step::Remove { known, .. } => match client.delete(&known.url, Some(&known.etag)) {
                Err(CaldavError::Conflict { .. }) => {
                    let url = client.url(&known.url)?;
                    if let Some(etag) = client.etag_of(&url)? {
                        client.delete(&known.url, Some(&etag))?;
                    }
                }
                other => other?,
            },
        }
    }
    Ok(out)
}

/// PUT `ics` over whatever is at `url` now, at its current ETag (as new when it is gone).
fn overwrite(client: &CaldavClient, url: &Url, ics: &str) -> Result<String, CaldavError> {
    let current = client.etag_of(url)?;
    client.put_at(url, ics, current.as_deref())
}

fn published(url: &Url, etag: String, ics: &str) -> Published {
    Published {
        url: url.to_string(),
        etag,
        hash: hash_of(ics),
    }
}

fn protocol(url: &Url, message: &str) -> CaldavError {
    CaldavError::Protocol {
        server: shown(url.as_str()),
        message: message.to_string(),
    }
}

fn refused(url: &str, message: &str) -> CaldavError {
    CaldavError::Refused {
        server: shown(url),
        message: message.to_string(),
    }
}

fn refused_source(url: &str, e: SourceError) -> CaldavError {
    match e {
        SourceError::Refused { origin, message } => CaldavError::Refused {
            server: origin,
            message,
        },
        other => refused(url, &other.to_string()),
    }
}

/// `url` parsed and within Baton's rules for where requests go.
fn parse_checked(url: &str) -> Result<Url, CaldavError> {
    let parsed = Url::parse(url).map_err(|_| {
        refused(
            url,
            "not a valid URL; use the server's address, e.g. https://dav.example.com/",
        )
    })?;
    check_url(parsed.as_str()).map_err(|e| refused_source(url, e))?;
    Ok(parsed)
}

/// Whether a response is a calendar collection that holds events.
fn is_event_calendar(r: &DavResponse) -> bool {
    let calendar = r
        .prop(DAV, "resourcetype")
        .is_some_and(|t| t.child(CALDAV, "calendar").is_some());
    let events = match r.prop(CALDAV, "supported-calendar-component-set") {
        None => true,
        Some(set) => set.children.iter().any(|c| {
            c.is(CALDAV, "comp")
                && c.attribute("name")
                    .is_some_and(|n| n.eq_ignore_ascii_case("VEVENT"))
        }),
    };
    calendar && events
}

/// The last non-empty part of `url`'s path, percent-decoded.
fn last_segment(url: &Url) -> String {
    let segment = url
        .path_segments()
        .and_then(|mut s| s.rfind(|p| !p.is_empty()))
        .unwrap_or_default();
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// `text` with CRLF line ends (XML reading turns them into LF; RFC 5545 writes CRLF).
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// An XML element, its namespace resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Element {
    ns: String,
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn is(&self, ns: &str, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    fn children_named<'a>(
        &'a self,
        ns: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.is(ns, name))
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a whole XML document into its root element.
fn parse_xml(text: &str) -> Result<Element, String> {
    let mut reader = NsReader::from_str(text);
    let mut open: Vec<Element> = Vec::new();
    let bad = |e: quick_xml::Error| format!("the answer is not valid XML: {e}");
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(bad)?;
        let ns = match ns {
            ResolveResult::Bound(ns) => ns.into_inner().to_string(),
            ResolveResult::Unbound => String::new(),
            ResolveResult::Unknown(prefix) => {
                return Err(format!(
                    "the answer is not valid XML: the prefix {prefix} is not declared"
                ))
            }
        };
        match event {
            Event::Start(start) => {
                if open.len() >= MAX_XML_DEPTH {
                    return Err(format!(
                        "the answer nests deeper than {MAX_XML_DEPTH} elements"
                    ));
                }
                open.push(element(ns, &start)?);
            }
            Event::Empty(start) => {
                if let Some(root) = attach(&mut open, element(ns, &start)?) {
                    return Ok(root);
                }
            }
            Event::End(_) => {
                let done = open
                    .pop()
                    .ok_or_else(|| "the answer is not valid XML".to_string())?;
                if let Some(root) = attach(&mut open, done) {
                    return Ok(root);
                }
            }
            Event::Text(t) => {
                if let Some(top) = open.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = open.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    quick_xml::escape::resolve_predefined_entity(&r).map(String::from)
                };
                let resolved = resolved
                    .ok_or_else(|| format!("the answer uses an unknown entity &{};", &*r))?;
                if let Some(top) = open.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => return Err("the answer ends before its XML does".into()),
            _ => {}
        }
    }
}

fn element(ns: String, start: &BytesStart<'_>) -> Result<Element, String> {
    let mut attributes = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| format!("the answer is not valid XML: {e}"))?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("the answer is not valid XML: {e}"))?;
        attributes.push((a.key.local_name().as_ref().to_string(), value.into_owned()));
    }
    Ok(Element {
        ns,
        name: start.local_name().as_ref().to_string(),
        attributes,
        children: Vec::new(),
        text: String::new(),
    })
}

/// Puts `done` into its parent, or answers it when it is the root.
fn attach(open: &mut [Element], done: Element) -> Option<Element> {
    match open.last_mut() {
        Some(parent) => {
            parent.children.push(done);
            None
        }
        None => Some(done),
    }
}

/// The responses of a multistatus document answered for `request`, each with the properties of
/// its `200` propstats.
fn parse_multistatus(request: &Url, text: &str) -> Result<Vec<DavResponse>, String> {
    let root = parse_xml(text)?;
    if !root.is(DAV, "multistatus") {
        return Err("the answer is not a WebDAV multistatus".into());
    }
    let mut out = Vec::new();
    for response in root.children_named(DAV, "response") {
        let href = response
            .child(DAV, "href")
            .ok_or_else(|| "a response without an href".to_string())?;
        let url = request
            .join(href.text.trim())
            .map_err(|_| format!("the href {} is not a URL", href.text.trim()))?;
        let props = response
            .children_named(DAV, "propstat")
            .filter(|ps| {
                ps.child(DAV, "status")
                    .is_some_and(|s| status_of(&s.text) == Some(200))
            })
            .filter_map(|ps| ps.child(DAV, "prop"))
            .flat_map(|p| p.children.iter().cloned())
            .collect();
        out.push(DavResponse { url, props });
    }
    Ok(out)
}

/// The code of a status line (`HTTP/1.1 200 OK`).
fn status_of(line: &str) -> Option<u16> {
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn multistatus_is_read_by_namespace_with_relative_hrefs_and_only_200_propstats() {
        // Prefixes differ from ours (and DAV: is the default namespace); one href is relative, one
        // absolute, one a full URL; the 404 propstat's (empty) getctag must not be taken.
        let xml = r#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:x="http://calendarserver.org/ns/">
 <response><href>work/</href>
  <propstat><prop><displayname>Work &amp; more</displayname>
   <resourcetype><collection/><cal:calendar/></resourcetype>
   <cal:supported-calendar-component-set><cal:comp name="VEVENT"/></cal:supported-calendar-component-set>
  </prop><status>HTTP/1.1 200 OK</status></propstat>
  <propstat><prop><x:getctag/></prop><status>HTTP/1.1 404 Not Found</status></propstat>
 </response>
 <response><href>/ana/tasks%20list/</href>
  <propstat><prop><resourcetype><collection/><cal:calendar/></resourcetype>
   <cal:supported-calendar-component-set><cal:comp name="VTODO"/></cal:supported-calendar-component-set>
   <x:getctag>"7"</x:getctag></prop><status>HTTP/1.1 200 OK</status></propstat>
 </response>
 <response><href>https://dav.example.com/ana/all/</href>
  <propstat><prop><resourcetype><cal:calendar/></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat>
 </response>
</multistatus>"#;
        let rs = parse_multistatus(&url("https://dav.example.com/ana/"), xml).unwrap();
        assert_eq!(rs.len(), 3);
        assert_eq!(rs[0].url.as_str(), "https://dav.example.com/ana/work/");
        assert_eq!(
            rs[0].text(DAV, "displayname").as_deref(),
            Some("Work & more")
        );
        assert_eq!(
            rs[0].text(CALSERVER, "getctag"),
            None,
            "404 propstat ignored"
        );
        assert!(is_event_calendar(&rs[0]));
        assert_eq!(
            rs[1].url.as_str(),
            "https://dav.example.com/ana/tasks%20list/"
        );
        assert_eq!(last_segment(&rs[1].url), "tasks list");
        assert_eq!(rs[1].text(CALSERVER, "getctag").as_deref(), Some("\"7\""));
        assert!(!is_event_calendar(&rs[1]), "VTODO only");
        assert!(
            is_event_calendar(&rs[2]),
            "no component set: every component"
        );
    }

    #[test]
    fn bad_xml_and_undeclared_prefixes_and_unknown_entities_are_refused() {
        let base = url("https://dav.example.com/");
        for bad in [
            "<multistatus xmlns=\"DAV:\"><response>",
            "<D:multistatus/>",
            "<multistatus xmlns=\"DAV:\">&xxe;</multistatus>",
            "<multistatus xmlns=\"urn:other\"/>",
            "not xml at all",
        ] {
            assert!(parse_multistatus(&base, bad).is_err(), "{bad}");
        }
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        assert!(parse_xml(&deep).unwrap_err().contains("deeper"));
    }

    #[test]
    fn calendar_data_gets_crlf_line_ends() {
        assert_eq!(crlf("A\nB\r\nC"), "A\r\nB\r\nC");
    }

    fn known(url: &str, etag: &str, ics: &str) -> Published {
        Published {
            url: url.into(),
            etag: etag.into(),
            hash: hash_of(ics),
        }
    }

    #[test]
    fn the_plan_creates_replaces_keeps_and_removes_only_what_is_baton_s() {
        let desired: BTreeMap<String, String> = [
            ("new@baton.local", "N"),
            ("same@baton.local", "S"),
            ("moved@baton.local", "M2"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let known: BTreeMap<String, Published> = [
            ("same@baton.local", known("u/s", "e1", "S")),
            ("moved@baton.local", known("u/m", "e2", "M1")),
            ("gone@baton.local", known("u/g", "e3", "G")),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b))
        .collect();
        let steps = plan(&desired, &known);
        assert_eq!(
            steps.len(),
            4,
            "one step per uid in either map, nothing else"
        );
        assert!(steps.contains(&Step::Create {
            uid: "new@baton.local",
            ics: "N"
        }));
        assert!(steps.contains(&Step::Keep {
            uid: "same@baton.local",
            known: &known["same@baton.local"]
        }));
        assert!(steps.contains(&Step::Replace {
            uid: "moved@baton.local",
            ics: "M2",
            known: &known["moved@baton.local"]
        }));
        assert!(steps.contains(&Step::Remove {
            uid: "gone@baton.local",
            known: &known["gone@baton.local"]
        }));
    }

    #[test]
    fn plain_http_goes_to_loopback_only_and_the_password_to_the_base_host_only() {
        let creds = Credentials {
            user: "ana".into(),
            password: "s3cret".into(),
        };
        let e =
            CaldavClient::new("http://dav.example.com/", creds.clone(), CALDAV_LIMITS).unwrap_err();
        assert!(matches!(e, CaldavError::Refused { .. }), "{e}");
        let client =
            CaldavClient::new("http://127.0.0.1:1/dav/", creds.clone(), CALDAV_LIMITS).unwrap();
        let e = client.url("http://localhost:1/other/").unwrap_err();
        assert!(e.to_string().contains("only to the host"), "{e}");
        assert!(client.url("/dav/cal/").is_ok());
        let debug = format!("{creds:?} {client:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
    }

    #[test]
    fn an_event_url_is_the_calendar_url_and_the_percent_encoded_uid() {
        let creds = Credentials {
            user: "ana".into(),
            password: "pw".into(),
        };
        let client = CaldavClient::new("https://dav.example.com/", creds, CALDAV_LIMITS).unwrap();
        for cal in ["https://dav.example.com/ana/work/", "/ana/work"] {
            let u = client.object_url(cal, "a b/c@baton.local").unwrap();
            assert_eq!(
                u.as_str(),
                "https://dav.example.com/ana/work/a%20b%2Fc@baton.local.ics"
            );
        }
    }
}
