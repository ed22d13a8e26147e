//! Human-readable tables for the CLI: times in the viewer's zone, each member's own local time beside them.

use std::io::{self, Write};

use baton::query::report::{
    ForecastReport, HandoffEntry, HandoffReport, HolidaysReport, HoursReport, LocalView, NowReport,
    OverlapReport, RangeReport, RelayReport, Span, WindowReport,
};
use baton::query::week::WeekReport;
use baton::query::{HandoffKind, Status};
use baton::time::{format_offset, offset_at};
use baton::{Instant, Team};
use chrono::{DateTime, Duration};
use chrono_tz::Tz;
use comfy_table::{presets, Cell, ContentArrangement, Table};

pub(super) fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().map(|h| Cell::new(h.to_uppercase())));
    t
}

pub(super) fn write_table(out: &mut dyn Write, t: &Table) -> io::Result<()> {
    for line in t.to_string().lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `Mon 09 Mar 14:00`.
fn day_time(t: &DateTime<Tz>) -> String {
    baton::time::locale::TimeLocale::current().date_time(t)
}

/// `14:00`, or `02:00 +1` when `t` falls on a later local date than `from`.
fn time_after(from: &DateTime<Tz>, t: &DateTime<Tz>) -> String {
    let days = (t.date_naive() - from.date_naive()).num_days();
    if days == 0 {
        baton::time::locale::TimeLocale::current().hm(t)
    } else {
        format!(
            "{} {:+}",
            baton::time::locale::TimeLocale::current().hm(t),
            days
        )
    }
}

/// `Mon 09 Mar 22:00–06:00 +1` in `tz`.
fn span_in(start: Instant, end: Instant, tz: Tz) -> String {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    format!("{}–{}", day_time(&s), time_after(&s, &e))
}

/// `Ana 09:00–11:30` in the member's own zone, with the weekday when it differs from the viewer's.
fn local_view(v: &LocalView, viewer: Tz) -> String {
    let same_day = v.start.date_naive() == v.start.with_timezone(&viewer).date_naive();
    let day = if same_day {
        String::new()
    } else {
        format!("{} ", v.start.format("%a"))
    };
    format!(
        "{} {day}{}–{}",
        v.name,
        baton::time::locale::TimeLocale::current().hm(&v.start),
        time_after(&v.start, &v.end)
    )
}

/// `7h30m`, `45m`, `2d 3h`.
pub fn duration(d: Duration) -> String {
    let m = d.num_minutes();
    let (days, h, min) = (m / 1440, (m / 60) % 24, m % 60);
    match (days, h, min) {
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h{m:02}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

fn header(out: &mut dyn Write, title: &str, range: &RangeReport) -> io::Result<()> {
    let last = range.from + chrono::Days::new(u64::from(range.days.saturating_sub(1)));
    writeln!(
        out,
        "{title}, {} to {} ({} day{}), times in {} (UTC{})",
        range.from.format("%a %d %b %Y"),
        last.format("%a %d %b %Y"),
        range.days,
        if range.days == 1 { "" } else { "s" },
        range.time_zone.name(),
        format_offset(offset_at(range.time_zone, range.start)),
    )
}

pub fn hours(out: &mut dyn Write, r: &HoursReport) -> io::Result<()> {
    header(out, "Working hours", &r.range)?;
    let viewer = r.range.time_zone;
    for m in &r.members {
        writeln!(out)?;
        writeln!(
            out,
            "{} ({}): {} working, {} focus",
            m.name,
            m.time_zone.name(),
            duration(Duration::minutes(m.working_minutes)),
            duration(Duration::minutes(m.focus_minutes))
        )?;
        if m.working.is_empty() && m.focus.is_empty() {
            writeln!(out, "  no working hours in this range")?;
            continue;
        }
        let mut t = table(&["", "when", "length", "local"]);
        let mut rows: Vec<(&str, &Span)> = m.working.iter().map(|s| ("work", s)).collect();
        rows.extend(m.focus.iter().map(|s| ("focus", s)));
        rows.extend(m.busy.iter().map(|s| ("busy", s)));
        rows.sort_by_key(|(kind, s)| (s.start, *kind != "work"));
        for (kind, s) in rows {
            let local = format!(
                "{} {}–{}",
                baton::time::locale::TimeLocale::current()
                    .weekday(chrono::Datelike::weekday(&s.local_start)),
                baton::time::locale::TimeLocale::current().hm(&s.local_start),
                time_after(&s.local_start, &s.local_end)
            );
            t.add_row(vec![
                kind.to_string(),
                span_in(s.start, s.end, viewer),
                duration(s.end - s.start),
                local,
            ]);
        }
        write_table(out, &t)?;
    }
    Ok(())
}

pub fn now(out: &mut dyn Write, team: &Team, r: &NowReport, viewer: Tz) -> io::Result<()> {
    writeln!(
        out,
        "{} at {} ({})",
        team.name,
        day_time(&r.at.with_timezone(&viewer)),
        viewer.name()
    )?;
    let mut t = table(&["member", "local time", "status", "until"]);
    for m in &r.members {
        let status = status_word(m.status);
        let until = match (m.next_change, m.next_status) {
            (Some(c), Some(s)) => {
                let local = c.with_timezone(&m.travel_time_zone.unwrap_or(m.time_zone));
                let days = (local.date_naive() - m.local_time.date_naive()).num_days();
                let when = match days {
                    0 => baton::time::locale::TimeLocale::current().hm(&local),
                    1..=6 => baton::time::locale::TimeLocale::current().day_time(&local),
                    _ => baton::time::locale::TimeLocale::current().date_time(&local),
                };
                format!(
                    "{when} local (in {}), then {}",
                    duration(c - r.at),
                    status_word(s)
                )
            }
            _ if m.status == Status::Off => "no working hours in the next year".to_string(),
            _ => "no change in the next year".to_string(),
        };
        t.add_row(vec![
            m.name.clone(),
            match m.travel_time_zone {
                None => format!(
                    "{} {} ({})",
                    baton::time::locale::TimeLocale::current().day_time(&m.local_time),
                    m.utc_offset,
                    m.time_zone.name()
                ),
                Some(trip) => format!(
                    "{} {} ({}, travelling; home {})",
                    baton::time::locale::TimeLocale::current().day_time(&m.local_time),
                    m.utc_offset,
                    trip.name(),
                    m.time_zone.name()
                ),
            },
            status.to_string(),
            until,
        ]);
    }
    write_table(out, &t)
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Working => "working",
        Status::Focus => "in focus",
        Status::Off => "off",
    }
}

fn window_row(w: &WindowReport, viewer: Tz, with_members: bool) -> Vec<String> {
    let mut row = vec![span_in(w.start, w.end, viewer), duration(w.end - w.start)];
    if with_members {
        row.push(if w.min_count == w.max_count {
            w.max_count.to_string()
        } else {
            format!("{}–{}", w.min_count, w.max_count)
        });
    }
    row.push(if w.local.is_empty() {
        "—".to_string()
    } else {
        w.local
            .iter()
            .map(|v| local_view(v, viewer))
            .collect::<Vec<_>>()
            .join(" · ")
    });
    row
}

pub fn overlap(out: &mut dyn Write, r: &OverlapReport) -> io::Result<()> {
    let who = match r.at_least {
        None => format!("Overlap of {}", r.members.join(", ")),
        Some(k) => format!("At least {k} of {} members", r.members.len()),
    };
    let focus = if r.include_focus {
        "focus counted as free"
    } else {
        "outside focus"
    };
    header(
        out,
        &format!(
            "{who} ({focus}, at least {})",
            duration(Duration::minutes(r.min_minutes))
        ),
        &r.range,
    )?;
    let viewer = r.range.time_zone;
    if r.windows.is_empty() {
        writeln!(out, "\nNo shared window in this range. Try --at-least, --include-focus, a shorter --min or more --days.")?;
        return Ok(());
    }
    writeln!(out)?;
    let multi = r.at_least.is_some();
    let mut t = table(if !multi {
        &["window", "length", "local times"]
    } else if r.detail {
        &["window", "length", "count", "local times"]
    } else {
        &["window", "length", "count", "there throughout"]
    });
    for w in &r.windows {
        t.add_row(window_row(w, viewer, multi));
    }
    write_table(out, &t)?;
    if multi && !r.detail {
        writeln!(
            out,
            "\nWindows last while at least {} are available; --detail splits them at every change of who is.",
            r.at_least.unwrap_or(1)
        )?;
    }
    if let Some(b) = &r.best {
        writeln!(
            out,
            "\nBest slot: {} ({}) with {}",
            span_in(b.start, b.end, viewer),
            duration(b.end - b.start),
            b.members.join(", ")
        )?;
    }
    Ok(())
}

fn handoff_row(h: &HandoffEntry, viewer: Tz) -> Vec<String> {
    let (kind, len) = match h.kind {
        HandoffKind::Sync => ("sync", format!("{} together", duration(h.end - h.start))),
        HandoffKind::Async => ("async", format!("waits {}", duration(h.end - h.start))),
    };
    let when = match h.kind {
        HandoffKind::Sync => span_in(h.start, h.end, viewer),
        HandoffKind::Async => {
            let (s, e) = (h.start.with_timezone(&viewer), h.end.with_timezone(&viewer));
            format!("{} → {}", day_time(&s), time_after(&s, &e))
        }
    };
    let local = |v: &LocalView| match h.kind {
        HandoffKind::Sync => local_view(v, viewer),
        HandoffKind::Async => format!(
            "{} {}",
            v.name,
            baton::time::locale::TimeLocale::current().day_time(&v.start)
        ),
    };
    let receiver = match h.kind {
        HandoffKind::Sync => local(&h.receiver_local),
        HandoffKind::Async => format!(
            "{} {}",
            h.receiver_local.name,
            baton::time::locale::TimeLocale::current().day_time(&h.receiver_local.end)
        ),
    };
    vec![
        kind.to_string(),
        when,
        len,
        format!("{} · {}", local(&h.giver_local), receiver),
    ]
}

pub fn handoff(out: &mut dyn Write, r: &HandoffReport) -> io::Result<()> {
    header(out, &format!("Handoffs {} → {}", r.from, r.to), &r.range)?;
    if r.handoffs.is_empty() {
        writeln!(
            out,
            "\nNo handoffs: {} has no working days in this range, or {} no working time in the week after them.",
            r.from, r.to
        )?;
        return Ok(());
    }
    let viewer = r.range.time_zone;
    let mut t = table(&["day", "kind", "when", "length", "local times"]);
    let mut last_day = None;
    for h in &r.handoffs {
        let day = if last_day == Some(h.giver_day) {
            String::new()
        } else {
            h.giver_day.format("%a %d %b").to_string()
        };
        last_day = Some(h.giver_day);
        let mut row = vec![day];
        row.extend(handoff_row(h, viewer));
        if h.rank > 1 {
            row[1] = format!("sync #{}", h.rank);
        }
        t.add_row(row);
    }
    writeln!(
        out,
        "\nDays are {}'s working days; sync windows closest to the end of the day first.",
        r.from
    )?;
    write_table(out, &t)
}

pub fn relay(out: &mut dyn Write, r: &RelayReport) -> io::Result<()> {
    header(out, "Follow-the-sun relay", &r.range)?;
    let viewer = r.range.time_zone;
    let mut order = r.order.join(" → ");
    if let Some(first) = r.order.first().filter(|_| r.order.len() > 1) {
        order.push_str(&format!(" → ({first})"));
    }
    writeln!(out, "\nRelay order: {order}")?;
    for d in &r.days {
        writeln!(out, "\n{}", d.date.format("%a %d %b %Y"))?;
        let mut t = table(&["handoff", "kind", "when", "length", "local times"]);
        for l in &d.links {
            let mut row = vec![format!("{} → {}", l.from, l.to)];
            row.extend(handoff_row(&l.handoff, viewer));
            t.add_row(row);
        }
        write_table(out, &t)?;
    }
    writeln!(out)?;
    if r.gaps.is_empty() {
        writeln!(
            out,
            "No coverage gaps: somebody is working at every moment of the range."
        )?;
    } else {
        writeln!(out, "Coverage gaps (nobody working):")?;
        let mut t = table(&["gap", "length"]);
        for g in &r.gaps {
            t.add_row(vec![
                span_in(g.start, g.end, viewer),
                duration(g.end - g.start),
            ]);
        }
        write_table(out, &t)?;
    }
    writeln!(
        out,
        "\nCovered: {:.1} h in the range, {:.1} of 168 h per week.",
        r.covered_hours, r.covered_hours_per_week
    )
}

/// `baton holidays`: a table of date, weekday and name.
pub fn holidays(out: &mut dyn Write, r: &HolidaysReport) -> io::Result<()> {
    match &r.country {
        Some(c) => writeln!(out, "Public holidays in {} ({c}), {}", r.region, r.year)?,
        None => writeln!(out, "Public holidays in {}, {}", r.region, r.year)?,
    }
    let mut t = table(&["date", "day", "name"]);
    for h in &r.holidays {
        t.add_row(vec![
            h.date.to_string(),
            h.date.format("%a").to_string(),
            h.name.clone(),
        ]);
    }
    write_table(out, &t)
}

/// `relay --forecast`: one line per gap, in UTC, with who is missing and why.
pub fn forecast(out: &mut dyn Write, r: &ForecastReport) -> io::Result<()> {
    let weeks = if r.days.is_multiple_of(7) {
        format!("{} week{}", r.days / 7, if r.days == 7 { "" } else { "s" })
    } else {
        format!("{} day{}", r.days, if r.days == 1 { "" } else { "s" })
    };
    let from = r.from.with_timezone(&Tz::UTC);
    if r.gaps.is_empty() {
        return writeln!(
            out,
            "Coverage forecast, {weeks} from {} UTC: no gaps beyond a normal week's",
            day_time(&from)
        );
    }
    writeln!(
        out,
        "Coverage forecast, {weeks} from {} UTC: {} gap{} a normal week does not have",
        day_time(&from),
        r.gaps.len(),
        if r.gaps.len() == 1 { "" } else { "s" }
    )?;
    for g in &r.gaps {
        let start = g.interval.start.with_timezone(&Tz::UTC);
        let end = g.interval.end.with_timezone(&Tz::UTC);
        let end = if end.date_naive() == start.date_naive() {
            baton::time::locale::TimeLocale::current().hm(&end)
        } else {
            day_time(&end)
        };
        let who = g.who_is_missing();
        writeln!(out, "{}–{end} UTC: nobody works; {who}", day_time(&start))?;
    }
    Ok(())
}

/// `baton week`: the summary lines, then one row per local day (a DST day shows its length).
pub fn week(out: &mut dyn Write, r: &WeekReport) -> io::Result<()> {
    let tz = baton::time::parse_time_zone(&r.time_zone).unwrap_or(Tz::UTC);
    let minutes = |m: i64| duration(Duration::minutes(m));
    writeln!(
        out,
        "Week in focus: {}, {} – {} ({}, {} hours)",
        r.me,
        r.from.format("%a %d %b"),
        r.to.format("%a %d %b %Y"),
        r.time_zone,
        r.hours
    )?;
    let f = &r.focus;
    writeln!(
        out,
        "\nFocus protected   {} of the {}h goal{} (scheduled {} + sessions {})",
        minutes(f.protected_minutes),
        f.goal_hours,
        if f.goal_met { ", reached" } else { "" },
        minutes(f.scheduled_minutes),
        minutes(f.session_minutes)
    )?;
    match &f.longest_stretch {
        Some(s) => writeln!(
            out,
            "Longest stretch   {}, {}",
            minutes(s.minutes),
            span_in(s.start, s.end, tz)
        )?,
        None => writeln!(out, "Longest stretch   none")?,
    }
    let i = &r.interruptions;
    let sources = i
        .by_source
        .iter()
        .map(|s| format!("{} {}", s.source, s.critical + s.urgent))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        out,
        "Interruptions     {} during focus ({} critical, {} urgent){}",
        i.total,
        i.critical,
        i.urgent,
        if sources.is_empty() {
            String::new()
        } else {
            format!(": {sources}")
        }
    )?;
    let n = &r.notifications;
    writeln!(
        out,
        "Notifications     {} received, {} broke through; {} held, {} released in {} digest{}; {} \
         waited for the morning",
        n.received,
        n.broke_through,
        n.held,
        n.released,
        n.digests,
        if n.digests == 1 { "" } else { "s" },
        n.waited_for_morning
    )?;
    let h = &r.handoffs;
    match &h.to {
        Some(to) => writeln!(
            out,
            "Handoffs          to {to}: {} live, {} written{}",
            h.live,
            h.written,
            h.average_wait_minutes
                .map(|m| format!(" (the baton waited {} on average)", minutes(m)))
                .unwrap_or_default()
        )?,
        None => writeln!(out, "Handoffs          none (no teammate to hand to)")?,
    }
    writeln!(out, "Meetings          {}", minutes(r.meeting_minutes))?;
    writeln!(
        out,
        "Fragmented time   {} in {} stretch{} under an hour",
        minutes(r.fragmented.minutes),
        r.fragmented.stretches,
        if r.fragmented.stretches == 1 {
            ""
        } else {
            "es"
        }
    )?;
    writeln!(out)?;
    let mut t = table(&["day", "working", "focus", "busy", "off-hours pings"]);
    for d in &r.days {
        let day = if d.length_minutes == 24 * 60 {
            d.date.format("%a %d %b").to_string()
        } else {
            format!(
                "{} ({})",
                d.date.format("%a %d %b"),
                minutes(d.length_minutes)
            )
        };
        t.add_row(vec![
            day,
            minutes(d.working_minutes),
            minutes(d.focus_minutes),
            minutes(d.busy_minutes),
            d.off_hours_pings.to_string(),
        ]);
    }
    write_table(out, &t)
}
