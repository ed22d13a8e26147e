//! The record of the desktop do-not-disturb Baton turned on (see [`crate::dnd`]): which backend, the
//! state it found there, and when. It is written before the switch and cleared after the restore, so
//! a runner killed in between finds it at its next start and puts the desktop back.

use rusqlite::{params, OptionalExtension};

use super::{secs, Store, StoreError};
use crate::time::interval::Instant;

/// What Baton changed on the desktop, as recorded before changing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DndRecord {
    /// The backend's setting name ([`crate::dnd::BackendKind::key`]): `dunst`, `gnome`, `kde`, ...
    pub backend: String,
    /// Whether do-not-disturb was already on when Baton came to turn it on (then Baton never turns
    /// it off).
    pub found_on: bool,
    /// When the record was written.
    pub changed_at: Instant,
}

impl Store {
    /// The do-not-disturb Baton holds, if any.
    pub fn dnd_record(&self) -> Result<Option<DndRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT backend, found_on, changed_at FROM dnd_change WHERE id = 1",
                [],
                |r| {
                    Ok(DndRecord {
                        backend: r.get(0)?,
                        found_on: r.get::<_, i64>(1)? != 0,
                        changed_at: secs(r.get(2)?),
                    })
                },
            )
            .optional()
            .map_err(self.sql())
    }

    /// Records, durably, that Baton is about to turn on `backend`'s do-not-disturb, which it found
    /// `found_on`; replaces an older record.
    pub fn record_dnd(&self, backend: &str, found_on: bool, at: Instant) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO dnd_change (id, backend, found_on, changed_at) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET backend = excluded.backend,
                     found_on = excluded.found_on, changed_at = excluded.changed_at",
                params![backend, i64::from(found_on), at.timestamp()],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// Forgets the record, once the desktop is as Baton found it.
    pub fn clear_dnd(&self) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM dnd_change", [])
            .map(drop)
            .map_err(self.sql())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_record_is_kept_until_cleared_and_replaced_whole() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.dnd_record().unwrap(), None);
        let at = chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        store.record_dnd("dunst", false, at).unwrap();
        store.record_dnd("gnome", true, at).unwrap();
        assert_eq!(
            store.dnd_record().unwrap(),
            Some(DndRecord {
                backend: "gnome".into(),
                found_on: true,
                changed_at: at,
            }),
            "one record at a time: the later replaces the earlier"
        );
        store.clear_dnd().unwrap();
        assert_eq!(store.dnd_record().unwrap(), None);
    }
}
