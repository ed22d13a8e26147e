//! Errors as they leave the core: the `{code, message, problems}` value the desktop app's commands
//! reject with and the notification intake answers with, the same shape on both roads so a client
//! handles one kind of error.
//!
//! The code is an [`ErrorCode`] rather than a string, so a misspelt code does not compile and the UI's
//! TypeScript type (generated with ts-rs into `ui/src/bindings.ts`) lists every code there is. It
//! serialises as the snake_case name of its variant (`"not_found"`). Each area's own error type stays
//! in its module; this is only the form they take at the edge.

use serde::Serialize;
use ts_rs::TS;

use crate::team::Problem;

/// What kind of failure an [`ErrorPayload`] reports.
///
/// ```
/// use baton::error::ErrorCode;
/// assert_eq!(serde_json::to_string(&ErrorCode::NotFound).unwrap(), r#""not_found""#);
/// assert_eq!(ErrorCode::TooLarge.as_str(), "too_large");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "bindings.ts")]
pub enum ErrorCode {
    /// Some input is not valid; `problems` names each bad field.
    Invalid,
    /// What was asked for does not exist (no team yet; an unknown intake resource).
    NotFound,
    /// A focus session cannot start.
    Focus,
    /// The database (or a file beside it, such as the intake's token) failed.
    Storage,
    /// The desktop's notification service refused a notification; the items stay held.
    Notifier,
    /// Intake: the body is not JSON.
    Malformed,
    /// Intake: a request from a web page, or with a `Host` that is not the loopback interface.
    Forbidden,
    /// Intake: a missing or wrong bearer token.
    Unauthorized,
    /// Intake: a body that is not `application/json`.
    UnsupportedMediaType,
    /// Intake: a body over the size limit.
    TooLarge,
    /// Intake: a body that did not arrive in time.
    Timeout,
    /// Intake: a source (or all sources together) over its rate.
    RateLimited,
    /// The team is followed from a shared source: edit it there (or, in a followed folder, only my
    /// own entry here).
    ReadOnly,
}

impl ErrorCode {
    /// The code as it is serialised, e.g. `"not_found"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Invalid => "invalid",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Focus => "focus",
            ErrorCode::Storage => "storage",
            ErrorCode::Notifier => "notifier",
            ErrorCode::Malformed => "malformed",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::Timeout => "timeout",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::ReadOnly => "read_only",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code equals its serialised name, so callers and tests can compare it with the string a client sees.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// An error as it crosses IPC: a code the UI acts on, a message for people, and per-field problems for
/// the editor's inline messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct ErrorPayload {
    /// What kind of failure, for the UI (or a sender) to act on.
    pub code: ErrorCode,
    /// What went wrong and what to do.
    pub message: String,
    /// For `invalid`: each bad field.
    pub problems: Vec<FieldProblem>,
}

/// One invalid field, for an inline message in the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct FieldProblem {
    /// The field: `name`, `time_zone`, `hours[1]`, `focus[0]`, `days_off[2]`, `me`.
    pub field: String,
    /// What is wrong and what is valid.
    pub message: String,
    /// For an unknown time zone, the closest valid names.
    pub suggestions: Vec<String>,
}

impl FieldProblem {
    /// A problem with `field`, with no suggestions.
    pub fn new(field: &str, message: &str) -> FieldProblem {
        FieldProblem {
            field: field.into(),
            message: message.into(),
            suggestions: vec![],
        }
    }
}

impl From<Problem> for FieldProblem {
    fn from(p: Problem) -> Self {
        FieldProblem {
            field: p.field,
            message: p.message,
            suggestions: p.suggestions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ErrorCode; 13] = [
        ErrorCode::Invalid,
        ErrorCode::NotFound,
        ErrorCode::Focus,
        ErrorCode::Storage,
        ErrorCode::Notifier,
        ErrorCode::Malformed,
        ErrorCode::Forbidden,
        ErrorCode::Unauthorized,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::TooLarge,
        ErrorCode::Timeout,
        ErrorCode::RateLimited,
        ErrorCode::ReadOnly,
    ];

    #[test]
    fn as_str_is_the_serialised_code() {
        for code in ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().into()),
                "{code:?}: the string callers compare with is the one on the wire"
            );
        }
    }

    #[test]
    fn the_payload_serialises_as_before() {
        let payload = ErrorPayload {
            code: ErrorCode::UnsupportedMediaType,
            message: "send JSON".into(),
            problems: vec![FieldProblem::new("title", "is required")],
        };
        assert_eq!(
            serde_json::to_string(&payload).unwrap(),
            r#"{"code":"unsupported_media_type","message":"send JSON","problems":[{"field":"title","message":"is required","suggestions":[]}]}"#,
            "the code was a string field before and must read the same"
        );
    }
}
