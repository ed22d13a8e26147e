//! Calendars in and out: the busy times and out-of-office days of iCalendar (RFC 5545) feeds and CalDAV
//! (RFC 4791) calendars, and my focus, days off and handoffs written back out as a feed.
//!
//! The types here are what every part shares: an event occurrence as Baton keeps it ([`Occurrence`]),
//! what a reading needs to know ([`ReadOptions`]), and what an export is made of ([`ExportFeed`]).

pub mod busy;
/// A CalDAV (RFC 4791) client: discovery, reading a calendar, publishing Baton's own events.
pub mod caldav;
/// Writing my calendar out as an iCalendar feed.
pub mod export;
pub mod feed;
/// Reading iCalendar feeds into occurrences.
pub mod ics;
/// Adding and removing my calendars.
pub mod manage;
pub mod remote;
/// Where a CalDAV password is kept: the system keyring, else a file only I can read.
pub mod secret;
pub mod sync;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Serialize;

use crate::time::interval::{Instant, Interval};

/// How long a window a calendar is read for: from this many days back...
pub const WINDOW_BACK_DAYS: i64 = 7;
/// ...to this many days ahead (8 weeks).
pub const WINDOW_AHEAD_DAYS: i64 = 56;

/// The words that mark an event as out of office when they are its whole title or one of its
/// categories (compared without case) until the user changes them: the default of the
/// `calendar_ooo_words` setting ([`crate::store::settings::DEFAULT_CALENDAR_OOO_WORDS`]).
pub fn default_ooo_words() -> Vec<String> {
    crate::store::settings::ooo_words(crate::store::settings::DEFAULT_CALENDAR_OOO_WORDS)
}

/// One occurrence of an event that makes someone unavailable, in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// The event's `UID` (one per series; occurrences of a series share it).
    pub uid: String,
    /// When it starts and ends (an all-day event: from local midnight of its first date to local
    /// midnight after its last, in the zone it is read in).
    pub interval: Interval,
    /// For an all-day (`VALUE=DATE`) event, its local dates, inclusive.
    pub all_day: Option<(NaiveDate, NaiveDate)>,
    /// Busy, or out of office (a day off).
    pub kind: OccurrenceKind,
    /// The title, kept only for my own calendars ([`ReadOptions::keep_titles`]).
    pub title: Option<String>,
}

/// What an occurrence means for availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceKind {
    /// Taken away from availability (a meeting, an opaque event).
    Busy,
    /// Out of office: the dates it covers are days off.
    OutOfOffice,
}

/// What reading a calendar needs besides its text.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The zone floating times and all-day dates are read in (the member's zone).
    pub zone: Tz,
    /// Only occurrences that overlap this window are returned.
    pub window: Interval,
    /// Keep titles (my own calendars); a teammate's titles are dropped on reading.
    pub keep_titles: bool,
    /// Titles or categories that mark an event as out of office (compared without case).
    pub ooo_words: Vec<String>,
    /// Most occurrences returned in all; past it the reading is an error, not a truncation.
    pub max_occurrences: usize,
}

/// My calendar, written out: what `baton calendar export` and `GET /v1/calendar.ics` serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFeed {
    /// The calendar's name (`X-WR-CALNAME`), e.g. "Baton: Ana".
    pub name: String,
    /// My zone (`X-WR-TIMEZONE`; times are written in UTC).
    pub zone: Tz,
    /// When it was made (`DTSTAMP`).
    pub generated: Instant,
    /// Timed events: focus blocks, sessions, handoffs.
    pub events: Vec<ExportEvent>,
    /// All-day events: days off, holidays.
    pub days: Vec<ExportDay>,
    /// My working time in the window, as RFC 7953 `VAVAILABILITY` with one `AVAILABLE` each.
    pub available: Vec<Interval>,
    /// The window the feed covers.
    pub window: Interval,
}

/// A timed event of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportEvent {
    /// Stable across exports, so a re-import updates instead of duplicating.
    pub uid: String,
    /// `SUMMARY`.
    pub summary: String,
    /// `DESCRIPTION`, if any.
    pub description: Option<String>,
    /// When, in UTC.
    pub interval: Interval,
    /// `TRANSP:OPAQUE` (busy) or `TRANSPARENT`.
    pub busy: bool,
    /// `CATEGORIES` (e.g. `FOCUS`, `HANDOFF`).
    pub categories: Vec<String>,
}

/// An all-day event of an export (local dates, inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDay {
    /// Stable across exports.
    pub uid: String,
    /// `SUMMARY`.
    pub summary: String,
    /// The first date.
    pub first: NaiveDate,
    /// The last date (inclusive; `DTEND` is the day after).
    pub last: NaiveDate,
    /// `CATEGORIES` (e.g. `DAY-OFF`, `HOLIDAY`).
    pub categories: Vec<String>,
}
