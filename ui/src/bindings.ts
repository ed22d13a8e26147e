// Generated from the Rust types in src/desktop/views/, src/error.rs, src/team/focus.rs,
// src/notify/notification.rs, src/notify/inbox.rs, src/store/queue.rs, src/team/source/
// and src/query/week.rs by tests/it/bindings.rs.
// Do not edit: run `BATON_UPDATE_BINDINGS=1 cargo test --test it bindings` instead.

export type Block = { 
/**
 * Start, RFC 3339 UTC.
 */
start: string, 
/**
 * End (exclusive), RFC 3339 UTC.
 */
end: string, };

export type Presence = "working" | "focus" | "off";

export type CalendarDay = { 
/**
 * The local date, `YYYY-MM-DD`.
 */
date: string, 
/**
 * Local midnight starting it.
 */
start: string, 
/**
 * Local midnight ending it.
 */
end: string, 
/**
 * Its real length in hours (23 or 25 on DST days; 23.5 on Lord Howe's).
 */
hours: number, };

export type HolidayBlock = { 
/**
 * Local midnight starting the day, RFC 3339 UTC.
 */
start: string, 
/**
 * Local midnight ending it.
 */
end: string, 
/**
 * The holiday's name, as the region's data gives it.
 */
name: string, };

export type TripBlock = { 
/**
 * Start, RFC 3339 UTC.
 */
start: string, 
/**
 * End (exclusive), RFC 3339 UTC.
 */
end: string, 
/**
 * The IANA zone in force during the trip.
 */
time_zone: string, };

export type BusyBlock = { 
/**
 * Start, RFC 3339 UTC.
 */
start: string, 
/**
 * End (exclusive), RFC 3339 UTC.
 */
end: string, 
/**
 * The event's title: on my own row only (a teammate's calendar gives free/busy alone).
 */
title: string | null, };

export type CalendarRow = { 
/**
 * Member name.
 */
name: string, 
/**
 * IANA zone.
 */
time_zone: string, 
/**
 * Whether this is the team's `me`.
 */
is_me: boolean, 
/**
 * Working hours, focus included.
 */
working: Array<Block>, 
/**
 * Scheduled focus blocks (and, for me, on-demand sessions).
 */
focus: Array<Block>, 
/**
 * Days off, as the member's local days.
 */
days_off: Array<Block>, 
/**
 * Public holidays of the member's region in the range, each a local day with its name; drawn as
 * days off.
 */
holidays: Array<HolidayBlock>, 
/**
 * Trips overlapping the range, each with the zone the member works in then.
 */
trips: Array<TripBlock>, 
/**
 * Busy times from the member's calendars (meetings); titles only on my own row.
 */
busy: Array<BusyBlock>, 
/**
 * Out-of-office days from the member's calendars, as the member's local days (days off too).
 */
away: Array<Block>, 
/**
 * With no working hours in the range: when the member is next working after it (within a year);
 * `None` when they work in the range or have no hours in the year after it.
 */
back: string | null, };

export type HandoffWindow = { 
/**
 * `sync` (both working) or `async` (written; the baton waits).
 */
kind: "sync" | "async", 
/**
 * The giver.
 */
from: string, 
/**
 * The giver's zone.
 */
from_time_zone: string, 
/**
 * The receiver.
 */
to: string, 
/**
 * The receiver's zone.
 */
to_time_zone: string, 
/**
 * Sync: start of the shared window. Async: the end of the giver's day.
 */
start: string, 
/**
 * Sync: end of the shared window. Async: when the receiver starts.
 */
end: string, 
/**
 * Length of the window (sync) or of the wait (async), in minutes.
 */
minutes: number, };

export type CalendarView = { 
/**
 * Team name.
 */
team: string, 
/**
 * The zone days are laid out in.
 */
time_zone: string, 
/**
 * Start of the first day.
 */
start: string, 
/**
 * End of the last day.
 */
end: string, 
/**
 * The instant the view was computed for.
 */
now: string, 
/**
 * The days, in order, each with its real length.
 */
days: Array<CalendarDay>, 
/**
 * One row per teammate, in team order.
 */
members: Array<CalendarRow>, 
/**
 * The team's `me`.
 */
me: string | null, 
/**
 * The teammate I hand to (next west in the relay).
 */
next: string | null, 
/**
 * Handoffs from me to `next` in the range.
 */
handoffs: Array<HandoffWindow>, 
/**
 * Where the team comes from and how its last check went, for the banner and "Which one is you?"
 * (read with the team by [`crate::desktop::actions::calendar`]; `None` from [`calendar`] alone).
 */
source: TeamSourceView | null, 
/**
 * The calendars that could not be read at their last check, each "name: error" (the last good
 * copy of each stays drawn), for the calendar's banner; filled by [`crate::desktop::actions`].
 */
calendar_errors: Array<string>, };

export type PresenceRow = { 
/**
 * Member name.
 */
name: string, 
/**
 * IANA zone.
 */
time_zone: string, 
/**
 * Whether this is me.
 */
is_me: boolean, 
/**
 * State now.
 */
presence: Presence, 
/**
 * When that changes; `None`: not within a year ([`query::NOW_HORIZON_DAYS`]), which for someone
 * off means no working hours in the next year.
 */
until: string | null, };

export type NextHandoff = { 
/**
 * The window.
 */
window: HandoffWindow, 
/**
 * When to hand over: the start of a sync window or of my last working hour before an async one.
 */
at: string, };

export type FocusView = { 
/**
 * An on-demand session is running.
 */
session: boolean, 
/**
 * When it ends.
 */
session_ends: string | null, 
/**
 * Whole minutes left, rounded up.
 */
minutes_left: number | null, 
/**
 * A scheduled focus block is on now.
 */
scheduled: boolean, 
/**
 * End of my current working period ("Focus until …"), when I am working.
 */
end_of_day: string | null, 
/**
 * Focus time protected this week (from the person's first day of the week, in my zone), in minutes.
 */
protected_minutes_this_week: number, };

export type CoverageGapView = { 
/**
 * Start, RFC 3339 UTC.
 */
start: string, 
/**
 * End (exclusive), RFC 3339 UTC.
 */
end: string, 
/**
 * Who would normally work then and why they do not: "Lena and Priya on holiday (Christmas Eve)".
 */
missing: string, };

export type OverlayView = { 
/**
 * The instant it was computed for.
 */
now: string, 
/**
 * My zone (UTC when the team has no `me`).
 */
time_zone: string, 
/**
 * My state, with on-demand focus taken into account.
 */
me: PresenceRow | null, 
/**
 * Every teammate, in team order.
 */
members: Array<PresenceRow>, 
/**
 * My next baton pass, if any in the coming week.
 */
next_handoff: NextHandoff | null, 
/**
 * My focus.
 */
focus: FocusView, 
/**
 * The first coverage gap of the coming week that a normal week does not have, for the tray's
 * warning line.
 */
coverage_warning: CoverageGapView | null, 
/**
 * While I am in a meeting of my calendars (working or not): when it ends, RFC 3339 UTC.
 */
meeting_until: string | null, 
/**
 * A calendar that could not be read at its last check ("Work (CalDAV): the server refused the
 * user name or password"), for the tray's warning line; the last good copy stays in use.
 */
calendar_error: string | null, };

export type HandoffsView = { 
/**
 * My zone, which gaps are shown in (UTC when the team has no `me`).
 */
time_zone: string, 
/**
 * Me.
 */
me: string | null, 
/**
 * Who I hand to.
 */
next: string | null, 
/**
 * My baton passes, soonest first.
 */
mine: Array<HandoffWindow>, 
/**
 * The relay order, east to west.
 */
order: Array<string>, 
/**
 * The relay's passes, each day's best, in time order.
 */
relay: Array<HandoffWindow>, 
/**
 * Times nobody works.
 */
gaps: Array<Block>, 
/**
 * Covered hours scaled to a week.
 */
covered_hours_per_week: number, 
/**
 * The coming weeks' gaps that a normal week does not have (days off, holidays, travel), with who
 * is missing and why.
 */
forecast: Array<CoverageGapView>, };

export type FieldProblem = { 
/**
 * The field: `name`, `time_zone`, `hours[1]`, `focus[0]`, `days_off[2]`, `me`.
 */
field: string, 
/**
 * What is wrong and what is valid.
 */
message: string, 
/**
 * For an unknown time zone, the closest valid names.
 */
suggestions: Array<string>, };

export type ErrorCode = "invalid" | "not_found" | "focus" | "storage" | "notifier" | "malformed" | "forbidden" | "unauthorized" | "unsupported_media_type" | "too_large" | "timeout" | "rate_limited" | "read_only";

export type ErrorPayload = { 
/**
 * What kind of failure, for the UI (or a sender) to act on.
 */
code: ErrorCode, 
/**
 * What went wrong and what to do.
 */
message: string, 
/**
 * For `invalid`: each bad field.
 */
problems: Array<FieldProblem>, };

export type TripDraft = { 
/**
 * First local date.
 */
from: string, 
/**
 * Last local date, inclusive.
 */
to: string, 
/**
 * IANA zone worked in on those dates.
 */
time_zone: string, };

export type MemberDraft = { 
/**
 * Name.
 */
name: string, 
/**
 * IANA zone.
 */
time_zone: string, 
/**
 * Weekly hours, one spec per entry.
 */
hours: Array<string>, 
/**
 * Weekly focus blocks.
 */
focus: Array<string>, 
/**
 * Days off and ranges.
 */
days_off: Array<string>, 
/**
 * Public-holiday region (`"DE-BY"`); blank for none. Absent: the member keeps the region it has,
 * so a form without this field never drops it.
 */
holidays?: string, 
/**
 * Trips. Absent: the member keeps the trips it has.
 */
travel?: Array<TripDraft>, };

export type TeamDraft = { 
/**
 * Team name.
 */
name: string, 
/**
 * Me.
 */
me: string | null, 
/**
 * Members in order.
 */
members: Array<MemberDraft>, };

export type SettingRow = { 
/**
 * The key, e.g. `focus_shortcut`.
 */
key: string, 
/**
 * The stored value; `None` when the user never set it (or reset it) and the default applies.
 */
value: string | null, 
/**
 * The value in force: the stored one, else the default.
 */
effective: string, 
/**
 * The default.
 */
default: string, 
/**
 * What it does and which values are valid.
 */
description: string, 
/**
 * Read once when Baton starts, so a change applies at the next start.
 */
next_start: boolean, };

export type DndView = { 
/**
 * The backend's name (`dunst`, `GNOME`, `KDE Plasma`, ...), or `None` when none is found.
 */
backend: string | null, 
/**
 * What Baton does with it, in a sentence.
 */
line: string, };

export type About = { 
/**
 * Baton's version.
 */
version: string, 
/**
 * The commit it was built from.
 */
commit: string, 
/**
 * The time-zone database release compiled in.
 */
tz_database: string, 
/**
 * All three in one line, as `baton --version` prints them after the name.
 */
line: string, };

export type IntakeView = { 
/**
 * `POST` notifications here: the loopback URL at the configured port (a changed port applies at
 * the next start).
 */
url: string, 
/**
 * The file holding the token.
 */
token_file: string, 
/**
 * The bearer token.
 */
token: string, };

export type FocusLength = { "kind": "minutes", 
/**
 * Length in minutes.
 */
minutes: number, } | { "kind": "until_end_of_day" };

export type Urgency = "low" | "normal" | "high" | "critical";

export type ItemState = "held" | "delivered" | "done" | "failed";

export type DeliveredAs = "urgent" | "digest";

export type StoredNotification = { 
/**
 * Row id: the id answered with the 202.
 */
id: number, 
/**
 * Who sent it.
 */
source: string, 
/**
 * The thread key, if any.
 */
group: string | null, 
/**
 * The person behind it, if known.
 */
sender: string | null, 
/**
 * One line saying what happened.
 */
title: string, 
/**
 * More text.
 */
body: string | null, 
/**
 * How urgent the sender says it is.
 */
urgency: Urgency, 
/**
 * A link to what it is about.
 */
url: string | null, 
/**
 * The sender's retry key, if given.
 */
idempotency_key: string | null, 
/**
 * When Baton accepted it.
 */
received_at: string, 
/**
 * Held, delivered, done or failed.
 */
state: ItemState, 
/**
 * When it was delivered.
 */
delivered_at: string | null, 
/**
 * Whether it was delivered on its own or in a digest.
 */
delivered_as: DeliveredAs | null, 
/**
 * When it was marked done.
 */
done_at: string | null, 
/**
 * When the notification service refused it (state `failed`).
 */
failed_at: string | null, 
/**
 * Why the notification service refused it, as it said.
 */
failure: string | null, };

export type InboxEntry = { 
/**
 * Held, delivered, done or failed (every item of an entry is in this state).
 */
state: ItemState, 
/**
 * Who sent it.
 */
source: string, 
/**
 * The thread key; `None` for an item sent without one, which is always an entry of its own.
 */
group: string | null, 
/**
 * How many items the entry stands for.
 */
count: number, 
/**
 * The items' ids, newest first.
 */
ids: Array<number>, 
/**
 * The newest item's title.
 */
title: string, 
/**
 * The most urgent item's urgency.
 */
urgency: Urgency, 
/**
 * When the newest item arrived.
 */
received_at: string, 
/**
 * When the sender should have an answer, by the delivery policy's reckoning: the earliest of its
 * items'. `None` for done entries, and until [`with_reply_by`] fills it.
 */
reply_by: string | null, 
/**
 * Whether `reply_by` has passed (an entry is due at its reply-by, overdue after).
 */
overdue: boolean, 
/**
 * For a failed entry: why the notification service refused its newest item.
 */
failure: string | null, 
/**
 * The newest item's link (`http` or `https`), which the Inbox opens.
 */
url: string | null, };

export type InboxEntryRow = { 
/**
 * The entry (times as RFC 3339 UTC).
 */
entry: InboxEntry, 
/**
 * When the newest item arrived, local: "14:05", "Mon 09:12", "3 Mar 09:12".
 */
received_label: string, 
/**
 * Its reply-by, local, as `received_label`.
 */
reply_by_label: string | null, };

export type BatchKind = "urgent" | "digest" | "start_of_day" | "end_of_focus" | "unknown";

export type InboxBatch = { 
/**
 * Why it goes out.
 */
kind: BatchKind, 
/**
 * When, RFC 3339 UTC; `None` for [`BatchKind::Unknown`].
 */
at: string | null, 
/**
 * "Now", "Next digest · 13:00", "Start of day · Tue 09:00", "End of focus · 15:30".
 */
label: string, 
/**
 * How many items it holds.
 */
count: number, 
/**
 * Its entries, most pressing first.
 */
entries: Array<InboxEntryRow>, };

export type InboxView = { 
/**
 * Held entries grouped by the delivery they will go out in, soonest first.
 */
held: Array<InboxBatch>, 
/**
 * How many items are held.
 */
held_count: number, 
/**
 * Entries the notification service refused to show (state failed), each with the reason, most
 * pressing first. They are not retried; marking them done clears them.
 */
failed: Array<InboxEntryRow>, 
/**
 * Entries delivered in the last [`DELIVERED_WINDOW`], most pressing first.
 */
delivered: Array<InboxEntryRow>, 
/**
 * Entries marked done, newest first.
 */
done: Array<InboxEntryRow>, 
/**
 * The zone the labels are in.
 */
time_zone: string, };

export type LocaleView = { 
/**
 * BCP 47 tag for `Intl` (`en-US`).
 */
tag: string, 
/**
 * A 12-hour clock.
 */
hour12: boolean, 
/**
 * The week's first day, 0 = Sunday to 6 = Saturday.
 */
week_start: number, };

export type WelcomeView = { 
/**
 * Whether the card is shown (`first_run` is `show`).
 */
show: boolean, 
/**
 * The team's name.
 */
team: string, 
/**
 * The team is the built-in sample, unchanged: made-up people to look around with.
 */
sample: boolean, 
/**
 * The team's members, in order, for "Which one is you?".
 */
members: Array<string>, 
/**
 * The member this machine's user is, if known.
 */
me: string | null, 
/**
 * Members can be added here (a local team; a followed one is changed at its source).
 */
can_add_me: boolean, 
/**
 * The tray starts at login (its autostart entry exists).
 */
start_at_login: boolean, };

export type TestNotification = { 
/**
 * The notification service took it.
 */
shown: boolean, 
/**
 * The service that took it ("dunst 1.11.0"), where the platform says.
 */
server: string | null, 
/**
 * What happened, and what to do when it did not appear.
 */
message: string, };

export type SourceKind = "folder" | "file" | "url";

export type SourceProblem = { 
/**
 * The file (a path, or the URL as shown) the problem is in.
 */
file: string, 
/**
 * 1-based line, when known.
 */
line: number | null, 
/**
 * The member, when the problem belongs to one.
 */
member: string | null, 
/**
 * The field (`time_zone`, `hours[1]`, ...); empty for a file that does not parse at all.
 */
field: string, 
/**
 * What is wrong and what is valid.
 */
message: string, };

export type TeamEdit = { "mode": "local" } | { "mode": "own_entry", 
/**
 * My member file.
 */
file: string, } | { "mode": "read_only", 
/**
 * Why, and where the team comes from, for the editor to say.
 */
reason: string, };

export type TeamSourceView = { 
/**
 * `None`: a local team (imported or typed in; no banner).
 */
kind: SourceKind | null, 
/**
 * The folder or file path, or the URL without its query string (never a secret).
 */
location: string | null, 
/**
 * The last recorded check, RFC 3339 UTC (a check that found nothing new is not recorded).
 */
checked_at: string | null, 
/**
 * When the team in use was read, RFC 3339 UTC.
 */
changed_at: string | null, 
/**
 * Short content hash of the team in use (12 hex digits).
 */
hash: string | null, 
/**
 * The last check's error: the version it read was refused and the last good team is in use.
 * The banner shows it until a good version arrives.
 */
error: string | null, 
/**
 * The error's problems, each with its file, line, member and field.
 */
problems: Array<SourceProblem>, 
/**
 * How the editor may change the team.
 */
edit: TeamEdit, 
/**
 * A followed team and this machine has no `me`: ask "Which one is you?" (then save it with
 * [`crate::team::source::follow::set_me`], or the `me` setting).
 */
needs_me: boolean, };

export type CalendarEntry = { 
/**
 * Its id.
 */
id: number, 
/**
 * A teammate's feed (from the team file; removed there), or `None` for mine.
 */
owner: string | null, 
/**
 * `ics` or `caldav`.
 */
kind: string, 
/**
 * The address without its secret parts.
 */
address: string, 
/**
 * The CalDAV calendar's name.
 */
name: string | null, 
/**
 * The CalDAV user.
 */
user: string | null, 
/**
 * Whether my focus is published to it.
 */
publish: boolean, 
/**
 * Occurrences in the last good reading.
 */
events: number, 
/**
 * The last recorded check, RFC 3339 UTC.
 */
checked_at: string | null, 
/**
 * When the last good reading changed, RFC 3339 UTC.
 */
changed_at: string | null, 
/**
 * The last check's error (the last good copy stays in use).
 */
error: string | null, };

export type CalendarsView = { 
/**
 * Mine first, then the teammates' feeds.
 */
calendars: Array<CalendarEntry>, 
/**
 * Where a CalDAV password was kept by the last add in this view ("the system keyring" or the
 * secrets file); `None` until one is added.
 */
password_kept: string | null, };

export type Stretch = { 
/**
 * Start, UTC.
 */
start: string, 
/**
 * End, UTC.
 */
end: string, 
/**
 * Length in minutes.
 */
minutes: number, };

export type FocusSummary = { 
/**
 * My scheduled focus blocks within my working hours.
 */
scheduled_minutes: number, 
/**
 * On-demand sessions (up to their stop, if stopped early) outside the scheduled blocks: time in
 * both is counted once, as scheduled.
 */
session_minutes: number, 
/**
 * Scheduled plus sessions: every instant of focus once.
 */
protected_minutes: number, 
/**
 * The weekly goal in hours (`focus_goal_hours`).
 */
goal_hours: number, 
/**
 * Whether protected time reached the goal.
 */
goal_met: boolean, 
/**
 * The longest stretch of protected focus that no breakthrough interrupted.
 */
longest_stretch: Stretch | null, };

export type SourceInterruptions = { 
/**
 * The source.
 */
source: string, 
/**
 * Critical ones.
 */
critical: number, 
/**
 * Urgent ones.
 */
urgent: number, };

export type Interruptions = { 
/**
 * All of them.
 */
total: number, 
/**
 * Those the sender called critical.
 */
critical: number, 
/**
 * The others: urgent by an allow-listed source or sender, or a keyword.
 */
urgent: number, 
/**
 * Per source, most first (then by name).
 */
by_source: Array<SourceInterruptions>, };

export type HeldSummary = { 
/**
 * Every notification that arrived.
 */
received: number, 
/**
 * Delivered on their own at once (in focus or not).
 */
broke_through: number, 
/**
 * Not delivered at once: held for a digest (released, still held, or done unseen).
 */
held: number, 
/**
 * Held ones released in a digest.
 */
released: number, 
/**
 * The digests they were released in.
 */
digests: number, 
/**
 * Arrived outside my working hours and released in a digest: they waited for my morning.
 */
waited_for_morning: number, };

export type HandoffSummary = { 
/**
 * Who takes the baton from me (`None` when I am alone in the team).
 */
to: string | null, 
/**
 * Days handed over live, in a shared window of at least 15 minutes.
 */
live: number, 
/**
 * Days handed over in writing.
 */
written: number, 
/**
 * How long the baton waited, on average over the written handoffs: from the end of my working
 * day to the start of the taker's next working period. A live handoff does not wait. `None`
 * without written handoffs.
 */
average_wait_minutes: number | null, };

export type Fragmented = { 
/**
 * How many such stretches.
 */
stretches: number, 
/**
 * Their total, in minutes.
 */
minutes: number, };

export type WeekDay = { 
/**
 * The local date.
 */
date: string, 
/**
 * Local midnight starting it, UTC.
 */
start: string, 
/**
 * Local midnight ending it, UTC.
 */
end: string, 
/**
 * The day's length: 1440, or 1380 or 1500 on a DST change.
 */
length_minutes: number, 
/**
 * My working time.
 */
working_minutes: number, 
/**
 * Protected focus time (as [`FocusSummary::protected_minutes`]).
 */
focus_minutes: number, 
/**
 * Busy time from my calendar within working hours (as [`WeekReport::meeting_minutes`]).
 */
busy_minutes: number, 
/**
 * Notifications that arrived outside my working hours.
 */
off_hours_pings: number, };

export type WeekReport = { 
/**
 * Me.
 */
me: string, 
/**
 * My zone, which the days are cut in.
 */
time_zone: string, 
/**
 * The first local date of the week.
 */
from: string, 
/**
 * The last local date of the week (inclusive).
 */
to: string, 
/**
 * Local midnight starting `from`, UTC.
 */
start: string, 
/**
 * Local midnight after `to`, UTC.
 */
end: string, 
/**
 * Length of the week in hours: 168, or 167 or 169 across a DST change.
 */
hours: number, 
/**
 * Days of the week with working time in my plan (the whole week, also the days to come): the
 * days the weekly focus goal is spread over.
 */
workdays: number, 
/**
 * Focus time protected, against the goal.
 */
focus: FocusSummary, 
/**
 * Breakthroughs delivered during focus.
 */
interruptions: Interruptions, 
/**
 * What was held and released.
 */
notifications: HeldSummary, 
/**
 * My baton passes of the week.
 */
handoffs: HandoffSummary, 
/**
 * My calendar's busy time within my working hours, in minutes.
 */
meeting_minutes: number, 
/**
 * Free working time cut into short pieces by meetings and focus.
 */
fragmented: Fragmented, 
/**
 * One entry per local day, for the bar chart.
 */
days: Array<WeekDay>, };
