//! The notification queue: every accepted notification is one row, held until the delivery policy lets
//! it through, then delivered (alone or in a digest), then done.
//!
//! Writes of many rows happen in one transaction, so a batch is stored whole or not at all; the intake
//! server relies on that for its group commit (one commit, and one fsync, for every request waiting).
//! A repeated idempotency key stores nothing and answers with the first row's id, also when both copies
//! arrive in the same batch: the key column is `UNIQUE`, and an insert that collides returns no row.
//! Instants are stored as Unix milliseconds, UTC.

use rusqlite::{params, params_from_iter, OptionalExtension, Row, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Store, StoreError};
use crate::interval::Instant;
use crate::notification::{DeliveredAs, Item, ItemState, NewNotification, Urgency};

/// What the store answered for one submitted notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    /// The stored row's id (the first one's, for a repeated idempotency key).
    pub id: i64,
    /// True when the idempotency key was seen before and nothing new was stored.
    pub duplicate: bool,
}

/// Which stored notifications a listing returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationFilter {
    /// Waiting for the policy.
    Held,
    /// Shown to the person, not yet marked done.
    Delivered,
    /// Marked done.
    Done,
    /// Every state.
    All,
}

impl NotificationFilter {
    /// The filter named `held`, `delivered`, `done` or `all`.
    pub fn parse(s: &str) -> Option<NotificationFilter> {
        match s {
            "held" => Some(NotificationFilter::Held),
            "delivered" => Some(NotificationFilter::Delivered),
            "done" => Some(NotificationFilter::Done),
            "all" => Some(NotificationFilter::All),
            _ => None,
        }
    }

    fn state(self) -> Option<ItemState> {
        match self {
            NotificationFilter::Held => Some(ItemState::Held),
            NotificationFilter::Delivered => Some(ItemState::Delivered),
            NotificationFilter::Done => Some(ItemState::Done),
            NotificationFilter::All => None,
        }
    }
}

/// A stored notification with everything the store knows about it: the intake API's listing and the
/// inbox's rows. Instants are RFC 3339 UTC, with milliseconds when there are any
/// (`2026-03-09T14:00:00.125Z`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct StoredNotification {
    /// Row id: the id answered with the 202.
    pub id: i64,
    /// Who sent it.
    pub source: String,
    /// The thread key, if any.
    pub group: Option<String>,
    /// The person behind it, if known.
    pub sender: Option<String>,
    /// One line saying what happened.
    pub title: String,
    /// More text.
    pub body: Option<String>,
    /// How urgent the sender says it is.
    pub urgency: Urgency,
    /// A link to what it is about.
    pub url: Option<String>,
    /// The sender's retry key, if given.
    pub idempotency_key: Option<String>,
    /// When Baton accepted it.
    #[ts(type = "string")]
    pub received_at: Instant,
    /// Held, delivered or done.
    pub state: ItemState,
    /// When it was delivered.
    #[ts(type = "string | null")]
    pub delivered_at: Option<Instant>,
    /// Whether it was delivered on its own or in a digest.
    pub delivered_as: Option<DeliveredAs>,
    /// When it was marked done.
    #[ts(type = "string | null")]
    pub done_at: Option<Instant>,
}

impl From<StoredNotification> for Item {
    /// The policy's view of it, moving its fields.
    fn from(n: StoredNotification) -> Item {
        Item {
            id: n.id,
            source: n.source,
            group: n.group,
            sender: n.sender,
            title: n.title,
            body: n.body,
            urgency: n.urgency,
            received_at: n.received_at,
        }
    }
}

impl StoredNotification {
    /// The policy's view of it.
    pub fn item(&self) -> Item {
        Item {
            id: self.id,
            source: self.source.clone(),
            group: self.group.clone(),
            sender: self.sender.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            urgency: self.urgency,
            received_at: self.received_at,
        }
    }
}

fn millis(t: Instant) -> i64 {
    t.timestamp_millis()
}

/// An instant from stored Unix milliseconds (out-of-range values, which Baton never writes, read as the
/// epoch).
fn from_millis(ms: i64) -> Instant {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

const COLUMNS: &str = "id, source, grp, sender, title, body, urgency, url, idempotency_key, \
                       received_at, state, delivered_at, delivered_as, done_at";

/// A row selected with [`COLUMNS`]. Texts outside the schema's `CHECK`s cannot be stored, so an unknown
/// one reads as the most cautious value rather than failing the whole listing.
fn stored(r: &Row<'_>) -> rusqlite::Result<StoredNotification> {
    let urgency: String = r.get(6)?;
    let state: String = r.get(10)?;
    let delivered_as: Option<String> = r.get(12)?;
    Ok(StoredNotification {
        id: r.get(0)?,
        source: r.get(1)?,
        group: r.get(2)?,
        sender: r.get(3)?,
        title: r.get(4)?,
        body: r.get(5)?,
        urgency: urgency.parse().unwrap_or(Urgency::Critical),
        url: r.get(7)?,
        idempotency_key: r.get(8)?,
        received_at: from_millis(r.get(9)?),
        state: match state.as_str() {
            "delivered" => ItemState::Delivered,
            "done" => ItemState::Done,
            _ => ItemState::Held,
        },
        delivered_at: r.get::<_, Option<i64>>(11)?.map(from_millis),
        delivered_as: delivered_as.map(|d| match d.as_str() {
            "digest" => DeliveredAs::Digest,
            _ => DeliveredAs::Urgent,
        }),
        done_at: r.get::<_, Option<i64>>(13)?.map(from_millis),
    })
}

impl Store {
    /// Stores a batch of notifications received at `now`, in one transaction, and answers for each in
    /// order. A notification whose idempotency key is already stored (or appears earlier in `batch`)
    /// stores nothing and is answered with the first id and `duplicate: true`.
    pub fn accept_notifications(
        &mut self,
        batch: &[NewNotification],
        now: Instant,
    ) -> Result<Vec<Accepted>, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut answers = Vec::with_capacity(batch.len());
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO notification
                     (source, grp, sender, title, body, urgency, url, idempotency_key, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (idempotency_key) DO NOTHING
                     RETURNING id",
                )
                .map_err(sql)?;
            let mut existing = tx
                .prepare_cached("SELECT id FROM notification WHERE idempotency_key = ?1")
                .map_err(sql)?;
            for n in batch {
                let inserted: Option<i64> = insert
                    .query_row(
                        params![
                            n.source,
                            n.group,
                            n.sender,
                            n.title,
                            n.body,
                            n.urgency.as_str(),
                            n.url,
                            n.idempotency_key,
                            millis(now),
                        ],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(sql)?;
                let answer = match (inserted, &n.idempotency_key) {
                    (Some(id), _) => Accepted {
                        id,
                        duplicate: false,
                    },
                    (None, Some(key)) => Accepted {
                        id: existing.query_row([key], |r| r.get(0)).map_err(sql)?,
                        duplicate: true,
                    },
                    // Without a key nothing can conflict, so an insert always returns its row.
                    (None, None) => {
                        return Err(sql(rusqlite::Error::QueryReturnedNoRows));
                    }
                };
                answers.push(answer);
            }
        }
        tx.commit().map_err(sql)?;
        Ok(answers)
    }

    /// Stored notifications in `filter`, newest first, at most `limit` of them.
    pub fn notifications(
        &self,
        filter: NotificationFilter,
        limit: usize,
    ) -> Result<Vec<StoredNotification>, StoreError> {
        let sql = self.sql();
        // SQLite reads a negative LIMIT as "no limit".
        let limit = i64::try_from(limit).unwrap_or(-1);
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM notification
                 WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2"
            ))
            .map_err(&sql)?;
        let rows = stmt
            .query_map(
                params![filter.state().map(ItemState::as_str), limit],
                stored,
            )
            .map_err(&sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sql)
    }

    /// Every held notification, oldest first, as the delivery policy sees them.
    pub fn held_items(&self) -> Result<Vec<Item>, StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM notification WHERE state = 'held' ORDER BY received_at, id"
            ))
            .map_err(&sql)?;
        let rows = stmt
            .query_map([], |r| stored(r).map(Item::from))
            .map_err(&sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sql)
    }

    /// Marks the notifications `ids` delivered at `at`, as `how`, in one transaction. Only rows still
    /// held change (delivering twice is a no-op); returns how many did.
    pub fn mark_delivered(
        &mut self,
        ids: &[i64],
        at: Instant,
        how: DeliveredAs,
    ) -> Result<usize, StoreError> {
        self.update_each(
            ids,
            "UPDATE notification SET state = 'delivered', delivered_at = ?2, delivered_as = ?3
             WHERE id = ?1 AND state = 'held'",
            &[&millis(at), &how.as_str()],
        )
    }

    /// Marks the notifications `ids` done at `at` (held or delivered), in one transaction; returns how
    /// many changed. Done ones keep their first `done_at`.
    pub fn mark_done(&mut self, ids: &[i64], at: Instant) -> Result<usize, StoreError> {
        self.update_each(
            ids,
            "UPDATE notification SET state = 'done', done_at = ?2
             WHERE id = ?1 AND state <> 'done'",
            &[&millis(at)],
        )
    }

    /// Runs `statement` once per id (`?1`, then `rest` as `?2`, ...) in one transaction; returns how
    /// many rows changed.
    fn update_each(
        &mut self,
        ids: &[i64],
        statement: &str,
        rest: &[&dyn ToSql],
    ) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut changed = 0;
        {
            let mut update = tx.prepare_cached(statement).map_err(sql)?;
            for id in ids {
                let all = std::iter::once(id as &dyn ToSql).chain(rest.iter().copied());
                changed += update.execute(params_from_iter(all)).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(changed)
    }

    /// How many notifications are held (a `COUNT(*)` over the state index, for badges and logs).
    pub fn held_count(&self) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM notification WHERE state = 'held'",
                [],
                |r| r.get(0),
            )
            .map_err(self.sql())?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The policy's breakthroughs received at or after `since`, oldest first: non-critical items that
    /// were delivered on their own, each as its source and its arrival (see
    /// [`crate::policy::PolicyContext::breakthroughs`]: the cap counts arrivals, so that a plan repeated
    /// later agrees, and critical items do not use it up). Items marked done since still count.
    pub fn breakthroughs_since(
        &self,
        since: Instant,
    ) -> Result<Vec<(String, Instant)>, StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT source, received_at FROM notification
                 WHERE received_at >= ?1 AND delivered_as = 'urgent' AND urgency <> 'critical'
                 ORDER BY received_at, id",
            )
            .map_err(&sql)?;
        let rows = stmt
            .query_map([millis(since)], |r| {
                Ok((r.get::<_, String>(0)?, from_millis(r.get(1)?)))
            })
            .map_err(&sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sql)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;

    fn new(title: &str, key: Option<&str>) -> NewNotification {
        NewNotification {
            source: "ci".into(),
            group: Some("build-142".into()),
            sender: None,
            title: title.into(),
            body: None,
            urgency: Urgency::High,
            url: None,
            idempotency_key: key.map(Into::into),
        }
    }

    fn at(minute: u32) -> Instant {
        Utc.with_ymd_and_hms(2026, 3, 9, 14, minute, 0).unwrap() + Duration::milliseconds(125)
    }

    #[test]
    fn repeated_keys_store_once_also_within_one_batch() {
        let mut store = Store::open_in_memory().unwrap();
        let first = store
            .accept_notifications(
                &[
                    new("a", Some("k1")),
                    new("b", None),
                    new("a again", Some("k1")),
                ],
                at(0),
            )
            .unwrap();
        assert!(!first[0].duplicate && !first[1].duplicate);
        assert_eq!(
            first[2],
            Accepted {
                id: first[0].id,
                duplicate: true
            },
            "the second copy in the same batch answers with the first id"
        );
        let later = store
            .accept_notifications(&[new("a third time", Some("k1"))], at(1))
            .unwrap();
        assert_eq!(later[0].id, first[0].id);
        let all = store
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap();
        assert_eq!(all.len(), 2, "duplicates store nothing");
        assert_eq!(all[1].title, "a", "the first copy is the one kept");
        assert_eq!(all[1].received_at, at(0), "milliseconds survive the store");
    }

    #[test]
    fn items_move_from_held_to_delivered_to_done() {
        let mut store = Store::open_in_memory().unwrap();
        let ids: Vec<i64> = store
            .accept_notifications(&[new("a", None), new("b", None), new("c", None)], at(0))
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(store.held_items().unwrap().len(), 3);
        assert_eq!(
            store
                .mark_delivered(&ids[..2], at(5), DeliveredAs::Urgent)
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .mark_delivered(&ids[..2], at(6), DeliveredAs::Digest)
                .unwrap(),
            0,
            "only held items can be delivered"
        );
        assert_eq!(store.mark_done(&[ids[0], ids[2]], at(7)).unwrap(), 2);
        assert_eq!(
            store.mark_done(&[ids[0]], at(8)).unwrap(),
            0,
            "done stays done"
        );
        let held: Vec<i64> = store.held_items().unwrap().iter().map(|i| i.id).collect();
        assert_eq!(held, Vec::<i64>::new());
        let delivered = store
            .notifications(NotificationFilter::Delivered, 10)
            .unwrap();
        assert_eq!(delivered.len(), 1);
        assert_eq!(
            (
                delivered[0].delivered_at,
                delivered[0].delivered_as,
                delivered[0].done_at
            ),
            (Some(at(5)), Some(DeliveredAs::Urgent), None)
        );
        let done = store.notifications(NotificationFilter::Done, 10).unwrap();
        assert_eq!(
            done.iter().map(|n| (n.id, n.done_at)).collect::<Vec<_>>(),
            vec![(ids[2], Some(at(7))), (ids[0], Some(at(7)))],
            "newest first"
        );
        assert_eq!(store.held_count().unwrap(), 0);
        assert_eq!(
            store.breakthroughs_since(at(0)).unwrap(),
            vec![("ci".to_string(), at(0)), ("ci".to_string(), at(0))],
            "breakthroughs count by arrival, and done ones still count"
        );
        assert_eq!(store.breakthroughs_since(at(1)).unwrap(), vec![]);
    }

    #[test]
    fn listing_serialises_instants_with_milliseconds() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .accept_notifications(&[new("a", Some("k"))], at(0))
            .unwrap();
        let json = serde_json::to_value(
            store
                .notifications(NotificationFilter::Held, 1)
                .unwrap()
                .remove(0),
        )
        .unwrap();
        assert_eq!(json["received_at"], "2026-03-09T14:00:00.125Z");
        assert_eq!(json["state"], "held");
        assert_eq!(json["urgency"], "high");
        assert_eq!(json["delivered_at"], serde_json::Value::Null);
    }
}
