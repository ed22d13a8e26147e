//! The inbox: stored notifications as the person reads them. Items that share a state, a source and a
//! group are one entry with a count (a CI run's twenty failures are one line), while every item keeps
//! its own id underneath, so marking an entry done marks exactly the items it showed.
//!
//! Each entry has a reply-by time from the delivery policy ([`crate::notify::policy::reply_by`], counted in my
//! working hours): [`with_reply_by`] fills it, marks what is overdue, and puts the most pressing first.
//!
//! [`inbox_view`] is the app's Inbox: held entries grouped into the deliveries the policy will make
//! ([`crate::notify::policy::releases`]), what could not be shown (the notification service refused it; with
//! the reason), then what was delivered lately and what was done. It is a pure
//! function of the policy's inputs, the stored rows and `now`; local labels are in my zone.

use std::collections::HashMap;

use chrono::Duration;
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use crate::notify::notification::{ItemState, Urgency};
use crate::notify::policy::{self, DigestKind, PolicyContext, Release, Timeline};
use crate::store::StoredNotification;
use crate::time::interval::{format_utc, Instant};
use crate::time::locale::TimeLocale;

/// One line of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct InboxEntry {
    /// Held, delivered, done or failed (every item of an entry is in this state).
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
    /// For a failed entry: why the notification service refused its newest item.
    pub failure: Option<String>,
    /// The newest item's link (`http` or `https`), which the Inbox opens.
    pub url: Option<String>,
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
            failure: row.failure.clone(),
            url: row.url.clone(),
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

/// How far back the Inbox shows delivered items.
pub const DELIVERED_WINDOW: Duration = Duration::days(7);
/// At most this many delivered (and, separately, done) items are shown.
pub const RECENT_LIMIT: usize = 200;

/// Why a held batch will go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "bindings.ts")]
pub enum BatchKind {
    /// Critical, or urgent within the cap: shown on its own as soon as delivery runs.
    Urgent,
    /// The next digest of the cadence.
    Digest,
    /// The first free moment of my next working period.
    StartOfDay,
    /// When my focus ends.
    EndOfFocus,
    /// No delivery point is known yet (no working time within the lookahead).
    Unknown,
}

/// One future delivery: the held entries that will go out together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct InboxBatch {
    /// Why it goes out.
    pub kind: BatchKind,
    /// When, RFC 3339 UTC; `None` for [`BatchKind::Unknown`].
    pub at: Option<String>,
    /// "Now", "Next digest · 13:00", "Start of day · Tue 09:00", "End of focus · 15:30".
    pub label: String,
    /// How many items it holds.
    pub count: usize,
    /// Its entries, most pressing first.
    pub entries: Vec<InboxEntryRow>,
}

/// An inbox entry with its times as local labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct InboxEntryRow {
    /// The entry (times as RFC 3339 UTC).
    pub entry: InboxEntry,
    /// When the newest item arrived, local: "14:05", "Mon 09:12", "3 Mar 09:12".
    pub received_label: String,
    /// Its reply-by, local, as `received_label`.
    pub reply_by_label: Option<String>,
}

/// The app's Inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct InboxView {
    /// Held entries grouped by the delivery they will go out in, soonest first.
    pub held: Vec<InboxBatch>,
    /// How many items are held.
    pub held_count: usize,
    /// Entries the notification service refused to show (state failed), each with the reason, most
    /// pressing first. They are not retried; marking them done clears them.
    pub failed: Vec<InboxEntryRow>,
    /// Entries delivered in the last [`DELIVERED_WINDOW`], most pressing first.
    pub delivered: Vec<InboxEntryRow>,
    /// Entries marked done, newest first.
    pub done: Vec<InboxEntryRow>,
    /// The zone the labels are in.
    pub time_zone: String,
}

impl InboxView {
    /// The next moment an entry not yet done becomes overdue, after `now`: when the Inbox must be
    /// redrawn to mark it.
    pub fn next_reply_due(&self, now: Instant) -> Option<Instant> {
        self.held
            .iter()
            .flat_map(|b| &b.entries)
            .chain(&self.failed)
            .chain(&self.delivered)
            .filter_map(|row| row.entry.reply_by)
            .filter(|due| *due > now)
            .min()
    }
}

/// The Inbox at `ctx.now` over `rows` (every held row, and recent failed, delivered and done ones,
/// newest first as [`crate::store::Store::notifications`] lists them).
pub fn inbox_view(ctx: &PolicyContext<'_>, rows: &[StoredNotification]) -> InboxView {
    let now = ctx.now;
    let held_rows: Vec<&StoredNotification> =
        rows.iter().filter(|r| r.state == ItemState::Held).collect();
    let held_items: Vec<_> = held_rows.iter().map(|r| r.item()).collect();
    let releases = policy::releases(ctx, &held_items);
    let from = rows.iter().map(|r| r.received_at).fold(now, Instant::min);
    let timeline = Timeline::new(ctx.team, ctx.sessions, ctx.settings, from, now);
    let tz = timeline.time_zone();

    // Batches keyed by (when, kind): urgent ones first among equal instants.
    type Held = Vec<StoredNotification>;
    let mut batches: Vec<((Option<Instant>, u8), BatchKind, Held)> = Vec::new();
    for (row, release) in held_rows.iter().zip(&releases) {
        let (at, kind) = match *release {
            Release::Urgent(at) => (Some(at.max(now)), BatchKind::Urgent),
            Release::Digest(p) => (Some(p.at), batch_kind(p.kind)),
            Release::Unknown => (None, BatchKind::Unknown),
        };
        let key = (at, if kind == BatchKind::Urgent { 0 } else { 1 });
        match batches.iter_mut().find(|(k, b, _)| *k == key && *b == kind) {
            Some((_, _, members)) => members.push((*row).clone()),
            None => batches.push((key, kind, vec![(*row).clone()])),
        }
    }
    // `None` (unknown) sorts last.
    batches.sort_by_key(|((at, rank), _, _)| (at.is_none(), *at, *rank));
    let held = batches
        .into_iter()
        .map(|((at, _), kind, members)| InboxBatch {
            kind,
            at: at.map(format_utc),
            label: batch_label(kind, at, now, tz),
            count: members.len(),
            entries: labelled(
                with_reply_by(entries(&members), &members, &timeline, now),
                now,
                tz,
            ),
        })
        .collect();

    let delivered: Vec<StoredNotification> = rows
        .iter()
        .filter(|r| {
            r.state == ItemState::Delivered
                && r.delivered_at.unwrap_or(r.received_at) >= now - DELIVERED_WINDOW
        })
        .take(RECENT_LIMIT)
        .cloned()
        .collect();
    let failed: Vec<StoredNotification> = rows
        .iter()
        .filter(|r| r.state == ItemState::Failed)
        .take(RECENT_LIMIT)
        .cloned()
        .collect();
    let done: Vec<StoredNotification> = rows
        .iter()
        .filter(|r| r.state == ItemState::Done)
        .take(RECENT_LIMIT)
        .cloned()
        .collect();
    InboxView {
        held,
        held_count: held_rows.len(),
        failed: labelled(
            with_reply_by(entries(&failed), &failed, &timeline, now),
            now,
            tz,
        ),
        delivered: labelled(
            with_reply_by(entries(&delivered), &delivered, &timeline, now),
            now,
            tz,
        ),
        done: labelled(entries(&done), now, tz),
        time_zone: tz.name().to_string(),
    }
}

fn batch_kind(kind: DigestKind) -> BatchKind {
    match kind {
        DigestKind::StartOfDay => BatchKind::StartOfDay,
        DigestKind::FocusEnded => BatchKind::EndOfFocus,
        DigestKind::Cadence | DigestKind::Manual => BatchKind::Digest,
    }
}

fn batch_label(kind: BatchKind, at: Option<Instant>, now: Instant, tz: Tz) -> String {
    let when = |t: Instant| {
        if t <= now {
            "now".to_string()
        } else {
            local_label(t, now, tz)
        }
    };
    match (kind, at) {
        (BatchKind::Urgent, Some(t)) if t <= now => "Now".into(),
        (BatchKind::Urgent, Some(t)) => format!("Urgent · {}", when(t)),
        (BatchKind::Digest, Some(t)) => format!("Next digest · {}", when(t)),
        (BatchKind::StartOfDay, Some(t)) => format!("Start of day · {}", when(t)),
        (BatchKind::EndOfFocus, Some(t)) => format!("End of focus · {}", when(t)),
        _ => "Not scheduled yet".into(),
    }
}

/// `t` in `tz` on this process's clock ([`TimeLocale::current`]): "14:05" on the day of `now`,
/// "Tue 09:00" within the week around it, else "3 Mar 09:00".
pub fn local_label(t: Instant, now: Instant, tz: Tz) -> String {
    local_label_in(t, now, tz, &TimeLocale::current())
}

/// [`local_label`] on `l`'s clock and names: "5:30 PM", "Tue 9:00 AM", "3 Mar 9:00 AM".
pub fn local_label_in(t: Instant, now: Instant, tz: Tz, l: &TimeLocale) -> String {
    let (local, today) = (t.with_timezone(&tz), now.with_timezone(&tz).date_naive());
    let days = (local.date_naive() - today).num_days();
    if days == 0 {
        l.hm(&local)
    } else if (-6..=6).contains(&days) {
        l.day_time(&local)
    } else {
        l.day_month_time(&local)
    }
}

fn labelled(entries: Vec<InboxEntry>, now: Instant, tz: Tz) -> Vec<InboxEntryRow> {
    entries
        .into_iter()
        .map(|entry| InboxEntryRow {
            received_label: local_label(entry.received_at, now, tz),
            reply_by_label: entry.reply_by.map(|t| local_label(t, now, tz)),
            entry,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;
    use crate::notify::notification::NewNotification;
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
    fn labels_read_each_locales_clock_and_names() {
        let now = Utc.with_ymd_and_hms(2026, 3, 9, 14, 0, 0).unwrap(); // Monday
        let tz = chrono_tz::America::New_York;
        let today = now + Duration::hours(3);
        let tuesday = now + Duration::days(1);
        let later = now + Duration::days(10);
        for (name, a, b, c) in [
            ("en_US.UTF-8", "1:00 PM", "Tue 10:00 AM", "19 Mar 10:00 AM"),
            ("en_GB.UTF-8", "13:00", "Tue 10:00", "19 Mar 10:00"),
            ("de_DE.UTF-8", "13:00", "Di 10:00", "19 Mär 10:00"),
            ("ja_JP.UTF-8", "13:00", "火 10:00", "19 3月 10:00"),
        ] {
            let l = TimeLocale::resolve(Some(name), "auto", "auto");
            assert_eq!(local_label_in(today, now, tz, &l), a, "{name}");
            assert_eq!(local_label_in(tuesday, now, tz, &l), b, "{name}");
            assert_eq!(local_label_in(later, now, tz, &l), c, "{name}");
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
        let settings = crate::notify::policy::PolicySettings::default();
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

    #[test]
    fn refused_items_are_shown_apart_with_their_reason() {
        let mut store = Store::open_in_memory().unwrap();
        let t = |m| Utc.with_ymd_and_hms(2026, 3, 9, 14, m, 0).unwrap();
        let ids: Vec<i64> = [
            new("ci", Some("b1"), "bad text", Urgency::Critical),
            new("ci", None, "fine", Urgency::Normal),
        ]
        .iter()
        .map(|n| {
            store
                .accept_notifications(std::slice::from_ref(n), t(0))
                .unwrap()[0]
                .id
        })
        .collect();
        store
            .mark_failed(&ids[..1], t(1), "the body holds a NUL character")
            .unwrap();
        let rows = store
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap();
        let settings = crate::notify::policy::PolicySettings::default();
        let team = crate::Team {
            name: String::new(),
            me: None,
            members: vec![],
        };
        let ctx = PolicyContext {
            team: &team,
            sessions: &[],
            settings: &settings,
            breakthroughs: &[],
            now: t(2),
        };
        let view = inbox_view(&ctx, &rows);
        assert_eq!(view.held_count, 1, "a failed item is not held");
        assert_eq!(view.failed.len(), 1);
        let failed = &view.failed[0].entry;
        assert_eq!(
            (failed.state, failed.ids.clone(), failed.failure.as_deref()),
            (
                ItemState::Failed,
                vec![ids[0]],
                Some("the body holds a NUL character")
            )
        );
        assert!(view.delivered.is_empty() && view.done.is_empty());
    }

    #[test]
    fn the_view_groups_held_items_by_their_delivery() {
        let mut store = Store::open_in_memory().unwrap();
        // Me in UTC, weekdays 09:00-17:00; digests at 10:00, 13:00, 16:00. Monday 2026-03-09 11:00,
        // in a focus session from 10:30 to 12:00.
        let team = crate::Team::from_toml_str(
            "name = \"T\"\nme = \"me\"\n[[members]]\nname = \"Me\"\ntime_zone = \"UTC\"\n\
             hours = [\"mon-fri 09:00-17:00\"]\n",
            "t.toml",
        )
        .unwrap();
        let t = |d, h, m| Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap();
        let now = t(9, 11, 0);
        let sessions = [crate::team::focus::FocusSession {
            id: 1,
            started_at: t(9, 10, 30),
            ends_at: t(9, 12, 0),
            stopped_at: None,
        }];
        for (n, at) in [
            // Friday: high wants an answer in 4 working hours, by Monday 10:00.
            (new("mail", None, "contract", Urgency::High), t(6, 14, 0)),
            (
                new("ci", Some("b1"), "lint failed", Urgency::Normal),
                t(9, 10, 40),
            ),
            (
                new("ci", Some("b1"), "tests failed", Urgency::Normal),
                t(9, 10, 50),
            ),
            (
                new("pager", None, "db down", Urgency::Critical),
                t(9, 10, 55),
            ),
            (new("chat", None, "old news", Urgency::Low), t(9, 9, 0)),
        ] {
            store
                .accept_notifications(std::slice::from_ref(&n), at)
                .unwrap();
        }
        let old = store
            .held_items()
            .unwrap()
            .into_iter()
            .find(|i| i.title == "old news")
            .unwrap()
            .id;
        store
            .mark_delivered(
                &[old],
                t(9, 10, 0),
                crate::notify::notification::DeliveredAs::Digest,
            )
            .unwrap();
        let rows = store
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap();
        let settings = crate::notify::policy::PolicySettings::default();
        let ctx = PolicyContext {
            team: &team,
            sessions: &sessions,
            settings: &settings,
            breakthroughs: &[],
            now,
        };
        let view = inbox_view(&ctx, &rows);
        let batches: Vec<_> = view
            .held
            .iter()
            .map(|b| (b.kind, b.label.as_str(), b.count, b.entries.len()))
            .collect();
        assert_eq!(
            batches,
            vec![
                (BatchKind::Urgent, "Now", 1, 1),
                (BatchKind::EndOfFocus, "End of focus · 12:00", 3, 2),
            ],
            "critical goes out now; what waited (Friday's too: its points passed unseen) goes when \
             focus ends, the build's two failures as one entry"
        );
        assert_eq!(view.held[1].at.as_deref(), Some("2026-03-09T12:00:00Z"));
        assert_eq!(view.held_count, 4);
        let focus = &view.held[1].entries;
        assert_eq!(
            (focus[0].entry.title.as_str(), focus[0].entry.overdue),
            ("contract", true),
            "past its reply-by (Monday 10:00), so first and overdue"
        );
        assert_eq!(focus[0].reply_by_label.as_deref(), Some("10:00"));
        assert_eq!(focus[0].received_label, "Fri 14:00");
        assert_eq!((focus[1].entry.count, focus[1].entry.overdue), (2, false));
        assert_eq!(view.delivered.len(), 1);
        assert_eq!(view.delivered[0].entry.title, "old news");
        assert!(view.done.is_empty());
        assert!(view.failed.is_empty());
        // The window redraws when the next entry turns overdue: the soonest reply-by still ahead.
        let due = view
            .next_reply_due(now)
            .expect("the build's entry is not overdue yet");
        let reply_bys: Vec<_> = view
            .held
            .iter()
            .flat_map(|b| &b.entries)
            .chain(&view.delivered)
            .filter_map(|r| r.entry.reply_by)
            .collect();
        assert!(
            due > now && reply_bys.contains(&due),
            "{due} among {reply_bys:?}"
        );
        assert!(
            reply_bys.iter().all(|r| *r <= now || *r >= due),
            "none ahead comes sooner: {due} among {reply_bys:?}"
        );

        let later = PolicyContext {
            now: t(9, 12, 30),
            sessions: &[],
            ..ctx
        };
        let held: Vec<_> = rows
            .iter()
            .filter(|r| r.title != "db down")
            .cloned()
            .collect();
        let view = inbox_view(&later, &held);
        assert_eq!(
            view.held
                .iter()
                .map(|b| b.label.as_str())
                .collect::<Vec<_>>(),
            vec!["Next digest · now", "Next digest · 13:00"],
            "with no focus, Friday's item (its point passed unseen) goes at once, being free; the \
             build's wait for the 13:00 tick"
        );
    }
}
