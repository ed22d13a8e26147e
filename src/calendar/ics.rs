//! Reading iCalendar (RFC 5545) feeds: the busy and out-of-office occurrences of their events in a
//! window, in UTC.
//!
//! The text is parsed by `calcard` (tolerant of what real servers write, and it carries the table of
//! Windows and Outlook zone names and the VTIMEZONE-to-IANA guesses that Outlook feeds need) and
//! recurrence is expanded by `rrule`. Recurrence is expanded on the event's own wall clock (the rule
//! runs on local date-times and each one is then resolved with Baton's one DST rule,
//! [`crate::time::resolve_local`]), so a weekly 09:00 in New York stays 09:00 across DST and a time in
//! a gap moves forward by the gap, exactly as everywhere else in Baton.
//!
//! A `TZID` is read, in order: as an IANA, Windows or Outlook name (calcard's table, which also reads
//! a VTIMEZONE's `X-LIC-LOCATION` and `X-MICROSOFT-CDO-TZID`); as an IANA name or a zone's city found
//! inside the VTIMEZONE's `TZID` (`/mozilla.org/20050126_1/America/New_York`, `(UTC+01:00) Amsterdam,
//! Berlin...`) whose offsets agree with the VTIMEZONE's; as the first IANA zone whose offsets agree
//! with the VTIMEZONE's rules over the window's years; else as the fixed offset of its last
//! `STANDARD` (or any) observance. A `TZID` that is none of these and has no VTIMEZONE is read as
//! floating, in [`ReadOptions::zone`].
//!
//! Everything read is untrusted: the text is bounded in size, expansion stops at the window's end and
//! at [`ReadOptions::max_occurrences`], and a rule that would need too many steps to reach the window
//! is refused rather than walked.

use std::collections::{HashMap, HashSet};

use calcard::common::timezone::Tz as CalTz;
use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarDuration, ICalendarEntry,
    ICalendarFrequency, ICalendarParameterName, ICalendarParameterValue, ICalendarPeriod,
    ICalendarProperty, ICalendarRecurrenceRule, ICalendarStatus, ICalendarTransparency,
    ICalendarValue, ICalendarValueType, ICalendarWeekday,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::calendar::{Occurrence, OccurrenceKind, ReadOptions};
use crate::time::interval::{Instant, Interval};
use crate::time::{offset_at, resolve_local, start_of_day, to_local};

/// The most text [`read_ics`] reads (10 MiB); callers limit what they fetch before that.
pub const MAX_ICS_BYTES: usize = 10 * 1024 * 1024;

/// The most steps one recurrence rule may take before reaching the window (a daily rule started 100
/// years back takes 36,500): past it the feed is refused rather than walked.
const MAX_STEPS_BEFORE_WINDOW: usize = 200_000;

/// What was wrong with a feed, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{prefix}{message}", prefix = .line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct IcsError {
    /// The line (from 1) the problem is on, when it is known.
    pub line: Option<usize>,
    /// What is wrong (naming the event's `UID` and the property when there is no line).
    pub message: String,
}

impl IcsError {
    fn new(message: impl Into<String>) -> Self {
        IcsError {
            line: None,
            message: message.into(),
        }
    }

    fn at(line: usize, message: impl Into<String>) -> Self {
        IcsError {
            line: Some(line),
            message: message.into(),
        }
    }
}

/// The occurrences of the feed `text` that overlap `opts.window`, sorted by start (then end, then UID).
///
/// VEVENTs only; cancelled and transparent events (`TRANSP:TRANSPARENT`,
/// `X-MICROSOFT-CDO-BUSYSTATUS:FREE`) are left out, unless marked out of office by Outlook's
/// `X-MICROSOFT-CDO-BUSYSTATUS:OOF` or `X-MICROSOFT-CDO-INTENDEDSTATUS:OOF`. An event is
/// [`OccurrenceKind::OutOfOffice`] when so marked or when its title or one of its categories is one of
/// [`ReadOptions::ooo_words`]. See the module docs for how zones are read.
///
/// ```
/// use baton::calendar::{ics::read_ics, ReadOptions};
/// use baton::time::interval::Interval;
/// use chrono::{TimeZone, Utc};
/// let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n\
///     DTSTART;TZID=America/New_York:20260310T090000\r\nDURATION:PT30M\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
/// let opts = ReadOptions {
///     zone: chrono_tz::UTC,
///     window: Interval::new(Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
///         Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap()).unwrap(),
///     keep_titles: false,
///     ooo_words: vec![],
///     max_occurrences: 1000,
/// };
/// let read = read_ics(text, &opts).unwrap();
/// assert_eq!(read[0].interval.start, Utc.with_ymd_and_hms(2026, 3, 10, 13, 0, 0).unwrap());
/// ```
pub fn read_ics(text: &str, opts: &ReadOptions) -> Result<Vec<Occurrence>, IcsError> {
    if text.len() > MAX_ICS_BYTES {
        return Err(IcsError::new(format!(
            "the calendar is {} bytes, more than the 10 MiB ({MAX_ICS_BYTES} bytes) that is read",
            text.len()
        )));
    }
    check_frame(text)?;
    let calendar = ICalendar::parse(text).map_err(|e| parse_error(text, e))?;
    let root = calendar
        .components
        .first()
        .filter(|c| c.component_type == ICalendarComponentType::VCalendar)
        .ok_or_else(|| IcsError::at(1, "the text is not a VCALENDAR"))?;
    let zones = Zones::new(&calendar, root, opts);
    let mut reader = Reader {
        opts,
        zones: &zones,
        out: Vec::new(),
    };
    let mut masters = Vec::new();
    let mut overrides: HashMap<String, HashSet<Instant>> = HashMap::new();
    for id in &root.component_ids {
        let Some(component) = calendar.components.get(*id as usize) else {
            continue;
        };
        if component.component_type != ICalendarComponentType::VEvent {
            continue;
        }
        let event = reader.event(component)?;
        if let Some(original) = event.recurrence_id {
            // An override replaces (or, cancelled, removes) the occurrence it names; it stands on
            // its own, so a move into the window from outside it is seen too.
            overrides
                .entry(event.uid.clone())
                .or_default()
                .insert(original);
            reader.single(&event)?;
        } else {
            masters.push(event);
        }
    }
    for event in &masters {
        let replaced = overrides.get(&event.uid);
        reader.expand(event, replaced)?;
    }
    let mut out = reader.out;
    out.sort_by(|a, b| {
        (a.interval.start, a.interval.end, &a.uid).cmp(&(b.interval.start, b.interval.end, &b.uid))
    });
    Ok(out)
}

/// The feed must start with `BEGIN:VCALENDAR` and end with `END:VCALENDAR`: the parser is lenient
/// and would read a cut-off download as a shorter calendar.
fn check_frame(text: &str) -> Result<(), IcsError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_start_matches('\u{feff}').trim()))
        .filter(|(_, l)| !l.is_empty());
    match lines.next() {
        Some((_, l)) if l.eq_ignore_ascii_case("BEGIN:VCALENDAR") => {}
        Some((n, _)) => {
            return Err(IcsError::at(
                n,
                "the text is not an iCalendar feed: it does not start with BEGIN:VCALENDAR",
            ))
        }
        None => return Err(IcsError::new("the calendar is empty")),
    }
    let last = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .last();
    match last {
        Some((_, l)) if l.trim().eq_ignore_ascii_case("END:VCALENDAR") => Ok(()),
        Some((i, _)) => Err(IcsError::at(
            i + 1,
            "the calendar is cut short: it does not end with END:VCALENDAR",
        )),
        None => Err(IcsError::new("the calendar is empty")),
    }
}

fn parse_error(text: &str, entry: calcard::Entry) -> IcsError {
    match entry {
        calcard::Entry::InvalidLine(l) => {
            let line = text.find(&l).map(|at| text[..at].matches('\n').count() + 1);
            let shown: String = l.chars().take(40).collect();
            IcsError {
                line,
                message: format!("not an iCalendar line: {shown:?}"),
            }
        }
        calcard::Entry::UnterminatedComponent(c) => {
            IcsError::new(format!("the calendar is cut short: {c} has no END"))
        }
        calcard::Entry::UnexpectedComponentEnd { expected, found } => IcsError::new(format!(
            "END:{} where END:{} was expected",
            found.as_str(),
            expected.as_str()
        )),
        calcard::Entry::TooManyComponents => IcsError::new("the calendar has too many components"),
        _ => IcsError::new("the text is not an iCalendar feed (no VCALENDAR in it)"),
    }
}

/// The zone a date-time is read in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    Iana(Tz),
    /// Seconds east of UTC.
    Fixed(i32),
}

impl Zone {
    fn resolve(self, local: NaiveDateTime) -> Instant {
        match self {
            Zone::Iana(tz) => resolve_local(tz, local),
            Zone::Fixed(offset) => local.and_utc() - Duration::seconds(i64::from(offset)),
        }
    }

    fn local(self, t: Instant) -> NaiveDateTime {
        match self {
            Zone::Iana(tz) => to_local(tz, t).naive_local(),
            Zone::Fixed(offset) => t.naive_utc() + Duration::seconds(i64::from(offset)),
        }
    }
}

/// The feed's VTIMEZONEs, resolved to zones once.
struct Zones {
    by_tzid: HashMap<String, Zone>,
    floating: Zone,
}

impl Zones {
    fn new(calendar: &ICalendar, root: &ICalendarComponent, opts: &ReadOptions) -> Self {
        let mut by_tzid = HashMap::new();
        for id in &root.component_ids {
            let Some(c) = calendar.components.get(*id as usize) else {
                continue;
            };
            if c.component_type != ICalendarComponentType::VTimezone {
                continue;
            }
            let Some(tzid) = text_of(c, &ICalendarProperty::Tzid) else {
                continue;
            };
            let zone = vtimezone_zone(calendar, c, tzid, opts);
            by_tzid.insert(tzid.to_string(), zone);
        }
        Zones {
            by_tzid,
            floating: Zone::Iana(opts.zone),
        }
    }

    fn named(&self, tzid: &str) -> Zone {
        if let Some(z) = self.by_tzid.get(tzid) {
            return *z;
        }
        match tzid.parse::<CalTz>() {
            Ok(CalTz::Tz(tz)) => Zone::Iana(tz),
            Ok(CalTz::Fixed(off)) => Zone::Fixed(off.local_minus_utc()),
            _ => self.floating,
        }
    }
}

/// One observance (STANDARD or DAYLIGHT) of a VTIMEZONE.
struct Observance {
    standard: bool,
    start: NaiveDateTime,
    from: i32,
    to: i32,
    rule: Option<ICalendarRecurrenceRule>,
    rdates: Vec<NaiveDateTime>,
}

fn vtimezone_zone(
    calendar: &ICalendar,
    c: &ICalendarComponent,
    tzid: &str,
    opts: &ReadOptions,
) -> Zone {
    if let Some((_, tz)) = c.timezone() {
        match tz {
            CalTz::Tz(tz) => return Zone::Iana(tz),
            CalTz::Fixed(off) => return Zone::Fixed(off.local_minus_utc()),
            CalTz::Floating => {}
        }
    }
    let observances: Vec<Observance> = c
        .component_ids
        .iter()
        .filter_map(|id| calendar.components.get(*id as usize))
        .filter_map(observance)
        .collect();
    // Samples over the window's years: the 1st and 15th of each month.
    let mut samples = Vec::new();
    for year in opts.window.start.year()..=opts.window.end.year() {
        for month in 1..=12 {
            for day in [1, 15] {
                if let Some(t) = Utc.with_ymd_and_hms(year, month, day, 12, 0, 0).single() {
                    samples.push(t);
                }
            }
        }
    }
    let wanted: Vec<Option<i32>> = samples
        .iter()
        .map(|t| vtimezone_offset(&observances, *t))
        .collect();
    let agrees = |tz: Tz| {
        samples
            .iter()
            .zip(&wanted)
            .all(|(t, w)| w.is_none_or(|w| offset_at(tz, *t) == w))
    };
    // An IANA name inside the TZID, or a zone's city named in it.
    let normalised = tzid.replace(' ', "_").to_ascii_lowercase();
    let mut named: Vec<(usize, Tz)> = chrono_tz::TZ_VARIANTS
        .iter()
        .filter_map(|tz| {
            let name = tz.name().to_ascii_lowercase();
            let city = name.rsplit('/').next().unwrap_or_default();
            if name.contains('/') && normalised.contains(&name) {
                Some((name.len() + 100, *tz))
            } else if city.len() >= 4
                && !name.starts_with("etc/")
                && contains_word(&normalised, city)
            {
                Some((city.len(), *tz))
            } else {
                None
            }
        })
        .collect();
    named.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name().cmp(b.1.name())));
    if let Some((_, tz)) = named.into_iter().find(|(_, tz)| agrees(*tz)) {
        return Zone::Iana(tz);
    }
    if !observances.is_empty() {
        if let Some(tz) = chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|tz| !tz.name().starts_with("Etc/") && agrees(*tz))
        {
            return Zone::Iana(tz);
        }
    }
    let fixed = observances
        .iter()
        .filter(|o| o.standard)
        .max_by_key(|o| o.start)
        .or_else(|| observances.iter().max_by_key(|o| o.start))
        .map(|o| o.to);
    fixed.map_or(Zone::Iana(opts.zone), Zone::Fixed)
}

/// Whether `word` appears in `text` between non-letters.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn observance(c: &ICalendarComponent) -> Option<Observance> {
    let standard = match c.component_type {
        ICalendarComponentType::Standard => true,
        ICalendarComponentType::Daylight => false,
        _ => return None,
    };
    let offset = |prop: ICalendarProperty| {
        c.property(&prop)
            .and_then(|e| e.values.first())
            .and_then(ICalendarValue::as_partial_date_time)
            .and_then(|p| {
                let secs = i32::from(p.tz_hour?) * 3600 + i32::from(p.tz_minute.unwrap_or(0)) * 60;
                Some(if p.tz_minus { -secs } else { secs })
            })
    };
    let to = offset(ICalendarProperty::Tzoffsetto)?;
    let from = offset(ICalendarProperty::Tzoffsetfrom).unwrap_or(to);
    let start = c
        .property(&ICalendarProperty::Dtstart)
        .and_then(|e| e.values.first())
        .and_then(ICalendarValue::as_partial_date_time)
        .and_then(naive_of)?;
    let rule = c
        .property(&ICalendarProperty::Rrule)
        .and_then(|e| e.values.first())
        .and_then(|v| match v {
            ICalendarValue::RecurrenceRule(r) => Some((**r).clone()),
            _ => None,
        });
    let rdates = c
        .properties(&ICalendarProperty::Rdate)
        .flat_map(|e| e.values.iter())
        .filter_map(ICalendarValue::as_partial_date_time)
        .filter_map(naive_of)
        .collect();
    Some(Observance {
        standard,
        start,
        from,
        to,
        rule,
        rdates,
    })
}

/// The offset a VTIMEZONE gives at `t`: that of the last observance onset at or before it.
fn vtimezone_offset(observances: &[Observance], t: Instant) -> Option<i32> {
    let mut best: Option<(Instant, i32)> = None;
    for o in observances {
        let horizon = t.naive_utc() + Duration::days(2);
        let mut onsets = vec![o.start];
        onsets.extend(o.rdates.iter().copied());
        if let Some(rule) = &o.rule {
            if let Ok(set) = wall_clock_rule(rule, o.start, None) {
                onsets.extend(
                    (&set)
                        .into_iter()
                        .take(2_000)
                        .map(|d| d.naive_utc())
                        .take_while(|d| *d <= horizon),
                );
            }
        }
        for local in onsets {
            let at = local.and_utc() - Duration::seconds(i64::from(o.from));
            if at <= t && best.is_none_or(|(b, _)| at > b) {
                best = Some((at, o.to));
            }
        }
    }
    best.map(|(_, offset)| offset)
}

/// A date or a date-time as written, before it is put on the time line.
#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    Date(NaiveDate),
    Time(NaiveDateTime, Zone),
}

impl When {
    fn instant(self, opts: &ReadOptions) -> Instant {
        match self {
            When::Date(d) => start_of_day(opts.zone, d),
            When::Time(t, zone) => zone.resolve(t),
        }
    }
}

/// A VEVENT, read.
struct Event {
    uid: String,
    start: When,
    /// The end: a date (all-day), an exact length, or a nominal length in days plus an exact part.
    length: Length,
    rule: Option<ICalendarRecurrenceRule>,
    rdates: Vec<(When, Option<When>)>,
    exdates: HashSet<Instant>,
    recurrence_id: Option<Instant>,
    skipped: bool,
    kind: OccurrenceKind,
    title: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum Length {
    Days(i64),
    Exact(Duration),
    Nominal { days: i64, exact: Duration },
}

struct Reader<'a> {
    opts: &'a ReadOptions,
    zones: &'a Zones,
    out: Vec<Occurrence>,
}

fn text_of<'c>(c: &'c ICalendarComponent, prop: &ICalendarProperty) -> Option<&'c str> {
    c.property(prop)
        .and_then(|e| e.values.first())
        .and_then(ICalendarValue::as_text)
}

fn naive_of(p: &PartialDateTime) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(i32::from(p.year?), u32::from(p.month?), u32::from(p.day?))?
        .and_hms_opt(
            u32::from(p.hour.unwrap_or(0)),
            u32::from(p.minute.unwrap_or(0)),
            u32::from(p.second.unwrap_or(0)).min(59),
        )
}

fn is_date_value(entry: &ICalendarEntry) -> bool {
    entry
        .parameters(&ICalendarParameterName::Value)
        .any(|v| matches!(v, ICalendarParameterValue::Value(ICalendarValueType::Date)))
}

impl Reader<'_> {
    fn when(&self, entry: &ICalendarEntry, p: &PartialDateTime) -> Option<When> {
        let naive = naive_of(p)?;
        if p.hour.is_none() || is_date_value(entry) {
            return Some(When::Date(naive.date()));
        }
        let zone = if let Some(h) = p.tz_hour {
            let secs = i32::from(h) * 3600 + i32::from(p.tz_minute.unwrap_or(0)) * 60;
            Zone::Fixed(if p.tz_minus { -secs } else { secs })
        } else if let Some(tzid) = entry.tz_id() {
            self.zones.named(tzid)
        } else {
            self.zones.floating
        };
        Some(When::Time(naive, zone))
    }

    fn when_of(&self, c: &ICalendarComponent, prop: ICalendarProperty) -> Option<When> {
        let entry = c.property(&prop)?;
        let p = entry.values.first()?.as_partial_date_time()?;
        self.when(entry, p)
    }

    fn event(&self, c: &ICalendarComponent) -> Result<Event, IcsError> {
        let uid = text_of(c, &ICalendarProperty::Uid)
            .map(str::to_string)
            .ok_or_else(|| IcsError::new("a VEVENT has no UID"))?;
        let fail = |what: &str| IcsError::new(format!("event {uid:?}: {what}"));
        if !c.has_property(&ICalendarProperty::Dtstart) {
            return Err(fail("DTSTART is missing"));
        }
        let start = self
            .when_of(c, ICalendarProperty::Dtstart)
            .ok_or_else(|| fail("DTSTART has no valid date or date-time value"))?;
        let end = if c.has_property(&ICalendarProperty::Dtend) {
            Some(
                self.when_of(c, ICalendarProperty::Dtend)
                    .ok_or_else(|| fail("DTEND has no valid date or date-time value"))?,
            )
        } else {
            None
        };
        let duration = c
            .property(&ICalendarProperty::Duration)
            .and_then(|e| e.values.first())
            .map(|v| match v {
                ICalendarValue::Duration(d) => Ok(d.clone()),
                _ => Err(fail("DURATION is not a duration (like PT1H)")),
            })
            .transpose()?;
        let length = match (start, end, duration) {
            (When::Date(s), Some(When::Date(e)), _) => Length::Days((e - s).num_days()),
            (When::Date(s), Some(e @ When::Time(..)), _) => {
                Length::Exact(e.instant(self.opts) - When::Date(s).instant(self.opts))
            }
            (When::Time(..), Some(e), _) => {
                Length::Exact(e.instant(self.opts) - start.instant(self.opts))
            }
            (When::Date(_), None, Some(d)) => {
                let (days, exact) = nominal(&d);
                if exact == Duration::zero() {
                    Length::Days(days)
                } else {
                    Length::Nominal { days, exact }
                }
            }
            (When::Time(..), None, Some(d)) => {
                let (days, exact) = nominal(&d);
                Length::Nominal { days, exact }
            }
            (When::Date(_), None, None) => Length::Days(1),
            (When::Time(..), None, None) => Length::Exact(Duration::zero()),
        };
        let rule = match c.property(&ICalendarProperty::Rrule) {
            None => None,
            Some(e) => match e.values.first() {
                Some(ICalendarValue::RecurrenceRule(r)) => Some((**r).clone()),
                _ => return Err(fail("RRULE is not a valid recurrence rule")),
            },
        };
        let mut rdates = Vec::new();
        for e in c.properties(&ICalendarProperty::Rdate) {
            for v in &e.values {
                match v {
                    ICalendarValue::PartialDateTime(p) => {
                        rdates.push((
                            self.when(e, p).ok_or_else(|| fail("RDATE is not valid"))?,
                            None,
                        ));
                    }
                    ICalendarValue::Period(ICalendarPeriod::Range { start, end }) => {
                        let s = self
                            .when(e, start)
                            .ok_or_else(|| fail("RDATE is not valid"))?;
                        rdates.push((s, self.when(e, end)));
                    }
                    ICalendarValue::Period(ICalendarPeriod::Duration { start, .. }) => {
                        rdates.push((
                            self.when(e, start)
                                .ok_or_else(|| fail("RDATE is not valid"))?,
                            None,
                        ));
                    }
                    _ => return Err(fail("RDATE is not a date, date-time or period")),
                }
            }
        }
        let mut exdates = HashSet::new();
        for e in c.properties(&ICalendarProperty::Exdate) {
            for v in &e.values {
                let w = v
                    .as_partial_date_time()
                    .and_then(|p| self.when(e, p))
                    .ok_or_else(|| fail("EXDATE is not a date or date-time"))?;
                exdates.insert(w.instant(self.opts));
            }
        }
        let recurrence_id = if c.has_property(&ICalendarProperty::RecurrenceId) {
            Some(
                self.when_of(c, ICalendarProperty::RecurrenceId)
                    .ok_or_else(|| fail("RECURRENCE-ID is not a date or date-time"))?
                    .instant(self.opts),
            )
        } else {
            None
        };
        let other = |name: &str| {
            c.entries
                .iter()
                .find(|e| matches!(&e.name, ICalendarProperty::Other(n) if n.eq_ignore_ascii_case(name)))
                .and_then(|e| e.values.first())
                .and_then(ICalendarValue::as_text)
                .map(|s| s.trim().to_ascii_uppercase())
        };
        let busy_status = other("X-MICROSOFT-CDO-BUSYSTATUS");
        let marked_ooo = busy_status.as_deref() == Some("OOF")
            || other("X-MICROSOFT-CDO-INTENDEDSTATUS").as_deref() == Some("OOF");
        let cancelled = matches!(c.status(), Some(ICalendarStatus::Cancelled));
        let transparent = matches!(c.transparency(), Some(ICalendarTransparency::Transparent))
            || busy_status.as_deref() == Some("FREE");
        let summary = text_of(c, &ICalendarProperty::Summary).map(str::to_string);
        let is_word = |s: &str| {
            let s = s.trim();
            self.opts
                .ooo_words
                .iter()
                .any(|w| w.trim().eq_ignore_ascii_case(s))
        };
        let by_words = summary.as_deref().is_some_and(is_word)
            || c.properties(&ICalendarProperty::Categories)
                .flat_map(|e| e.values.iter())
                .filter_map(ICalendarValue::as_text)
                .any(is_word);
        let kind = if marked_ooo || by_words {
            OccurrenceKind::OutOfOffice
        } else {
            OccurrenceKind::Busy
        };
        Ok(Event {
            start,
            length,
            rule,
            rdates,
            exdates,
            recurrence_id,
            skipped: cancelled || (transparent && !marked_ooo),
            kind,
            title: summary.filter(|_| self.opts.keep_titles),
            uid,
        })
    }

    /// Adds the occurrence starting at `start` (with `end` if given), if it overlaps the window.
    fn push(&mut self, event: &Event, start: When, end: Option<When>) -> Result<(), IcsError> {
        let opts = self.opts;
        let (interval, all_day) = match (start, end, event.length) {
            (When::Date(d), None | Some(When::Date(_)), Length::Days(days)) => {
                let last_excl = match end {
                    Some(When::Date(e)) => e,
                    _ => d + Duration::days(days.max(0)),
                };
                if last_excl <= d {
                    return Ok(());
                }
                let iv = Interval {
                    start: start_of_day(opts.zone, d),
                    end: start_of_day(opts.zone, last_excl),
                };
                (iv, Some((d, last_excl.pred_opt().unwrap_or(d))))
            }
            _ => {
                let s = start.instant(opts);
                let e = match (end, event.length) {
                    (Some(e), _) => e.instant(opts),
                    (None, Length::Exact(d)) => s + d,
                    (None, Length::Days(days)) => s + Duration::days(days),
                    (None, Length::Nominal { days, exact }) => match start {
                        When::Time(t, zone) => zone.resolve(t + Duration::days(days)) + exact,
                        When::Date(d) => start_of_day(opts.zone, d + Duration::days(days)) + exact,
                    },
                };
                (Interval { start: s, end: e }, None)
            }
        };
        if interval.end <= interval.start
            || interval.end <= opts.window.start
            || interval.start >= opts.window.end
        {
            return Ok(());
        }
        if self.out.len() >= opts.max_occurrences {
            return Err(IcsError::new(format!(
                "more than {} occurrences in the window (event {:?} is the one past it)",
                opts.max_occurrences, event.uid
            )));
        }
        self.out.push(Occurrence {
            uid: event.uid.clone(),
            interval,
            all_day,
            kind: event.kind,
            title: event.title.clone(),
        });
        Ok(())
    }

    fn single(&mut self, event: &Event) -> Result<(), IcsError> {
        if event.skipped {
            return Ok(());
        }
        self.push(event, event.start, None)
    }

    /// The longest an occurrence of `event` can last (for how far before the window to look).
    fn max_length(&self, event: &Event) -> Duration {
        match event.length {
            Length::Days(d) => Duration::days(d + 2),
            Length::Exact(d) => d.max(Duration::zero()),
            Length::Nominal { days, exact } => Duration::days(days + 2) + exact,
        }
    }

    fn expand(
        &mut self,
        event: &Event,
        replaced: Option<&HashSet<Instant>>,
    ) -> Result<(), IcsError> {
        if event.skipped {
            return Ok(());
        }
        let keep = |w: When, opts: &ReadOptions| {
            let at = w.instant(opts);
            !event.exdates.contains(&at) && !replaced.is_some_and(|r| r.contains(&at))
        };
        let Some(rule) = &event.rule else {
            if keep(event.start, self.opts) {
                self.push(event, event.start, None)?;
            }
            for (start, end) in &event.rdates {
                if keep(*start, self.opts) {
                    self.push(event, *start, *end)?;
                }
            }
            return Ok(());
        };
        let (naive_start, zone) = match event.start {
            When::Date(d) => (
                d.and_time(chrono::NaiveTime::MIN),
                Zone::Iana(self.opts.zone),
            ),
            When::Time(t, zone) => (t, zone),
        };
        let slack = Duration::hours(27);
        let from = zone.local(self.opts.window.start - self.max_length(event)) - slack;
        let to = zone.local(self.opts.window.end) + slack;
        let until = rule.until.as_ref().and_then(|u| {
            let naive = naive_of(u)?;
            if u.hour.is_none() {
                return Some(naive);
            }
            Some(match u.tz_hour {
                Some(_) => zone.local(Zone::Fixed(offset_secs(u)).resolve(naive)),
                None => naive,
            })
        });
        let (dtstart, skipped) = fast_forward(rule, naive_start, from);
        let mut rule = rule.clone();
        if let Some(count) = rule.count {
            if u64::from(count) <= skipped {
                rule.count = Some(0);
            } else {
                rule.count = Some(count - u32::try_from(skipped).unwrap_or(u32::MAX));
            }
        }
        if rule.count != Some(0) {
            let set = wall_clock_rule(&rule, dtstart, until)
                .map_err(|e| IcsError::new(format!("event {:?}: RRULE: {e}", event.uid)))?;
            let mut steps = 0usize;
            for dt in &set {
                let local = dt.naive_utc();
                if local > to {
                    break;
                }
                if local < from {
                    steps += 1;
                    if steps > MAX_STEPS_BEFORE_WINDOW {
                        return Err(IcsError::new(format!(
                            "event {:?}: RRULE repeats more than {MAX_STEPS_BEFORE_WINDOW} times \
                             before the window; it is too frequent to expand",
                            event.uid
                        )));
                    }
                    continue;
                }
                let w = match event.start {
                    When::Date(_) => When::Date(local.date()),
                    When::Time(..) => When::Time(local, zone),
                };
                // `push` counts what overlaps the window and fails past `max_occurrences`, which
                // bounds an endless rule.
                if keep(w, self.opts) {
                    self.push(event, w, None)?;
                }
            }
        }
        for (start, end) in &event.rdates {
            if keep(*start, self.opts) {
                self.push(event, *start, *end)?;
            }
        }
        Ok(())
    }
}

fn offset_secs(p: &PartialDateTime) -> i32 {
    let secs = i32::from(p.tz_hour.unwrap_or(0)) * 3600 + i32::from(p.tz_minute.unwrap_or(0)) * 60;
    if p.tz_minus {
        -secs
    } else {
        secs
    }
}

/// A duration split into nominal days (the same wall-clock time N days later) and an exact rest.
fn nominal(d: &ICalendarDuration) -> (i64, Duration) {
    let sign = if d.neg { -1 } else { 1 };
    let days = i64::from(d.weeks) * 7 + i64::from(d.days);
    let exact = Duration::hours(i64::from(d.hours))
        + Duration::minutes(i64::from(d.minutes))
        + Duration::seconds(i64::from(d.seconds));
    (sign * days, exact * sign as i32)
}

/// For a rule with no BY parts, whose every step is one occurrence, the start moved forward by whole
/// steps to just before `from`, and how many steps that skips: a rule every minute started years ago
/// is then not walked minute by minute.
fn fast_forward(
    rule: &ICalendarRecurrenceRule,
    start: NaiveDateTime,
    from: NaiveDateTime,
) -> (NaiveDateTime, u64) {
    let plain = rule.bysecond.is_empty()
        && rule.byminute.is_empty()
        && rule.byhour.is_empty()
        && rule.byday.is_empty()
        && rule.bymonthday.is_empty()
        && rule.byyearday.is_empty()
        && rule.byweekno.is_empty()
        && rule.bymonth.is_empty()
        && rule.bysetpos.is_empty();
    let unit = match rule.freq {
        ICalendarFrequency::Secondly => Duration::seconds(1),
        ICalendarFrequency::Minutely => Duration::minutes(1),
        ICalendarFrequency::Hourly => Duration::hours(1),
        ICalendarFrequency::Daily => Duration::days(1),
        ICalendarFrequency::Weekly => Duration::weeks(1),
        _ => return (start, 0),
    };
    if !plain || from <= start {
        return (start, 0);
    }
    let step = unit * i32::from(rule.interval.unwrap_or(1).max(1));
    let steps = (from - start).num_seconds() / step.num_seconds().max(1);
    if steps <= 1 {
        return (start, 0);
    }
    let steps = steps - 1;
    let Some(moved) = i32::try_from(steps)
        .ok()
        .and_then(|s| step.checked_mul(s))
        .and_then(|d| start.checked_add_signed(d))
    else {
        return (start, 0);
    };
    (moved, u64::try_from(steps).unwrap_or(0))
}

/// `rule` as an `rrule` set running on wall-clock time: the local date-times are carried as if they
/// were UTC, so the rule never meets a DST change and each result is resolved by Baton's rule after.
fn wall_clock_rule(
    rule: &ICalendarRecurrenceRule,
    start: NaiveDateTime,
    until: Option<NaiveDateTime>,
) -> Result<rrule::RRuleSet, rrule::RRuleError> {
    let as_utc =
        |t: NaiveDateTime| -> DateTime<rrule::Tz> { t.and_utc().with_timezone(&rrule::Tz::UTC) };
    let freq = match rule.freq {
        ICalendarFrequency::Yearly => rrule::Frequency::Yearly,
        ICalendarFrequency::Monthly => rrule::Frequency::Monthly,
        ICalendarFrequency::Weekly => rrule::Frequency::Weekly,
        ICalendarFrequency::Daily => rrule::Frequency::Daily,
        ICalendarFrequency::Hourly => rrule::Frequency::Hourly,
        ICalendarFrequency::Minutely => rrule::Frequency::Minutely,
        ICalendarFrequency::Secondly => rrule::Frequency::Secondly,
    };
    let weekday = |d: &ICalendarWeekday| match d {
        ICalendarWeekday::Monday => Weekday::Mon,
        ICalendarWeekday::Tuesday => Weekday::Tue,
        ICalendarWeekday::Wednesday => Weekday::Wed,
        ICalendarWeekday::Thursday => Weekday::Thu,
        ICalendarWeekday::Friday => Weekday::Fri,
        ICalendarWeekday::Saturday => Weekday::Sat,
        ICalendarWeekday::Sunday => Weekday::Sun,
    };
    let months: Vec<chrono::Month> = rule
        .bymonth
        .iter()
        .filter_map(|m| chrono::Month::try_from(m.month()).ok())
        .collect();
    let mut r = rrule::RRule::new(freq)
        .interval(rule.interval.unwrap_or(1).max(1))
        .by_second(rule.bysecond.clone())
        .by_minute(rule.byminute.clone())
        .by_hour(rule.byhour.clone())
        .by_weekday(
            rule.byday
                .iter()
                .map(|d| rrule::NWeekday::new(d.ordwk, weekday(&d.weekday)))
                .collect(),
        )
        .by_month_day(rule.bymonthday.clone())
        .by_year_day(rule.byyearday.clone())
        .by_week_no(rule.byweekno.clone())
        .by_month(&months)
        .by_set_pos(rule.bysetpos.clone());
    if let Some(w) = &rule.wkst {
        r = r.week_start(weekday(w));
    }
    if let Some(count) = rule.count {
        r = r.count(count);
    }
    if let Some(until) = until {
        r = r.until(as_utc(until.max(start)));
    }
    Ok(r.build(as_utc(start))?.limit())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn opts() -> ReadOptions {
        ReadOptions {
            zone: chrono_tz::Asia::Tokyo,
            window: Interval::new(
                Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 5, 10, 0, 0, 0).unwrap(),
            )
            .unwrap(),
            keep_titles: false,
            ooo_words: vec!["PTO".into()],
            max_occurrences: 100,
        }
    }

    fn cal(body: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n")
    }

    #[test]
    fn a_date_start_alone_lasts_a_day_and_a_time_start_alone_is_skipped() {
        let text = cal("BEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20260504\r\nSUMMARY: pto \r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:t\r\nDTSTART:20260505T010000Z\r\nEND:VEVENT\r\n");
        let got = read_ics(&text, &opts()).unwrap();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].uid, "d");
        assert_eq!(got[0].interval.duration(), Duration::days(1));
        assert_eq!(
            got[0].kind,
            OccurrenceKind::OutOfOffice,
            "trimmed, without case"
        );
        assert_eq!(got[0].title, None);
    }

    #[test]
    fn a_nominal_day_duration_keeps_the_wall_clock_time() {
        // P1D from 09:00 New York on the day before spring-forward ends at 09:00 the next day: 23 h.
        let text = cal("BEGIN:VEVENT\r\nUID:n\r\nDTSTART;TZID=America/New_York:20260307T090000\r\nDURATION:P1D\r\nEND:VEVENT\r\n");
        let mut o = opts();
        o.window = Interval::new(
            Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap(),
        )
        .unwrap();
        let got = read_ics(&text, &o).unwrap();
        assert_eq!(got[0].interval.duration(), Duration::hours(23));
    }

    #[test]
    fn errors_show_the_line_when_known() {
        let e = IcsError::at(12, "DTSTART has no value");
        assert_eq!(e.to_string(), "line 12: DTSTART has no value");
        assert_eq!(IcsError::new("plain").to_string(), "plain");
    }

    #[test]
    fn fast_forward_keeps_the_phase_of_the_rule() {
        let rule = ICalendarRecurrenceRule {
            freq: ICalendarFrequency::Minutely,
            interval: Some(7),
            ..Default::default()
        };
        let start = NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let from = start + Duration::days(30);
        let (moved, skipped) = fast_forward(&rule, start, from);
        assert!(moved < from && from - moved <= Duration::minutes(14));
        assert_eq!((moved - start).num_minutes() % 7, 0);
        assert_eq!(
            i64::try_from(skipped).unwrap() * 7,
            (moved - start).num_minutes()
        );
    }
}
