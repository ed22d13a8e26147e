// The scrubber: a horizontal listbox of 30- or 60-minute cells laid over the rows (one tab stop, arrow
// keys move, Page Up/Down jump a day); hovering or focusing a cell shows every member's local time and
// state at that moment, like a world clock. Here are the pure parts: which cells a view has, where a key
// moves the cursor, the cells and listbox as DOM, and the readout for one instant.

import type { BusyBlock, CalendarRow, CalendarView } from '../../bindings';
import { h, place } from '../../dom';
import { city, dateIn, inBlocks, ms, timeIn, weekdayIn, MINUTE } from '../../time';

/** A member's state at one instant, as the scrub readout shows it. */
export type ScrubState = 'working' | 'focus' | 'day-off' | 'off';

/** The zone `row`'s member is in at `t`: a trip's while it holds, else their home zone. */
export function zoneAt(row: CalendarRow, t: number): string {
  return row.trips.find((trip) => ms(trip.start) <= t && t < ms(trip.end))?.time_zone ?? row.time_zone;
}

/** The public holiday `row`'s member observes at `t`, if any. */
export function holidayAt(row: CalendarRow, t: number): string | null {
  return row.holidays.find((b) => ms(b.start) <= t && t < ms(b.end))?.name ?? null;
}

/** The calendar event that makes `row`'s member busy at `t`, if any. */
export function busyAt(row: CalendarRow, t: number): BusyBlock | null {
  return row.busy.find((b) => ms(b.start) <= t && t < ms(b.end)) ?? null;
}

/** The state of `row` at `t`: a day off, holiday or out-of-office day wins, then focus, then working hours. */
export function stateAt(row: CalendarRow, t: number): ScrubState {
  if (inBlocks(row.days_off, t) || inBlocks(row.away, t) || holidayAt(row, t) !== null) return 'day-off';
  if (inBlocks(row.focus, t)) return 'focus';
  if (inBlocks(row.working, t)) return 'working';
  return 'off';
}

const STATE_LABEL: Record<ScrubState, string> = {
  working: 'Working',
  focus: 'Focus',
  'day-off': 'Day off',
  off: 'Off',
};

/** The scrub cells of a view: their length and each one's start. */
export interface ScrubCells {
  minutes: number;
  starts: number[];
}

/** Half-hour cells for a day or two, hours for longer ranges; the last cell may be cut short by the end. */
export function scrubCells(v: CalendarView): ScrubCells {
  const start = ms(v.start);
  const end = ms(v.end);
  const minutes = v.days.length <= 2 ? 30 : 60;
  const starts: number[] = [];
  for (let t = start; t < end; t += minutes * MINUTE) starts.push(t);
  return { minutes, starts };
}

/**
 * The cursor after a new view: `previous` when the range is the same and it still exists, else the
 * cell holding `now` (or the first cell when now is outside the range).
 */
export function cursorAfter(cells: ScrubCells, end: number, now: number, previous: number, sameRange: boolean): number {
  const { starts } = cells;
  if (sameRange && previous < starts.length) return previous;
  const nowIndex = starts.findIndex((t, i) => t <= now && now < (starts[i + 1] ?? end));
  return nowIndex >= 0 ? nowIndex : 0;
}

/** Where `key` moves the cursor from `active` among `count` cells, clamped; null for a key it ignores. */
export function keyTarget(key: string, active: number, count: number, cellMinutes: number): number | null {
  const perDay = (24 * 60) / cellMinutes;
  const moves: Record<string, number> = {
    ArrowRight: active + 1,
    ArrowLeft: active - 1,
    PageDown: active + perDay,
    PageUp: active - perDay,
    Home: 0,
    End: count - 1,
  };
  const target = moves[key];
  if (target === undefined) return null;
  return Math.max(0, Math.min(count - 1, target));
}

/** The index of the scrub cell an event hit, or null. */
export function cellIndex(target: EventTarget | null): number | null {
  if (!(target instanceof HTMLElement) || !target.classList.contains('cal-cell')) return null;
  const i = Number(target.dataset.index);
  return Number.isInteger(i) ? i : null;
}

/** The cells as options, placed by `x`, labelled with their date and time in `zone`; `active` has the tab stop. */
export function renderCells(
  cells: ScrubCells,
  end: number,
  zone: string,
  active: number,
  x: (t: number) => number,
): HTMLElement[] {
  return cells.starts.map((t, i) =>
    place(
      h('div', {
        class: 'cal-cell',
        role: 'option',
        id: `cal-cell-${i}`,
        tabindex: i === active ? 0 : -1,
        'aria-selected': String(i === active),
        'aria-label': `${dateIn(t, zone)} ${timeIn(t, zone)}`,
        'data-index': i,
      }),
      x(t),
      x(Math.min(t + cells.minutes * MINUTE, end)),
    ),
  );
}

/** What the scrub listbox reports: a cell focused or hovered, the pointer gone, a key. */
export interface ScrubEvents {
  focus(i: number): void;
  hover(i: number): void;
  leave(): void;
  key(e: KeyboardEvent): void;
}

/** The listbox over the rows that holds the cells. */
export function renderScrub(cells: HTMLElement[], cellMinutes: number, on: ScrubEvents): HTMLElement {
  return h(
    'div',
    {
      class: 'cal-scrub',
      role: 'listbox',
      'aria-orientation': 'horizontal',
      'aria-label': `Scrub through time in ${cellMinutes}-minute steps; Page Up and Page Down move a day`,
      onFocusin: (e) => {
        const i = cellIndex(e.target);
        if (i !== null) on.focus(i);
      },
      onKeydown: (e) => on.key(e),
      onMouseover: (e) => {
        const i = cellIndex(e.target);
        if (i === null) return;
        on.hover(i);
      },
      onMouseleave: () => on.leave(),
    },
    cells,
  );
}

/** Moves the tab stop and the selection from cell `from` to cell `to`. */
export function moveTabStop(cells: readonly HTMLElement[], from: number, to: number): void {
  const old = cells[from];
  if (old && from !== to) {
    old.tabIndex = -1;
    old.setAttribute('aria-selected', 'false');
  }
  const cell = cells[to];
  if (cell) {
    cell.tabIndex = 0;
    cell.setAttribute('aria-selected', 'true');
  }
}

/** The readout's heading for instant `t` in `zone`, marked when it is now. */
export function readoutTitle(t: number, zone: string, isNow: boolean): string {
  return `${isNow ? 'Now · ' : ''}${dateIn(t, zone)}, ${timeIn(t, zone)}`;
}

/** The readout's zone note. */
export function readoutZone(zone: string): string {
  return `${city(zone)} time`;
}

/**
 * What a busy block says on hover and in the scrub readout: my own row has the event's title, a
 * teammate's calendar gives free/busy alone (the core sends no title for it).
 */
export function busyText(b: BusyBlock): string {
  return b.title ? `Busy: ${b.title}` : 'Busy';
}

/** The words for an out-of-office day read from a calendar, distinct from a day off in the team file. */
export const AWAY_TEXT = 'Out of office (calendar)';

/** What the readout says of `row`'s member at `t`: why a day is off, and a meeting on top of the state. */
export function readoutState(row: CalendarRow, t: number): string {
  const state = stateAt(row, t);
  const holiday = holidayAt(row, t);
  const plainOff = inBlocks(row.days_off, t);
  const base =
    holiday && !plainOff
      ? `Holiday: ${holiday}`
      : !plainOff && inBlocks(row.away, t)
        ? AWAY_TEXT
        : STATE_LABEL[state];
  const busy = state === 'day-off' ? null : busyAt(row, t);
  if (!busy) return base;
  return `${base} · ${busyText(busy)}`;
}

/** One line per member: their local time and weekday at `t`, and their state. */
export function readoutItems(v: CalendarView, t: number): HTMLElement[] {
  return v.members.map((m) => {
    const state = stateAt(m, t);
    const zone = zoneAt(m, t);
    return h(
      'li',
      { class: `readout-item state-${state}`, 'data-member': m.name },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'readout-name' }, m.name),
      h(
        'span',
        { class: 'readout-time' },
        timeIn(t, zone),
        h('small', { class: 'readout-day' }, weekdayIn(t, zone)),
        zone !== m.time_zone ? h('small', { class: 'readout-day' }, `in ${city(zone)}`) : null,
      ),
      h('span', { class: 'readout-state' }, readoutState(m, t)),
    );
  });
}
