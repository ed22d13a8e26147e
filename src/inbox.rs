//! The inbox: stored notifications as the person reads them. Items that share a state, a source and a
//! group are one entry with a count (a CI run's twenty failures are one line), while every item keeps
//! its own id underneath, so marking an entry done marks exactly the items it showed.
//!
//! Each entry has a `reply_by` slot for the delivery policy's answer-by time; the policy fills it (see
//! [`InboxEntry::reply_by`]), the inbox only carries it.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use crate::interval::Instant;
use crate::notification::{ItemState, Urgency};
use crate::store::StoredNotification;

/// One line of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct InboxEntry {
    /// Held, delivered or done (every item of an entry is in this state).
    pub state: ItemState,
    /// Who sent it.
    pub source: String,
    /// The thread key; `None` for an item sent without one, which is always an entry of its own.
    pub group: Option<String>,
    /// How many items the entry stands for.
    pub count: usize,
    /// The items' ids, newest first.
    pub ids: Vec<i64>,
    /// The newest item's title.
    pub title: String,
    /// The most urgent item's urgency.
    pub urgency: Urgency,
    /// When the newest item arrived.
    #[ts(type = "string")]
    pub received_at: Instant,
    /// When the sender should have an answer, by the delivery policy's reckoning. Always `None` until
    /// the policy's reply-by function is wired in here (it is built with the policy, not the intake).
    #[ts(type = "string | null")]
    pub reply_by: Option<Instant>,
}

/// Groups `rows` (newest first, as [`crate::store::Store::notifications`] lists them) into entries,
/// newest first.
pub fn entries(rows: &[StoredNotification]) -> Vec<InboxEntry> {
    let mut entries: Vec<InboxEntry> = Vec::new();
    let mut by_group: HashMap<(ItemState, &str, &str), usize> = HashMap::new();
    for row in rows {
        let key = row
            .group
            .as_deref()
            .map(|g| (row.state, row.source.as_str(), g));
        if let Some(&i) = key.as_ref().and_then(|k| by_group.get(k)) {
            let entry: &mut InboxEntry = &mut entries[i];
            entry.count += 1;
            entry.ids.push(row.id);
            entry.urgency = entry.urgency.max(row.urgency);
            continue;
        }
        if let Some(k) = key {
            by_group.insert(k, entries.len());
        }
        entries.push(InboxEntry {
            state: row.state,
            source: row.source.clone(),
            group: row.group.clone(),
            count: 1,
            ids: vec![row.id],
            title: row.title.clone(),
            urgency: row.urgency,
            received_at: row.received_at,
            reply_by: None,
        });
    }
    entries
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;
    use crate::notification::NewNotification;
    use crate::store::{NotificationFilter, Store};

    fn new(source: &str, group: Option<&str>, title: &str, urgency: Urgency) -> NewNotification {
        NewNotification {
            source: source.into(),
            group: group.map(Into::into),
            sender: None,
            title: title.into(),
            body: None,
            urgency,
            url: None,
            idempotency_key: None,
        }
    }

    #[test]
    fn items_of_one_group_are_one_entry_with_a_count() {
        let mut store = Store::open_in_memory().unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 3, 9, 14, 0, 0).unwrap();
        let batches = [
            new("ci", Some("build-142"), "lint failed", Urgency::High),
            new("ci", Some("build-142"), "tests failed", Urgency::Normal),
            new("mail", None, "hello", Urgency::Low),
            new("mail", None, "hello again", Urgency::Low),
            new("github", Some("build-142"), "review", Urgency::Normal),
        ];
        for (i, n) in batches.iter().enumerate() {
            store
                .accept_notifications(std::slice::from_ref(n), t0 + Duration::minutes(i as i64))
                .unwrap();
        }
        let rows = store
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap();
        let inbox = entries(&rows);
        let summary: Vec<_> = inbox
            .iter()
            .map(|e| (e.source.as_str(), e.count, e.title.as_str(), e.urgency))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("github", 1, "review", Urgency::Normal),
                ("mail", 1, "hello again", Urgency::Low),
                ("mail", 1, "hello", Urgency::Low),
                ("ci", 2, "tests failed", Urgency::High),
            ],
            "groups are per source; ungrouped items stand alone; the newest title and the highest urgency show"
        );
        assert_eq!(inbox[3].received_at, t0 + Duration::minutes(1));
        assert_eq!(inbox[3].ids, vec![rows[3].id, rows[4].id]);
    }
}
