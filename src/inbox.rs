//! The inbox: stored notifications as the person reads them. Items that share a state, a source and a
//! group are one entry with a count (a CI run's twenty failures are one line), while every item keeps
//! its own id underneath, so marking an entry done marks exactly the items it showed.
//!
//! Each entry has a reply-by time from the delivery policy ([`crate::policy::reply_by`], counted in my
//! working hours): [`with_reply_by`] fills it, marks what is overdue, and puts the most pressing first.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use crate::interval::Instant;
use crate::notification::{ItemState, Urgency};
use crate::policy::Timeline;
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
    /// When the sender should have an answer, by the delivery policy's reckoning: the earliest of its
    /// items'. `None` for done entries, and until [`with_reply_by`] fills it.
    #[ts(type = "string | null")]
    pub reply_by: Option<Instant>,
    /// Whether `reply_by` has passed (an entry is due at its reply-by, overdue after).
    pub overdue: bool,
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
            overdue: false,
        });
    }
    entries
}

/// Fills each entry's reply-by from `timeline` (built once for all of `rows`, from the oldest one's
/// arrival), marks those past it at `now` as overdue, and sorts: the earliest reply-by first, then done
/// entries; ties newest first. `rows` must hold the entries' items.
pub fn with_reply_by(
    mut entries: Vec<InboxEntry>,
    rows: &[StoredNotification],
    timeline: &Timeline,
    now: Instant,
) -> Vec<InboxEntry> {
    let by_id: HashMap<i64, &StoredNotification> = rows.iter().map(|r| (r.id, r)).collect();
    for e in &mut entries {
        if e.state == ItemState::Done {
            continue;
        }
        e.reply_by = e
            .ids
            .iter()
            .filter_map(|id| by_id.get(id))
            .map(|r| timeline.reply_by(r.urgency, r.received_at))
            .min();
        e.overdue = e.reply_by.is_some_and(|r| now > r);
    }
    entries.sort_by_key(|e| {
        (
            e.reply_by.is_none(),
            e.reply_by,
            std::cmp::Reverse(e.received_at),
            std::cmp::Reverse(e.ids.first().copied()),
        )
    });
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

    #[test]
    fn reply_by_is_counted_in_working_hours_and_sorts_the_inbox() {
        let mut store = Store::open_in_memory().unwrap();
        // Monday 2026-03-09, me working 09:00-17:00 UTC on weekdays.
        let team = crate::Team::from_toml_str(
            "name = \"T\"\nme = \"me\"\n[[members]]\nname = \"Me\"\ntime_zone = \"UTC\"\n\
             hours = [\"mon-fri 09:00-17:00\"]\n",
            "t.toml",
        )
        .unwrap();
        let t = |h, m| Utc.with_ymd_and_hms(2026, 3, 9, h, m, 0).unwrap();
        for (n, at) in [
            (new("ci", None, "old normal", Urgency::Normal), t(9, 0)),
            (new("ci", None, "high", Urgency::High), t(15, 0)),
            (new("ci", None, "low", Urgency::Low), t(16, 0)),
        ] {
            store
                .accept_notifications(std::slice::from_ref(&n), at)
                .unwrap();
        }
        let done = store
            .accept_notifications(&[new("ci", None, "done", Urgency::Critical)], t(16, 30))
            .unwrap()[0]
            .id;
        store.mark_done(&[done], t(16, 31)).unwrap();
        let rows = store
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap();
        let settings = crate::policy::PolicySettings::default();
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap();
        let timeline = Timeline::new(&team, &[], &settings, t(9, 0), now);
        let inbox = with_reply_by(entries(&rows), &rows, &timeline, now);
        let seen: Vec<_> = inbox
            .iter()
            .map(|e| (e.title.as_str(), e.reply_by, e.overdue))
            .collect();
        assert_eq!(
            seen,
            vec![
                // 2 working hours left on Monday, 2 more on Tuesday from 09:00.
                (
                    "high",
                    Some(Utc.with_ymd_and_hms(2026, 3, 10, 11, 0, 0).unwrap()),
                    false
                ),
                // 24 working hours: Monday, Tuesday, Wednesday, each ending its day.
                (
                    "old normal",
                    Some(Utc.with_ymd_and_hms(2026, 3, 11, 17, 0, 0).unwrap()),
                    false
                ),
                (
                    "low",
                    Some(Utc.with_ymd_and_hms(2026, 3, 17, 16, 0, 0).unwrap()),
                    false
                ),
                ("done", None, false),
            ],
            "most pressing first; done entries last, without a reply-by"
        );
        let later = Utc.with_ymd_and_hms(2026, 3, 10, 11, 0, 1).unwrap();
        let inbox = with_reply_by(entries(&rows), &rows, &timeline, later);
        assert!(
            inbox[0].overdue && !inbox[1].overdue,
            "overdue just after its reply-by"
        );
    }
}
