//! What a sender may submit: the JSON body of `POST /v1/notifications` (and of `baton notify`, which
//! builds the same object), checked field by field into a [`NewNotification`].
//!
//! The body is read as a JSON object and each member is checked by hand rather than with a derived
//! deserializer, so that every problem names its field (an unknown field, a wrong type, a value too
//! long) and all of them are reported at once. An optional field that is `null` or blank is absent,
//! except `idempotency_key`, where a blank key is almost always a script's empty variable and is
//! refused.
//!
//! What a text field may hold is decided here, once, because everything downstream trusts it: a
//! desktop notification service cannot carry every string (D-Bus strings cannot hold NUL), and the
//! identity keys (`source`, `group`) feed the rate limit and the threading, where two names that
//! look the same must be the same. Characters are refused with the field named, never silently
//! stripped: a sender learns what it sent, and a key is never changed behind its back.
//!
//! - Every single-line field is trimmed and may not hold control characters (C0, DEL, C1).
//! - `body` may hold newlines and tabs but no other control character; `\r\n` becomes `\n`, so text
//!   from Windows tools is accepted as it is meant.
//! - `source`, `group` and `sender` may not hold any [invisible character](invisible): line and
//!   paragraph separators, bidirectional controls and marks, zero-width characters.
//! - `title` may not hold separators or bidirectional controls either, nor the zero-width space, word
//!   joiner, BOM or Mongolian vowel separator; the zero-width joiner and non-joiner (U+200D, U+200C)
//!   are allowed between two visible characters, where emoji sequences ("👩\u{200d}💻") and scripts
//!   such as Persian need them.
//!
//! ```
//! use baton::notify::intake::submission::parse;
//! let n = parse(br#"{"source": "ci", "title": "Build failed", "urgency": "high"}"#).unwrap();
//! assert_eq!((n.source.as_str(), n.urgency.as_str()), ("ci", "high"));
//! ```

use serde_json::{Map, Value};

use crate::error::{ErrorCode, ErrorPayload, FieldProblem};
use crate::notify::notification::{NewNotification, Urgency};

/// Largest accepted request body, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest `source`, in characters.
pub const MAX_SOURCE_CHARS: usize = 64;
/// Longest `title`, in characters.
pub const MAX_TITLE_CHARS: usize = 256;
/// Longest `body`, in characters.
pub const MAX_TEXT_CHARS: usize = 16_000;
/// Longest `sender`, `group` and `idempotency_key`, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest `url`, in characters.
pub const MAX_URL_CHARS: usize = 2048;

/// Every field a submission may have, in the order the errors list them.
pub const FIELDS: [&str; 8] = [
    "source",
    "title",
    "body",
    "urgency",
    "sender",
    "group",
    "url",
    "idempotency_key",
];

/// Why a submission was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The body is not JSON at all.
    #[error("the body is not valid JSON: {message} (line {line}, column {column})")]
    Malformed {
        /// What the parser expected.
        message: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// The JSON is fine, but fields are missing, unknown or wrong.
    #[error("invalid notification: {}", .0.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
}

impl Rejection {
    /// The error body the HTTP API answers with: code `malformed` or `invalid`.
    pub fn payload(&self) -> ErrorPayload {
        let (code, problems) = match self {
            Rejection::Malformed { .. } => (ErrorCode::Malformed, vec![]),
            Rejection::Invalid(problems) => (ErrorCode::Invalid, problems.clone()),
        };
        ErrorPayload {
            code,
            message: self.to_string(),
            problems,
        }
    }
}

/// Parses and checks a request body.
///
/// A member that appears twice (`{"title": "a", "title": "b"}`) is refused, naming the field: which of
/// the two a sender meant is a guess, and a strict API does not guess.
pub fn parse(body: &[u8]) -> Result<NewNotification, Rejection> {
    let top: TopLevel = serde_json::from_slice(body).map_err(|e| {
        let full = e.to_string();
        // serde_json appends " at line L column C"; the variant carries those separately.
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        Rejection::Malformed {
            message,
            line: e.line(),
            column: e.column(),
        }
    })?;
    match top {
        TopLevel::Object { fields, repeated } => check(fields, repeated),
        TopLevel::Other => from_value(Value::Null),
    }
}

/// Checks an already parsed JSON value (what `baton notify` builds from its arguments).
pub fn from_value(value: Value) -> Result<NewNotification, Rejection> {
    let Value::Object(fields) = value else {
        return Err(Rejection::Invalid(vec![FieldProblem::new(
            "",
            "the body must be a JSON object such as {\"source\": \"ci\", \"title\": \"Build failed\"}",
        )]));
    };
    check(fields, vec![])
}

/// Checks the members of the top-level object; `repeated` names members the body held more than once.
fn check(fields: Map<String, Value>, repeated: Vec<String>) -> Result<NewNotification, Rejection> {
    let mut problems: Vec<FieldProblem> = repeated
        .iter()
        .map(|key| {
            FieldProblem::new(
                key,
                "appears more than once in the object; send each field once",
            )
        })
        .collect();
    for key in fields.keys() {
        if !FIELDS.contains(&key.as_str()) {
            problems.push(FieldProblem::new(
                key,
                &format!("unknown field; known fields: {}", FIELDS.join(", ")),
            ));
        }
    }
    let mut checker = Fields {
        fields: &fields,
        problems: &mut problems,
    };
    let source = checker.key("source", MAX_SOURCE_CHARS, true);
    let title = checker.title();
    let body = checker.text("body", MAX_TEXT_CHARS);
    let urgency = checker.urgency();
    let sender = checker.key("sender", MAX_NAME_CHARS, false);
    let group = checker.key("group", MAX_NAME_CHARS, false);
    let url = checker.url();
    let idempotency_key = checker.idempotency_key();
    problems.sort_by_key(|p| {
        FIELDS
            .iter()
            .position(|f| *f == p.field)
            .unwrap_or(usize::MAX)
    });
    match (source, title) {
        (Some(source), Some(title)) if problems.is_empty() => Ok(NewNotification {
            source,
            group,
            sender,
            title,
            body,
            urgency,
            url,
            idempotency_key,
        }),
        _ => Err(Rejection::Invalid(problems)),
    }
}

/// The request body's top level as parsed: an object with the members it repeated, or anything else
/// (which [`from_value`] refuses as not an object).
///
/// `serde_json::Value` keeps the last of two equal keys silently, so the object is read here member by
/// member instead.
enum TopLevel {
    Object {
        fields: Map<String, Value>,
        repeated: Vec<String>,
    },
    Other,
}

impl<'de> serde::Deserialize<'de> for TopLevel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<TopLevel, D::Error> {
        deserializer.deserialize_any(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> serde::de::Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut fields = Map::new();
        let mut repeated: Vec<String> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            if fields.contains_key(&key) {
                if !repeated.contains(&key) {
                    repeated.push(key);
                }
            } else {
                fields.insert(key, value);
            }
        }
        Ok(TopLevel::Object { fields, repeated })
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<TopLevel, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(TopLevel::Other)
    }

    fn visit_bool<E>(self, _: bool) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_unit<E>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }
}

struct Fields<'a> {
    fields: &'a Map<String, Value>,
    problems: &'a mut Vec<FieldProblem>,
}

impl<'a> Fields<'a> {
    /// The field as a string: `None` when absent or null (a problem when `required`), or when it is
    /// not a string (always a problem).
    fn string(&mut self, name: &str, required: bool) -> Option<&'a str> {
        let fields: &'a Map<String, Value> = self.fields;
        match fields.get(name) {
            None | Some(Value::Null) => {
                if required {
                    self.problems.push(FieldProblem::new(name, "is required"));
                }
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.problems
                    .push(FieldProblem::new(name, "must be a string"));
                None
            }
        }
    }

    /// A single-line field, trimmed; blank counts as absent.
    fn line(&mut self, name: &str, max: usize, required: bool) -> Option<String> {
        let s = self.string(name, required)?.trim();
        if s.is_empty() {
            if required {
                self.problems
                    .push(FieldProblem::new(name, "must not be empty"));
            }
            return None;
        }
        if s.chars().any(char::is_control) {
            self.problems.push(FieldProblem::new(
                name,
                "must be one line without control characters",
            ));
            return None;
        }
        self.within(name, s, max)
    }

    /// An identity key or a name (`source`, `group`, `sender`): one line without any invisible
    /// character.
    fn key(&mut self, name: &str, max: usize, required: bool) -> Option<String> {
        let s = self.line(name, max, required)?;
        if let Some((c, class)) = s.chars().find_map(|c| invisible(c).map(|k| (c, k))) {
            self.problems.push(FieldProblem::new(
                name,
                &format!(
                    "must not hold U+{:04X} ({class}): invisible characters would make two names \
                     that look the same differ",
                    u32::from(c)
                ),
            ));
            return None;
        }
        Some(s)
    }

    /// The title: one line; joiners only between visible characters (see the module docs).
    fn title(&mut self) -> Option<String> {
        const NAME: &str = "title";
        let s = self.line(NAME, MAX_TITLE_CHARS, true)?;
        let chars: Vec<char> = s.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let Some(class) = invisible(c) else { continue };
            let joiner = matches!(c, '\u{200C}' | '\u{200D}');
            let visible =
                |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|&n| is_visible(n));
            if joiner && visible(i.checked_sub(1)) && visible(Some(i + 1)) {
                continue;
            }
            let message = if joiner {
                format!(
                    "must not hold U+{:04X} ({class}) except between two visible characters, as in \
                     an emoji sequence",
                    u32::from(c)
                )
            } else {
                format!("must not hold U+{:04X} ({class})", u32::from(c))
            };
            self.problems.push(FieldProblem::new(NAME, &message));
            return None;
        }
        Some(s)
    }

    /// Free text: newlines and tabs allowed (`\r\n` read as `\n`), no other control character;
    /// blank counts as absent.
    fn text(&mut self, name: &str, max: usize) -> Option<String> {
        let s = self.string(name, false)?;
        if s.trim().is_empty() {
            return None;
        }
        let s = s.replace("\r\n", "\n");
        if let Some(c) = s
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t')
        {
            self.problems.push(FieldProblem::new(
                name,
                &format!(
                    "must not hold the control character U+{:04X}; only newlines and tabs are allowed",
                    u32::from(c)
                ),
            ));
            return None;
        }
        self.within(name, &s, max)
    }

    fn within(&mut self, name: &str, s: &str, max: usize) -> Option<String> {
        let len = s.chars().count();
        if len > max {
            self.problems.push(FieldProblem::new(
                name,
                &format!("is {len} characters long; the limit is {max}"),
            ));
            return None;
        }
        Some(s.to_string())
    }

    fn urgency(&mut self) -> Urgency {
        let Some(s) = self.string("urgency", false) else {
            return Urgency::default();
        };
        match s.trim().to_ascii_lowercase().parse() {
            Ok(u) => u,
            Err(_) => {
                let message =
                    crate::notify::notification::UnknownUrgency(s.to_string()).to_string();
                self.problems.push(FieldProblem::new("urgency", &message));
                Urgency::default()
            }
        }
    }

    fn url(&mut self) -> Option<String> {
        let url = self.line("url", MAX_URL_CHARS, false)?;
        let scheme_ok = ["http://", "https://"].iter().any(|p| {
            url.get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
                && url.len() > p.len()
        });
        if !scheme_ok {
            self.problems.push(FieldProblem::new(
                "url",
                "must be an http:// or https:// link",
            ));
            return None;
        }
        Some(url)
    }

    fn idempotency_key(&mut self) -> Option<String> {
        const NAME: &str = "idempotency_key";
        if self
            .fields
            .get(NAME)
            .and_then(Value::as_str)
            .is_some_and(|s| s.trim().is_empty())
        {
            self.problems.push(FieldProblem::new(
                NAME,
                "must not be blank; leave it out to send without one",
            ));
            return None;
        }
        self.line(NAME, MAX_NAME_CHARS, false)
    }
}

/// The class of an invisible character that can make text read other than it is stored: a line or
/// paragraph separator, a bidirectional control or mark, or a zero-width character; `None` for any
/// other character.
///
/// ```
/// use baton::notify::intake::submission::invisible;
/// assert_eq!(invisible('\u{202E}'), Some("a bidirectional control"));
/// assert_eq!(invisible('a'), None);
/// ```
pub fn invisible(c: char) -> Option<&'static str> {
    match c {
        '\u{2028}' => Some("the line separator"),
        '\u{2029}' => Some("the paragraph separator"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some("a bidirectional control"),
        '\u{200E}' | '\u{200F}' | '\u{061C}' => Some("a bidirectional mark"),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}' => {
            Some("a zero-width character")
        }
        _ => None,
    }
}

/// Whether `c` shows as something: not a space, a control or an [`invisible`] character.
fn is_visible(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && invisible(c).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(r: Result<NewNotification, Rejection>) -> Vec<String> {
        match r {
            Err(Rejection::Invalid(p)) => p.into_iter().map(|p| p.field).collect(),
            other => panic!("expected invalid fields, got {other:?}"),
        }
    }

    #[test]
    fn a_minimal_submission_gets_defaults() {
        let n = parse(br#"{"source": " ci ", "title": "Build failed", "group": ""}"#).unwrap();
        assert_eq!(
            n,
            NewNotification {
                source: "ci".into(),
                group: None,
                sender: None,
                title: "Build failed".into(),
                body: None,
                urgency: Urgency::Normal,
                url: None,
                idempotency_key: None,
            }
        );
    }

    #[test]
    fn every_bad_field_is_named_once_in_field_order() {
        let r = parse(
            br#"{"title": "", "urgency": "urgent", "colour": "red", "url": "file:///etc/passwd",
                 "sender": 5, "idempotency_key": "  "}"#,
        );
        assert_eq!(
            fields_of(r),
            vec![
                "source",
                "title",
                "urgency",
                "sender",
                "url",
                "idempotency_key",
                "colour"
            ]
        );
    }

    #[test]
    fn limits_and_control_characters() {
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        let r = from_value(serde_json::json!({"source": "ci", "title": long}));
        assert_eq!(fields_of(r), vec!["title"]);
        let r = from_value(serde_json::json!({"source": "c\ni", "title": "t"}));
        assert_eq!(fields_of(r), vec!["source"]);
        let ok =
            from_value(serde_json::json!({"source": "ci", "title": "t", "body": "two\nlines"}));
        assert_eq!(ok.unwrap().body.as_deref(), Some("two\nlines"));
    }

    /// The problems for a submission with `field` set to `value` (and the others valid).
    fn problems_with(field: &str, value: &str) -> Vec<String> {
        let mut v = serde_json::json!({"source": "ci", "title": "t"});
        v[field] = serde_json::Value::String(value.into());
        match from_value(v) {
            Ok(_) => vec![],
            Err(Rejection::Invalid(p)) => p.into_iter().map(|p| p.field).collect(),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_body_refuses_nul_and_other_control_characters_but_keeps_newlines_and_tabs() {
        // The poison item of issue 9: valid JSON, but no D-Bus string can carry it.
        let r = parse(br#"{"source": "ci", "title": "t", "body": "a\u0000b"}"#);
        let Err(Rejection::Invalid(problems)) = r else {
            panic!("a NUL in the body is refused: {r:?}")
        };
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "body");
        assert!(problems[0].message.contains("U+0000"), "{:?}", problems[0]);
        for bad in [
            "\u{1}",
            "\u{8}",
            "\u{b}",
            "\u{c}",
            "\u{1b}[2J",
            "\u{7f}",
            "\u{85}",
            "\u{9b}",
            "lone\rreturn",
        ] {
            assert_eq!(
                problems_with("body", &format!("x{bad}y")),
                vec!["body"],
                "{bad:?}"
            );
        }
        let ok = from_value(serde_json::json!({"source": "ci", "title": "t",
            "body": "line one\r\n\tindented\nline three"}))
        .unwrap();
        assert_eq!(
            ok.body.as_deref(),
            Some("line one\n\tindented\nline three"),
            "newlines and tabs are kept, and a Windows line end reads as a newline"
        );
    }

    #[test]
    fn identity_keys_and_sender_refuse_every_invisible_character() {
        let invisible = [
            '\u{2028}', '\u{2029}', // separators
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
            '\u{202E}', // embeddings, overrides
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', // isolates
            '\u{200E}', '\u{200F}', '\u{061C}', // marks
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
            '\u{180E}', // zero-width
        ];
        for field in ["source", "group", "sender"] {
            for c in invisible {
                assert_eq!(
                    problems_with(field, &format!("c{c}i")),
                    vec![field],
                    "{field} with U+{:04X}",
                    u32::from(c)
                );
            }
            // Not even inside an emoji sequence: a key must have one spelling.
            assert_eq!(problems_with(field, "👩\u{200D}💻"), vec![field]);
            assert_eq!(problems_with(field, "ci-bot ✓"), Vec::<String>::new());
        }
    }

    #[test]
    fn the_title_refuses_separators_and_bidi_controls_but_keeps_emoji_sequences() {
        for c in [
            '\u{2028}', '\u{2029}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}',
            '\u{200F}', '\u{200B}', '\u{2060}', '\u{FEFF}', '\u{180E}',
        ] {
            assert_eq!(
                problems_with("title", &format!("Build{c}failed")),
                vec!["title"],
                "U+{:04X}",
                u32::from(c)
            );
        }
        for ok in [
            "👩\u{200D}💻 deploy",
            "👨\u{200D}👩\u{200D}👧 family",
            "❤\u{FE0F}\u{200D}🔥 hot fix",
            "می\u{200C}خواهم", // Persian needs the non-joiner between letters
        ] {
            assert_eq!(problems_with("title", ok), Vec::<String>::new(), "{ok:?}");
        }
        for bad in [
            "\u{200D}deploy",
            "deploy \u{200D} now",
            "a\u{200D}\u{200D}b",
            "a\u{200C} b",
        ] {
            assert_eq!(problems_with("title", bad), vec!["title"], "{bad:?}");
        }
        // Trimmed first: a joiner at the very end has nothing visible after it.
        assert_eq!(problems_with("title", "deploy\u{200D}"), vec!["title"]);
    }

    #[test]
    fn a_repeated_member_is_refused_naming_it() {
        let r = parse(br#"{"source": "ci", "title": "a", "title": "b", "title": "c"}"#);
        assert_eq!(
            fields_of(r.clone()),
            vec!["title"],
            "named once however often"
        );
        let Err(Rejection::Invalid(problems)) = r else {
            unreachable!()
        };
        assert!(
            problems[0].message.contains("more than once"),
            "{problems:?}"
        );
        let r = parse(br#"{"source": "ci", "source": "ci", "title": "t", "colour": 1}"#);
        assert_eq!(fields_of(r), vec!["source", "colour"]);
        // Nested objects are values, checked as such (not a string), not as members.
        let r = parse(br#"{"source": "ci", "title": {"a": 1, "a": 2}}"#);
        assert_eq!(fields_of(r), vec!["title"]);
        for not_object in [
            &b"[1, {\"a\": 1}]"[..],
            b"1",
            b"-1",
            b"1.5",
            b"\"x\"",
            b"null",
            b"true",
        ] {
            assert_eq!(
                parse(not_object).unwrap_err().payload().code,
                "invalid",
                "{}",
                String::from_utf8_lossy(not_object)
            );
        }
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let err = parse(b"{\n  \"source\": \"ci\",\n  \"title\": }").unwrap_err();
        assert!(
            matches!(err, Rejection::Malformed { line: 3, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("line 3, column"), "{err}");
        assert_eq!(err.payload().code, "malformed");
        let not_object = parse(b"[1]").unwrap_err();
        assert_eq!(not_object.payload().code, "invalid");
    }
}
