// The board drawn from the DST fixture: rows, spans, labels, the lane and the now line, without the tab around it.

import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarView } from '../../bindings';
import { dstCalendar } from '../../test/fixtures';
import { dateIn, ms } from '../../time';
import { legend, placeNow, renderBoard, renderEmptyBoard, rowLabel } from './board';
import { readoutState, scrubCells, stateAt } from './scrubber';
import type { ZoneMode } from './state';

const HOURS = 47; // The DST fixture's real length: 23 + 24.
const pct = (fraction: number) => Math.round(fraction * 100_000) / 1000;
const pos = (value: string | undefined) => Math.round(parseFloat(value ?? 'NaN') * 1000) / 1000;
const NOW = ms(dstCalendar.now);
const noop = { focus: () => undefined, hover: () => undefined, leave: () => undefined, key: () => undefined };

/** Draws the board for `view` into the document (so queries and `hidden` behave as on screen). */
function draw(view: CalendarView = dstCalendar, mode: ZoneMode = { kind: 'mine' }, active = 0) {
  const board = renderBoard({ view, mode, now: NOW, cells: scrubCells(view), active }, noop);
  const root = document.createElement('div');
  root.append(...board.nodes);
  document.body.appendChild(root);
  return { board, root };
}

const rows = (root: ParentNode) => Array.from(root.querySelectorAll<HTMLElement>('.cal-row'));

afterEach(() => document.body.replaceChildren());

describe('renderBoard', () => {
  it('renders one row per member in team order, then my handoff lane', () => {
    const { root } = draw();
    expect(rows(root).map((r) => r.dataset.member ?? r.className)).toEqual(['Sam', 'Kenji', 'Lena', 'cal-row cal-lane']);
    const sam = rows(root)[0];
    expect(sam?.className).toBe('cal-row is-me');
    expect(sam?.querySelector('.badge-me')?.textContent).toBe('You');
    // Kenji takes the baton from me: marked as next, and his track carries the handoff band.
    const kenji = rows(root)[1];
    expect(kenji?.className).toBe('cal-row is-next');
    expect(kenji?.querySelector('.badge-next')?.textContent).toBe('Next');
    expect(kenji?.querySelectorAll('.band-async')).toHaveLength(1);
    expect(rows(root)[2]?.querySelector('.band')).toBeNull();
  });

  it('places spans by instant, with their titles in the member’s own time', () => {
    const { root } = draw();
    const [sam, kenji, lena] = rows(root);
    const work = sam?.querySelector<HTMLElement>('.blk-work');
    // 13:00Z Monday is 32 hours after the 05:00Z Sunday start.
    expect(pos(work?.style.left)).toBe(pct(32 / HOURS));
    expect(pos(work?.style.width)).toBe(pct(8 / HOURS));
    expect(work?.title).toMatch(/^Sam working .*09:00–17:00 New York time$/);
    expect(sam?.querySelector<HTMLElement>('.blk-focus')?.title).toMatch(/^Sam in focus .*09:00–11:00 New York time$/);
    expect(kenji?.querySelectorAll('.blk-work')).toHaveLength(2);
    const off = lena?.querySelector<HTMLElement>('.blk-off');
    expect(off?.textContent).toBe('Day off');
    expect(off?.title).toBe('Day off (Lena)');
    expect(pos(off?.style.left)).toBe(pct(18 / HOURS));
  });

  it('labels each member with their city and offset at now', () => {
    const { root } = draw();
    expect(rows(root).slice(0, 3).map((r) => r.querySelector('.cal-zone')?.textContent)).toEqual([
      'New York · UTC−4',
      'Tokyo · UTC+9',
      'Berlin · UTC+1',
    ]);
  });

  it('labels the handoff lane with as much as fits and the whole window in its title', () => {
    const { root } = draw();
    const lane = root.querySelector<HTMLElement>('.cal-lane');
    expect(lane?.querySelector('.cal-zone')?.textContent).toBe('Sam → Kenji');
    expect(lane?.getAttribute('aria-label')).toMatch(/^Handoffs from Sam to Kenji, New York time: Async from \S+ 17:00/);
    // Three hours of 47 at ~1000 px is ~64 px: room for the kind only.
    expect(lane?.querySelector('.blk-async')?.textContent).toBe('Async');
  });

  it('draws no lane when I hand the baton to no one', () => {
    const { root } = draw({ ...dstCalendar, next: null });
    expect(root.querySelector('.cal-lane')).toBeNull();
    // My own row still shows my handoff windows; no one else's does.
    expect(rows(root).map((r) => r.querySelectorAll('.band').length)).toEqual([1, 0, 0]);
    expect(rows(root)[1]?.querySelector('.badge-next')).toBeNull();
  });

  it('marks today and the short DST day on the axis, with ticks in the shown zone', () => {
    const { root } = draw();
    const days = Array.from(root.querySelectorAll<HTMLElement>('.cal-day'));
    expect(days.map((d) => [d.dataset.date, d.classList.contains('is-today'), d.querySelector('.cal-day-hours')?.textContent ?? null])).toEqual([
      ['2026-03-08', false, '23 h'],
      ['2026-03-09', true, null],
    ]);
    expect(root.querySelector('.cal-corner')?.textContent).toBe('New York');
    expect(root.querySelectorAll('.cal-axis .cal-tick').length).toBeGreaterThan(0);
    expect(root.querySelector('.cal-row-ticks')).toBeNull();
  });

  it('moves the hour labels into the rows in each member’s local time', () => {
    const { root } = draw(dstCalendar, { kind: 'members' });
    expect(root.querySelector('.cal-corner')?.textContent).toBe('Local times');
    expect(root.querySelector('.cal-axis .cal-tick')).toBeNull();
    expect(rows(root)[1]?.className).toBe('cal-row is-next with-ticks');
    // The range starts 14:00 JST, so Kenji's first label is 15:00, an hour in.
    const first = rows(root)[1]?.querySelector<HTMLElement>('.cal-row-ticks .cal-tick');
    expect([first?.textContent, pos(first?.style.left)]).toEqual(['15:00', pct(1 / HOURS)]);
  });

  it('gives the tab stop to the active scrub cell only', () => {
    const { board } = draw(dstCalendar, { kind: 'mine' }, 69);
    // Two days: 30-minute cells over 47 hours.
    expect(board.cells).toHaveLength(94);
    expect(board.cells.filter((c) => c.tabIndex === 0).map((c) => c.id)).toEqual(['cal-cell-69']);
    expect(board.cells[69]?.getAttribute('aria-selected')).toBe('true');
    expect(board.cells[0]?.getAttribute('aria-label')).toMatch(/00:00$/);
  });

  it('places the now line at now and hides it outside the range', () => {
    const { board } = draw();
    placeNow(board, dstCalendar, NOW);
    expect(board.nowLine.hidden).toBe(false);
    expect(parseFloat(board.nowLine.style.left)).toBeCloseTo((34.5 / HOURS) * 100, 3);
    expect(board.nowFlag.style.left).toBe(board.nowLine.style.left);
    placeNow(board, dstCalendar, ms(dstCalendar.end) + 1);
    expect(board.nowLine.hidden).toBe(true);
    expect(board.nowFlag.hidden).toBe(true);
  });
});

describe('renderEmptyBoard', () => {
  it('offers to add the team', () => {
    let asked = 0;
    const el = renderEmptyBoard(() => asked++);
    expect(el.textContent).toContain('No teammates yet.');
    el.querySelector('button')?.click();
    expect(asked).toBe(1);
  });
});

describe('rowLabel', () => {
  it('names a day off by its local date, and says when someone does not work', () => {
    const lena = dstCalendar.members[2]!;
    expect(rowLabel(lena, true)).toBe(
      // One day, named by its Berlin date (the block runs midnight to midnight there), not as a range.
      // The payload's `back` says when she works next.
      `Lena, Europe/Berlin, not working in this range, back Tue, Mar 10 09:00, day off ${dateIn('2026-03-09T12:00:00Z', 'Europe/Berlin')}`,
    );
  });
});

describe('holidays and trips on a row', () => {
  // Kenji observes a holiday on Monday 9 March (JST midnight to midnight: 15:00Z Sunday to 15:00Z
  // Monday) and Lena is in Tokyo from 00:00 JST Monday (15:00Z Sunday) to the end of the range.
  const view: CalendarView = {
    ...dstCalendar,
    members: dstCalendar.members.map((m) =>
      m.name === 'Kenji'
        ? { ...m, holidays: [{ start: '2026-03-08T15:00:00Z', end: '2026-03-09T15:00:00Z', name: 'Founding Day' }] }
        : m.name === 'Lena'
          ? { ...m, trips: [{ start: '2026-03-08T15:00:00Z', end: dstCalendar.end, time_zone: 'Asia/Tokyo' }] }
          : m,
    ),
  };

  it('draws a holiday as a day off with its name on hover and in the row label', () => {
    const { root } = draw(view);
    const kenji = rows(root)[1]!;
    const block = kenji.querySelector<HTMLElement>('.blk-holiday');
    expect(block?.classList.contains('blk-off')).toBe(true);
    expect(block?.textContent).toBe('Founding Day');
    expect(block?.title).toBe('Founding Day: public holiday (Kenji)');
    expect(kenji.getAttribute('aria-label')).toContain('holiday Founding Day');
  });

  it('shows the zone in force while a trip holds', () => {
    const { root } = draw(view);
    const lena = rows(root)[2]!;
    // Now (15:30Z Monday) Lena is in Tokyo (UTC+9), marked as travelling.
    expect(lena.querySelector('.cal-zone')?.textContent).toMatch(/^✈ Tokyo · (GMT|UTC)\+9$/);
    expect(lena.getAttribute('aria-label')).toContain('in Tokyo');
  });
});

describe('calendar busy times and out-of-office days on a row', () => {
  // Sam (me, New York) has a standup 10:00–10:30 EDT Monday (14:00Z–14:30Z), inside his focus block;
  // Kenji's calendar says busy 11:00–12:00 JST Monday (02:00Z–03:00Z), free/busy only, and out of office
  // on Tuesday 10 March (00:00 JST = 15:00Z Monday, clipped at the range end).
  const view: CalendarView = {
    ...dstCalendar,
    members: dstCalendar.members.map((m) =>
      m.name === 'Sam'
        ? { ...m, busy: [{ start: '2026-03-09T14:00:00Z', end: '2026-03-09T14:30:00Z', title: 'Standup' }] }
        : m.name === 'Kenji'
          ? {
              ...m,
              busy: [{ start: '2026-03-09T02:00:00Z', end: '2026-03-09T03:00:00Z', title: null }],
              away: [{ start: '2026-03-09T15:00:00Z', end: dstCalendar.end }],
            }
          : m,
    ),
  };

  it('draws busy blocks by instant, titled on my row only', () => {
    const { root } = draw(view);
    const [sam, kenji, lena] = rows(root);
    const mine = sam!.querySelectorAll<HTMLElement>('.blk-busy');
    expect(mine).toHaveLength(1);
    // 14:00Z Monday is 33 hours after the 05:00Z Sunday start; half an hour long.
    expect(pos(mine[0]?.style.left)).toBe(pct(33 / HOURS));
    expect(pos(mine[0]?.style.width)).toBe(pct(0.5 / HOURS));
    expect(mine[0]?.title).toMatch(/^Busy: Standup \(.*10:00–10:30 New York time\)$/);
    // Drawn after focus, so it sits over the focus block it falls in.
    const blocks = Array.from(sam!.querySelectorAll('.blk'));
    expect(blocks.indexOf(mine[0]!)).toBeGreaterThan(blocks.indexOf(sam!.querySelector('.blk-focus')!));
    const theirs = kenji!.querySelector<HTMLElement>('.blk-busy');
    expect(theirs?.title).toMatch(/^Busy \(.*11:00–12:00 Tokyo time\)$/);
    expect(lena!.querySelector('.blk-busy')).toBeNull();
    expect(sam!.getAttribute('aria-label')).toContain('busy');
    expect(sam!.getAttribute('aria-label')).toContain('Standup');
    expect(kenji!.getAttribute('aria-label')).toMatch(/busy [^,]*11:00–12:00(,|$)/);
  });

  it('draws an out-of-office day as a day off of its own kind', () => {
    const { root } = draw(view);
    const kenji = rows(root)[1]!;
    const away = kenji.querySelector<HTMLElement>('.blk-away');
    expect(away?.classList.contains('blk-off')).toBe(true);
    expect(away?.textContent).toBe('Out of office');
    expect(away?.title).toBe('Out of office (calendar) (Kenji)');
    expect(pos(away?.style.left)).toBe(pct(34 / HOURS));
    // A day off from the team file stays a plain one.
    expect(rows(root)[2]!.querySelector('.blk-off')?.classList.contains('blk-away')).toBe(false);
    expect(kenji.getAttribute('aria-label')).toContain(`out of office (calendar) ${dateIn('2026-03-10T03:00:00Z', 'Asia/Tokyo')}`);
  });

  it('says busy and out of office in the scrub readout, as the keyboard reaches them', () => {
    const [sam, kenji] = view.members;
    expect(readoutState(sam!, ms('2026-03-09T14:10:00Z'))).toBe('Focus · Busy: Standup');
    expect(readoutState(sam!, ms('2026-03-09T14:30:00Z'))).toBe('Focus');
    expect(readoutState(kenji!, ms('2026-03-09T02:30:00Z'))).toBe('Working · Busy');
    expect(readoutState(kenji!, ms('2026-03-09T16:00:00Z'))).toBe('Out of office (calendar)');
    expect(stateAt(kenji!, ms('2026-03-09T16:00:00Z'))).toBe('day-off');
  });

  it('keys busy and out of office in the legend', () => {
    const items = Array.from(legend().querySelectorAll('li'));
    const entry = (text: string) => items.find((li) => li.textContent === text);
    expect(entry('Busy (calendar)')?.querySelector('.swatch')?.classList.contains('sw-busy')).toBe(true);
    expect(entry('Out of office (calendar)')?.querySelector('.swatch')?.classList.contains('sw-away')).toBe(true);
    // The existing keys stay.
    expect(items.map((li) => li.textContent)).toEqual(expect.arrayContaining(['Working', 'Focus', 'Day off', 'Now']));
  });
});
