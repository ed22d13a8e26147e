//! Writing my calendar out as an iCalendar (RFC 5545) feed: focus blocks, sessions and handoffs as
//! timed events, days off and holidays as all-day events, and my working time as an RFC 7953
//! `VAVAILABILITY`.
//!
//! The feed is built as `calcard` components and written by its writer, which escapes text
//! (`\,`, `\;`, `\\`, `\n`), folds lines at 75 octets and ends them with CRLF. Times are written in
//! UTC (`Z`), so the feed needs no VTIMEZONE; `X-WR-TIMEZONE` tells clients which zone to show it
//! in. The same feed always gives the same text: nothing here reads the clock or a random source.

use calcard::common::CalendarScale;
use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarFreeBusyType,
    ICalendarMethod, ICalendarParameter, ICalendarProperty, ICalendarTransparency, ICalendarValue,
    ICalendarValueType,
};
use chrono::{Datelike, NaiveDate, Timelike};

use crate::calendar::ExportFeed;
use crate::time::interval::{Instant, Interval};

/// The feed `feed` as iCalendar text (CRLF line ends).
///
/// ```
/// use baton::calendar::{export::write_ics, ExportFeed};
/// use baton::time::interval::Interval;
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
/// let feed = ExportFeed {
///     name: "Baton: Ana".into(),
///     zone: chrono_tz::Europe::Lisbon,
///     generated: t,
///     events: vec![],
///     days: vec![],
///     available: vec![],
///     window: Interval::new(t, t + chrono::Duration::days(7)).unwrap(),
/// };
/// let text = write_ics(&feed);
/// assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
/// assert!(text.contains("X-WR-TIMEZONE:Europe/Lisbon\r\n"));
/// ```
pub fn write_ics(feed: &ExportFeed) -> String {
    write(feed, true)
}

/// The feed's events and days alone as iCalendar text, without the `VAVAILABILITY`: a CalDAV
/// calendar object holds components of one type only (RFC 4791 4.1; Radicale refuses the rest with
/// a 400), so this is what publishing a single event writes.
pub fn write_object_ics(feed: &ExportFeed) -> String {
    write(feed, false)
}

fn write(feed: &ExportFeed, with_availability: bool) -> String {
    let mut components = vec![ICalendarComponent::new(ICalendarComponentType::VCalendar)];
    {
        let root = &mut components[0];
        root.add_property(ICalendarProperty::Version, "2.0");
        root.add_property(
            ICalendarProperty::Prodid,
            format!("-//Baton//Baton {}//EN", env!("CARGO_PKG_VERSION")),
        );
        root.add_property(ICalendarProperty::Calscale, CalendarScale::Gregorian);
        root.add_property(ICalendarProperty::Method, ICalendarMethod::Publish);
        root.add_property(other("X-WR-CALNAME"), feed.name.as_str());
        root.add_property(other("X-WR-TIMEZONE"), feed.zone.name());
    }
    let stamp = utc(feed.generated);
    let mut children = Vec::new();
    for e in &feed.events {
        let mut c = ICalendarComponent::new(ICalendarComponentType::VEvent);
        c.add_uid(&e.uid);
        c.add_dtstamp(stamp.clone());
        c.add_property(ICalendarProperty::Dtstart, utc(e.interval.start));
        c.add_property(ICalendarProperty::Dtend, utc(e.interval.end));
        c.add_property(ICalendarProperty::Summary, e.summary.as_str());
        if let Some(d) = &e.description {
            c.add_property(ICalendarProperty::Description, d.as_str());
        }
        c.add_property(
            ICalendarProperty::Transp,
            if e.busy {
                ICalendarTransparency::Opaque
            } else {
                ICalendarTransparency::Transparent
            },
        );
        add_categories(&mut c, &e.categories);
        children.push(c);
    }
    for d in &feed.days {
        let mut c = ICalendarComponent::new(ICalendarComponentType::VEvent);
        c.add_uid(&d.uid);
        c.add_dtstamp(stamp.clone());
        c.entries
            .push(date_entry(ICalendarProperty::Dtstart, d.first));
        let after = d.last.succ_opt().unwrap_or(d.last);
        c.entries.push(date_entry(ICalendarProperty::Dtend, after));
        c.add_property(ICalendarProperty::Summary, d.summary.as_str());
        // A holiday informs; a day off makes me unavailable, which Outlook reads from its own flag.
        let holiday_only = d
            .categories
            .iter()
            .all(|c| c.eq_ignore_ascii_case("HOLIDAY"))
            && !d.categories.is_empty();
        if holiday_only {
            c.add_property(
                ICalendarProperty::Transp,
                ICalendarTransparency::Transparent,
            );
        } else {
            c.add_property(ICalendarProperty::Transp, ICalendarTransparency::Opaque);
            c.add_property(other("X-MICROSOFT-CDO-BUSYSTATUS"), "OOF");
        }
        add_categories(&mut c, &d.categories);
        children.push(c);
    }
    let mut availability = ICalendarComponent::new(ICalendarComponentType::VAvailability);
    availability.add_uid(&availability_uid(feed, "availability"));
    availability.add_dtstamp(stamp.clone());
    availability.add_property(ICalendarProperty::Dtstart, utc(feed.window.start));
    availability.add_property(ICalendarProperty::Dtend, utc(feed.window.end));
    availability.add_property(
        ICalendarProperty::Busytype,
        ICalendarFreeBusyType::BusyUnavailable,
    );
    let mut available = Vec::new();
    for iv in &feed.available {
        let mut a = ICalendarComponent::new(ICalendarComponentType::Available);
        a.add_uid(&available_uid(feed, iv));
        a.add_dtstamp(stamp.clone());
        a.add_property(ICalendarProperty::Dtstart, utc(iv.start));
        a.add_property(ICalendarProperty::Dtend, utc(iv.end));
        available.push(a);
    }
    // calcard keeps components in one list, each naming its children by index.
    for c in children {
        let id = push(&mut components, c);
        components[0].component_ids.push(id);
    }
    if !with_availability {
        return ICalendar { components }.to_string();
    }
    let availability_id = push(&mut components, availability);
    components[0].component_ids.push(availability_id);
    for a in available {
        let id = push(&mut components, a);
        components[availability_id as usize].component_ids.push(id);
    }
    ICalendar { components }.to_string()
}

fn push(components: &mut Vec<ICalendarComponent>, c: ICalendarComponent) -> u32 {
    components.push(c);
    u32::try_from(components.len() - 1).unwrap_or(u32::MAX)
}

fn other(name: &str) -> ICalendarProperty {
    ICalendarProperty::Other(name.to_string())
}

fn add_categories(c: &mut ICalendarComponent, categories: &[String]) {
    if categories.is_empty() {
        return;
    }
    c.entries.push(
        ICalendarEntry::new(ICalendarProperty::Categories).with_values(
            categories
                .iter()
                .map(|s| ICalendarValue::Text(s.clone()))
                .collect(),
        ),
    );
}

fn date_entry(prop: ICalendarProperty, d: NaiveDate) -> ICalendarEntry {
    let value = PartialDateTime {
        year: u16::try_from(d.year()).ok(),
        month: u8::try_from(d.month()).ok(),
        day: u8::try_from(d.day()).ok(),
        ..Default::default()
    };
    ICalendarEntry::new(prop)
        .with_param(ICalendarParameter::value(ICalendarValueType::Date))
        .with_value(value)
}

/// An instant as a UTC date-time value (written `YYYYMMDDTHHMMSSZ`).
fn utc(t: Instant) -> PartialDateTime {
    PartialDateTime {
        year: u16::try_from(t.year()).ok(),
        month: u8::try_from(t.month()).ok(),
        day: u8::try_from(t.day()).ok(),
        hour: u8::try_from(t.hour()).ok(),
        minute: u8::try_from(t.minute()).ok(),
        second: u8::try_from(t.second()).ok(),
        tz_hour: Some(0),
        tz_minute: Some(0),
        tz_minus: false,
    }
}

/// The `VAVAILABILITY`'s UID: stable for the same calendar name and window.
fn availability_uid(feed: &ExportFeed, what: &str) -> String {
    format!(
        "{what}-{}-{}@baton",
        compact(feed.window.start),
        slug(&feed.name)
    )
}

/// An `AVAILABLE`'s UID: stable for the same calendar and interval.
fn available_uid(feed: &ExportFeed, iv: &Interval) -> String {
    format!(
        "available-{}-{}-{}@baton",
        compact(iv.start),
        compact(iv.end),
        slug(&feed.name)
    )
}

fn compact(t: Instant) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
