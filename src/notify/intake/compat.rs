//! The publishing forms of tools nobody here wrote, each turned into the fields of a Baton notification,
//! which [`submission::from_value`] then checks as it checks Baton's own JSON (so every limit and
//! character rule holds on every path, and a problem names the field as the sender calls it):
//!
//! - **ntfy**: `POST`/`PUT /{topic}` with the message as the body and ntfy's headers or query
//!   parameters, or `POST /` with ntfy's JSON body (which may come with the headers too, as Apprise
//!   sends it). The topic is the source.
//! - **Gotify**: `POST /message` with a JSON or form body; the source is `gotify`.
//! - **Alertmanager** and **Grafana** webhooks: one item per alert group.
//!
//! What a sender wrote is checked strictly (a title too long, a priority out of range: 400 naming it).
//! What Baton derives itself (a title from the message's first line, an alert group's text) is cleaned
//! and shortened instead, since the sender cannot change it: control characters become spaces and
//! invisible ones are dropped.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::answer::CompatSettings;
use super::submission::{
    self, invisible, MAX_NAME_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS,
};
use crate::error::FieldProblem;
use crate::notify::notification::Urgency;

/// A request converted to Baton's fields, with what its answer echoes.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// The fields of a Baton notification, for [`submission::from_value`].
    pub fields: Map<String, Value>,
    /// Baton's field names → the sender's, to name problems as the sender calls them.
    pub names: &'static [(&'static str, &'static str)],
    /// What the answer repeats back, in the sender's protocol.
    pub echo: Value,
}

impl Converted {
    /// `problems` (named by Baton's fields) named as the sender calls them.
    pub fn rename(&self, problems: Vec<FieldProblem>) -> Vec<FieldProblem> {
        problems
            .into_iter()
            .map(|mut p| {
                if let Some((_, theirs)) = self.names.iter().find(|(ours, _)| *ours == p.field) {
                    p.field = (*theirs).to_string();
                }
                p
            })
            .collect()
    }
}

/// ntfy's field names for Baton's.
const NTFY_NAMES: &[(&str, &str)] = &[
    ("source", "topic"),
    ("body", "message"),
    ("urgency", "priority"),
    ("url", "click"),
    ("idempotency_key", "sequence_id"),
];

/// Gotify's field names for Baton's.
const GOTIFY_NAMES: &[(&str, &str)] = &[
    ("body", "message"),
    ("urgency", "priority"),
    ("url", "extras"),
];

/// What a request carries besides its body: its headers (names lowercased) and its query parameters
/// (decoded), in order.
#[derive(Debug, Clone, Copy)]
pub struct Params<'a> {
    /// The request's headers.
    pub headers: &'a axum::http::HeaderMap,
    /// Decoded query parameters.
    pub query: &'a [(String, String)],
}

/// One ntfy parameter: its header names, then the names it may have as a query parameter.
struct Param {
    headers: &'static [&'static str],
    query: &'static [&'static str],
}

const MESSAGE: Param = Param {
    headers: &["x-message", "message", "m"],
    query: &["message", "m", "x-message"],
};
const TITLE: Param = Param {
    headers: &["x-title", "title", "t"],
    query: &["title", "t", "x-title"],
};
const PRIORITY: Param = Param {
    headers: &["x-priority", "priority", "prio", "p"],
    query: &["priority", "prio", "p", "x-priority"],
};
const TAGS: Param = Param {
    headers: &["x-tags", "tags", "tag", "ta"],
    query: &["tags", "tag", "ta", "x-tags"],
};
const CLICK: Param = Param {
    headers: &["x-click", "click"],
    query: &["click", "x-click"],
};
const SEQUENCE: Param = Param {
    headers: &["x-sequence-id", "sequence-id", "sid"],
    query: &["sequence_id", "sid", "x-sequence-id"],
};
/// Baton's own: the group (thread) an item belongs to.
const GROUP: Param = Param {
    headers: &["x-group", "group"],
    query: &["group", "x-group"],
};
/// Baton's own retry key, as on `/v1/notifications` (an ntfy sequence id does the same).
const IDEMPOTENCY: Param = Param {
    headers: &["idempotency-key"],
    query: &["idempotency_key"],
};

/// ntfy query parameters Baton reads elsewhere or accepts without using: the credentials (read by the
/// guard), and features that have no place here (Baton's policy decides when an item is shown, and it
/// shows text only).
const NTFY_ACCEPTED: &[&str] = &[
    "auth",
    // Refused by `ntfy_text` itself, naming it: a file as the body.
    "filename",
    "file",
    "f",
    "x-filename",
    "authorization",
    "actions",
    "action",
    "x-actions",
    "attach",
    "a",
    "x-attach",
    "icon",
    "x-icon",
    "markdown",
    "md",
    "x-markdown",
    "delay",
    "at",
    "in",
    "x-delay",
    "x-at",
    "x-in",
    "email",
    "e-mail",
    "mail",
    "e",
    "x-email",
    "x-e-mail",
    "call",
    "x-call",
    "cache",
    "x-cache",
    "firebase",
    "x-firebase",
    "unifiedpush",
    "up",
    "x-unifiedpush",
    "poll-id",
    "x-poll-id",
];

/// Query parameters every ntfy publish may carry, for the error naming an unknown one.
const NTFY_PARAMS: [&Param; 8] = [
    &MESSAGE,
    &TITLE,
    &PRIORITY,
    &TAGS,
    &CLICK,
    &SEQUENCE,
    &GROUP,
    &IDEMPOTENCY,
];

impl Params<'_> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.get(name).map(|v| v.as_bytes())
    }

    /// The parameter's value: the first header that has one, else the first query parameter; an
    /// empty value counts as none. `Err` names it when a header is not UTF-8.
    fn get(&self, param: &Param) -> Result<Option<String>, FieldProblem> {
        for name in param.headers {
            if let Some(raw) = self.header(name) {
                let Ok(text) = std::str::from_utf8(raw) else {
                    return Err(FieldProblem::new(
                        param.headers[0],
                        "the header is not UTF-8 text",
                    ));
                };
                if !text.trim().is_empty() {
                    return Ok(Some(text.trim().to_string()));
                }
            }
        }
        Ok(param.query.iter().find_map(|name| {
            self.query
                .iter()
                .find(|(k, v)| k == name && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
        }))
    }

    /// Query parameters that no ntfy publish has.
    fn unknown_ntfy_query(&self) -> Vec<FieldProblem> {
        self.query
            .iter()
            .filter(|(k, _)| {
                !NTFY_ACCEPTED.contains(&k.as_str())
                    && !NTFY_PARAMS.iter().any(|p| p.query.contains(&k.as_str()))
            })
            .map(|(k, _)| {
                FieldProblem::new(
                    k,
                    "unknown parameter; known: message, title, priority, tags, click, sequence_id, \
                     group, idempotency_key, auth (and ntfy's others, which Baton accepts and ignores)",
                )
            })
            .collect()
    }
}

/// Whether `topic` is an ntfy topic name: 1 to 64 of `A-Z a-z 0-9 _ -`.
pub fn is_topic(topic: &str) -> bool {
    (1..=64).contains(&topic.len())
        && topic
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn topic_problem() -> FieldProblem {
    FieldProblem::new(
        "topic",
        "must be 1 to 64 letters, digits, '_' or '-' (an ntfy topic name)",
    )
}

/// ntfy's priority, 1 to 5, from a number or a name (`min`, `low`, `default`, `high`, `max`,
/// `urgent`).
pub fn ntfy_priority(value: &str) -> Option<u8> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "min" => Some(1),
        "2" | "low" => Some(2),
        "3" | "default" => Some(3),
        "4" | "high" => Some(4),
        "5" | "max" | "urgent" => Some(5),
        _ => None,
    }
}

/// The urgency of ntfy's priority 1 to 5 (5 as `compat.top_priority` says).
pub fn ntfy_urgency(priority: u8, compat: &CompatSettings) -> Urgency {
    match priority {
        1 | 2 => Urgency::Low,
        3 => Urgency::Normal,
        4 => Urgency::High,
        _ => compat.top_priority,
    }
}

/// The urgency of Gotify's priority 0 to 10 (8 to 10 as `compat.top_priority` says).
pub fn gotify_urgency(priority: i64, compat: &CompatSettings) -> Urgency {
    match priority {
        ..=3 => Urgency::Low,
        4..=7 => Urgency::Normal,
        _ => compat.top_priority,
    }
}

fn priority_problem() -> FieldProblem {
    FieldProblem::new(
        "priority",
        "use 1 to 5, or min, low, default, high, max or urgent",
    )
}

/// What the ntfy forms share, once read from the headers, the query and (for `POST /`) the JSON body.
#[derive(Debug, Default)]
struct Ntfy {
    topic: String,
    message: Option<String>,
    title: Option<String>,
    priority: Option<u8>,
    tags: Vec<String>,
    click: Option<String>,
    sequence: Option<String>,
    group: Option<String>,
    idempotency: Option<String>,
}

impl Ntfy {
    /// Reads every parameter from `params` (headers first, then the query).
    fn from_params(params: &Params<'_>, problems: &mut Vec<FieldProblem>) -> Ntfy {
        let mut get = |p: &Param| {
            params.get(p).unwrap_or_else(|problem| {
                problems.push(problem);
                None
            })
        };
        let message = get(&MESSAGE).map(|m| m.replace("\\n", "\n"));
        let title = get(&TITLE);
        let priority_text = get(&PRIORITY);
        let tags = get(&TAGS);
        let click = get(&CLICK);
        let sequence = get(&SEQUENCE);
        let group = get(&GROUP);
        let idempotency = get(&IDEMPOTENCY);
        let priority = priority_text.and_then(|p| {
            let parsed = ntfy_priority(&p);
            if parsed.is_none() {
                problems.push(priority_problem());
            }
            parsed
        });
        problems.extend(params.unknown_ntfy_query());
        Ntfy {
            topic: String::new(),
            message,
            title,
            priority,
            tags: tags.map(|t| split_tags(&t)).unwrap_or_default(),
            click,
            sequence,
            group,
            idempotency,
        }
    }

    /// Baton's fields, and ntfy's answer's echo.
    fn convert(self, compat: &CompatSettings) -> Converted {
        let message = self
            .message
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| "triggered".to_string());
        let mut fields = Map::new();
        fields.insert("source".into(), json!(self.topic));
        let (title, body) = title_and_body(self.title.as_deref(), &message);
        fields.insert("title".into(), json!(title));
        if let Some(body) = body {
            fields.insert("body".into(), json!(body));
        }
        if let Some(p) = self.priority {
            fields.insert("urgency".into(), json!(ntfy_urgency(p, compat).as_str()));
        }
        let group = self.group.or_else(|| {
            self.tags
                .iter()
                .find_map(|t| t.strip_prefix("group:").map(|g| g.trim().to_string()))
                .filter(|g| !g.is_empty())
        });
        if let Some(g) = group {
            fields.insert("group".into(), json!(g));
        }
        if let Some(c) = &self.click {
            fields.insert("url".into(), json!(c));
        }
        if let Some(k) = self.idempotency.as_ref().or(self.sequence.as_ref()) {
            fields.insert("idempotency_key".into(), json!(k));
        }
        let mut echo = Map::new();
        echo.insert("event".into(), json!("message"));
        echo.insert("topic".into(), json!(self.topic));
        if let Some(t) = &self.title {
            echo.insert("title".into(), json!(t));
        }
        echo.insert("message".into(), json!(message));
        if let Some(p) = self.priority {
            echo.insert("priority".into(), json!(p));
        }
        if !self.tags.is_empty() {
            echo.insert("tags".into(), json!(self.tags));
        }
        if let Some(c) = self.click {
            echo.insert("click".into(), json!(c));
        }
        if let Some(s) = self.sequence {
            echo.insert("sequence_id".into(), json!(s));
        }
        Converted {
            fields,
            names: NTFY_NAMES,
            echo: Value::Object(echo),
        }
    }
}

fn split_tags(tags: &str) -> Vec<String> {
    tags.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// `PUT`/`POST /{topic}`: the body is the message (unless a `message` parameter gives it).
pub fn ntfy_text(
    topic: &str,
    params: &Params<'_>,
    body: &[u8],
    compat: &CompatSettings,
) -> Result<Converted, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if !is_topic(topic) {
        problems.push(topic_problem());
    }
    let filename = params
        .query
        .iter()
        .any(|(k, _)| matches!(k.as_str(), "filename" | "file" | "f" | "x-filename"))
        || params.header("x-filename").is_some()
        || params.header("filename").is_some();
    let mut ntfy = Ntfy::from_params(params, &mut problems);
    if filename {
        problems.push(FieldProblem::new(
            "filename",
            "Baton takes text messages only, not attachments",
        ));
    }
    if ntfy.message.is_none() {
        match std::str::from_utf8(body) {
            Ok(text) => ntfy.message = Some(text.replace("\r\n", "\n")),
            Err(_) => problems.push(FieldProblem::new(
                "message",
                "the body is not UTF-8 text (Baton takes text messages only, not attachments)",
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    ntfy.topic = topic.to_string();
    Ok(ntfy.convert(compat))
}

/// `POST /` (or `PUT /`) with ntfy's JSON body; headers and query parameters fill what it leaves out.
/// Members ntfy knows but Baton has no use for (actions, attach, icon, delay, ...) are accepted and
/// ignored, as ntfy ignores members it does not know.
pub fn ntfy_json(
    params: &Params<'_>,
    body: &[u8],
    compat: &CompatSettings,
) -> Result<Converted, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let object = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => o,
        Ok(_) => {
            return Err(vec![FieldProblem::new(
                "",
                "the body must be a JSON object such as {\"topic\": \"backups\", \"message\": \"done\"}",
            )])
        }
        Err(e) => {
            return Err(vec![FieldProblem::new(
                "",
                &format!("the body is not valid JSON: {e}"),
            )])
        }
    };
    let mut ntfy = Ntfy::from_params(params, &mut problems);
    let mut string = |name: &str| -> Option<String> {
        match object.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                problems.push(FieldProblem::new(name, "must be a string"));
                None
            }
        }
    };
    let topic = string("topic");
    let message = string("message");
    let title = string("title");
    let click = string("click");
    let sequence = string("sequence_id");
    match topic {
        Some(t) if is_topic(&t) => ntfy.topic = t,
        Some(_) => problems.push(topic_problem()),
        None => problems.push(FieldProblem::new("topic", "is required")),
    }
    ntfy.message = message.or(ntfy.message);
    ntfy.title = title.or(ntfy.title);
    ntfy.click = click.or(ntfy.click);
    ntfy.sequence = sequence.or(ntfy.sequence);
    match object.get("priority") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) => match n.as_u64().filter(|p| (1..=5).contains(p)) {
            Some(p) => ntfy.priority = u8::try_from(p).ok(),
            None => problems.push(priority_problem()),
        },
        Some(Value::String(s)) => match ntfy_priority(s) {
            Some(p) => ntfy.priority = Some(p),
            None => problems.push(priority_problem()),
        },
        Some(_) => problems.push(priority_problem()),
    }
    match object.get("tags") {
        None | Some(Value::Null) => {}
        Some(Value::Array(tags)) => {
            let mut list = Vec::new();
            for t in tags {
                match t.as_str() {
                    Some(t) if !t.trim().is_empty() => list.push(t.trim().to_string()),
                    Some(_) => {}
                    None => {
                        problems.push(FieldProblem::new("tags", "must be a list of strings"));
                        break;
                    }
                }
            }
            ntfy.tags = list;
        }
        Some(Value::String(s)) => ntfy.tags = split_tags(s),
        Some(_) => problems.push(FieldProblem::new("tags", "must be a list of strings")),
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ntfy.convert(compat))
}

/// `POST /message`, Gotify's form: a JSON object, or (`form`) an URL-encoded form, with `message`
/// (required), `title`, `priority` (0 to 10) and, in JSON, `extras` (its
/// `client::notification.click.url` is the item's link).
pub fn gotify(
    body: &[u8],
    form: bool,
    compat: &CompatSettings,
) -> Result<Converted, Vec<FieldProblem>> {
    let object: Map<String, Value> = if form {
        url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) => o,
            Ok(_) => {
                return Err(vec![FieldProblem::new(
                    "",
                    "the body must be a JSON object such as {\"title\": \"Backup\", \"message\": \"done\"}",
                )])
            }
            Err(e) => {
                return Err(vec![FieldProblem::new(
                    "",
                    &format!("the body is not valid JSON: {e}"),
                )])
            }
        }
    };
    let mut problems = Vec::new();
    let mut string = |name: &str| -> Option<String> {
        match object.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.replace("\r\n", "\n")),
            Some(_) => {
                problems.push(FieldProblem::new(name, "must be a string"));
                None
            }
        }
    };
    let message = string("message");
    let title = string("title");
    let priority = match object.get("priority") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().parse::<i64>().unwrap_or(-1)),
        Some(_) => Some(-1),
    };
    if priority.is_some_and(|p| !(0..=10).contains(&p)) {
        problems.push(FieldProblem::new(
            "priority",
            "use a whole number from 0 to 10",
        ));
    }
    let click = object
        .get("extras")
        .and_then(|e| e.get("client::notification"))
        .and_then(|n| n.get("click"))
        .and_then(|c| c.get("url"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let Some(message) = message else {
        problems.push(FieldProblem::new("message", "is required"));
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut fields = Map::new();
    fields.insert("source".into(), json!("gotify"));
    let (t, body) = title_and_body(title.as_deref(), &message);
    fields.insert("title".into(), json!(t));
    if let Some(body) = body {
        fields.insert("body".into(), json!(body));
    }
    let priority = priority.unwrap_or(5);
    fields.insert(
        "urgency".into(),
        json!(gotify_urgency(priority, compat).as_str()),
    );
    if let Some(c) = click {
        fields.insert("url".into(), json!(c));
    }
    Ok(Converted {
        fields,
        names: GOTIFY_NAMES,
        echo: json!({
            "appid": 1,
            "title": title.unwrap_or_default(),
            "message": message,
            "priority": priority,
        }),
    })
}

/// The title and body of an item whose sender gave `title` (maybe) and `message`: with a title, the
/// message is the body; without, the message's first line is the title (shortened when long, cleaned
/// of control characters) and the whole message the body when it says more.
fn title_and_body(title: Option<&str>, message: &str) -> (String, Option<String>) {
    if let Some(t) = title {
        return (t.to_string(), Some(message.to_string()));
    }
    let first = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("triggered");
    let line = shorten(&clean_line(first), MAX_TITLE_CHARS);
    let more = message.trim() != first;
    (line, more.then(|| message.to_string()))
}

/// One line of text Baton made: control characters as spaces, invisible characters dropped, runs of
/// spaces as one.
fn clean_line(s: &str) -> String {
    let mapped: String = s
        .chars()
        .filter(|&c| invisible(c).is_none())
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Free text Baton made: newlines and tabs kept, other control characters as spaces.
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `s` cut to `max` characters, the last one an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Which webhook an alert payload came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertSource {
    /// Prometheus Alertmanager's `webhook_config`.
    Alertmanager,
    /// Grafana alerting's webhook contact point.
    Grafana,
}

impl AlertSource {
    /// The item's source.
    pub fn name(self) -> &'static str {
        match self {
            AlertSource::Alertmanager => "alertmanager",
            AlertSource::Grafana => "grafana",
        }
    }
}

/// An alert group's notification: one item, grouped by the group key, so that its resolution joins the
/// same Inbox entry. Its urgency is the most severe firing alert's (by `compat.severities`), and a
/// resolved group is low (nothing left to do). The idempotency key is made from the group's state
/// (status, and each alert's fingerprint, status and times): a repeat of the same notification (a
/// retry, or Alertmanager's repeat interval) is a duplicate, a change is a new item.
pub fn alert(
    source: AlertSource,
    body: &[u8],
    compat: &CompatSettings,
) -> Result<Converted, Vec<FieldProblem>> {
    let object = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => o,
        Ok(_) => {
            return Err(vec![FieldProblem::new(
                "",
                "the body must be the webhook's JSON object",
            )])
        }
        Err(e) => {
            return Err(vec![FieldProblem::new(
                "",
                &format!("the body is not valid JSON: {e}"),
            )])
        }
    };
    let mut problems = Vec::new();
    let status = object.get("status").and_then(Value::as_str);
    let firing_group = match status {
        Some("firing") => true,
        Some("resolved") => false,
        _ => {
            problems.push(FieldProblem::new("status", "must be firing or resolved"));
            false
        }
    };
    let alerts = match object.get("alerts") {
        Some(Value::Array(a)) if !a.is_empty() => a.as_slice(),
        Some(Value::Array(_)) => {
            problems.push(FieldProblem::new("alerts", "must hold at least one alert"));
            &[]
        }
        _ => {
            problems.push(FieldProblem::new("alerts", "must be a list of alerts"));
            &[]
        }
    };
    if alerts.iter().any(|a| !a.is_object()) {
        problems.push(FieldProblem::new("alerts", "every alert must be an object"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let label = |v: &Value, name: &str| {
        v.get("labels")
            .and_then(|l| l.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let text_of = |v: Option<&Value>, name: &str| {
        v.and_then(|o| o.get(name))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let common = object.get("commonLabels");
    let group_labels = object.get("groupLabels");
    let alert_name = text_of(common, "alertname")
        .or_else(|| text_of(group_labels, "alertname"))
        .or_else(|| alerts.iter().find_map(|a| label(a, "alertname")))
        .unwrap_or_else(|| "alerts".to_string());
    let is_firing = |a: &Value| a.get("status").and_then(Value::as_str) != Some("resolved");
    let firing = alerts.iter().filter(|a| is_firing(a)).count();
    let resolved = alerts.len() - firing;
    let truncated = object
        .get("truncatedAlerts")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let title = match (
        source,
        text_of(Some(&Value::Object(object.clone())), "title"),
    ) {
        (AlertSource::Grafana, Some(t)) => t,
        _ if firing_group => format!("[FIRING:{firing}] {alert_name}"),
        _ => format!("[RESOLVED] {alert_name}"),
    };
    let title = shorten(&clean_line(&title), MAX_TITLE_CHARS);
    let body = match (
        source,
        text_of(Some(&Value::Object(object.clone())), "message"),
    ) {
        (AlertSource::Grafana, Some(m)) => m,
        _ => {
            let mut lines: Vec<String> = alerts
                .iter()
                .map(|a| {
                    let annotations = a.get("annotations");
                    let what = text_of(annotations, "summary")
                        .or_else(|| text_of(annotations, "description"))
                        .or_else(|| label(a, "alertname"))
                        .unwrap_or_default();
                    let whom = label(a, "instance")
                        .or_else(|| label(a, "job"))
                        .or_else(|| text_of(Some(a), "fingerprint"))
                        .unwrap_or_default();
                    let state = if is_firing(a) { "firing" } else { "resolved" };
                    format!("{state} · {whom}: {what}")
                })
                .collect();
            if truncated > 0 {
                lines.push(format!("and {truncated} more alerts not sent"));
            }
            if firing_group && resolved > 0 {
                lines.push(format!("{resolved} of them resolved"));
            }
            lines.join("\n")
        }
    };
    let body = shorten(&clean_text(&body), MAX_TEXT_CHARS);
    let urgency = if firing_group {
        alerts
            .iter()
            .filter(|a| is_firing(a))
            .map(|a| {
                compat.severity(
                    label(a, "severity")
                        .or_else(|| text_of(common, "severity"))
                        .as_deref(),
                )
            })
            .max()
            .unwrap_or(Urgency::Normal)
    } else {
        Urgency::Low
    };
    let group_key = object
        .get("groupKey")
        .and_then(Value::as_str)
        .map(clean_line)
        .filter(|g| !g.is_empty())
        .unwrap_or_else(|| format!("alertname={alert_name}"));
    let group = if group_key.chars().count() > MAX_NAME_CHARS {
        format!(
            "{}… {}",
            group_key
                .chars()
                .take(MAX_NAME_CHARS - 20)
                .collect::<String>(),
            &hex(&Sha256::digest(group_key.as_bytes()))[..16]
        )
    } else {
        group_key.clone()
    };
    let link = |v: &Value, name: &str| {
        v.get(name)
            .and_then(Value::as_str)
            .filter(|u| {
                (u.starts_with("http://") || u.starts_with("https://"))
                    && u.chars().count() <= MAX_URL_CHARS
                    && !u.chars().any(char::is_control)
            })
            .map(str::to_string)
    };
    let first = &alerts[0];
    let url = match source {
        AlertSource::Grafana => link(first, "panelURL")
            .or_else(|| link(first, "dashboardURL"))
            .or_else(|| link(first, "generatorURL")),
        AlertSource::Alertmanager => link(first, "generatorURL"),
    }
    .or_else(|| link(&Value::Object(object.clone()), "externalURL"));
    let mut state = Sha256::new();
    for part in [source.name(), &group_key, status.unwrap_or_default()] {
        state.update(part.as_bytes());
        state.update([0]);
    }
    for a in alerts {
        for name in ["fingerprint", "status", "startsAt", "endsAt"] {
            state.update(a.get(name).and_then(Value::as_str).unwrap_or("").as_bytes());
            state.update([0]);
        }
    }
    let key = format!("alert-{}", &hex(&state.finalize())[..40]);
    let mut fields = Map::new();
    fields.insert("source".into(), json!(source.name()));
    fields.insert("title".into(), json!(title));
    if !body.trim().is_empty() {
        fields.insert("body".into(), json!(body));
    }
    fields.insert("urgency".into(), json!(urgency.as_str()));
    fields.insert("group".into(), json!(group));
    if let Some(u) = url {
        fields.insert("url".into(), json!(u));
    }
    fields.insert("idempotency_key".into(), json!(key));
    Ok(Converted {
        fields,
        names: &[],
        echo: json!({"alerts": alerts.len(), "firing": firing, "resolved": resolved}),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Converts the fields to a notification, naming problems as the sender calls them.
pub fn checked(
    converted: &Converted,
) -> Result<crate::notify::notification::NewNotification, Vec<FieldProblem>> {
    submission::from_value(Value::Object(converted.fields.clone())).map_err(|r| match r {
        submission::Rejection::Invalid(problems) => converted.rename(problems),
        other => vec![FieldProblem::new("", &other.to_string())],
    })
}
