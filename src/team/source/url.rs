//! A team file at a URL: a raw file in a repository, a shared-drive link, an intranet page.
//!
//! The client is `ureq` 3 (blocking, small, already Baton's HTTP client for the intake) with rustls
//! and the platform verifier, so certificates are checked against the system's trust store (the
//! company's own CA included) rather than a bundled list. Every fetch is bounded: a connect timeout, a
//! total timeout, and a size limit past which reading stops. It is a conditional GET (`If-None-Match`,
//! `If-Modified-Since` from the last good version), so an unchanged file costs one small answer.
//!
//! Only `https://` is fetched, except `http://` to a loopback host (`127.0.0.0/8`, `::1`,
//! `localhost`): tests and a local server. An `https://` URL is never redirected to `http://`; a
//! loopback `http://` URL is not redirected at all. The URL may hold a secret, so messages show it as
//! [`shown`] gives it: scheme, host, port and path only.

use std::net::IpAddr;
use std::time::Duration;

use super::{
    content_hash, Reading, SourceError, SourceKind, SourceSpec, TeamSource, Validators, Version,
};
use crate::team::{Team, TeamFormat, TeamOrigin};

/// Limits on one fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlLimits {
    /// Longest wait for the connection (DNS, TCP and TLS).
    pub connect: Duration,
    /// Longest wait for the whole request, body included.
    pub total: Duration,
    /// Most bytes read from the body.
    pub max_bytes: u64,
}

impl Default for UrlLimits {
    /// 10 s to connect, 30 s in all, 1 MiB (a 1,000-member team file is about 150 KiB).
    fn default() -> Self {
        UrlLimits {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(30),
            max_bytes: 1024 * 1024,
        }
    }
}

/// A team file at a URL.
pub struct UrlSource {
    url: String,
    shown: String,
    limits: UrlLimits,
    agent: ureq::Agent,
}

impl std::fmt::Debug for UrlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UrlSource({})", self.shown)
    }
}

impl UrlSource {
    /// The team file at `url` (checked again at each read: see [`check_url`]), fetched within
    /// `limits`.
    pub fn new(url: &str, limits: UrlLimits) -> UrlSource {
        UrlSource {
            url: url.to_string(),
            shown: shown(url),
            limits,
            agent: agent_for(url, limits),
        }
    }
}

/// The HTTP client for `url` within `limits`: the system's certificates, no redirect from
/// `https://` to `http://`, none at all for a loopback `http://` URL, and Baton's user agent.
pub(crate) fn agent_for(url: &str, limits: UrlLimits) -> ureq::Agent {
    let https = url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(limits.connect))
        .timeout_global(Some(limits.total))
        .https_only(https)
        .max_redirects(if https { 5 } else { 0 })
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .user_agent(concat!("baton/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}

/// What a conditional GET found.
pub(crate) enum Fetched {
    /// 304: what was read last time is still current.
    Unchanged,
    /// 200: the body and its validators.
    Body {
        /// The body, at most the limit's bytes.
        bytes: Vec<u8>,
        /// `ETag`.
        etag: Option<String>,
        /// `Last-Modified`.
        last_modified: Option<String>,
    },
}

/// A conditional GET of `url` (checked by [`check_url`] first) with `agent`, bounded by `limits`;
/// errors name the URL as [`shown`] gives it and never carry its secret parts.
pub(crate) fn conditional_get(
    agent: &ureq::Agent,
    url: &str,
    known: &Validators,
    limits: UrlLimits,
) -> Result<Fetched, SourceError> {
    check_url(url)?;
    let shown_url = shown(url);
    let network = |message: String| SourceError::Network {
        origin: shown_url.clone(),
        message: scrub(&message, url),
    };
    let timeout = || SourceError::Timeout {
        origin: shown_url.clone(),
        seconds: limits.total.as_secs().max(1),
    };
    let mut request = agent.get(url);
    if let Some(etag) = &known.etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(since) = &known.last_modified {
        request = request.header("If-Modified-Since", since);
    }
    let mut response = match request.call() {
        Ok(r) => r,
        Err(ureq::Error::Timeout(_)) => return Err(timeout()),
        Err(ureq::Error::RequireHttpsOnly(_)) => {
            return Err(SourceError::Refused {
                origin: shown_url.clone(),
                message: "the server redirected to a plain http:// address; Baton follows \
                          https:// only"
                    .into(),
            })
        }
        Err(e) => return Err(network(e.to_string())),
    };
    let status = response.status().as_u16();
    if status == 304 && (known.etag.is_some() || known.last_modified.is_some()) {
        return Ok(Fetched::Unchanged);
    }
    if status != 200 {
        return Err(SourceError::Status {
            origin: shown_url.clone(),
            status,
        });
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let bytes = match response
        .body_mut()
        .with_config()
        .limit(limits.max_bytes)
        .read_to_vec()
    {
        Ok(b) => b,
        Err(ureq::Error::BodyExceedsLimit(_)) => {
            return Err(SourceError::TooLarge {
                origin: shown_url.clone(),
                limit: limits.max_bytes,
            })
        }
        Err(ureq::Error::Timeout(_)) => return Err(timeout()),
        Err(e) => return Err(network(e.to_string())),
    };
    Ok(Fetched::Body {
        bytes,
        etag,
        last_modified,
    })
}

impl TeamSource for UrlSource {
    fn spec(&self) -> SourceSpec {
        SourceSpec {
            kind: SourceKind::Url,
            location: self.url.clone(),
        }
    }

    fn read(&mut self, known: &Validators) -> Result<Reading, SourceError> {
        let Fetched::Body {
            bytes,
            etag,
            last_modified,
        } = conditional_get(&self.agent, &self.url, known, self.limits)?
        else {
            return Ok(Reading::Unchanged);
        };
        let hash = content_hash(&[&bytes]);
        let text = String::from_utf8(bytes).map_err(|_| SourceError::Refused {
            origin: self.shown.clone(),
            message: "the team file is not UTF-8 text".into(),
        })?;
        // The URL's path may say the format (`.json`, `.toml`); else the text decides.
        let path = path_of(&self.url);
        let team = match TeamFormat::of(&text, TeamOrigin::Path(std::path::Path::new(&path))) {
            TeamFormat::Json => Team::from_json_str(&text, &self.shown)?,
            TeamFormat::Toml => Team::from_toml_str(&text, &self.shown)?,
        };
        Ok(Reading::Changed(Version {
            team,
            hash,
            etag,
            last_modified,
        }))
    }
}

/// Whether Baton fetches `url`: `https://` to any host, `http://` to a loopback host only.
pub fn check_url(url: &str) -> Result<(), SourceError> {
    let refused = |message: String| SourceError::Refused {
        origin: shown(url),
        message,
    };
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| refused("not a valid URL; use https://host/path/team.toml".into()))?;
    let host = uri
        .host()
        .ok_or_else(|| refused("the URL has no host".into()))?;
    match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        Some("https") => Ok(()),
        Some("http") if is_loopback(host) => Ok(()),
        Some("http") => Err(refused(format!(
            "plain http:// is accepted only for a loopback host (127.0.0.1, ::1, localhost), not \
             {host}; use https://"
        ))),
        _ => Err(refused(
            "only https:// URLs (and http:// to a loopback host) can be followed".into(),
        )),
    }
}

/// Whether `host` (as in a URL, IPv6 in brackets) is the loopback interface.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `url` as people see it: scheme, host, port and path, without user information, query string or
/// fragment (any of which may hold a secret).
///
/// ```
/// use baton::team::source::url::shown;
/// assert_eq!(shown("https://u:pw@ex.com:8443/a/team.toml?token=x#f"), "https://ex.com:8443/a/team.toml");
/// assert_eq!(shown("not a url ?secret"), "the URL");
/// ```
pub fn shown(url: &str) -> String {
    match url.parse::<ureq::http::Uri>() {
        Ok(uri) if uri.host().is_some() => {
            let port = uri.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!(
                "{}://{}{port}{}",
                uri.scheme_str().unwrap_or("https"),
                uri.host().unwrap_or_default(),
                uri.path()
            )
        }
        _ => "the URL".into(),
    }
}

fn path_of(url: &str) -> String {
    url.parse::<ureq::http::Uri>()
        .map(|u| u.path().to_string())
        .unwrap_or_default()
}

/// `message` with the URL's secret parts (the whole URL, its query string, its user information)
/// taken out, in case the HTTP library quoted them.
pub(crate) fn scrub(message: &str, url: &str) -> String {
    let mut out = message.replace(url, &shown(url));
    if let Some((_, query)) = url.split_once('?') {
        if !query.is_empty() {
            out = out.replace(query, "…");
        }
    }
    if let Some(userinfo) = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|auth| auth.rsplit_once('@'))
        .map(|(u, _)| u)
    {
        if !userinfo.is_empty() {
            out = out.replace(userinfo, "…");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_and_loopback_http_are_fetched() {
        for ok in [
            "https://example.com/team.toml",
            "http://127.0.0.1:8080/team.toml",
            "http://127.9.9.9/t",
            "http://[::1]:99/t",
            "http://LOCALHOST/t",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/team.toml",
            "http://10.0.0.1/t",
            "http://[::2]/t",
            "ftp://example.com/t",
            "http://localhost.evil.com/t",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        let e = check_url("http://example.com/team.toml?token=s3cret").unwrap_err();
        assert!(
            !e.to_string().contains("s3cret") && e.to_string().contains("loopback"),
            "{e}"
        );
    }

    #[test]
    fn secrets_are_scrubbed_from_messages() {
        let url = "https://bob:pw@ex.com/t.toml?token=s3cret";
        let m = scrub(&format!("failed {url} (token=s3cret) bob:pw"), url);
        assert!(!m.contains("s3cret") && !m.contains("bob:pw"), "{m}");
    }
}
