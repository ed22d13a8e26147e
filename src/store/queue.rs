//! The notification queue: every accepted notification is one row, held until the delivery policy lets
//! it through, then delivered (alone or in a digest), then done.
//!
//! Writes of many rows happen in one transaction, so a batch is stored whole or not at all; the intake
//! server relies on that for its group commit (one commit, and one fsync, for every request waiting).
//! A repeated idempotency key from the same source stores nothing and answers with the first row's id,
//! also when both copies arrive in the same batch: `(source, idempotency_key)` is `UNIQUE`, and an
//! insert that collides returns no row. Keys are scoped per source, so one source's key never swallows
//! another's item (nor answers it with a foreign id).
//!
//! An item the notification service refused is `failed`, with when and why; it is no longer held, so
//! delivery does not try it again and what comes after it goes out.
//! Instants are stored as Unix milliseconds, UTC.

use rusqlite::{params, params_from_iter, OptionalExtension, Row, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Store, StoreError};
use crate::notify::notification::{DeliveredAs, Item, ItemState, NewNotification, Urgency};
use crate::query::week::NotificationRecord;
use crate::time::interval::{Instant, Interval};

/// What the store answered for one submitted notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    /// The stored row's id (the first one's, for a repeated idempotency key).
    pub id: i64,
    /// True when the idempotency key was seen before from the same source and nothing new was
    /// stored.
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
    /// Refused by the notification service (see [`ItemState::Failed`]).
    Failed,
    /// Every state.
    All,
}

impl NotificationFilter {
    /// The filter named `held`, `delivered`, `done`, `failed` or `all`.
    pub fn parse(s: &str) -> Option<NotificationFilter> {
        match s {
            "held" => Some(NotificationFilter::Held),
            "delivered" => Some(NotificationFilter::Delivered),
            "done" => Some(NotificationFilter::Done),
            "failed" => Some(NotificationFilter::Failed),
            "all" => Some(NotificationFilter::All),
            _ => None,
        }
    }

    fn state(self) -> Option<ItemState> {
        match self {
            NotificationFilter::Held => Some(ItemState::Held),
            NotificationFilter::Delivered => Some(ItemState::Delivered),
            NotificationFilter::Done => Some(ItemState::Done),
            NotificationFilter::Failed => Some(ItemState::Failed),
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
    /// Held, delivered, done or failed.
    pub state: ItemState,
    /// When it was delivered.
    #[ts(type = "string | null")]
    pub delivered_at: Option<Instant>,
    /// Whether it was delivered on its own or in a digest.
    pub delivered_as: Option<DeliveredAs>,
    /// When it was marked done.
    #[ts(type = "string | null")]
    pub done_at: Option<Instant>,
    /// When the notification service refused it (state `failed`).
    #[ts(type = "string | null")]
    pub failed_at: Option<Instant>,
    /// Why the notification service refused it, as it said.
    pub failure: Option<String>,
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
            url: n.url,
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
            url: self.url.clone(),
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
                       received_at, state, delivered_at, delivered_as, done_at, failed_at, failure";

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
            "failed" => ItemState::Failed,
            _ => ItemState::Held,
        },
        delivered_at: r.get::<_, Option<i64>>(11)?.map(from_millis),
        delivered_as: delivered_as.map(|d| match d.as_str() {
            "digest" => DeliveredAs::Digest,
            _ => DeliveredAs::Urgent,
        }),
        done_at: r.get::<_, Option<i64>>(13)?.map(from_millis),
        failed_at: r.get::<_, Option<i64>>(14)?.map(from_millis),
        failure: r.get(15)?,
    })
}

impl Store {
    /// Stores a batch of notifications received at `now`, in one transaction, and answers for each in
    /// order. A notification whose idempotency key is already stored for its source (or appears earlier
    /// in `batch` from the same source) stores nothing and is answered with the first id and
    /// `duplicate: true`.
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
                     ON CONFLICT (source, idempotency_key) DO NOTHING
                     RETURNING id",
                )
                .map_err(sql)?;
            let mut existing = tx
                .prepare_cached(
                    "SELECT id FROM notification WHERE source = ?1 AND idempotency_key = ?2",
                )
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
                        id: existing
                            .query_row(params![n.source, key], |r| r.get(0))
                            .map_err(sql)?,
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
        self.notifications_before(filter, None, limit)
    }

    /// Stored notifications in `filter` with an id below `before` (all of them for `None`), newest
    /// (highest id) first, at most `limit` of them: one page of a listing, whose next page starts
    /// below the last id of this one.
    pub fn notifications_before(
        &self,
        filter: NotificationFilter,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<StoredNotification>, StoreError> {
        let sql = self.sql();
        // SQLite reads a negative LIMIT as "no limit".
        let limit = i64::try_from(limit).unwrap_or(-1);
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM notification
                 WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR id < ?2)
                 ORDER BY id DESC LIMIT ?3"
            ))
            .map_err(&sql)?;
        let rows = stmt
            .query_map(
                params![filter.state().map(ItemState::as_str), before, limit],
                stored,
            )
            .map_err(&sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sql)
    }

    /// The stored notification with `id`, if there is one.
    pub fn notification(&self, id: i64) -> Result<Option<StoredNotification>, StoreError> {
        let sql = self.sql();
        self.conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM notification WHERE id = ?1"))
            .map_err(&sql)?
            .query_row([id], stored)
            .optional()
            .map_err(&sql)
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

    /// Marks the notifications `ids` failed at `at` because the notification service refused them
    /// with `reason`, in one transaction. Only rows still held change; returns how many did. A failed
    /// item is not held, so delivery never tries it again.
    pub fn mark_failed(
        &mut self,
        ids: &[i64],
        at: Instant,
        reason: &str,
    ) -> Result<usize, StoreError> {
        self.update_each(
            ids,
            "UPDATE notification SET state = 'failed', failed_at = ?2, failure = ?3
             WHERE id = ?1 AND state = 'held'",
            &[&millis(at), &reason],
        )
    }

    /// Marks the notifications `ids` done at `at` (held, delivered or failed), in one transaction;
    /// returns how many changed. Done ones keep their first `done_at`.
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

    /// What the week in focus reads about each notification received in `span`, oldest first. The
    /// range on `received_at` is read through its index, so a week costs its own rows only, however
    /// long the history.
    pub fn notification_history(
        &self,
        span: Interval,
    ) -> Result<Vec<NotificationRecord>, StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT source, urgency, received_at, delivered_at, delivered_as FROM notification
                 INDEXED BY notification_received
                 WHERE received_at >= ?1 AND received_at < ?2
                 ORDER BY received_at, id",
            )
            .map_err(&sql)?;
        let rows = stmt
            .query_map([millis(span.start), millis(span.end)], |r| {
                let urgency: String = r.get(1)?;
                let delivered_as: Option<String> = r.get(4)?;
                Ok(NotificationRecord {
                    source: r.get(0)?,
                    urgency: urgency.parse().unwrap_or(Urgency::Critical),
                    received_at: from_millis(r.get(2)?),
                    delivered_at: r.get::<_, Option<i64>>(3)?.map(from_millis),
                    delivered_as: delivered_as.map(|d| match d.as_str() {
                        "digest" => DeliveredAs::Digest,
                        _ => DeliveredAs::Urgent,
                    }),
                })
            })
            .map_err(&sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sql)
    }

    /// The policy's breakthroughs received at or after `since`, oldest first: non-critical items that
    /// were delivered on their own, each as its source and its arrival (see
    /// [`crate::notify::policy::PolicyContext::breakthroughs`]: the cap counts arrivals, so that a plan repeated
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

    /// A new in-memory store that accepted items with these titles (and no key) at `at(0)`, and their ids.
    fn accepted(titles: &[&str]) -> (Store, Vec<i64>) {
        let mut store = Store::open_in_memory().unwrap();
        let items: Vec<NewNotification> = titles.iter().map(|t| new(t, None)).collect();
        let ids = store
            .accept_notifications(&items, at(0))
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect();
        (store, ids)
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
    fn keys_are_scoped_per_source() {
        let mut store = Store::open_in_memory().unwrap();
        let mut mail = new("from mail", Some("k1"));
        mail.source = "mail".into();
        let answers = store
            .accept_notifications(
                &[new("from ci", Some("k1")), mail.clone(), mail.clone()],
                at(0),
            )
            .unwrap();
        assert!(!answers[0].duplicate && !answers[1].duplicate);
        assert_ne!(
            answers[0].id, answers[1].id,
            "another source's key is its own"
        );
        assert_eq!(
            answers[2],
            Accepted {
                id: answers[1].id,
                duplicate: true
            },
            "and a repeat answers with that source's first id"
        );
    }

    #[test]
    fn a_refused_item_is_failed_with_its_reason_and_no_longer_held() {
        let (mut store, ids) = accepted(&["a", "b"]);
        assert_eq!(store.mark_failed(&[ids[0]], at(1), "bad text").unwrap(), 1);
        assert_eq!(
            store.mark_failed(&[ids[0]], at(2), "again").unwrap(),
            0,
            "only held items fail"
        );
        let held: Vec<i64> = store.held_items().unwrap().iter().map(|i| i.id).collect();
        assert_eq!(held, vec![ids[1]], "a failed item is not retried");
        let failed = store.notifications(NotificationFilter::Failed, 10).unwrap();
        assert_eq!(
            (
                failed[0].id,
                failed[0].state,
                failed[0].failed_at,
                failed[0].failure.as_deref()
            ),
            (ids[0], ItemState::Failed, Some(at(1)), Some("bad text"))
        );
        assert_eq!(
            store.mark_done(&[ids[0]], at(3)).unwrap(),
            1,
            "a failed item can be done"
        );
    }

    #[test]
    fn pages_go_newest_first_below_the_cursor() {
        let (store, ids) = accepted(&["a", "b", "c"]);
        let page = |before, limit| -> Vec<i64> {
            store
                .notifications_before(NotificationFilter::All, before, limit)
                .unwrap()
                .iter()
                .map(|n| n.id)
                .collect()
        };
        assert_eq!(page(None, 2), vec![ids[2], ids[1]]);
        assert_eq!(page(Some(ids[1]), 2), vec![ids[0]]);
        assert_eq!(page(Some(ids[0]), 2), Vec::<i64>::new());
    }

    #[test]
    fn items_move_from_held_to_delivered_to_done() {
        let (mut store, ids) = accepted(&["a", "b", "c"]);
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
    fn the_weeks_history_is_the_half_open_range_of_arrivals() {
        let mut store = Store::open_in_memory().unwrap();
        for minute in 0..3 {
            store
                .accept_notifications(&[new("a", None)], at(minute))
                .unwrap();
        }
        let id = store.held_items().unwrap()[1].id;
        store
            .mark_delivered(&[id], at(5), DeliveredAs::Digest)
            .unwrap();
        let rows = store
            .notification_history(Interval {
                start: at(1),
                end: at(2),
            })
            .unwrap();
        assert_eq!(
            rows,
            [NotificationRecord {
                source: "ci".into(),
                urgency: Urgency::High,
                received_at: at(1),
                delivered_at: Some(at(5)),
                delivered_as: Some(DeliveredAs::Digest),
            }],
            "from the start, up to but not including the end"
        );
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
