//! Time zones, DST gaps and folds, days off, the date line and follow-the-sun relays, checked against
//! exact UTC instants worked out from the IANA rules for 2026.
//!
//! 2026 transitions used below (local wall-clock times):
//!
//! * America/New_York: 2026-03-08 02:00 EST (-5) → 03:00 EDT (-4) at 07:00 UTC;
//!   2026-11-01 02:00 EDT → 01:00 EST at 06:00 UTC.
//! * America/Los_Angeles: 2026-03-08 02:00 PST (-8) → 03:00 PDT (-7) at 10:00 UTC;
//!   2026-11-01 02:00 PDT → 01:00 PST at 09:00 UTC.
//! * Europe/London: 2026-03-29 01:00 GMT → 02:00 BST (+1) at 01:00 UTC;
//!   2026-10-25 02:00 BST → 01:00 GMT at 01:00 UTC.
//! * Australia/Sydney: 2026-04-05 03:00 AEDT (+11) → 02:00 AEST (+10) at 2026-04-04 16:00 UTC;
//!   2026-10-04 02:00 AEST → 03:00 AEDT at 2026-10-03 16:00 UTC.
//! * Pacific/Chatham: 2026-04-05 03:45 (+13:45) → 02:45 (+12:45) at 2026-04-04 14:00 UTC;
//!   2026-09-27 02:45 (+12:45) → 03:45 (+13:45) at 2026-09-26 14:00 UTC.
//! * Australia/Lord_Howe: 2026-04-05 02:00 (+11) → 01:30 (+10:30) at 2026-04-04 15:00 UTC;
//!   2026-10-04 02:00 (+10:30) → 02:30 (+11) at 2026-10-03 15:30 UTC.
//! * Pacific/Auckland: 2026-04-05 03:00 NZDT (+13) → 02:00 NZST (+12) at 2026-04-04 14:00 UTC.
//! * No DST: Asia/Kolkata +05:30, Asia/Kathmandu +05:45, Asia/Tokyo +09, Pacific/Kiritimati +14,
//!   Pacific/Pago_Pago -11, Pacific/Honolulu -10.
//!
//! Rule under test (see `baton::time`): a local time in a gap is read with the offset in force before the
//! gap (so it moves forward by the gap's length); a local time in a fold takes the earlier instant.
#![allow(clippy::unwrap_used)]

use baton::query::{
    handoffs, hours, now, overlap, relay, HandoffKind, HandoffQuery, OverlapQuery, RelayQuery,
    Status,
};
use baton::team::schedule::{Shift, TeamSchedule};
use baton::time::interval::{Instant, Interval};
use baton::time::{local_days_span, offset_at, resolve_local, to_local};
use baton::Team;
use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, mo: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap()
}

fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    date(y, mo, d).and_hms_opt(h, mi, 0).unwrap()
}

fn iv(start: Instant, end: Instant) -> Interval {
    Interval::new(start, end).unwrap()
}

fn tz(name: &str) -> Tz {
    name.parse().unwrap()
}

fn team(toml: &str) -> Team {
    Team::from_toml_str(toml, "dst.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn quoted(items: &[&str]) -> String {
    let q: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", q.join(", "))
}

/// A team of one member in `zone` with these hours and days off.
fn solo(zone: &str, hours: &[&str], days_off: &[&str]) -> Team {
    team(&format!(
        "name = \"Solo\"\n[[members]]\nname = \"M\"\ntime_zone = \"{zone}\"\nhours = {}\ndays_off = {}\n",
        quoted(hours),
        quoted(days_off)
    ))
}

/// The member's working intervals within `span`.
fn working(team: &Team, member: usize, span: Interval) -> Vec<Interval> {
    team.members[member]
        .expand(span)
        .working
        .intervals()
        .to_vec()
}

// One-line table cases write times as text: a UTC instant `2026-03-08T07:30Z`, a local time
// `2026-03-08T02:30`, a date `2026-03-08`, and a UTC interval in ISO 8601's `start/end`, whose end may
// leave out the date when it is the start's (`2026-03-08T06:00Z/08:00Z`).

/// A table cell: text, parsed when the row is checked.
type Cell = &'static str;

fn parse_instant(s: &str) -> Instant {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%MZ")
        .unwrap_or_else(|e| panic!("instant {s:?}: {e}"))
        .and_utc()
}

fn parse_local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .unwrap_or_else(|e| panic!("local {s:?}: {e}"))
}

fn parse_date(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("date {s:?}: {e}"))
}

fn parse_interval(s: &str) -> Interval {
    let (start, end) = s
        .split_once('/')
        .unwrap_or_else(|| panic!("interval {s:?}: no '/'"));
    let end = if end.contains('T') {
        end.to_string()
    } else {
        let start_date = start.split('T').next().unwrap_or_default();
        format!("{start_date}T{end}")
    };
    iv(parse_instant(start), parse_instant(&end))
}

// ---------------------------------------------------------------------------------------------------
// 1. Resolving local times in gaps and folds
// ---------------------------------------------------------------------------------------------------

/// What a zone's clocks do at a local time: pass it once, skip it (a gap) or pass it twice (a fold).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Clocks {
    Once,
    Gap,
    Fold,
}

/// A row of the `resolve_local` table: what the clocks do at a local time in a zone, the instant it must
/// resolve to, and why.
type LocalRow = (Clocks, Cell, Cell, Cell, Cell);

/// A local time the clocks pass once, so it names one instant.
fn once(zone: Cell, local: Cell, want: Cell, why: Cell) -> LocalRow {
    (Clocks::Once, zone, local, want, why)
}

/// A local time the clocks skip: read with the offset in force before the gap.
fn gap(zone: Cell, local: Cell, want: Cell, why: Cell) -> LocalRow {
    (Clocks::Gap, zone, local, want, why)
}

/// A local time the clocks pass twice: the earlier instant.
fn fold(zone: Cell, local: Cell, want: Cell, why: Cell) -> LocalRow {
    (Clocks::Fold, zone, local, want, why)
}

fn check_local((clocks, zone, local, want, why): LocalRow) {
    let (zone_tz, wall) = (tz(zone), parse_local(local));
    // The row's kind is checked against chrono-tz: a row written `gap` really is in a gap.
    let actual = match zone_tz.from_local_datetime(&wall) {
        LocalResult::Single(_) => Clocks::Once,
        LocalResult::None => Clocks::Gap,
        LocalResult::Ambiguous(..) => Clocks::Fold,
    };
    assert_eq!(actual, clocks, "{zone} {local}: what the clocks do");
    assert_eq!(
        resolve_local(zone_tz, wall),
        parse_instant(want),
        "{zone} {local} ({clocks:?}): {why}"
    );
}

#[test]
fn resolve_local_gaps_and_folds_in_every_zone() {
    #[rustfmt::skip]
    let cases = [
        // --- America/New_York (gap 02:00-03:00 on 03-08, fold 01:00-02:00 on 11-01) ---
        once("America/New_York", "2026-03-08T01:59", "2026-03-08T06:59Z", "last minute of EST before the gap: 01:59 + 5h"),
        gap("America/New_York", "2026-03-08T02:30", "2026-03-08T07:30Z", "read with EST (-5), i.e. 03:30 EDT"),
        once("America/New_York", "2026-03-08T03:00", "2026-03-08T07:00Z", "first valid time after the gap: 03:00 EDT (-4)"),
        fold("America/New_York", "2026-11-01T01:30", "2026-11-01T05:30Z", "earlier instant, 01:30 EDT (-4)"),
        once("America/New_York", "2026-11-01T02:00", "2026-11-01T07:00Z", "just after the fold: 02:00 EST (-5)"),
        // --- Europe/London (gap 01:00-02:00 on 03-29, fold 01:00-02:00 on 10-25) ---
        gap("Europe/London", "2026-03-29T01:30", "2026-03-29T01:30Z", "read with GMT (+0), i.e. 02:30 BST"),
        once("Europe/London", "2026-03-29T02:00", "2026-03-29T01:00Z", "first valid time after the gap: 02:00 BST (+1)"),
        fold("Europe/London", "2026-10-25T01:30", "2026-10-25T00:30Z", "earlier instant, 01:30 BST (+1)"),
        once("Europe/London", "2026-10-25T02:00", "2026-10-25T02:00Z", "after the fold: 02:00 GMT"),
        // --- Australia/Sydney (fold 02:00-03:00 on 04-05, gap 02:00-03:00 on 10-04) ---
        fold("Australia/Sydney", "2026-04-05T02:30", "2026-04-04T15:30Z", "earlier instant, 02:30 AEDT (+11)"),
        once("Australia/Sydney", "2026-04-05T03:00", "2026-04-04T17:00Z", "after the fold: 03:00 AEST (+10)"),
        gap("Australia/Sydney", "2026-10-04T02:30", "2026-10-03T16:30Z", "read with AEST (+10), i.e. 03:30 AEDT"),
        once("Australia/Sydney", "2026-10-04T03:00", "2026-10-03T16:00Z", "first valid time after the gap: 03:00 AEDT (+11)"),
        // --- Pacific/Chatham (fold 02:45-03:45 on 04-05, gap 02:45-03:45 on 09-27) ---
        fold("Pacific/Chatham", "2026-04-05T03:00", "2026-04-04T13:15Z", "earlier instant, 03:00 at +13:45"),
        once("Pacific/Chatham", "2026-04-05T03:45", "2026-04-04T15:00Z", "after the fold: 03:45 at +12:45"),
        gap("Pacific/Chatham", "2026-09-27T03:00", "2026-09-26T14:15Z", "read with +12:45, i.e. 04:00 at +13:45"),
        once("Pacific/Chatham", "2026-09-27T03:45", "2026-09-26T14:00Z", "first valid time after the gap: 03:45 at +13:45"),
        // --- Australia/Lord_Howe (30-minute fold 01:30-02:00 on 04-05, gap 02:00-02:30 on 10-04) ---
        fold("Australia/Lord_Howe", "2026-04-05T01:45", "2026-04-04T14:45Z", "earlier instant, 01:45 at +11"),
        once("Australia/Lord_Howe", "2026-04-05T02:00", "2026-04-04T15:30Z", "after the fold: 02:00 at +10:30"),
        gap("Australia/Lord_Howe", "2026-10-04T02:15", "2026-10-03T15:45Z", "read with +10:30, i.e. 02:45 at +11"),
        once("Australia/Lord_Howe", "2026-10-04T02:30", "2026-10-03T15:30Z", "first valid time after the gap: 02:30 at +11"),
        // --- No DST: a plain offset, even on other zones' DST days ---
        once("Asia/Kolkata", "2026-03-08T09:00", "2026-03-08T03:30Z", "IST +05:30 all year"),
        once("Asia/Kolkata", "2026-11-01T00:15", "2026-10-31T18:45Z", "IST +05:30: just after midnight is the previous UTC day"),
        once("Asia/Kathmandu", "2026-03-29T09:00", "2026-03-29T03:15Z", "NPT +05:45 all year"),
        once("Asia/Kathmandu", "2026-10-25T00:30", "2026-10-24T18:45Z", "NPT +05:45: just after midnight is the previous UTC day"),
    ];
    for row in cases {
        check_local(row);
    }
}

#[test]
fn zones_without_dst_keep_a_plain_offset() {
    for t in [utc(2026, 1, 15, 12, 0), utc(2026, 7, 15, 12, 0)] {
        assert_eq!(offset_at(tz("Asia/Kolkata"), t), 5 * 3600 + 30 * 60);
        assert_eq!(offset_at(tz("Asia/Kathmandu"), t), 5 * 3600 + 45 * 60);
    }
    // A working week that contains New York's spring-forward day: no change in India or Nepal.
    let span = iv(utc(2026, 3, 2, 0, 0), utc(2026, 3, 7, 0, 0));
    for (zone, h, m) in [("Asia/Kolkata", 3, 30), ("Asia/Kathmandu", 3, 15)] {
        // 09:00 local minus +05:30 / +05:45 is 03:30 / 03:15 UTC; 17:00 local is 11:30 / 11:15 UTC.
        let t = solo(zone, &["mon-fri 09:00-17:00"], &[]);
        let want: Vec<Interval> = (2..=6)
            .map(|d| iv(utc(2026, 3, d, h, m), utc(2026, 3, d, h + 8, m)))
            .collect();
        assert_eq!(working(&t, 0, span), want, "{zone}");
    }
}

// ---------------------------------------------------------------------------------------------------
// 1b. Working hours that cross or sit inside a gap or a fold, expanded with `expand`
// ---------------------------------------------------------------------------------------------------

/// A row of a shift table: a single-rule member in a zone, a local day, the UTC interval of the one shift
/// the rule gives on that day (`None`: no shift at all), and why.
type ShiftRow = (Cell, Cell, Cell, Option<Cell>, Cell);

/// The rule gives one shift on `day`, over the interval `want`.
fn shift(zone: Cell, rule: Cell, day: Cell, want: Cell, why: Cell) -> ShiftRow {
    (zone, rule, day, Some(want), why)
}

/// The rule gives no shift at all on `day`.
fn no_shift(zone: Cell, rule: Cell, day: Cell, why: Cell) -> ShiftRow {
    (zone, rule, day, None, why)
}

/// Expands the row's member over three local days around its day and checks it produces exactly the
/// row's shift, dated that day, with its UTC interval (or none at all).
fn check_shift((zone, rule, day, want, why): ShiftRow) {
    let day = parse_date(day);
    let want = want.map(parse_interval);
    let t = solo(zone, &[rule], &[]);
    let span = local_days_span(tz(zone), day.pred_opt().unwrap(), 3);
    let s = t.members[0].expand(span);
    let want_shifts: Vec<Shift> = want
        .iter()
        .map(|&interval| Shift {
            date: day,
            interval,
        })
        .collect();
    assert_eq!(s.shifts, want_shifts, "{zone} {rule} on {day}: {why}");
    assert_eq!(
        s.working.intervals(),
        want.as_slice(),
        "{zone} {rule} on {day}: {why}"
    );
}

#[test]
fn working_hours_across_gaps_and_folds() {
    #[rustfmt::skip]
    let cases = [
        // --- New York ---
        shift("America/New_York", "sun 01:00-04:00", "2026-03-08", "2026-03-08T06:00Z/08:00Z", "01:00 EST to 04:00 EDT: only 2 real hours across the gap"),
        shift("America/New_York", "sun 02:30-09:00", "2026-03-08", "2026-03-08T07:30Z/13:00Z", "starts in the gap: 02:30 read as EST (03:30 EDT); 09:00 EDT"),
        shift("America/New_York", "sun 02:15-02:45", "2026-03-08", "2026-03-08T07:15Z/07:45Z", "wholly inside the gap: both ends an hour later, 03:15-03:45 EDT"),
        no_shift("America/New_York", "sun 02:00-03:00", "2026-03-08", "exactly the missing hour: both ends resolve to 07:00Z, empty, dropped"),
        shift("America/New_York", "sun 01:00-04:00", "2026-11-01", "2026-11-01T05:00Z/09:00Z", "01:00 EDT (earlier) to 04:00 EST: 4 real hours across the fold"),
        shift("America/New_York", "sun 01:15-01:45", "2026-11-01", "2026-11-01T05:15Z/05:45Z", "wholly inside the fold: the first (EDT) pass only"),
        shift("America/New_York", "sun 01:30-03:00", "2026-11-01", "2026-11-01T05:30Z/08:00Z", "starts in the fold (01:30 EDT), ends 03:00 EST: 2.5h"),
        // --- London ---
        shift("Europe/London", "sun 00:30-03:00", "2026-03-29", "2026-03-29T00:30Z/02:00Z", "00:30 GMT to 03:00 BST: 1.5h"),
        shift("Europe/London", "sun 01:15-01:45", "2026-03-29", "2026-03-29T01:15Z/01:45Z", "inside the gap: read with GMT, i.e. 02:15-02:45 BST"),
        shift("Europe/London", "sun 00:30-03:00", "2026-10-25", "2026-10-24T23:30Z/2026-10-25T03:00Z", "00:30 BST, the day before in UTC, to 03:00 GMT: 3.5h"),
        shift("Europe/London", "sun 01:00-01:30", "2026-10-25", "2026-10-25T00:00Z/00:30Z", "inside the fold: the first (BST) pass only"),
        // --- Sydney ---
        shift("Australia/Sydney", "sun 01:00-04:00", "2026-04-05", "2026-04-04T14:00Z/18:00Z", "01:00 AEDT (+11) to 04:00 AEST (+10): 4h across the fold"),
        shift("Australia/Sydney", "sun 02:00-02:30", "2026-04-05", "2026-04-04T15:00Z/15:30Z", "inside the fold: the first (AEDT) pass"),
        shift("Australia/Sydney", "sun 01:00-04:00", "2026-10-04", "2026-10-03T15:00Z/17:00Z", "01:00 AEST (+10) to 04:00 AEDT (+11): 2h across the gap"),
        shift("Australia/Sydney", "sun 02:30-05:00", "2026-10-04", "2026-10-03T16:30Z/18:00Z", "starts in the gap: 02:30 read as AEST; 05:00 AEDT"),
        // --- Chatham (changes at 02:45 standard time) ---
        shift("Pacific/Chatham", "sun 02:00-05:00", "2026-04-05", "2026-04-04T12:15Z/16:15Z", "02:00 at +13:45 to 05:00 at +12:45: 4h across the fold"),
        shift("Pacific/Chatham", "sun 03:00-03:30", "2026-04-05", "2026-04-04T13:15Z/13:45Z", "inside the fold 02:45-03:45: the first (+13:45) pass"),
        shift("Pacific/Chatham", "sun 02:00-05:00", "2026-09-27", "2026-09-26T13:15Z/15:15Z", "02:00 at +12:45 to 05:00 at +13:45: 2h across the gap"),
        shift("Pacific/Chatham", "sun 03:00-05:00", "2026-09-27", "2026-09-26T14:15Z/15:15Z", "starts in the gap 02:45-03:45: 03:00 read at +12:45 (04:00 at +13:45)"),
        // --- Lord Howe (30-minute shift at 02:00) ---
        shift("Australia/Lord_Howe", "sun 01:00-03:00", "2026-04-05", "2026-04-04T14:00Z/16:30Z", "01:00 at +11 to 03:00 at +10:30: 2.5h across the fold"),
        shift("Australia/Lord_Howe", "sun 01:40-01:50", "2026-04-05", "2026-04-04T14:40Z/14:50Z", "inside the 01:30-02:00 fold: the first (+11) pass"),
        shift("Australia/Lord_Howe", "sun 01:00-03:00", "2026-10-04", "2026-10-03T14:30Z/16:00Z", "01:00 at +10:30 to 03:00 at +11: 1.5h across the gap"),
        shift("Australia/Lord_Howe", "sun 02:10-02:20", "2026-10-04", "2026-10-03T15:40Z/15:50Z", "inside the 02:00-02:30 gap: read at +10:30, i.e. 02:40-02:50 at +11"),
    ];
    for row in cases {
        check_shift(row);
    }
}

// ---------------------------------------------------------------------------------------------------
// 2. Overnight shifts across a DST change
// ---------------------------------------------------------------------------------------------------

#[test]
fn overnight_shifts_across_dst_changes() {
    #[rustfmt::skip]
    let cases = [
        shift("America/New_York", "sat 22:00-06:00", "2026-03-07", "2026-03-08T03:00Z/10:00Z", "22:00 EST to 06:00 EDT: 7h on spring-forward night"),
        shift("America/New_York", "sat 22:00-06:00", "2026-10-31", "2026-11-01T02:00Z/11:00Z", "22:00 EDT to 06:00 EST: 9h on fall-back night"),
        shift("America/New_York", "sat 23:00-02:30", "2026-03-07", "2026-03-08T04:00Z/07:30Z", "ends in the gap: 02:30 read as EST; 23:00 EST"),
        shift("America/New_York", "sat 23:00-01:30", "2026-10-31", "2026-11-01T03:00Z/05:30Z", "ends in the fold: 01:30 EDT (first pass); 23:00 EDT"),
        shift("Europe/London", "sat 22:00-06:00", "2026-03-28", "2026-03-28T22:00Z/2026-03-29T05:00Z", "22:00 GMT to 06:00 BST: 7h"),
        shift("Europe/London", "sat 22:00-06:00", "2026-10-24", "2026-10-24T21:00Z/2026-10-25T06:00Z", "22:00 BST to 06:00 GMT: 9h"),
        shift("Australia/Sydney", "sat 22:00-06:00", "2026-10-03", "2026-10-03T12:00Z/19:00Z", "22:00 AEST (+10) to 06:00 AEDT (+11): 7h"),
        shift("Australia/Sydney", "sat 22:00-06:00", "2026-04-04", "2026-04-04T11:00Z/20:00Z", "22:00 AEDT (+11) to 06:00 AEST (+10): 9h"),
        shift("Australia/Lord_Howe", "sat 22:00-06:00", "2026-10-03", "2026-10-03T11:30Z/19:00Z", "22:00 at +10:30 to 06:00 at +11: 7.5h"),
        shift("Australia/Lord_Howe", "sat 22:00-06:00", "2026-04-04", "2026-04-04T11:00Z/19:30Z", "22:00 at +11 to 06:00 at +10:30: 8.5h"),
        shift("Pacific/Chatham", "sat 22:00-06:00", "2026-09-26", "2026-09-26T09:15Z/16:15Z", "22:00 at +12:45 to 06:00 at +13:45: 7h"),
    ];
    for row in cases {
        check_shift(row);
    }

    // The durations the brief talks about, stated directly.
    let ny = solo("America/New_York", &["sat 22:00-06:00"], &[]);
    let spring = local_days_span(tz("America/New_York"), date(2026, 3, 7), 2);
    let fall = local_days_span(tz("America/New_York"), date(2026, 10, 31), 2);
    assert_eq!(
        ny.members[0].expand(spring).working.total(),
        Duration::hours(7)
    );
    assert_eq!(
        ny.members[0].expand(fall).working.total(),
        Duration::hours(9)
    );
}

// ---------------------------------------------------------------------------------------------------
// 3. Days off
// ---------------------------------------------------------------------------------------------------

#[test]
fn days_off_drop_shifts_by_their_start_date() {
    // Nightly 22:00-06:00 in New York, off on Sunday 2026-03-08 (spring-forward day) and on
    // 2026-03-10..2026-03-11. Expanded over the local week 03-06 00:00 EST (05:00Z) to 03-13 00:00 EDT
    // (04:00Z).
    let t = solo(
        "America/New_York",
        &["daily 22:00-06:00"],
        &["2026-03-08", "2026-03-10..2026-03-11"],
    );
    let span = local_days_span(tz("America/New_York"), date(2026, 3, 6), 7);
    assert_eq!(span, iv(utc(2026, 3, 6, 5, 0), utc(2026, 3, 13, 4, 0)));
    let s = t.members[0].expand(span);

    let shifts: Vec<(NaiveDate, Interval)> =
        s.shifts.iter().map(|s| (s.date, s.interval)).collect();
    #[rustfmt::skip]
    let want = vec![
        // Thursday night reaches into the span's first morning: kept, unclipped in `shifts`.
        // 22:00 EST = 03:00Z, 06:00 EST = 11:00Z.
        (date(2026, 3, 5), iv(utc(2026, 3, 6, 3, 0), utc(2026, 3, 6, 11, 0))),
        (date(2026, 3, 6), iv(utc(2026, 3, 7, 3, 0), utc(2026, 3, 7, 11, 0))),
        // Saturday night runs into Sunday, a day off: kept (it starts on a working day), and is only
        // 7h long: 22:00 EST = 03:00Z to 06:00 EDT = 10:00Z.
        (date(2026, 3, 7), iv(utc(2026, 3, 8, 3, 0), utc(2026, 3, 8, 10, 0))),
        // Sunday 03-08 is off: its night shift (22:00 EDT = 03-09 02:00Z to 10:00Z) is dropped whole,
        // even though it ends on Monday, a working day.
        // Monday night runs into Tuesday, the first day of the range: kept. EDT: 02:00Z-10:00Z.
        (date(2026, 3, 9), iv(utc(2026, 3, 10, 2, 0), utc(2026, 3, 10, 10, 0))),
        // 03-10 and 03-11 are off (the range is inclusive). Thursday night starts in the span.
        (date(2026, 3, 12), iv(utc(2026, 3, 13, 2, 0), utc(2026, 3, 13, 10, 0))),
    ];
    assert_eq!(shifts, want);
    // `working` is the same, clipped to the span at both ends.
    assert_eq!(
        s.working.intervals(),
        &[
            iv(utc(2026, 3, 6, 5, 0), utc(2026, 3, 6, 11, 0)),
            iv(utc(2026, 3, 7, 3, 0), utc(2026, 3, 7, 11, 0)),
            iv(utc(2026, 3, 8, 3, 0), utc(2026, 3, 8, 10, 0)),
            iv(utc(2026, 3, 10, 2, 0), utc(2026, 3, 10, 10, 0)),
            iv(utc(2026, 3, 13, 2, 0), utc(2026, 3, 13, 4, 0)),
        ]
    );
}

#[test]
fn days_off_apply_to_focus_blocks_and_ranges_across_the_year_end() {
    // London is on GMT over the new year, so local times are UTC.
    let t = team(
        r#"
name = "T"
members = [
  { name = "Ana", time_zone = "Europe/London", hours = ["mon-fri 09:00-17:00"], focus = ["mon 09:00-10:00"], days_off = ["2026-12-24", "2026-12-28..2027-01-01"] },
]
"#,
    );
    let span = local_days_span(tz("Europe/London"), date(2026, 12, 21), 21);
    let s = t.members[0].expand(span);
    let days: Vec<NaiveDate> = s.shifts.iter().map(|s| s.date).collect();
    assert_eq!(
        days,
        vec![
            date(2026, 12, 21),
            date(2026, 12, 22),
            date(2026, 12, 23),
            // 12-24 off (single day).
            date(2026, 12, 25),
            // 12-28 (Mon) .. 01-01 (Fri) off: the whole week.
            date(2027, 1, 4),
            date(2027, 1, 5),
            date(2027, 1, 6),
            date(2027, 1, 7),
            date(2027, 1, 8),
        ]
    );
    // Monday focus on 12-21 and 01-04 only: Monday 12-28 is in the range off.
    assert_eq!(
        s.focus.intervals(),
        &[
            iv(utc(2026, 12, 21, 9, 0), utc(2026, 12, 21, 10, 0)),
            iv(utc(2027, 1, 4, 9, 0), utc(2027, 1, 4, 10, 0)),
        ]
    );
}

// ---------------------------------------------------------------------------------------------------
// 4. A 24/7 follow-the-sun relay
// ---------------------------------------------------------------------------------------------------

/// Tokyo 09:00-17:00 JST (+9) = 00:00-08:00Z, London 08:00-16:00 GMT = 08:00-16:00Z, Los Angeles
/// 08:00-16:00 PST (-8) = 16:00-24:00Z: in winter the three 8-hour shifts chain exactly around the clock.
const FOLLOW_THE_SUN: &str = r#"
name = "Sun"
members = [
  { name = "Kenji", time_zone = "Asia/Tokyo", hours = ["daily 09:00-17:00"] },
  { name = "Lucy", time_zone = "Europe/London", hours = ["daily 08:00-16:00"] },
  { name = "Luis", time_zone = "America/Los_Angeles", hours = ["daily 08:00-16:00"] },
]
"#;

const TOKYO: usize = 0;
const LONDON: usize = 1;
const LA: usize = 2;

fn relay_query() -> RelayQuery {
    RelayQuery {
        order: None,
        min_sync: Duration::minutes(30),
        include_focus: false,
        include_busy: false,
    }
}

/// Links as (from, to, kind, start, end).
type LinkRow = (usize, usize, HandoffKind, Instant, Instant);

fn link_rows(r: &baton::query::Relay) -> Vec<LinkRow> {
    r.links
        .iter()
        .map(|l| (l.from, l.to, l.handoff.kind, l.handoff.start, l.handoff.end))
        .collect()
}

#[test]
fn follow_the_sun_covers_the_clock_in_winter() {
    let t = team(FOLLOW_THE_SUN);
    let span = iv(utc(2026, 1, 5, 0, 0), utc(2026, 1, 12, 0, 0)); // one UTC week
    let s = TeamSchedule::build(&t, span, Duration::days(2));
    let r = relay(&s, &relay_query());

    // East to west by offset at the span start: +9, 0, -8.
    assert_eq!(r.order, vec![TOKYO, LONDON, LA]);
    assert!(r.gaps.is_empty(), "gaps: {:?}", r.gaps);
    assert_eq!(r.covered, Duration::hours(168));
    assert!((r.covered_hours_per_week - 168.0).abs() < 1e-9);

    // Shifts touch but never overlap, so every pass is written (async) with no wait at all.
    let mut want = Vec::new();
    for d in 5..=11 {
        use HandoffKind::Async;
        let (t08, t16) = (utc(2026, 1, d, 8, 0), utc(2026, 1, d, 16, 0));
        let next0 = utc(2026, 1, d + 1, 0, 0);
        want.push((TOKYO, LONDON, Async, t08, t08));
        want.push((LONDON, LA, Async, t16, t16));
        // LA's day ends at 16:00 PST = 00:00Z the next day, when Tokyo starts; the last one lands in the
        // look-ahead (Tokyo's 01-12 shift).
        want.push((LA, TOKYO, Async, next0, next0));
    }
    assert_eq!(link_rows(&r), want);
}

#[test]
fn follow_the_sun_around_the_us_spring_forward() {
    // From Sunday 2026-03-08 Los Angeles is on PDT (-7): its 08:00-16:00 is 15:00-23:00Z. London is still
    // on GMT until 03-29. So London and LA now overlap 15:00-16:00Z (a live handoff), and nobody works
    // 23:00-24:00Z.
    let t = team(FOLLOW_THE_SUN);
    let span = iv(utc(2026, 3, 5, 0, 0), utc(2026, 3, 12, 0, 0)); // Thu to Thu, 168h
    let s = TeamSchedule::build(&t, span, Duration::days(2));
    let r = relay(&s, &relay_query());

    assert_eq!(r.order, vec![TOKYO, LONDON, LA]);
    assert_eq!(
        r.gaps.intervals(),
        &[
            iv(utc(2026, 3, 8, 23, 0), utc(2026, 3, 9, 0, 0)),
            iv(utc(2026, 3, 9, 23, 0), utc(2026, 3, 10, 0, 0)),
            iv(utc(2026, 3, 10, 23, 0), utc(2026, 3, 11, 0, 0)),
            iv(utc(2026, 3, 11, 23, 0), utc(2026, 3, 12, 0, 0)),
        ]
    );
    assert_eq!(r.covered, Duration::hours(164));
    assert!((r.covered_hours_per_week - 164.0).abs() < 1e-9);

    let mut want = Vec::new();
    for d in 5..=11 {
        use HandoffKind::{Async, Sync};
        let h = |hh| utc(2026, 3, d, hh, 0);
        let next0 = utc(2026, 3, d + 1, 0, 0);
        want.push((TOKYO, LONDON, Async, h(8), h(8)));
        if d < 8 {
            // LA's Saturday 03-07 and earlier are PST: 16:00-24:00Z, touching London and Tokyo.
            want.push((LONDON, LA, Async, h(16), h(16)));
            want.push((LA, TOKYO, Async, next0, next0));
        } else {
            want.push((LONDON, LA, Sync, h(15), h(16)));
            // LA's PDT day ends at 23:00Z; Tokyo starts an hour later.
            want.push((LA, TOKYO, Async, h(23), next0));
        }
    }
    assert_eq!(link_rows(&r), want);

    // The first live handoff: London's last hour is 15:00-16:00Z and lands in LA's 15:00-23:00Z.
    let first_sync = r
        .links
        .iter()
        .find(|l| l.handoff.kind == HandoffKind::Sync)
        .unwrap();
    assert_eq!(first_sync.handoff.giver_day, date(2026, 3, 8));
    assert_eq!(
        first_sync.handoff.giver_last_hour,
        iv(utc(2026, 3, 8, 15, 0), utc(2026, 3, 8, 16, 0))
    );
    assert_eq!(
        first_sync.handoff.receiver_period,
        iv(utc(2026, 3, 8, 15, 0), utc(2026, 3, 8, 23, 0))
    );
}

#[test]
fn follow_the_sun_around_the_uk_spring_forward() {
    // From Sunday 2026-03-29 London is on BST (+1): its 08:00-16:00 is 07:00-15:00Z. LA has been on PDT
    // (15:00-23:00Z) since 03-08. Before the change London overlaps LA 15:00-16:00Z; after it London
    // overlaps Tokyo 07:00-08:00Z and touches LA. The 23:00-24:00Z hole stays all week.
    let t = team(FOLLOW_THE_SUN);
    let span = iv(utc(2026, 3, 26, 0, 0), utc(2026, 4, 2, 0, 0));
    let s = TeamSchedule::build(&t, span, Duration::days(2));
    let r = relay(&s, &relay_query());

    let want_gaps: Vec<Interval> = (0..7)
        .map(|k| {
            let d = date(2026, 3, 26) + chrono::Days::new(k);
            let start = Utc.from_utc_datetime(&d.and_hms_opt(23, 0, 0).unwrap());
            iv(start, start + Duration::hours(1))
        })
        .collect();
    assert_eq!(r.gaps.intervals(), want_gaps.as_slice());
    assert_eq!(r.covered, Duration::hours(161));
    assert!((r.covered_hours_per_week - 161.0).abs() < 1e-9);

    let mut want = Vec::new();
    for k in 0..7 {
        use HandoffKind::{Async, Sync};
        let d = date(2026, 3, 26) + chrono::Days::new(k);
        let h = |hh| Utc.from_utc_datetime(&d.and_hms_opt(hh, 0, 0).unwrap());
        let next0 = h(0) + Duration::days(1);
        if d < date(2026, 3, 29) {
            want.push((TOKYO, LONDON, Async, h(8), h(8)));
            want.push((LONDON, LA, Sync, h(15), h(16)));
        } else {
            want.push((TOKYO, LONDON, Sync, h(7), h(8)));
            want.push((LONDON, LA, Async, h(15), h(15)));
        }
        want.push((LA, TOKYO, Async, h(23), next0));
    }
    assert_eq!(link_rows(&r), want);
}

// ---------------------------------------------------------------------------------------------------
// 5. Across the date line
// ---------------------------------------------------------------------------------------------------

/// Kiritimati is UTC+14 and Pago Pago UTC-11: the same instant is 25 hours apart on their clocks.
const DATE_LINE: &str = r#"
name = "Date line"
[[members]]
name = "Kiri"
time_zone = "Pacific/Kiritimati"
hours = ["mon-fri 09:00-17:00"]
[[members]]
name = "Pago"
time_zone = "Pacific/Pago_Pago"
hours = ["mon-fri 09:00-17:00"]
"#;

#[test]
fn date_line_members_see_different_weekdays() {
    let t = team(DATE_LINE);
    let at = utc(2026, 1, 5, 22, 0);
    let kiri = to_local(t.members[0].time_zone, at);
    let pago = to_local(t.members[1].time_zone, at);
    // 22:00Z + 14h = Tuesday 12:00; 22:00Z - 11h = Monday 11:00.
    assert_eq!(kiri.naive_local(), local(2026, 1, 6, 12, 0));
    assert_eq!(kiri.weekday(), Weekday::Tue);
    assert_eq!(pago.naive_local(), local(2026, 1, 5, 11, 0));
    assert_eq!(pago.weekday(), Weekday::Mon);

    let span = iv(utc(2026, 1, 4, 0, 0), utc(2026, 1, 11, 0, 0));
    // Kiri's Monday 09:00 (+14) is Sunday 19:00Z; each day runs 19:00Z to 03:00Z.
    let want_kiri: Vec<Interval> = (4..=8)
        .map(|d| iv(utc(2026, 1, d, 19, 0), utc(2026, 1, d + 1, 3, 0)))
        .collect();
    assert_eq!(working(&t, 0, span), want_kiri);
    // Pago's Monday 09:00 (-11) is Monday 20:00Z; each day runs 20:00Z to 04:00Z.
    let want_pago: Vec<Interval> = (5..=9)
        .map(|d| iv(utc(2026, 1, d, 20, 0), utc(2026, 1, d + 1, 4, 0)))
        .collect();
    assert_eq!(working(&t, 1, span), want_pago);
}

#[test]
fn date_line_overlap_and_handoffs() {
    let t = team(DATE_LINE);
    let span = iv(utc(2026, 1, 4, 0, 0), utc(2026, 1, 11, 0, 0));
    let s = TeamSchedule::build(&t, span, Duration::days(1));

    // Kiri's Tuesday overlaps Pago's Monday 20:00Z-03:00Z, and so on to Kiri's Friday / Pago's Thursday.
    // Kiri's Monday and Pago's Friday have no partner (Pago's Sunday, Kiri's Saturday are off).
    let o = overlap(
        &s,
        &OverlapQuery {
            members: vec![0, 1],
            min: Duration::hours(1),
            at_least: None,
            include_focus: false,
            include_busy: false,
        },
    );
    let windows: Vec<Interval> = o.windows.iter().map(|w| w.interval).collect();
    let want: Vec<Interval> = (5..=8)
        .map(|d| iv(utc(2026, 1, d, 20, 0), utc(2026, 1, d + 1, 3, 0)))
        .collect();
    assert_eq!(windows, want);
    assert!(o.windows.iter().all(|w| w.members == vec![0, 1]));
    assert_eq!(o.best, Some(0));

    let rows = |from, to| -> Vec<(NaiveDate, HandoffKind, Instant, Instant)> {
        handoffs(
            &s,
            &HandoffQuery {
                from,
                to,
                min_sync: Duration::minutes(30),
                include_focus: false,
                include_busy: false,
            },
        )
        .iter()
        .map(|h| (h.giver_day, h.kind, h.start, h.end))
        .collect()
    };
    use HandoffKind::{Async, Sync};
    // Kiri → Pago: Kiri's Monday (ends 03:00Z Monday) waits for Pago's Monday 09:00 = 20:00Z; afterwards
    // each Kiri day shares 7 hours with Pago's previous weekday.
    #[rustfmt::skip]
    let kiri_to_pago = vec![
        (date(2026, 1, 5), Async, utc(2026, 1, 5, 3, 0), utc(2026, 1, 5, 20, 0)),
        (date(2026, 1, 6), Sync, utc(2026, 1, 5, 20, 0), utc(2026, 1, 6, 3, 0)),
        (date(2026, 1, 7), Sync, utc(2026, 1, 6, 20, 0), utc(2026, 1, 7, 3, 0)),
        (date(2026, 1, 8), Sync, utc(2026, 1, 7, 20, 0), utc(2026, 1, 8, 3, 0)),
        (date(2026, 1, 9), Sync, utc(2026, 1, 8, 20, 0), utc(2026, 1, 9, 3, 0)),
    ];
    assert_eq!(rows(0, 1), kiri_to_pago);
    // Pago → Kiri: Pago's Monday to Thursday are live; Pago's Friday ends Saturday 04:00Z, and Kiri is
    // next at work on Monday 01-12 09:00 (+14) = Sunday 01-11 19:00Z, found in the one-day look-ahead.
    #[rustfmt::skip]
    let pago_to_kiri = vec![
        (date(2026, 1, 5), Sync, utc(2026, 1, 5, 20, 0), utc(2026, 1, 6, 3, 0)),
        (date(2026, 1, 6), Sync, utc(2026, 1, 6, 20, 0), utc(2026, 1, 7, 3, 0)),
        (date(2026, 1, 7), Sync, utc(2026, 1, 7, 20, 0), utc(2026, 1, 8, 3, 0)),
        (date(2026, 1, 8), Sync, utc(2026, 1, 8, 20, 0), utc(2026, 1, 9, 3, 0)),
        (date(2026, 1, 9), Async, utc(2026, 1, 10, 4, 0), utc(2026, 1, 11, 19, 0)),
    ];
    assert_eq!(rows(1, 0), pago_to_kiri);
}

#[test]
fn auckland_honolulu_overlap_shrinks_when_new_zealand_leaves_dst() {
    // Auckland 09:00-17:00 is 20:00Z-04:00Z (the day before) on NZDT (+13) and 21:00Z-05:00Z on NZST (+12,
    // from 2026-04-05). Honolulu 09:00-17:00 HST (-10) is 19:00Z-03:00Z (the next day). Auckland's Tuesday
    // meets Honolulu's Monday: 7h before the change, 6h after.
    let t = team(
        r#"
name = "Pacific"
[[members]]
name = "Aroha"
time_zone = "Pacific/Auckland"
hours = ["mon-fri 09:00-17:00"]
[[members]]
name = "Kai"
time_zone = "Pacific/Honolulu"
hours = ["mon-fri 09:00-17:00"]
"#,
    );
    let span = iv(utc(2026, 3, 29, 0, 0), utc(2026, 4, 12, 0, 0));
    let s = TeamSchedule::build(&t, span, Duration::days(1));
    let o = overlap(
        &s,
        &OverlapQuery {
            members: vec![0, 1],
            min: Duration::minutes(30),
            at_least: None,
            include_focus: false,
            include_busy: false,
        },
    );
    let windows: Vec<Interval> = o.windows.iter().map(|w| w.interval).collect();
    // Before the change (NZDT): Honolulu Mon 03-30 .. Thu 04-02 with Auckland Tue .. Fri, 20:00Z-03:00Z.
    let mut want: Vec<Interval> = [(3, 30), (3, 31), (4, 1), (4, 2)]
        .into_iter()
        .map(|(m, d)| {
            let start = utc(2026, m, d, 20, 0);
            iv(start, start + Duration::hours(7))
        })
        .collect();
    // After the change (NZST): Honolulu Mon 04-06 .. Thu 04-09 with Auckland Tue .. Fri, 21:00Z-03:00Z.
    want.extend((6..=9).map(|d| iv(utc(2026, 4, d, 21, 0), utc(2026, 4, d + 1, 3, 0))));
    assert_eq!(windows, want);
    assert!(windows[..4]
        .iter()
        .all(|w| w.duration() == Duration::hours(7)));
    assert!(windows[4..]
        .iter()
        .all(|w| w.duration() == Duration::hours(6)));
}

// ---------------------------------------------------------------------------------------------------
// 6. The query range on DST days
// ---------------------------------------------------------------------------------------------------

/// A row of the day-length table: a zone, a local day, the UTC interval from its midnight to the next, its
/// length in hours, and why.
type DayRow = (Cell, Cell, Cell, i64, Cell);

/// Local day `day` in `zone` runs over `want` and lasts `hours`.
fn day_span(zone: Cell, day: Cell, want: Cell, hours: i64, why: Cell) -> DayRow {
    (zone, day, want, hours, why)
}

#[test]
fn local_days_span_is_the_real_length_of_the_local_day() {
    #[rustfmt::skip]
    let cases = [
        day_span("America/New_York", "2026-03-08", "2026-03-08T05:00Z/2026-03-09T04:00Z", 23, "midnight EST (-5) to midnight EDT (-4)"),
        day_span("America/New_York", "2026-11-01", "2026-11-01T04:00Z/2026-11-02T05:00Z", 25, "midnight EDT to midnight EST"),
        day_span("Europe/London", "2026-03-29", "2026-03-29T00:00Z/23:00Z", 23, "midnight GMT to midnight BST"),
        day_span("Europe/London", "2026-10-25", "2026-10-24T23:00Z/2026-10-26T00:00Z", 25, "midnight BST to midnight GMT"),
        day_span("Australia/Sydney", "2026-10-04", "2026-10-03T14:00Z/2026-10-04T13:00Z", 23, "midnight AEST (+10) to midnight AEDT (+11)"),
        day_span("Australia/Sydney", "2026-04-05", "2026-04-04T13:00Z/2026-04-05T14:00Z", 25, "midnight AEDT to midnight AEST"),
        day_span("Pacific/Chatham", "2026-09-27", "2026-09-26T11:15Z/2026-09-27T10:15Z", 23, "midnight +12:45 to midnight +13:45"),
        day_span("Pacific/Chatham", "2026-04-05", "2026-04-04T10:15Z/2026-04-05T11:15Z", 25, "midnight +13:45 to midnight +12:45"),
        day_span("Asia/Kathmandu", "2026-03-08", "2026-03-07T18:15Z/2026-03-08T18:15Z", 24, "+05:45 all year"),
    ];
    for (zone, day, want, hours, why) in cases {
        let span = local_days_span(tz(zone), parse_date(day), 1);
        assert_eq!(span, parse_interval(want), "{zone} {day}: {why}");
        assert_eq!(span.duration(), Duration::hours(hours), "{zone} {day}");
    }
    // Lord Howe's half-hour shift: 23.5h and 24.5h days.
    let lh = tz("Australia/Lord_Howe");
    let spring = local_days_span(lh, date(2026, 10, 4), 1);
    // Midnight at +10:30 = 13:30Z, next midnight at +11 = 13:00Z.
    assert_eq!(
        spring,
        iv(utc(2026, 10, 3, 13, 30), utc(2026, 10, 4, 13, 0))
    );
    assert_eq!(spring.duration(), Duration::minutes(23 * 60 + 30));
    let autumn = local_days_span(lh, date(2026, 4, 5), 1);
    // Midnight at +11 = 13:00Z, next midnight at +10:30 = 13:30Z.
    assert_eq!(autumn, iv(utc(2026, 4, 4, 13, 0), utc(2026, 4, 5, 13, 30)));
    assert_eq!(autumn.duration(), Duration::minutes(24 * 60 + 30));
}

#[test]
fn results_are_clipped_to_a_dst_day() {
    // Night shifts 20:00-04:00 in New York, queried for the 25-hour fall-back day 2026-11-01
    // (04:00Z to 05:00Z the next day).
    let t = solo("America/New_York", &["daily 20:00-04:00"], &[]);
    let span = local_days_span(tz("America/New_York"), date(2026, 11, 1), 1);
    assert_eq!(span, iv(utc(2026, 11, 1, 4, 0), utc(2026, 11, 2, 5, 0)));

    let s = TeamSchedule::build(&t, span, Duration::days(1));
    let h = hours(&s, &[0]);
    assert_eq!(
        h[0].working.intervals(),
        &[
            // Saturday's shift, 20:00 EDT = 00:00Z to 04:00 EST = 09:00Z (9h), clipped to start at 04:00Z.
            iv(utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 9, 0)),
            // Sunday's shift, 20:00 EST = 01:00Z to 04:00 EST = 09:00Z, clipped to end at 05:00Z. The
            // look-ahead expanded past the span, but `hours` does not report it.
            iv(utc(2026, 11, 2, 1, 0), utc(2026, 11, 2, 5, 0)),
        ]
    );
    // The shift list keeps both shifts whole (plus the look-ahead's Monday night).
    let sh: Vec<(NaiveDate, Interval)> = s.members[0]
        .shifts
        .iter()
        .map(|s| (s.date, s.interval))
        .collect();
    #[rustfmt::skip]
    let want = vec![
        (date(2026, 10, 31), iv(utc(2026, 11, 1, 0, 0), utc(2026, 11, 1, 9, 0))),
        (date(2026, 11, 1), iv(utc(2026, 11, 2, 1, 0), utc(2026, 11, 2, 9, 0))),
        (date(2026, 11, 2), iv(utc(2026, 11, 3, 1, 0), utc(2026, 11, 3, 9, 0))),
    ];
    assert_eq!(sh, want);

    // A round-the-clock member over the 23-hour spring-forward day covers exactly the 23 hours, which the
    // relay scales to a full 168-hour week.
    let t = solo("America/New_York", &["daily 00:00-24:00"], &[]);
    let span = local_days_span(tz("America/New_York"), date(2026, 3, 8), 1);
    let s = TeamSchedule::build(&t, span, Duration::days(1));
    assert_eq!(hours(&s, &[0])[0].working.intervals(), &[span]);
    let r = relay(&s, &relay_query());
    assert!(r.gaps.is_empty());
    assert_eq!(r.covered, Duration::hours(23));
    assert!((r.covered_hours_per_week - 168.0).abs() < 1e-9);
}

// ---------------------------------------------------------------------------------------------------
// 7. `now` just before a DST change
// ---------------------------------------------------------------------------------------------------
//
#[test]
fn now_reports_no_change_for_a_member_who_never_stops() {
    let t = team(
        r#"
name = "NY"
[[members]]
name = "Always"
time_zone = "America/New_York"
hours = ["daily 00:00-24:00"]
[[members]]
name = "Shifts"
time_zone = "America/New_York"
hours = ["daily 08:00-08:00"]
"#,
    );
    // Round-the-clock members are working across the spring-forward and never change within the
    // 8-day look-ahead: the end of the look-ahead is not a change.
    for n in now(&t, utc(2026, 3, 8, 6, 59)) {
        assert_eq!((n.status, n.next_change), (Status::Working, None));
    }
}

#[test]
fn now_just_before_the_new_york_spring_forward() {
    let t = team(
        r#"
name = "NY"
[[members]]
name = "Night"
time_zone = "America/New_York"
hours = ["sun 01:00-04:00"]
[[members]]
name = "Day"
time_zone = "America/New_York"
hours = ["daily 09:00-17:00"]
"#,
    );
    // 06:59Z is 01:59 EST, one minute before clocks jump to 03:00 EDT.
    let at = utc(2026, 3, 8, 6, 59);
    let n = now(&t, at);
    // Night works 01:00 EST (06:00Z) to 04:00 EDT (08:00Z): ends 1h01m later, not 2h01m.
    assert_eq!(n[0].status, Status::Working);
    assert_eq!(n[0].next_change, Some((utc(2026, 3, 8, 8, 0), Status::Off)));
    // Day starts at 09:00 EDT = 13:00Z (it would be 14:00Z without the change).
    assert_eq!(n[1].status, Status::Off);
    assert_eq!(
        n[1].next_change,
        Some((utc(2026, 3, 8, 13, 0), Status::Working))
    );
}

#[test]
fn now_just_before_and_inside_the_new_york_fall_back() {
    let t = team(
        r#"
name = "NY"
[[members]]
name = "Night"
time_zone = "America/New_York"
hours = ["sun 01:00-04:00"]
[[members]]
name = "Fold"
time_zone = "America/New_York"
hours = ["sun 01:00-01:30"]
"#,
    );
    // 05:59Z is 01:59 EDT, one minute before clocks fall back to 01:00 EST.
    let n = now(&t, utc(2026, 11, 1, 5, 59));
    // Night: 01:00 EDT (05:00Z) to 04:00 EST (09:00Z).
    assert_eq!(n[0].status, Status::Working);
    assert_eq!(
        n[0].next_change,
        Some((utc(2026, 11, 1, 9, 0), Status::Off))
    );
    // Fold: 01:00-01:30 means the first (EDT) pass, 05:00Z-05:30Z, already over at 05:59Z. Its next
    // shift is Sunday 11-08 01:00 EST = 06:00Z.
    assert_eq!(n[1].status, Status::Off);
    assert_eq!(
        n[1].next_change,
        Some((utc(2026, 11, 8, 6, 0), Status::Working))
    );

    // 06:10Z is 01:10 EST, the second pass through the fold: not working time for Fold.
    let n = now(&t, utc(2026, 11, 1, 6, 10));
    assert_eq!(n[1].status, Status::Off);
    // 05:10Z is 01:10 EDT, the first pass: working until 05:30Z.
    let n = now(&t, utc(2026, 11, 1, 5, 10));
    assert_eq!(n[1].status, Status::Working);
    assert_eq!(
        n[1].next_change,
        Some((utc(2026, 11, 1, 5, 30), Status::Off))
    );
}

#[test]
fn now_with_focus_across_the_spring_forward_weekend() {
    let t = team(
        r#"
name = "NY"
members = [
  { name = "Ana", time_zone = "America/New_York", hours = ["mon-fri 09:00-17:00"], focus = ["mon 09:00-10:00"] },
]
"#,
    );
    // Friday 2026-03-06 17:00 EST = 22:00Z: the shift has just ended (half-open).
    let n = now(&t, utc(2026, 3, 6, 22, 0));
    assert_eq!(n[0].status, Status::Off);
    // Monday 03-09 starts with focus at 09:00 EDT = 13:00Z (the weekend's change moved it an hour earlier
    // in UTC than Friday's 14:00Z start).
    assert_eq!(
        n[0].next_change,
        Some((utc(2026, 3, 9, 13, 0), Status::Focus))
    );
    // During focus, the next change is to Working at 10:00 EDT = 14:00Z.
    let n = now(&t, utc(2026, 3, 9, 13, 30));
    assert_eq!(n[0].status, Status::Focus);
    assert_eq!(
        n[0].next_change,
        Some((utc(2026, 3, 9, 14, 0), Status::Working))
    );
}

#[test]
fn now_just_before_london_and_lord_howe_changes() {
    // London: Saturday 20:00-02:00 on the fall-back night: 20:00 BST = 19:00Z to 02:00 GMT = 02:00Z (7h).
    let t = solo("Europe/London", &["sat 20:00-02:00"], &[]);
    // 00:59Z is 01:59 BST, a minute before the clocks go back.
    let n = now(&t, utc(2026, 10, 25, 0, 59));
    assert_eq!(n[0].status, Status::Working);
    assert_eq!(
        n[0].next_change,
        Some((utc(2026, 10, 25, 2, 0), Status::Off))
    );

    // Lord Howe: "sun 02:00-03:00" on 2026-10-04 starts in the 02:00-02:30 gap, so it runs 02:30-03:00
    // at +11 = 15:30Z-16:00Z. At 15:29Z (01:59 at +10:30) the member is off and starts a minute later.
    let t = solo("Australia/Lord_Howe", &["sun 02:00-03:00"], &[]);
    let n = now(&t, utc(2026, 10, 3, 15, 29));
    assert_eq!(n[0].status, Status::Off);
    assert_eq!(
        n[0].next_change,
        Some((utc(2026, 10, 3, 15, 30), Status::Working))
    );
    let n = now(&t, utc(2026, 10, 3, 15, 30));
    assert_eq!(n[0].status, Status::Working);
    assert_eq!(
        n[0].next_change,
        Some((utc(2026, 10, 3, 16, 0), Status::Off))
    );
}
