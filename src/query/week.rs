//! `week`: the week in focus, a report of what focus protected for me over one week, as one pure
//! function of my team, my focus sessions, the notifications that arrived, and my focus goal.
//!
//! The week is a span of local days in my zone starting at local midnight of `from` (a Monday by
//! default; the first day is a parameter so that a week-start setting can choose another). Everything
//! inside is UTC instants and interval algebra; local dates only cut the per-day bars, so a DST week
//! has its real 167 or 169 hours and its days their 23 or 25.
//!
//! Nothing here needs a new column: the queue already keeps, per notification, its source, urgency,
//! arrival, and when and how it was delivered. A breakthrough is an item delivered on its own
//! (`urgent`); it interrupted focus when it was delivered inside my protected focus time. Items of
//! one digest are marked delivered together at the same instant, so the digests are the distinct
//! delivery instants of digest items (a digest the notifier split in halves counts once).
//! Notifications are counted by arrival: an item belongs to the week it arrived in.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::notify::notification::{DeliveredAs, Urgency};
use crate::query::{self, HandoffKind, HandoffQuery};
use crate::team::focus::FocusSession;
use crate::team::schedule::TeamSchedule;
use crate::team::Team;
use crate::time::interval::{Instant, Interval, IntervalSet};
use crate::time::local_days_span;

/// Days in a week.
pub const WEEK_DAYS: u32 = 7;
/// A free stretch shorter than this between meetings or focus is fragmented time.
pub const FRAGMENT_UNDER: Duration = Duration::hours(1);
/// Shortest shared window that counts as a live handoff (as in the CLI and the app).
pub const HANDOFF_MIN_SYNC: Duration = Duration::minutes(15);
/// How far past the week handoffs look for the taker's next working period.
const HANDOFF_LOOKAHEAD: Duration = Duration::days(7);

/// What the report reads about one stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    /// Who sent it.
    pub source: String,
    /// How urgent the sender said it was.
    pub urgency: Urgency,
    /// When Baton accepted it.
    pub received_at: Instant,
    /// When it was delivered, if it was.
    pub delivered_at: Option<Instant>,
    /// Delivered alone (a breakthrough) or in a digest.
    pub delivered_as: Option<DeliveredAs>,
}

/// Everything [`week_report`] reads.
#[derive(Debug, Clone, Copy)]
pub struct WeekInputs<'a> {
    /// The team; the report is about its `me`.
    pub team: &'a Team,
    /// My focus sessions that reach into the week.
    pub sessions: &'a [FocusSession],
    /// The notifications that arrived in the week (others are ignored).
    pub notifications: &'a [NotificationRecord],
    /// The weekly focus goal, in hours (the `focus_goal_hours` setting).
    pub focus_goal_hours: u32,
    /// The first local date of the week, in my zone.
    pub from: NaiveDate,
    /// Days in the report ([`WEEK_DAYS`]).
    pub days: u32,
    /// Where the week stops counting: `now` for the week in progress (focus not lived yet is not
    /// protected yet, and a day to come has no bars); `None` counts the whole week as planned.
    pub until: Option<Instant>,
}

/// The week in focus: what focus protected for me over one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct WeekReport {
    /// Me.
    pub me: String,
    /// My zone, which the days are cut in.
    pub time_zone: String,
    /// The first local date of the week.
    #[ts(type = "string")]
    pub from: NaiveDate,
    /// The last local date of the week (inclusive).
    #[ts(type = "string")]
    pub to: NaiveDate,
    /// Local midnight starting `from`, UTC.
    #[ts(type = "string")]
    pub start: Instant,
    /// Local midnight after `to`, UTC.
    #[ts(type = "string")]
    pub end: Instant,
    /// Length of the week in hours: 168, or 167 or 169 across a DST change.
    pub hours: i64,
    /// Days of the week with working time in my plan (the whole week, also the days to come): the
    /// days the weekly focus goal is spread over.
    pub workdays: u32,
    /// Focus time protected, against the goal.
    pub focus: FocusSummary,
    /// Breakthroughs delivered during focus.
    pub interruptions: Interruptions,
    /// What was held and released.
    pub notifications: HeldSummary,
    /// My baton passes of the week.
    pub handoffs: HandoffSummary,
    /// My calendar's busy time within my working hours, in minutes.
    pub meeting_minutes: i64,
    /// Free working time cut into short pieces by meetings and focus.
    pub fragmented: Fragmented,
    /// One entry per local day, for the bar chart.
    pub days: Vec<WeekDay>,
}

/// Focus time protected over the week, in minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct FocusSummary {
    /// My scheduled focus blocks within my working hours.
    pub scheduled_minutes: i64,
    /// On-demand sessions (up to their stop, if stopped early) outside the scheduled blocks: time in
    /// both is counted once, as scheduled.
    pub session_minutes: i64,
    /// Scheduled plus sessions: every instant of focus once.
    pub protected_minutes: i64,
    /// The weekly goal in hours (`focus_goal_hours`).
    pub goal_hours: u32,
    /// Whether protected time reached the goal.
    pub goal_met: bool,
    /// The longest stretch of protected focus that no breakthrough interrupted.
    pub longest_stretch: Option<Stretch>,
}

/// A span of time with its length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct Stretch {
    /// Start, UTC.
    #[ts(type = "string")]
    pub start: Instant,
    /// End, UTC.
    #[ts(type = "string")]
    pub end: Instant,
    /// Length in minutes.
    pub minutes: i64,
}

impl From<Interval> for Stretch {
    fn from(iv: Interval) -> Self {
        Stretch {
            start: iv.start,
            end: iv.end,
            minutes: iv.duration().num_minutes(),
        }
    }
}

/// Items delivered on their own (critical, or urgent by the policy's rules) while I was in focus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct Interruptions {
    /// All of them.
    pub total: u32,
    /// Those the sender called critical.
    pub critical: u32,
    /// The others: urgent by an allow-listed source or sender, or a keyword.
    pub urgent: u32,
    /// Per source, most first (then by name).
    pub by_source: Vec<SourceInterruptions>,
}

/// One source's interruptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct SourceInterruptions {
    /// The source.
    pub source: String,
    /// Critical ones.
    pub critical: u32,
    /// Urgent ones.
    pub urgent: u32,
}

/// The notifications that arrived in the week, and what waited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct HeldSummary {
    /// Every notification that arrived.
    pub received: u32,
    /// Delivered on their own at once (in focus or not).
    pub broke_through: u32,
    /// Not delivered at once: held for a digest (released, still held, or done unseen).
    pub held: u32,
    /// Held ones released in a digest.
    pub released: u32,
    /// The digests they were released in.
    pub digests: u32,
    /// Arrived outside my working hours and released in a digest: they waited for my morning.
    pub waited_for_morning: u32,
}

/// My baton passes over the week: each of my working days' best pass to the next teammate in the
/// relay (east to west), as the handoffs view shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct HandoffSummary {
    /// Who takes the baton from me (`None` when I am alone in the team).
    pub to: Option<String>,
    /// Days handed over live, in a shared window of at least 15 minutes.
    pub live: u32,
    /// Days handed over in writing.
    pub written: u32,
    /// How long the baton waited, on average over the written handoffs: from the end of my working
    /// day to the start of the taker's next working period. A live handoff does not wait. `None`
    /// without written handoffs.
    pub average_wait_minutes: Option<i64>,
}

/// Free working time in stretches under an hour that a meeting or focus borders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct Fragmented {
    /// How many such stretches.
    pub stretches: u32,
    /// Their total, in minutes.
    pub minutes: i64,
}

/// One local day of the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct WeekDay {
    /// The local date.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// Local midnight starting it, UTC.
    #[ts(type = "string")]
    pub start: Instant,
    /// Local midnight ending it, UTC.
    #[ts(type = "string")]
    pub end: Instant,
    /// The day's length: 1440, or 1380 or 1500 on a DST change.
    pub length_minutes: i64,
    /// My working time.
    pub working_minutes: i64,
    /// Protected focus time (as [`FocusSummary::protected_minutes`]).
    pub focus_minutes: i64,
    /// Busy time from my calendar within working hours (as [`WeekReport::meeting_minutes`]).
    pub busy_minutes: i64,
    /// Notifications that arrived outside my working hours.
    pub off_hours_pings: u32,
}

/// The local date of this week's first day: the `first` weekday (Monday in most of Europe, Sunday in
/// the United States and Japan; see [`crate::time::locale`]) on or before `today`.
pub fn week_start(today: NaiveDate, first: chrono::Weekday) -> NaiveDate {
    today.week(first).first_day()
}

/// The week in focus for the team's `me` (see the module docs); `None` when the team has no `me`.
pub fn week_report(input: &WeekInputs<'_>) -> Option<WeekReport> {
    let team = input.team;
    let me = team.me_index()?;
    let member = &team.members[me];
    let tz = member.time_zone;
    let span = local_days_span(tz, input.from, input.days);
    let schedule = TeamSchedule::build(team, span, HANDOFF_LOOKAHEAD);
    let mine = &schedule.members[me];
    // The part of the week that has happened (all of it, for a week gone by).
    let lived = Interval {
        start: span.start,
        end: input
            .until
            .map_or(span.end, |t| t.clamp(span.start, span.end)),
    };

    let working = mine.working.clip(lived);
    let scheduled = mine.focus.intersection(&mine.working).clip(lived);
    let sessions: IntervalSet = input
        .sessions
        .iter()
        .filter_map(FocusSession::interval)
        .collect::<IntervalSet>()
        .clip(lived);
    let protected = scheduled.union(&sessions);
    let meetings = mine.busy.intersection(&working);

    let arrived: Vec<&NotificationRecord> = input
        .notifications
        .iter()
        .filter(|n| span.contains(n.received_at))
        .collect();
    let broke_through = |n: &&&NotificationRecord| n.delivered_as == Some(DeliveredAs::Urgent);
    let interrupting: Vec<&NotificationRecord> = arrived
        .iter()
        .filter(broke_through)
        .filter(|n| n.delivered_at.is_some_and(|t| protected.contains(t)))
        .copied()
        .collect();

    let goal_minutes = i64::from(input.focus_goal_hours) * 60;
    let protected_minutes = protected.total().num_minutes();
    let focus = FocusSummary {
        scheduled_minutes: scheduled.total().num_minutes(),
        session_minutes: sessions.difference(&scheduled).total().num_minutes(),
        protected_minutes,
        goal_hours: input.focus_goal_hours,
        goal_met: protected_minutes >= goal_minutes,
        longest_stretch: longest_unbroken(
            &protected,
            interrupting.iter().filter_map(|n| n.delivered_at),
        )
        .map(Stretch::from),
    };

    let released: Vec<&&NotificationRecord> = arrived
        .iter()
        .filter(|n| n.delivered_as == Some(DeliveredAs::Digest))
        .collect();
    let notifications = HeldSummary {
        received: count(arrived.len()),
        broke_through: count(arrived.iter().filter(broke_through).count()),
        held: count(arrived.iter().filter(|n| !broke_through(n)).count()),
        released: count(released.len()),
        digests: count(
            released
                .iter()
                .filter_map(|n| n.delivered_at)
                .collect::<BTreeSet<_>>()
                .len(),
        ),
        waited_for_morning: count(
            released
                .iter()
                .filter(|n| !working.contains(n.received_at))
                .count(),
        ),
    };

    let days = (0..input.days)
        .filter_map(|k| input.from.checked_add_days(Days::new(u64::from(k))))
        .map(|date| {
            let day = local_days_span(tz, date, 1);
            WeekDay {
                date,
                start: day.start,
                end: day.end,
                length_minutes: day.duration().num_minutes(),
                working_minutes: working.clip(day).total().num_minutes(),
                focus_minutes: protected.clip(day).total().num_minutes(),
                busy_minutes: meetings.clip(day).total().num_minutes(),
                off_hours_pings: count(
                    arrived
                        .iter()
                        .filter(|n| day.contains(n.received_at) && !working.contains(n.received_at))
                        .count(),
                ),
            }
        })
        .collect();

    Some(WeekReport {
        me: member.name.clone(),
        time_zone: tz.name().into(),
        from: input.from,
        to: input
            .from
            .checked_add_days(Days::new(u64::from(input.days.saturating_sub(1))))
            .unwrap_or(input.from),
        start: span.start,
        end: span.end,
        hours: span.duration().num_hours(),
        workdays: count(
            (0..input.days)
                .filter_map(|k| input.from.checked_add_days(Days::new(u64::from(k))))
                .filter(|&date| !mine.working.clip(local_days_span(tz, date, 1)).is_empty())
                .count(),
        ),
        focus,
        interruptions: interruptions(&interrupting),
        notifications,
        handoffs: handoffs(&schedule, me),
        meeting_minutes: meetings.total().num_minutes(),
        fragmented: fragmented(&working, &meetings.union(&protected)),
        days,
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The longest piece of `focus` once cut at every instant in `cuts`; the earliest of equal ones.
fn longest_unbroken(focus: &IntervalSet, cuts: impl Iterator<Item = Instant>) -> Option<Interval> {
    let cuts: BTreeSet<Instant> = cuts.collect();
    let mut best: Option<Interval> = None;
    for iv in focus.intervals() {
        let mut start = iv.start;
        let inner = cuts.range(iv.start..iv.end).copied();
        for end in inner.chain(std::iter::once(iv.end)) {
            if let Some(piece) = Interval::new(start, end) {
                if best.is_none_or(|b| piece.duration() > b.duration()) {
                    best = Some(piece);
                }
            }
            start = end;
        }
    }
    best
}

fn interruptions(items: &[&NotificationRecord]) -> Interruptions {
    let mut by: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for n in items {
        let e = by.entry(n.source.as_str()).or_default();
        if n.urgency == Urgency::Critical {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let mut by_source: Vec<SourceInterruptions> = by
        .into_iter()
        .map(|(source, (critical, urgent))| SourceInterruptions {
            source: source.into(),
            critical,
            urgent,
        })
        .collect();
    // Stable: equal totals keep the map's order by name.
    by_source.sort_by_key(|s| std::cmp::Reverse(s.critical + s.urgent));
    let critical = by_source.iter().map(|s| s.critical).sum();
    let urgent = by_source.iter().map(|s| s.urgent).sum();
    Interruptions {
        total: critical + urgent,
        critical,
        urgent,
        by_source,
    }
}

/// My best pass of each working day of the week to the next teammate in the relay order at the
/// week's start.
fn handoffs(schedule: &TeamSchedule<'_>, me: usize) -> HandoffSummary {
    let team = schedule.team;
    let order = query::relay_order(team, schedule.span.start);
    let next = order
        .iter()
        .position(|&i| i == me)
        .map(|k| order[(k + 1) % order.len()])
        .filter(|&i| i != me);
    let Some(to) = next else {
        return HandoffSummary {
            to: None,
            live: 0,
            written: 0,
            average_wait_minutes: None,
        };
    };
    let q = HandoffQuery {
        from: me,
        to,
        min_sync: HANDOFF_MIN_SYNC,
        include_focus: false,
        include_busy: false,
    };
    let found = query::handoffs(schedule, &q);
    let best: Vec<_> = query::best_per_day(&found).collect();
    let waits: Vec<i64> = best
        .iter()
        .filter(|h| h.kind == HandoffKind::Async)
        .map(|h| h.duration().num_minutes())
        .collect();
    let written = count(waits.len());
    HandoffSummary {
        to: Some(team.members[to].name.clone()),
        live: count(best.len()) - written,
        written,
        average_wait_minutes: (!waits.is_empty())
            .then(|| waits.iter().sum::<i64>() / i64::from(written)),
    }
}

/// Free working time (`working` minus `blockers`) in stretches under [`FRAGMENT_UNDER`] that a
/// blocker borders on at least one side (a short shift with nothing in it is not fragmented).
fn fragmented(working: &IntervalSet, blockers: &IntervalSet) -> Fragmented {
    let free = working.difference(blockers);
    let ends: BTreeSet<Instant> = blockers.intervals().iter().map(|b| b.end).collect();
    let (mut stretches, mut total) = (0, Duration::zero());
    for s in free.intervals() {
        let bordered = blockers.contains(s.end) || ends.contains(&s.start);
        if s.duration() < FRAGMENT_UNDER && bordered {
            stretches += 1;
            total += s.duration();
        }
    }
    Fragmented {
        stretches,
        minutes: total.num_minutes(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::calendar::busy::MemberBusy;
    use crate::calendar::{Occurrence, OccurrenceKind};

    /// Ana in Berlin (me: weekdays 09:00–17:00 and Sundays 01:00–05:00, across the night the clocks
    /// change; focus Monday and Wednesday 09:00–11:00) and Bo in New York.
    fn team() -> Team {
        Team::from_toml_str(
            r#"
name = "T"
me = "Ana"
members = [
  { name = "Ana", time_zone = "Europe/Berlin", hours = ["mon-fri 09:00-17:00", "sun 01:00-05:00"], focus = ["mon 09:00-11:00", "wed 09:00-11:00"] },
  { name = "Bo", time_zone = "America/New_York", hours = ["mon-fri 09:00-17:00"] },
]
"#,
            "t.toml",
        )
        .unwrap()
    }

    /// An instant in March 2026, UTC.
    fn z(day: u32, h: u32, m: u32) -> Instant {
        Utc.with_ymd_and_hms(2026, 3, day, h, m, 0).unwrap()
    }

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn with_meetings(mut team: Team, meetings: &[(Instant, Instant)]) -> Team {
        let events = meetings
            .iter()
            .enumerate()
            .map(|(k, &(s, e))| Occurrence {
                uid: format!("m{k}"),
                interval: Interval { start: s, end: e },
                all_day: None,
                kind: OccurrenceKind::Busy,
                title: None,
            })
            .collect();
        team.members[0].busy = Arc::new(MemberBusy::new(events, chrono_tz::Europe::Berlin));
        team
    }

    fn record(
        source: &str,
        urgency: Urgency,
        received_at: Instant,
        delivered: Option<(Instant, DeliveredAs)>,
    ) -> NotificationRecord {
        NotificationRecord {
            source: source.into(),
            urgency,
            received_at,
            delivered_at: delivered.map(|d| d.0),
            delivered_as: delivered.map(|d| d.1),
        }
    }

    /// The week of Monday 23 March 2026 in Berlin, whose Sunday loses an hour (02:00 CET → 03:00
    /// CEST): CET (+01:00) until then, so Ana works 08:00–16:00Z and Bo (already on EDT, −04:00)
    /// 13:00–21:00Z.
    fn dst_week() -> WeekReport {
        let team = with_meetings(
            team(),
            &[
                (z(24, 11, 0), z(24, 12, 0)),
                (z(24, 12, 30), z(24, 13, 0)),
                (z(26, 8, 30), z(26, 9, 0)),
                // Outside working hours: not a meeting of the working week.
                (z(26, 20, 0), z(26, 21, 0)),
            ],
        );
        let sessions = [
            // Overlaps Monday's block 08:00–10:00Z: only 10:00–11:00Z is beyond it.
            FocusSession {
                id: 1,
                started_at: z(23, 9, 0),
                ends_at: z(23, 11, 0),
                stopped_at: None,
            },
            // Planned for two hours, stopped after one and a half.
            FocusSession {
                id: 2,
                started_at: z(24, 13, 0),
                ends_at: z(24, 15, 0),
                stopped_at: Some(z(24, 14, 30)),
            },
        ];
        let digest = DeliveredAs::Digest;
        let urgent = DeliveredAs::Urgent;
        let notifications = [
            // The Sunday before the week (its local Sunday 13:00).
            record(
                "ci",
                Urgency::High,
                z(22, 12, 0),
                Some((z(22, 12, 0), urgent)),
            ),
            // Breaks Monday's focus at 09:30Z.
            record(
                "ci",
                Urgency::High,
                z(23, 9, 30),
                Some((z(23, 9, 30), urgent)),
            ),
            // Monday 23:00 and Tuesday 00:30 local: off-hours, out in Tuesday's first digest.
            record(
                "ci",
                Urgency::Normal,
                z(23, 22, 0),
                Some((z(24, 8, 0), digest)),
            ),
            record(
                "ci",
                Urgency::Normal,
                z(23, 23, 30),
                Some((z(24, 8, 0), digest)),
            ),
            // In working hours, out in a second digest.
            record(
                "mail",
                Urgency::Normal,
                z(24, 10, 0),
                Some((z(24, 12, 0), digest)),
            ),
            // Breaks Wednesday's focus.
            record(
                "pagerduty",
                Urgency::Critical,
                z(25, 9, 0),
                Some((z(25, 9, 0), urgent)),
            ),
            // Still held.
            record("mail", Urgency::Low, z(26, 10, 0), None),
            // Saturday 03:00 local: critical, at once, but not in focus.
            record(
                "pagerduty",
                Urgency::Critical,
                z(28, 2, 0),
                Some((z(28, 2, 0), urgent)),
            ),
            // Sunday 23:30 CEST, the week's last hour.
            record("ci", Urgency::Normal, z(29, 21, 30), None),
            // Monday 00:30 CEST: the next week.
            record("ci", Urgency::Normal, z(29, 22, 30), None),
        ];
        week_report(&WeekInputs {
            team: &team,
            sessions: &sessions,
            notifications: &notifications,
            focus_goal_hours: 6,
            from: date(3, 23),
            days: WEEK_DAYS,
            until: None,
        })
        .unwrap()
    }

    #[test]
    fn a_week_losing_an_hour_has_167_hours_and_a_23_hour_sunday() {
        let r = dst_week();
        assert_eq!((r.from, r.to), (date(3, 23), date(3, 29)));
        assert_eq!(r.start, z(22, 23, 0), "Monday 00:00 CET");
        assert_eq!(r.end, z(29, 22, 0), "the next Monday 00:00 CEST");
        assert_eq!(r.hours, 167);
        let lengths: Vec<i64> = r.days.iter().map(|d| d.length_minutes).collect();
        assert_eq!(lengths, [1440, 1440, 1440, 1440, 1440, 1440, 1380]);
        let working: Vec<i64> = r.days.iter().map(|d| d.working_minutes).collect();
        // Sunday 01:00 CET (00:00Z) to 05:00 CEST (03:00Z) is three hours, not four.
        assert_eq!(working, [480, 480, 480, 480, 480, 0, 180]);
        assert_eq!(r.days[6].start, z(28, 23, 0));
        assert_eq!(r.days[6].end, z(29, 22, 0));
    }

    #[test]
    fn the_week_in_progress_counts_only_what_has_happened() {
        let sessions = [FocusSession {
            id: 1,
            started_at: z(24, 13, 0),
            ends_at: z(24, 15, 0),
            stopped_at: None,
        }];
        let r = week_report(&WeekInputs {
            team: &team(),
            sessions: &sessions,
            notifications: &[],
            focus_goal_hours: 6,
            from: date(3, 23),
            days: WEEK_DAYS,
            // Wednesday 10:30 CET, half-way through its 09:00–11:00 block.
            until: Some(z(25, 9, 30)),
        })
        .unwrap();
        let working: Vec<i64> = r.days.iter().map(|d| d.working_minutes).collect();
        assert_eq!(working, [480, 480, 90, 0, 0, 0, 0]);
        assert_eq!(
            (r.focus.scheduled_minutes, r.focus.session_minutes),
            (120 + 90, 120),
            "Monday's block, Wednesday's first 90 minutes, Tuesday's session"
        );
        assert_eq!(r.focus.protected_minutes, 330);
        assert_eq!(r.hours, 167, "the week is still the whole week");
        assert_eq!(
            r.workdays, 6,
            "five weekdays and Sunday's early hours, days to come too"
        );
    }

    #[test]
    fn focus_counts_overlaps_once_and_ends_a_stopped_session_at_its_stop() {
        let f = dst_week().focus;
        assert_eq!(f.scheduled_minutes, 240, "two blocks of two hours");
        assert_eq!(
            f.session_minutes, 150,
            "Monday's session adds one hour beyond the block, Tuesday's ran 1h30m"
        );
        assert_eq!(f.protected_minutes, 390);
        assert_eq!(f.goal_hours, 6);
        assert!(f.goal_met, "6h30m reaches 6h");
        assert_eq!(
            f.longest_stretch,
            Some(Stretch {
                start: z(23, 8, 0),
                end: z(23, 9, 30),
                minutes: 90
            }),
            "Monday's three hours are cut at 09:30Z into two of 1h30m (the earlier is shown; \
             Tuesday's 1h30m session comes later), Wednesday's block at 09:00Z into two hours"
        );
    }

    #[test]
    fn interruptions_are_breakthroughs_delivered_in_focus_by_source() {
        let i = dst_week().interruptions;
        assert_eq!((i.total, i.critical, i.urgent), (2, 1, 1));
        assert_eq!(
            i.by_source,
            [
                SourceInterruptions {
                    source: "ci".into(),
                    critical: 0,
                    urgent: 1
                },
                SourceInterruptions {
                    source: "pagerduty".into(),
                    critical: 1,
                    urgent: 0
                },
            ],
            "Saturday's critical item was not in focus"
        );
    }

    #[test]
    fn held_items_count_by_arrival_and_digests_by_delivery_instant() {
        let n = dst_week().notifications;
        assert_eq!(
            n,
            HeldSummary {
                received: 8,
                broke_through: 3,
                held: 5,
                released: 3,
                digests: 2,
                waited_for_morning: 2,
            }
        );
    }

    #[test]
    fn meetings_and_fragments_are_within_working_hours() {
        let r = dst_week();
        assert_eq!(
            r.meeting_minutes, 120,
            "Thursday evening's event is off-hours"
        );
        let busy: Vec<i64> = r.days.iter().map(|d| d.busy_minutes).collect();
        assert_eq!(busy, [0, 90, 0, 30, 0, 0, 0]);
        let focus: Vec<i64> = r.days.iter().map(|d| d.focus_minutes).collect();
        assert_eq!(focus, [180, 90, 120, 0, 0, 0, 0]);
        // Tuesday 12:00–12:30Z between two meetings, Thursday 08:00–08:30Z before one.
        assert_eq!(
            r.fragmented,
            Fragmented {
                stretches: 2,
                minutes: 60
            }
        );
        let pings: Vec<u32> = r.days.iter().map(|d| d.off_hours_pings).collect();
        // Tuesday's is the one at 00:30 local, counted on its local day.
        assert_eq!(pings, [1, 1, 0, 0, 0, 1, 1]);
    }

    #[test]
    fn handoffs_are_live_on_shared_days_and_wait_to_the_takers_start() {
        let h = dst_week().handoffs;
        // Weekdays share 13:00–16:00Z with Bo; Sunday ends at 03:00Z and Bo starts Monday 30 March
        // at 09:00 EDT, 13:00Z: 34 hours.
        assert_eq!(
            h,
            HandoffSummary {
                to: Some("Bo".into()),
                live: 5,
                written: 1,
                average_wait_minutes: Some(34 * 60),
            }
        );
    }

    #[test]
    fn a_week_gaining_an_hour_has_169_hours_and_a_25_hour_sunday() {
        let team = team();
        let r = week_report(&WeekInputs {
            team: &team,
            sessions: &[],
            notifications: &[],
            focus_goal_hours: 10,
            from: date(10, 19),
            days: WEEK_DAYS,
            until: None,
        })
        .unwrap();
        assert_eq!(r.hours, 169);
        assert_eq!(r.days[6].length_minutes, 1500);
        // Sunday 01:00 CEST (23:00Z Saturday) to 05:00 CET (04:00Z): five hours.
        assert_eq!(r.days[6].working_minutes, 300);
        assert_eq!(r.focus.protected_minutes, 240);
        assert!(!r.focus.goal_met);
        assert_eq!(r.interruptions.total, 0);
    }

    #[test]
    fn the_week_starts_on_the_monday_on_or_before_today() {
        let mon = chrono::Weekday::Mon;
        assert_eq!(week_start(date(3, 25), mon), date(3, 23));
        assert_eq!(week_start(date(3, 23), mon), date(3, 23));
        assert_eq!(
            week_start(date(3, 29), mon),
            date(3, 23),
            "Sunday ends the week"
        );
        // Where weeks start on Sunday (en_US, ja_JP) or Saturday.
        assert_eq!(week_start(date(3, 25), chrono::Weekday::Sun), date(3, 22));
        assert_eq!(week_start(date(3, 29), chrono::Weekday::Sun), date(3, 29));
        assert_eq!(week_start(date(3, 27), chrono::Weekday::Sat), date(3, 21));
    }

    #[test]
    fn without_me_there_is_no_report() {
        let mut team = team();
        team.me = None;
        let input = WeekInputs {
            team: &team,
            sessions: &[],
            notifications: &[],
            focus_goal_hours: 10,
            from: date(3, 23),
            days: WEEK_DAYS,
            until: None,
        };
        assert_eq!(week_report(&input), None);
    }
}
