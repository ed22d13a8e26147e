// Time at the edge: the core sends instants as RFC 3339 UTC strings, and this module turns them into
// local wall-clock text for any IANA zone with `Intl.DateTimeFormat`, never by adding hours by hand.
//
// Hour ticks are the one place that needs arithmetic: rather than formatting every quarter hour of a week,
// the zone's UTC offset is sampled and a DST change is searched for only where the offset differs, so a
// week of ticks costs a few dozen `Intl` calls whatever the zone (including 30- and 45-minute offsets).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds since the epoch of an RFC 3339 instant. */
export function ms(instant: string): number {
  return Date.parse(instant);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How this person reads times, as the core resolves it (system locale, `time_format`, `week_start`). */
export interface TimeHabits {
  /** BCP 47 tag for `Intl` (`en-US`). */
  tag: string;
  /** A 12-hour clock. */
  hour12: boolean;
  /** The week's first day, 0 = Sunday to 6 = Saturday. */
  week_start: number;
}

/** Until the core says otherwise: a 24-hour clock, weeks from Monday, the web view's own language. */
let habits: TimeHabits = { tag: '', hour12: false, week_start: 1 };

/** Formats every later time and date with `next` (the core's `locale` answer). */
export function setHabits(next: TimeHabits): void {
  habits = { ...next };
  formatters.clear();
}

/**
 * Asks the core for the habits (`locale`) and formats with them from now on; keeps the defaults when it
 * cannot answer (a window opened in a plain browser, a test without the command).
 */
export async function loadHabits(ask: () => Promise<TimeHabits>): Promise<void> {
  try {
    setHabits(await ask());
  } catch {
    // The defaults stay.
  }
}

/** The habits in force. */
export function currentHabits(): TimeHabits {
  return { ...habits };
}

/** A cached formatter: building one costs far more than using it. */
function formatter(zone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(habits.tag || undefined, { ...options, ...(zone ? { timeZone: zone } : {}) });
    formatters.set(key, f);
  }
  return f;
}

/** Hours and minutes on this person's clock: `14:05`, or `2:05 PM`. */
function hm(): Intl.DateTimeFormatOptions {
  return habits.hour12
    ? { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }
    : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
}

/** `14:05` (or `2:05 PM` on a 12-hour clock) in `zone`. */
export function timeIn(t: number | string, zone: string): string {
  return formatter(zone, hm()).format(typeof t === 'string' ? ms(t) : t);
}

/** `Tue` in `zone`. */
export function weekdayIn(t: number | string, zone: string): string {
  return formatter(zone, { weekday: 'short' }).format(typeof t === 'string' ? ms(t) : t);
}

/** `Tue 14:05` in `zone`. */
export function dayTimeIn(t: number | string, zone: string): string {
  return `${weekdayIn(t, zone)} ${timeIn(t, zone)}`;
}

/** `Tue 24 Nov` in `zone`. */
export function dateIn(t: number | string, zone: string): string {
  return formatter(zone, { weekday: 'short', day: 'numeric', month: 'short' }).format(
    typeof t === 'string' ? ms(t) : t,
  );
}

/** `Mon 20 Apr 09:00` in `zone`: a time far enough away that its weekday alone would be ambiguous. */
export function dateTimeIn(t: number | string, zone: string): string {
  return `${dateIn(t, zone)} ${timeIn(t, zone)}`;
}

/**
 * A calendar row's summary when it has no working hours in the range: when the member is back (`back`,
 * from the payload), or that they have no working hours in the year after it (`back` null).
 */
export function notWorkingText(back: string | null, zone: string): string {
  return back ? `not working in this range, back ${dateTimeIn(back, zone)}` : 'not working in this range or the year after it';
}

/** The local date `YYYY-MM-DD` of an instant in `zone`. */
export function localDate(t: number, zone: string): string {
  const p = parts(t, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `Tue 24 Nov` for a calendar date `YYYY-MM-DD` (no zone involved). */
export function dateLabel(date: string): string {
  return formatter('UTC', { weekday: 'short', day: 'numeric', month: 'short' }).format(dateNoon(date));
}

/** `Tue` for a calendar date `YYYY-MM-DD`. */
export function dateWeekday(date: string): string {
  return formatter('UTC', { weekday: 'short' }).format(dateNoon(date));
}

function dateNoon(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12);
}

/** The calendar date `n` days after `date` (both `YYYY-MM-DD`). */
export function addDays(date: string, n: number): string {
  return new Date(dateNoon(date) + n * DAY).toISOString().slice(0, 10);
}

/**
 * A time range in `zone`: `09:00–17:30`, or with weekdays when asked or when it crosses midnight:
 * `Mon 22:00–Tue 06:00`.
 */
export function rangeIn(start: number | string, end: number | string, zone: string, withDay = false): string {
  const a = typeof start === 'string' ? ms(start) : start;
  const b = typeof end === 'string' ? ms(end) : end;
  const sameDay = localDate(a, zone) === localDate(b - 1, zone);
  const from = withDay ? dayTimeIn(a, zone) : timeIn(a, zone);
  const to = sameDay ? timeIn(b, zone) : dayTimeIn(b, zone);
  return `${from}–${to}`;
}

/** `45 min`, `2 h`, `2 h 30 min`, `1 d 4 h`. */
export function duration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) {
    const hours = Math.floor(m / 60);
    const rest = m % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(m / (24 * 60));
  const hours = Math.round((m % (24 * 60)) / 60);
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

/** `in 2 h`, `in 45 min`, `now`: coarse on purpose, for a glance. */
export function relative(deltaMs: number): string {
  const minutes = Math.ceil(deltaMs / MINUTE);
  if (minutes <= 0) return 'now';
  if (minutes < 60) return `in ${minutes} min`;
  if (minutes < 10 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest >= 5 ? `in ${hours} h ${rest} min` : `in ${hours} h`;
  }
  if (minutes < 48 * 60) return `in ${Math.round(minutes / 60)} h`;
  return `in ${Math.round(minutes / (24 * 60))} d`;
}

/** `Sao Paulo` for `America/Sao_Paulo`. */
export function city(zone: string): string {
  const last = zone.split('/').pop() ?? zone;
  return last.replace(/_/g, ' ');
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function parts(t: number, zone: string): Parts {
  const f = formatter(zone, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  });
  const out: Parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of f.formatToParts(t)) {
    if (p.type in out) out[p.type as keyof Parts] = Number(p.value);
  }
  return out;
}

/** The UTC offset of `zone` at instant `t`, in minutes (`+540` for Tokyo). */
export function offsetMinutes(t: number, zone: string): number {
  const p = parts(t, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  const floored = Math.floor(t / 1000) * 1000;
  return Math.round((wall - floored) / MINUTE);
}

/** `UTC+9`, `UTC−3`, `UTC+5:30`. */
export function offsetLabel(t: number, zone: string): string {
  const off = offsetMinutes(t, zone);
  const sign = off < 0 ? '−' : '+';
  const abs = Math.abs(off);
  const mins = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${mins ? `:${pad(mins)}` : ''}`;
}

/** A stretch of time with one UTC offset. */
interface Segment {
  from: number;
  to: number;
  offset: number;
}

/** `[from, to)` cut where `zone` changes its offset (found to the minute by bisection). */
export function offsetSegments(from: number, to: number, zone: string): Segment[] {
  const SAMPLE = 6 * HOUR;
  const segments: Segment[] = [];
  let start = from;
  let offset = offsetMinutes(from, zone);
  let t = from;
  while (t < to) {
    const next = Math.min(t + SAMPLE, to);
    const o = offsetMinutes(next === to ? to - 1 : next, zone);
    if (o !== offset) {
      let lo = t;
      let hi = next === to ? to - 1 : next;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.max(MINUTE, Math.floor((hi - lo) / 2 / MINUTE) * MINUTE);
        if (offsetMinutes(mid, zone) === offset) lo = mid;
        else hi = mid;
      }
      segments.push({ from: start, to: hi, offset });
      start = hi;
      offset = offsetMinutes(hi, zone);
    }
    t = next;
  }
  segments.push({ from: start, to, offset });
  return segments;
}

/** A labelled instant on a time axis. */
export interface Tick {
  t: number;
  /** Local `HH:MM`. */
  label: string;
  /** Local hour, 0–23. */
  hour: number;
}

/**
 * The instants in `[from, to)` where the local clock in `zone` shows a whole multiple of `stepHours`
 * (`00:00`, `06:00`, …). Skipped and repeated hours on DST days come out as the clock shows them.
 */
export function hourTicks(from: number, to: number, zone: string, stepHours: number): Tick[] {
  const step = stepHours * HOUR;
  const ticks: Tick[] = [];
  for (const seg of offsetSegments(from, to, zone)) {
    const shift = seg.offset * MINUTE;
    let local = Math.ceil((seg.from + shift) / step) * step;
    for (; local - shift < seg.to; local += step) {
      const hour = Math.floor(((local % DAY) + DAY) % DAY / HOUR);
      const minute = Math.floor(((local % HOUR) + HOUR) % HOUR / MINUTE);
      ticks.push({ t: local - shift, label: tickLabel(hour, minute), hour });
    }
  }
  return ticks;
}

/** An hour tick on this person's clock: `06:00`, or `6 AM` (`6:30 AM` off the hour). */
function tickLabel(hour: number, minute: number): string {
  if (!habits.hour12) return `${pad(hour)}:${pad(minute)}`;
  const t = Date.UTC(2000, 0, 1, hour, minute);
  const options: Intl.DateTimeFormatOptions = minute ? { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' } : { hour: 'numeric', hourCycle: 'h12' };
  return formatter('UTC', options).format(t);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A clock that continues from the instant a payload was computed for: views tick their countdowns from
 * it between refetches, so what they show never disagrees with the core's `now` at fetch time.
 */
export function clockFrom(serverNow: string): () => number {
  const base = ms(serverNow);
  const fetched = Date.now();
  return () => base + (Date.now() - fetched);
}

/** The delay until the next whole minute of `now()`, so minute displays tick on the minute. */
export function untilNextMinute(now: number): number {
  return MINUTE - (now % MINUTE) + 50;
}

/** Whether `t` lies in one of `blocks` (start inclusive, end exclusive). */
export function inBlocks(blocks: readonly { start: string; end: string }[], t: number): boolean {
  return blocks.some((b) => ms(b.start) <= t && t < ms(b.end));
}

export { MINUTE, HOUR, DAY };
