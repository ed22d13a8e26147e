//! The calendars Baton reads, in the database: each calendar (a teammate's feed, owned by that
//! member's name, or one of mine), its validators and last check, the last good reading of its events,
//! and the events Baton published to it.
//!
//! A reading replaces the calendar's events and status in one transaction; a failed check writes only
//! its error, so the last good reading stays in use. An unchanged answer (a 304, the same ctag) writes
//! only when it clears an error.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::{at, ms, Store, StoreError};
use crate::calendar::busy::MemberBusy;
use crate::calendar::{Occurrence, OccurrenceKind};
use crate::team::Team;
use crate::time::interval::{Instant, Interval};

/// How a calendar is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarKind {
    /// An iCalendar file at a URL.
    Ics,
    /// A calendar collection on a CalDAV server.
    Caldav,
}

impl CalendarKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarKind::Ics => "ics",
            CalendarKind::Caldav => "caldav",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "ics" => Some(CalendarKind::Ics),
            "caldav" => Some(CalendarKind::Caldav),
            _ => None,
        }
    }
}

/// A calendar to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCalendar {
    /// The teammate whose feed it is (from the team file), or `None` for one of mine.
    pub owner: Option<String>,
    /// How it is read.
    pub kind: CalendarKind,
    /// The ICS address, or the CalDAV calendar collection's URL.
    pub url: String,
    /// Its display name, if known.
    pub name: Option<String>,
    /// For CalDAV: the account's base URL (the key its password is kept under, with the user).
    pub account: Option<String>,
    /// For CalDAV: the user name.
    pub user: Option<String>,
}

/// A calendar as stored, with its last check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCalendar {
    /// Its row id (what `baton calendar remove` takes).
    pub id: i64,
    /// What was added.
    pub spec: NewCalendar,
    /// Whether my focus is published to it (CalDAV only).
    pub publish: bool,
    /// The validators of the last good reading.
    pub validators: CalendarValidators,
    /// The last check that was recorded.
    pub checked_at: Option<Instant>,
    /// When the last good reading changed the events.
    pub changed_at: Option<Instant>,
    /// The last check's error (the last good reading stays in use).
    pub error: Option<String>,
    /// How many occurrences the last good reading holds.
    pub events: usize,
}

/// What tells whether a calendar changed since it was last read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarValidators {
    /// HTTP `ETag` (ICS).
    pub etag: Option<String>,
    /// HTTP `Last-Modified` (ICS).
    pub last_modified: Option<String>,
    /// CalDAV `getctag`.
    pub ctag: Option<String>,
    /// CalDAV `sync-token`.
    pub sync_token: Option<String>,
    /// A hash of what was read.
    pub hash: Option<String>,
}

/// An event Baton published to a CalDAV calendar: where, its etag, and a hash of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedEvent {
    /// The object's URL.
    pub url: String,
    /// Its etag when Baton wrote it.
    pub etag: String,
    /// A hash of the content Baton wrote.
    pub hash: String,
}

impl Store {
    /// Every calendar, mine first, then by owner and id.
    pub fn calendars(&self) -> Result<Vec<StoredCalendar>, StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.owner, c.kind, c.url, c.name, c.account, c.user_name, c.publish,
                        c.etag, c.last_modified, c.ctag, c.sync_token, c.hash, c.checked_at,
                        c.changed_at, c.error,
                        (SELECT count(*) FROM calendar_event e WHERE e.calendar_id = c.id)
                 FROM calendar c ORDER BY c.owner IS NOT NULL, c.owner, c.id",
            )
            .map_err(&sql)?;
        let rows = stmt
            .query_map([], |r| {
                let kind: String = r.get(2)?;
                Ok((
                    kind,
                    StoredCalendar {
                        id: r.get(0)?,
                        spec: NewCalendar {
                            owner: r.get(1)?,
                            kind: CalendarKind::Ics,
                            url: r.get(3)?,
                            name: r.get(4)?,
                            account: r.get(5)?,
                            user: r.get(6)?,
                        },
                        publish: r.get(7)?,
                        validators: CalendarValidators {
                            etag: r.get(8)?,
                            last_modified: r.get(9)?,
                            ctag: r.get(10)?,
                            sync_token: r.get(11)?,
                            hash: r.get(12)?,
                        },
                        checked_at: at(r.get(13)?),
                        changed_at: at(r.get(14)?),
                        error: r.get(15)?,
                        events: r.get::<_, i64>(16)? as usize,
                    },
                ))
            })
            .map_err(&sql)?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, mut c) = row.map_err(&sql)?;
            c.spec.kind = CalendarKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
                path: self.path.clone(),
                message: format!("unknown calendar kind '{kind}'"),
            })?;
            out.push(c);
        }
        Ok(out)
    }

    /// Adds a calendar; an existing one with the same owner and URL is kept as it is. Its id.
    pub fn add_calendar(&mut self, new: &NewCalendar) -> Result<i64, StoreError> {
        let sql = self.sql();
        self.conn
            .execute(
                "INSERT INTO calendar (owner, kind, url, name, account, user_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT DO NOTHING",
                params![
                    new.owner,
                    new.kind.as_str(),
                    new.url,
                    new.name,
                    new.account,
                    new.user
                ],
            )
            .map_err(&sql)?;
        self.conn
            .query_row(
                "SELECT id FROM calendar WHERE coalesce(owner, '') = coalesce(?1, '') AND url = ?2",
                params![new.owner, new.url],
                |r| r.get(0),
            )
            .map_err(&sql)
    }

    /// Removes a calendar, its events and what Baton published to it. Whether it existed.
    pub fn remove_calendar(&mut self, id: i64) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM calendar WHERE id = ?1", [id])
            .map(|n| n > 0)
            .map_err(self.sql())
    }

    /// Makes the teammates' feed calendars match the team: a row for each member's `calendar`, and
    /// none for a member (or an address) no longer in the team. Mine are left alone. Whether anything
    /// changed.
    pub fn match_member_calendars(&mut self, team: &Team) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let wanted: Vec<(String, String)> = team
            .members
            .iter()
            .filter_map(|m| m.calendar.clone().map(|url| (m.name.clone(), url)))
            .collect();
        let tx = self.conn.transaction().map_err(sql)?;
        let existing: Vec<(i64, String, String)> = {
            let mut stmt = tx
                .prepare("SELECT id, owner, url FROM calendar WHERE owner IS NOT NULL")
                .map_err(sql)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(sql)?;
            rows.collect::<Result<_, _>>().map_err(sql)?
        };
        let mut changed = false;
        for (id, owner, url) in &existing {
            if !wanted.iter().any(|(o, u)| o == owner && u == url) {
                tx.execute("DELETE FROM calendar WHERE id = ?1", [id])
                    .map_err(sql)?;
                changed = true;
            }
        }
        for (owner, url) in &wanted {
            if !existing.iter().any(|(_, o, u)| o == owner && u == url) {
                tx.execute(
                    "INSERT INTO calendar (owner, kind, url) VALUES (?1, 'ics', ?2)",
                    params![owner, url],
                )
                .map_err(sql)?;
                changed = true;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(changed)
    }

    /// Turns publishing my focus to a CalDAV calendar on or off. Whether the calendar exists.
    pub fn set_calendar_publish(&mut self, id: i64, publish: bool) -> Result<bool, StoreError> {
        self.conn
            .execute(
                "UPDATE calendar SET publish = ?2 WHERE id = ?1 AND kind = 'caldav'",
                params![id, publish],
            )
            .map(|n| n > 0)
            .map_err(self.sql())
    }

    /// Replaces calendar `id`'s events with a new good reading, with its validators, in one
    /// transaction. Whether the calendar still exists (it may have been removed meanwhile).
    pub fn apply_calendar_reading(
        &mut self,
        id: i64,
        events: &[Occurrence],
        validators: &CalendarValidators,
        now: Instant,
    ) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let same: Option<Option<String>> = tx
            .query_row("SELECT hash FROM calendar WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        let Some(old_hash) = same else {
            return Ok(false);
        };
        let changed = old_hash.is_none() || old_hash != validators.hash;
        if changed {
            tx.execute("DELETE FROM calendar_event WHERE calendar_id = ?1", [id])
                .map_err(sql)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO calendar_event
                         (calendar_id, start_at, end_at, kind, first_date, last_date, uid, title)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql)?;
            for e in events {
                insert
                    .execute(params![
                        id,
                        e.interval.start.timestamp(),
                        e.interval.end.timestamp(),
                        match e.kind {
                            OccurrenceKind::Busy => "busy",
                            OccurrenceKind::OutOfOffice => "out_of_office",
                        },
                        e.all_day.map(|(f, _)| f.to_string()),
                        e.all_day.map(|(_, l)| l.to_string()),
                        e.uid,
                        e.title
                    ])
                    .map_err(sql)?;
            }
        }
        tx.execute(
            "UPDATE calendar SET etag = ?2, last_modified = ?3, ctag = ?4, sync_token = ?5,
                 hash = ?6, checked_at = ?7, error = NULL,
                 changed_at = CASE WHEN ?8 THEN ?7 ELSE changed_at END
             WHERE id = ?1",
            params![
                id,
                validators.etag,
                validators.last_modified,
                validators.ctag,
                validators.sync_token,
                validators.hash,
                ms(now),
                changed
            ],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(true)
    }

    /// Records that calendar `id` did not change: a write only when it clears an error.
    pub fn calendar_unchanged(&mut self, id: i64, now: Instant) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE calendar SET error = NULL, checked_at = ?2 WHERE id = ?1 AND error IS NOT NULL",
                params![id, ms(now)],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// Records a failed check of calendar `id`: its error only; the last good reading stays.
    pub fn calendar_failed(
        &mut self,
        id: i64,
        error: &str,
        now: Instant,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE calendar SET error = ?2, checked_at = ?3 WHERE id = ?1",
                params![id, error, ms(now)],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// What Baton published to calendar `id`, by UID.
    pub fn published_events(
        &self,
        id: i64,
    ) -> Result<BTreeMap<String, PublishedEvent>, StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT uid, url, etag, hash FROM calendar_published WHERE calendar_id = ?1",
            )
            .map_err(&sql)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    PublishedEvent {
                        url: r.get(1)?,
                        etag: r.get(2)?,
                        hash: r.get(3)?,
                    },
                ))
            })
            .map_err(&sql)?;
        rows.collect::<Result<_, _>>().map_err(&sql)
    }

    /// Replaces what Baton published to calendar `id`.
    pub fn set_published_events(
        &mut self,
        id: i64,
        events: &BTreeMap<String, PublishedEvent>,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "DELETE FROM calendar_published WHERE calendar_id = ?1",
            [id],
        )
        .map_err(sql)?;
        for (uid, e) in events {
            tx.execute(
                "INSERT INTO calendar_published (calendar_id, uid, url, etag, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, uid, e.url, e.etag, e.hash],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// The last good reading of every calendar, attached to its member: a teammate's feed to that
    /// member, mine to `me` (kept with titles).
    pub(crate) fn attach_calendars(&self, team: &mut Team) -> Result<(), StoreError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.owner, e.start_at, e.end_at, e.kind, e.first_date, e.last_date, e.uid,
                        e.title
                 FROM calendar_event e JOIN calendar c ON c.id = e.calendar_id",
            )
            .map_err(&sql)?;
        let rows = stmt
            .query_map([], |r| {
                let owner: Option<String> = r.get(0)?;
                let kind: String = r.get(3)?;
                let first: Option<String> = r.get(4)?;
                let last: Option<String> = r.get(5)?;
                Ok((
                    owner,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    kind,
                    first,
                    last,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            })
            .map_err(&sql)?;
        let me = team.me().map(|m| m.name.clone());
        let mut by_member: BTreeMap<usize, Vec<Occurrence>> = BTreeMap::new();
        for row in rows {
            let (owner, start, end, kind, first, last, uid, title) = row.map_err(&sql)?;
            let name = match owner.or_else(|| me.clone()) {
                Some(n) => n,
                None => continue,
            };
            let Some((i, _)) = team.member(&name) else {
                continue;
            };
            let date = |s: Option<String>| s.and_then(|s| s.parse::<NaiveDate>().ok());
            let (Some(s), Some(e)) = (
                chrono::DateTime::from_timestamp(start, 0),
                chrono::DateTime::from_timestamp(end, 0),
            ) else {
                continue;
            };
            let Some(interval) = Interval::new(s, e) else {
                continue;
            };
            by_member.entry(i).or_default().push(Occurrence {
                uid,
                interval,
                all_day: date(first).zip(date(last)),
                kind: if kind == "out_of_office" {
                    OccurrenceKind::OutOfOffice
                } else {
                    OccurrenceKind::Busy
                },
                title,
            });
        }
        for (i, events) in by_member {
            let m = &mut team.members[i];
            m.busy = Arc::new(MemberBusy::new(events, m.time_zone));
        }
        Ok(())
    }
}
