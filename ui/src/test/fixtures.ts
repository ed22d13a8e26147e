// Payloads as the core sends them, for the unit tests. Instants are worked out by hand from the zones'
// real rules (noted beside each), so a test that compares positions or local times checks real arithmetic.

import type { CalendarsView, CalendarView, ErrorPayload, HandoffsView, IntakeView, OverlayView, SettingRow, TeamDraft, TeamSourceView } from '../bindings';

/**
 * Two days in America/New_York from Sunday 8 March 2026, when clocks spring forward at 02:00 EST:
 * that day runs 05:00Z → 04:00Z next day, 23 hours; Monday 9 March is 24 hours. 47 hours in all.
 */
export const dstCalendar: CalendarView = {
  team: 'Night Shift',
  time_zone: 'America/New_York',
  start: '2026-03-08T05:00:00Z',
  end: '2026-03-10T04:00:00Z',
  now: '2026-03-09T15:30:00Z',
  days: [
    { date: '2026-03-08', start: '2026-03-08T05:00:00Z', end: '2026-03-09T04:00:00Z', hours: 23 },
    { date: '2026-03-09', start: '2026-03-09T04:00:00Z', end: '2026-03-10T04:00:00Z', hours: 24 },
  ],
  members: [
    {
      // Mon 09:00–17:00 EDT (UTC−4) = 13:00Z–21:00Z; focus 09:00–11:00 EDT = 13:00Z–15:00Z.
      name: 'Sam',
      time_zone: 'America/New_York',
      is_me: true,
      working: [{ start: '2026-03-09T13:00:00Z', end: '2026-03-09T21:00:00Z' }],
      focus: [{ start: '2026-03-09T13:00:00Z', end: '2026-03-09T15:00:00Z' }],
      days_off: [],
      holidays: [],
      trips: [],
      busy: [],
      away: [],
      back: null,
    },
    {
      // Mon and Tue 09:00–18:00 JST (UTC+9) = 00:00Z–09:00Z; Tuesday's is clipped at the range end.
      name: 'Kenji',
      time_zone: 'Asia/Tokyo',
      is_me: false,
      working: [
        { start: '2026-03-09T00:00:00Z', end: '2026-03-09T09:00:00Z' },
        { start: '2026-03-10T00:00:00Z', end: '2026-03-10T04:00:00Z' },
      ],
      focus: [],
      days_off: [],
      holidays: [],
      trips: [],
      busy: [],
      away: [],
      back: null,
    },
    {
      // Day off Monday 9 March in Berlin (CET, UTC+1): 23:00Z Sunday → 23:00Z Monday.
      name: 'Lena',
      time_zone: 'Europe/Berlin',
      is_me: false,
      working: [],
      focus: [],
      days_off: [{ start: '2026-03-08T23:00:00Z', end: '2026-03-09T23:00:00Z' }],
      holidays: [],
      trips: [],
      busy: [],
      away: [],
      // Back Tuesday 09:00 CET.
      back: '2026-03-10T08:00:00Z',
    },
  ],
  me: 'Sam',
  next: 'Kenji',
  handoffs: [
    {
      // Sam's day ends 17:00 EDT; Kenji starts Tue 09:00 JST = 00:00Z: a written handoff, 3 hours' wait.
      kind: 'async',
      from: 'Sam',
      from_time_zone: 'America/New_York',
      to: 'Kenji',
      to_time_zone: 'Asia/Tokyo',
      start: '2026-03-09T21:00:00Z',
      end: '2026-03-10T00:00:00Z',
      minutes: 180,
    },
  ],
  source: null,
  calendar_errors: [],
};

/** A local team: typed in or imported, fully editable. */
export const localSource: TeamSourceView = {
  kind: null,
  location: null,
  checked_at: null,
  changed_at: null,
  hash: null,
  error: null,
  problems: [],
  edit: { mode: 'local' },
  needs_me: false,
};

/** A team followed from a shared folder whose last version was refused, on a machine that has no `me`. */
export const brokenFolder: TeamSourceView = {
  kind: 'folder',
  location: '/home/sam/team',
  checked_at: '2026-03-09T15:20:00Z',
  changed_at: '2026-03-09T09:00:00Z',
  hash: '3f2a9c0d11be',
  error: 'members/kenji.toml: 1 problem',
  problems: [
    {
      file: 'members/kenji.toml',
      line: 4,
      member: 'Kenji',
      field: 'hours[0]',
      message: "'mon-fri 9-17' is not a time span; use HH:MM-HH:MM",
    },
  ],
  edit: { mode: 'read_only', reason: 'the team comes from the folder /home/sam/team; say which member you are' },
  needs_me: true,
};

/** The sample team as the editor receives it. */
export const team: TeamDraft = {
  name: 'Platform',
  me: 'Ana',
  members: [
    {
      name: 'Ana',
      time_zone: 'America/Sao_Paulo',
      hours: ['mon-fri 09:00-17:30'],
      focus: ['mon-thu 09:00-11:00'],
      days_off: ['2026-12-24', '2026-12-28..2027-01-01'],
    },
    { name: 'Kenji', time_zone: 'Asia/Tokyo', hours: ['mon-thu 22:00-06:00', 'sat 10:00-12:00'], focus: [], days_off: [] },
    {
      name: 'Lena',
      time_zone: 'Europe/Berlin',
      hours: ['mon-fri 08:30-17:00'],
      focus: ['tue,thu 13:00-15:00'],
      days_off: ['2026-12-24..2026-12-26'],
      holidays: 'DE-BE',
      travel: [{ from: '2027-02-01', to: '2027-02-14', time_zone: 'Asia/Tokyo' }],
    },
  ],
};

export const zones: string[] = [
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Europe/Berlin',
  'Europe/Berne',
  'Europe/Dublin',
  'Pacific/Auckland',
  'UTC',
];

/** What `save_member` rejects with for a misspelt zone and a bad second hours entry. */
export const invalidLena: ErrorPayload = {
  code: 'invalid',
  message: 'Lena was not saved: 2 problems',
  problems: [
    {
      field: 'time_zone',
      message: 'unknown time zone "Europe/Berln"; use an IANA name such as Europe/London',
      suggestions: ['Europe/Berlin', 'Europe/Berne'],
    },
    {
      field: 'hours[1]',
      message: 'unknown day "fir"; use mon … sun, a range like mon-fri, or daily',
      suggestions: [],
    },
  ],
};

/**
 * Monday 9 March 2026, 14:00 EDT (18:00Z) for Sam in New York, working, no session; the working period
 * ends 17:00 EDT (21:00Z).
 */
export const overlayIdle: OverlayView = {
  now: '2026-03-09T18:00:00Z',
  time_zone: 'America/New_York',
  me: {
    name: 'Sam',
    time_zone: 'America/New_York',
    is_me: true,
    presence: 'working',
    until: '2026-03-09T21:00:00Z',
  },
  members: [
    { name: 'Sam', time_zone: 'America/New_York', is_me: true, presence: 'working', until: '2026-03-09T21:00:00Z' },
    // 03:00 JST on Tuesday; back at 09:00 JST (00:00Z Tue).
    { name: 'Kenji', time_zone: 'Asia/Tokyo', is_me: false, presence: 'off', until: '2026-03-10T00:00:00Z' },
    // 19:00 CET; in a focus block until 20:00 CET.
    { name: 'Lena', time_zone: 'Europe/Berlin', is_me: false, presence: 'focus', until: '2026-03-09T19:00:00Z' },
  ],
  next_handoff: {
    window: {
      kind: 'async',
      from: 'Sam',
      from_time_zone: 'America/New_York',
      to: 'Kenji',
      to_time_zone: 'Asia/Tokyo',
      start: '2026-03-09T21:00:00Z',
      end: '2026-03-10T00:00:00Z',
      minutes: 180,
    },
    // The start of Sam's last working hour: 16:00 EDT, two hours from now.
    at: '2026-03-09T20:00:00Z',
  },
  focus: {
    session: false,
    session_ends: null,
    minutes_left: null,
    scheduled: false,
    end_of_day: '2026-03-09T21:00:00Z',
    protected_minutes_this_week: 390,
  },
  coverage_warning: null,
  meeting_until: null,
  calendar_error: null,
};

/** The same moment with a 50-minute session started a minute ago (ends 18:49Z, 50 minutes left rounded up). */
export const overlayFocusing: OverlayView = {
  ...overlayIdle,
  me: { ...overlayIdle.me!, presence: 'focus', until: '2026-03-09T18:49:30Z' },
  members: overlayIdle.members.map((m) =>
    m.is_me ? { ...m, presence: 'focus' as const, until: '2026-03-09T18:49:30Z' } : m,
  ),
  focus: {
    session: true,
    session_ends: '2026-03-09T18:49:30Z',
    minutes_left: 50,
    scheduled: false,
    end_of_day: '2026-03-09T21:00:00Z',
    protected_minutes_this_week: 440,
  },
};

/**
 * Ana in São Paulo (UTC−3, no DST) hands to Marcus in Los Angeles (PDT, UTC−7 from 8 March 2026).
 */
export const handoffsView: HandoffsView = {
  time_zone: 'America/Sao_Paulo',
  me: 'Ana',
  next: 'Marcus',
  mine: [
    {
      // 17:00–18:30 in São Paulo is 13:00–14:30 in Los Angeles.
      kind: 'sync',
      from: 'Ana',
      from_time_zone: 'America/Sao_Paulo',
      to: 'Marcus',
      to_time_zone: 'America/Los_Angeles',
      start: '2026-03-09T20:00:00Z',
      end: '2026-03-09T21:30:00Z',
      minutes: 90,
    },
    {
      // Friday: Ana stops 17:30 (20:30Z); Marcus works mon-thu, so he picks up Monday 07:00 PDT (14:00Z).
      kind: 'async',
      from: 'Ana',
      from_time_zone: 'America/Sao_Paulo',
      to: 'Marcus',
      to_time_zone: 'America/Los_Angeles',
      start: '2026-03-13T20:30:00Z',
      end: '2026-03-16T14:00:00Z',
      minutes: 3930,
    },
  ],
  order: ['Kenji', 'Lena', 'Ana', 'Marcus'],
  relay: [
    {
      kind: 'sync',
      from: 'Lena',
      from_time_zone: 'Europe/Berlin',
      to: 'Ana',
      to_time_zone: 'America/Sao_Paulo',
      start: '2026-03-09T14:00:00Z',
      end: '2026-03-09T16:00:00Z',
      minutes: 120,
    },
  ],
  // 02:00–06:00 in São Paulo.
  gaps: [{ start: '2026-03-10T05:00:00Z', end: '2026-03-10T09:00:00Z' }],
  covered_hours_per_week: 141.5,
  // Thu 24 Dec 2026 02:00–09:00Z: Kenji and Lena away.
  forecast: [
    {
      start: '2026-12-24T02:00:00Z',
      end: '2026-12-24T09:00:00Z',
      missing: 'Kenji on a day off; Lena on holiday (Christmas Eve)',
    },
  ],
};

/** Three settings as the core lists them: the shortcut off (Linux's default), a stored cadence, the port. */
export const settingRows: SettingRow[] = [
  {
    key: 'focus_shortcut',
    value: null,
    effective: '',
    default: '',
    description: 'global shortcut that toggles focus (empty: off, the default on Linux)',
    next_start: true,
  },
  {
    key: 'digest_cadence',
    value: 'every 1h',
    effective: 'every 1h',
    default: 'at 10:00,13:00,16:00',
    description: 'when held notifications arrive in working hours outside focus',
    next_start: false,
  },
  {
    key: 'intake_port',
    value: null,
    effective: '7429',
    default: '7429',
    description: 'loopback port of the notification intake API (applied at the next start)',
    next_start: true,
  },
];

/** The intake at its default port. */
export const intakeView: IntakeView = {
  url: 'http://127.0.0.1:7429/v1/notifications',
  token_file: '/home/sam/.local/share/baton/intake-token',
  token: 'a'.repeat(64),
};

/**
 * My calendars and a teammate's feed, as `calendars` answers: an ICS address and a CalDAV calendar of
 * mine (the CalDAV one published to), then Kenji's feed from the team file, whose last check failed.
 */
export const calendarsView: CalendarsView = {
  calendars: [
    {
      id: 1,
      owner: null,
      kind: 'ics',
      address: 'https://calendar.example.com/sam/basic.ics',
      name: null,
      user: null,
      publish: false,
      events: 12,
      checked_at: '2026-03-09T15:00:00Z',
      changed_at: '2026-03-09T09:00:00Z',
      error: null,
    },
    {
      id: 2,
      owner: null,
      kind: 'caldav',
      address: 'https://dav.example.com/calendars/sam/work/',
      name: 'Work',
      user: 'sam',
      publish: true,
      events: 3,
      checked_at: '2026-03-09T15:00:00Z',
      changed_at: '2026-03-08T20:00:00Z',
      error: null,
    },
    {
      id: 7,
      owner: 'Kenji',
      kind: 'ics',
      address: 'https://calendar.example.jp/kenji/free-busy.ics',
      name: null,
      user: null,
      publish: false,
      events: 5,
      checked_at: '2026-03-09T15:00:00Z',
      changed_at: '2026-03-07T01:00:00Z',
      error: 'https://calendar.example.jp/kenji/free-busy.ics answered 404 Not Found',
    },
  ],
  password_kept: null,
};
