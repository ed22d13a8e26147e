// The calendar board: the axis of days and hours, one row per teammate with their working, focus and
// day-off spans, the busy times and out-of-office days their calendars give, my handoff lane, and over the rows the day separators, the now line and the scrubber.
//
// Everything on the timeline is placed by instant, `(t - view.start) / (view.end - view.start)` of the
// width, never by "hour of day": a 23- or 25-hour DST day then simply gets its real share of the width,
// and blocks in other zones land where they really are. Days, ticks, blocks, the now line and the
// scrub cells all go through the same `x()`. The board is rebuilt whole from a view; nothing here keeps
// state between renders.

import type { Block, CalendarRow, CalendarView, HandoffWindow } from '../../bindings';
import { h, place } from '../../dom';
import { city, currentHabits, dateIn, dateLabel, dayTimeIn, duration, hourTicks, localDate, ms, notWorkingText, offsetLabel, rangeIn, HOUR } from '../../time';
import { AWAY_TEXT, busyText, renderCells, renderScrub, zoneAt, type ScrubCells, type ScrubEvents } from './scrubber';
import type { ZoneMode } from './state';

/** The accessible summary of a row: who, where, and their hours in their own local time. */
export function rowLabel(row: CalendarRow, manyDays: boolean): string {
  const zone = row.time_zone;
  const list = (blocks: Block[]) => blocks.map((b) => rangeIn(b.start, b.end, zone, manyDays)).join(', ');
  const parts = [row.is_me ? `${row.name} (you)` : row.name, zone];
  parts.push(row.working.length ? `working ${list(row.working)}` : notWorkingText(row.back, zone));
  if (row.focus.length) parts.push(`in focus ${list(row.focus)}`);
  const day = (t: number) => dateIn(t, zone);
  // A run of local days by its first and last date, named so whatever the zone's day length.
  const days = (b: Block) => {
    const a = ms(b.start) + 12 * HOUR;
    const z = ms(b.end) - 12 * HOUR;
    return z - a > 12 * HOUR ? `${day(a)}–${day(z)}` : day(a);
  };
  if (row.days_off.length) parts.push(`day off ${row.days_off.map(days).join(', ')}`);
  if (row.away.length) parts.push(`out of office (calendar) ${row.away.map(days).join(', ')}`);
  if (row.busy.length) {
    parts.push(`busy ${row.busy.map((b) => rangeIn(b.start, b.end, zone, manyDays) + (b.title ? ` ${b.title}` : '')).join(', ')}`);
  }
  for (const b of row.holidays) parts.push(`holiday ${b.name} ${dateIn(ms(b.start) + (ms(b.end) - ms(b.start)) / 2, zone)}`);
  for (const trip of row.trips) parts.push(`in ${city(trip.time_zone)} ${rangeIn(trip.start, trip.end, trip.time_zone, true)}`);
  return parts.join(', ');
}

/** A span of `row`'s in the zone the member is in when it starts: "09:00–17:00 Tokyo time". */
function spanIn(row: CalendarRow, b: Block, manyDays: boolean): string {
  const zone = zoneAt(row, ms(b.start));
  return `${rangeIn(b.start, b.end, zone, manyDays)} ${city(zone)} time`;
}

/** The row's place and offset at `now`, marked ✈ while a trip takes the member elsewhere. */
export function zoneLine(row: CalendarRow, now: number): string {
  const zone = zoneAt(row, now);
  const line = `${city(zone)} · ${offsetLabel(now, zone)}`;
  // The narrow column has room for a mark, not a word; the row's label says "in Tokyo".
  return zone === row.time_zone ? line : `✈ ${line}`;
}

/** A handoff window in words, in `zone`'s time. */
export function handoffLabel(w: HandoffWindow, zone: string): string {
  return w.kind === 'sync'
    ? `Sync ${rangeIn(w.start, w.end, zone, true)}, ${duration(w.minutes)} together`
    : `Async from ${dayTimeIn(w.start, zone)}, baton waits ${duration(w.minutes)} until ${dayTimeIn(w.end, zone)}`;
}

/** What a board is drawn from. */
export interface BoardState {
  view: CalendarView;
  mode: ZoneMode;
  /** The instant the board is drawn at (today's column, members' offsets). */
  now: number;
  cells: ScrubCells;
  /** The scrub cell with the tab stop. */
  active: number;
}

/** A drawn board: its children, and the parts that change between renders without a rebuild. */
export interface Board {
  nodes: HTMLElement[];
  cells: HTMLElement[];
  nowLine: HTMLElement;
  nowFlag: HTMLElement;
}

/** The board for a team with no members: an invitation to add them. */
export function renderEmptyBoard(onAddTeam: () => void): HTMLElement {
  return h(
    'div',
    { class: 'empty' },
    h('p', null, 'No teammates yet.'),
    h('button', { type: 'button', class: 'btn btn-primary', onClick: onAddTeam }, 'Add your team'),
  );
}

/** The axis and the body of the board for a view with members. */
export function renderBoard(s: BoardState, on: ScrubEvents): Board {
  const v = s.view;
  const mode = s.mode;
  const start = ms(v.start);
  const span = ms(v.end) - start;
  const x = (t: number) => (t - start) / span;
  const manyDays = v.days.length > 1;
  const stepHours = v.days.length <= 1 ? 1 : v.days.length <= 3 ? 3 : 6;
  const todayDate = localDate(s.now, v.time_zone);

  // The axis: days as columns proportional to their real length, and hour ticks in the shown zone.
  const dayCols = v.days.map((d) =>
    place(
      h(
        'div',
        {
          class: `cal-day${d.date === todayDate ? ' is-today' : ''}`,
          'data-date': d.date,
          'data-hours': d.hours,
        },
        h('span', { class: 'cal-day-name' }, dateLabel(d.date)),
        d.hours !== 24 ? h('span', { class: 'cal-day-hours', title: 'Clocks change this day' }, `${d.hours} h`) : null,
      ),
      x(ms(d.start)),
      x(ms(d.end)),
    ),
  );
  const nowFlag = h('span', { class: 'cal-now-flag' }, 'Now');
  // A 12-hour label ("12 PM") is wider than "12:00": a week on the 12-hour clock ticks noon alone
  // (as each row does in members' time), so labels never run into the next tick.
  const axisStep = currentHabits().hour12 && stepHours >= 6 ? 12 : stepHours;
  const axisTicks =
    mode.kind === 'members'
      ? []
      : hourTicks(start, start + span, v.time_zone, axisStep).map((tick) =>
          tickEl(manyDays && tick.hour === 0 ? '' : tick.label, x(tick.t), tick.hour === 0),
        );

  const axis = h(
    'div',
    { class: 'cal-axis-row', 'aria-hidden': 'true' },
    h('div', { class: 'cal-corner' }, mode.kind === 'members' ? 'Local times' : city(v.time_zone)),
    h('div', { class: 'cal-axis' }, h('div', { class: 'cal-days' }, dayCols), h('div', { class: 'cal-ticks' }, axisTicks), nowFlag),
  );

  const rows = v.members.map((m) => memberRow(v, m, mode, s.now, x, stepHours));
  const lane = handoffLane(v, span, x);
  if (lane) rows.push(lane);

  // Over the rows: day separators, the now line and the scrub cells.
  const separators = v.days
    .slice(1)
    .map((d) => place(h('div', { class: 'cal-sep', 'aria-hidden': 'true' }), x(ms(d.start)), x(ms(d.start))));
  const nowLine = h('div', { class: 'cal-now', 'aria-hidden': 'true' });
  const cells = renderCells(s.cells, start + span, v.time_zone, s.active, x);
  const scrub = renderScrub(cells, s.cells.minutes, on);

  const body = h(
    'div',
    { class: 'cal-body' },
    h('div', { class: 'cal-rows', role: 'list', 'aria-label': `Teammates' hours` }, rows),
    h('div', { class: 'cal-overlay' }, separators, nowLine, scrub),
  );
  return { nodes: [axis, body], cells, nowLine, nowFlag };
}

/** One teammate's row: who and where, then their spans; my row and next's carry the handoff bands. */
function memberRow(
  v: CalendarView,
  m: CalendarRow,
  mode: ZoneMode,
  now: number,
  x: (t: number) => number,
  stepHours: number,
): HTMLElement {
  const start = ms(v.start);
  const end = ms(v.end);
  const manyDays = v.days.length > 1;
  const isNext = m.name === v.next;
  const track = h('div', { class: 'cal-track' });
  if (mode.kind === 'members') {
    track.appendChild(
      h(
        'div',
        { class: 'cal-row-ticks', 'aria-hidden': 'true' },
        // A label per row is busier than one axis: half as many on a week.
        hourTicks(start, end, m.time_zone, stepHours >= 6 ? 12 : stepHours).map((t) => tickEl(t.label, x(t.t), t.hour === 0)),
      ),
    );
  }
  for (const b of m.days_off) {
    track.appendChild(blockEl('blk blk-off', b, x, 'Day off', `Day off (${m.name})`));
  }
  for (const b of m.holidays) {
    track.appendChild(blockEl('blk blk-off blk-holiday', b, x, b.name, `${b.name}: public holiday (${m.name})`));
  }
  for (const b of m.away) {
    track.appendChild(blockEl('blk blk-off blk-away', b, x, 'Out of office', `${AWAY_TEXT} (${m.name})`));
  }
  for (const b of m.working) {
    track.appendChild(
      blockEl('blk blk-work', b, x, null, `${m.name} working ${spanIn(m, b, manyDays)}`),
    );
  }
  for (const b of m.focus) {
    track.appendChild(
      blockEl('blk blk-focus', b, x, null, `${m.name} in focus ${spanIn(m, b, manyDays)}`),
    );
  }
  // Over working and focus, so a meeting in a focus block still shows.
  for (const b of m.busy) {
    track.appendChild(blockEl('blk blk-busy', b, x, null, `${busyText(b)} (${spanIn(m, b, manyDays)})`));
  }
  if (m.is_me || isNext) {
    for (const w of v.handoffs) {
      track.appendChild(place(h('div', { class: `band band-${w.kind}`, 'aria-hidden': 'true' }), x(ms(w.start)), x(ms(w.end))));
    }
  }
  return h(
    'div',
    {
      class: `cal-row${m.is_me ? ' is-me' : ''}${isNext ? ' is-next' : ''}${mode.kind === 'members' ? ' with-ticks' : ''}`,
      role: 'listitem',
      'data-testid': 'calendar-row',
      'data-member': m.name,
      'aria-label': rowLabel(m, manyDays),
    },
    h(
      'div',
      { class: 'cal-who', 'aria-hidden': 'true' },
      h(
        'div',
        { class: 'cal-name' },
        m.name,
        m.is_me ? h('span', { class: 'badge badge-me' }, 'You') : null,
        isNext ? h('span', { class: 'badge badge-next', title: 'You hand the baton to them' }, 'Next') : null,
      ),
      h('div', { class: 'cal-zone muted' }, zoneLine(m, now)),
    ),
    track,
  );
}

/** The handoff lane, my baton passing to `next`, or null when I am not on the team or hand to no one. */
function handoffLane(v: CalendarView, span: number, x: (t: number) => number): HTMLElement | null {
  const meRow = v.members.find((m) => m.is_me);
  if (!meRow || !v.next) return null;
  const zone = meRow.time_zone;
  const track = h('div', { class: 'cal-track' });
  for (const w of v.handoffs) {
    // Label as much as fits at a typical board width (~1000 px); the title always has it all.
    const px = ((ms(w.end) - ms(w.start)) / span) * 1000;
    const kind = w.kind === 'sync' ? 'Sync' : 'Async';
    const detail = w.kind === 'sync' ? duration(w.minutes) : `waits ${duration(w.minutes)}`;
    const text = px >= 120 ? `${kind} · ${detail}` : px >= 48 ? kind : '';
    track.appendChild(
      place(
        h('div', { class: `blk blk-${w.kind}`, title: handoffLabel(w, zone) }, text ? h('span', { class: 'blk-text' }, text) : null),
        x(ms(w.start)),
        x(ms(w.end)),
      ),
    );
  }
  const summary = v.handoffs.length ? v.handoffs.map((w) => handoffLabel(w, zone)).join('; ') : 'none in this range';
  return h(
    'div',
    {
      class: 'cal-row cal-lane',
      role: 'listitem',
      'aria-label': `Handoffs from ${meRow.name} to ${v.next}, ${city(zone)} time: ${summary}`,
    },
    h(
      'div',
      { class: 'cal-who', 'aria-hidden': 'true' },
      h('div', { class: 'cal-name' }, 'Handoffs'),
      h('div', { class: 'cal-zone muted' }, `${meRow.name} → ${v.next}`),
    ),
    track,
  );
}

/** Puts the now line and its flag at `now`, hidden when now is outside the view. */
export function placeNow(board: Pick<Board, 'nowLine' | 'nowFlag'>, v: CalendarView, now: number): void {
  const start = ms(v.start);
  const f = (now - start) / (ms(v.end) - start);
  for (const el of [board.nowLine, board.nowFlag]) {
    el.hidden = f < 0 || f > 1;
    el.style.left = `${(Math.max(0, Math.min(1, f)) * 100).toFixed(4)}%`;
  }
}

/** The key to the board's colours. */
export function legend(): HTMLElement {
  const item = (cls: string, text: string) =>
    h('li', null, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text);
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    item('sw-work', 'Working'),
    item('sw-focus', 'Focus'),
    item('sw-off', 'Day off'),
    item('sw-away', AWAY_TEXT),
    item('sw-busy', 'Busy (calendar)'),
    item('sw-sync', 'Sync handoff (live)'),
    item('sw-async', 'Async handoff (written)'),
    item('sw-now', 'Now'),
  );
}

function tickEl(label: string, at: number, major: boolean): HTMLElement {
  const el = h('span', { class: `cal-tick${major ? ' is-major' : ''}` }, label);
  el.style.left = `${(at * 100).toFixed(4)}%`;
  return el;
}

function blockEl(cls: string, b: Block, x: (t: number) => number, text: string | null, title: string): HTMLElement {
  return place(
    h('div', { class: cls, title }, text ? h('span', { class: 'blk-text' }, text) : null),
    x(ms(b.start)),
    x(ms(b.end)),
  );
}
