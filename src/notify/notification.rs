//! Incoming notifications: the shared vocabulary of intake (HTTP, CLI), the durable queue in the store,
//! the delivery policy and the inbox.
//!
//! Every accepted notification is its own stored item with its own id, so nothing acknowledged can be
//! merged away; items that share a `source` and a `group` are shown and delivered together as one entry
//! with a count. All instants are UTC.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::time::interval::Instant;

/// How urgent a notification is, as its sender says. Ordered from least to most urgent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, TS,
)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "bindings.ts")]
pub enum Urgency {
    /// Can wait for days.
    Low,
    /// The default: an ordinary update.
    #[default]
    Normal,
    /// Wants an answer within hours.
    High,
    /// Something is on fire: always breaks through.
    Critical,
}

impl Urgency {
    /// Every urgency, least urgent first.
    pub const ALL: [Urgency; 4] = [
        Urgency::Low,
        Urgency::Normal,
        Urgency::High,
        Urgency::Critical,
    ];

    /// The lowercase name used on the wire, in the CLI and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
            Urgency::Critical => "critical",
        }
    }
}

impl fmt::Display for Urgency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An urgency name that is not one of `low`, `normal`, `high`, `critical`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown urgency {0:?}: use low, normal, high or critical")]
pub struct UnknownUrgency(pub String);

impl FromStr for Urgency {
    type Err = UnknownUrgency;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Urgency::ALL
            .into_iter()
            .find(|u| u.as_str() == s)
            .ok_or_else(|| UnknownUrgency(s.to_owned()))
    }
}

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "bindings.ts")]
pub enum ItemState {
    /// Accepted and waiting for the policy to let it through.
    Held,
    /// Shown to the person in a desktop notification (alone or in a digest).
    Delivered,
    /// Marked done by the person in the inbox.
    Done,
    /// The notification service refused to show it (its text, say): set aside with the reason, not
    /// retried, so it cannot hold up what comes after it. Shown in the inbox until marked done.
    Failed,
}

impl ItemState {
    /// The lowercase name used on the wire and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Held => "held",
            ItemState::Delivered => "delivered",
            ItemState::Done => "done",
            ItemState::Failed => "failed",
        }
    }
}

/// A notification as the policy sees it: what it is, from whom, and when it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The id the store gave it (the one answered with the 202).
    pub id: i64,
    /// Who sent it: `ci`, `github`, `mail`, ...
    pub source: String,
    /// The thread key; items with the same source and group are one entry.
    pub group: Option<String>,
    /// The person behind it, when the source knows.
    pub sender: Option<String>,
    /// One line saying what happened.
    pub title: String,
    /// More text, optional.
    pub body: Option<String>,
    /// How urgent the sender says it is.
    pub urgency: Urgency,
    /// A link to what it is about (`http` or `https`): the "Open" action of its notification.
    pub url: Option<String>,
    /// When Baton accepted it.
    pub received_at: Instant,
}

/// How a delivered item reached the person: alone, breaking through at once, or in a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "bindings.ts")]
pub enum DeliveredAs {
    /// Shown on its own as soon as the policy let it through.
    Urgent,
    /// Shown together with others in a batched digest.
    Digest,
}

impl DeliveredAs {
    /// The lowercase name used on the wire and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveredAs::Urgent => "urgent",
            DeliveredAs::Digest => "digest",
        }
    }
}

/// A notification as a sender submits it, already validated (see [`crate::notify::intake::submission`]): what
/// the store's queue accepts. The store gives it an id and the time it was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// Who sends it: `ci`, `github`, `mail`, ...; never empty.
    pub source: String,
    /// The thread key; items with the same source and group are one entry.
    pub group: Option<String>,
    /// The person behind it, when the source knows.
    pub sender: Option<String>,
    /// One line saying what happened; never empty.
    pub title: String,
    /// More text.
    pub body: Option<String>,
    /// How urgent the sender says it is.
    pub urgency: Urgency,
    /// A link to what it is about (`http` or `https`).
    pub url: Option<String>,
    /// The sender's key for retries: the same key from the same source is stored once, and answered
    /// with the first id; another source's key of the same spelling is its own.
    pub idempotency_key: Option<String>,
}
