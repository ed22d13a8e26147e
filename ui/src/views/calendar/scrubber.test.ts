// The scrubber's pure parts: its cells, where keys move the cursor, and the world-clock readout.

import { describe, expect, it } from 'vitest';
import { dstCalendar } from '../../test/fixtures';
import { ms, HOUR } from '../../time';
import { cursorAfter, keyTarget, readoutItems, readoutTitle, scrubCells, stateAt } from './scrubber';

const START = ms(dstCalendar.start);
const END = ms(dstCalendar.end);

describe('scrubCells', () => {
  it('cuts two days into half hours and a week into hours', () => {
    expect(scrubCells(dstCalendar)).toMatchObject({ minutes: 30 });
    expect(scrubCells(dstCalendar).starts).toHaveLength(94);
    const week = { ...dstCalendar, days: Array.from({ length: 3 }, () => dstCalendar.days[0]!) };
    expect(scrubCells(week).minutes).toBe(60);
    expect(scrubCells(week).starts).toHaveLength(47);
  });
});

describe('cursorAfter', () => {
  const cells = scrubCells(dstCalendar);
  it('starts at the cell holding now, or the first when now is elsewhere', () => {
    // 15:30Z Monday is 34.5 hours in: cell 69.
    expect(cursorAfter(cells, END, ms(dstCalendar.now), 3, false)).toBe(69);
    expect(cursorAfter(cells, END, END + HOUR, 3, false)).toBe(0);
  });
  it('keeps the cursor on a refetch of the same range while it exists', () => {
    expect(cursorAfter(cells, END, ms(dstCalendar.now), 3, true)).toBe(3);
    expect(cursorAfter(cells, END, ms(dstCalendar.now), 94, true)).toBe(69);
  });
});

describe('keyTarget', () => {
  it('moves by a cell, by a day, and to either end, clamped', () => {
    expect(keyTarget('ArrowRight', 5, 94, 30)).toBe(6);
    expect(keyTarget('ArrowLeft', 0, 94, 30)).toBe(0);
    expect(keyTarget('PageDown', 65, 94, 30)).toBe(93);
    expect(keyTarget('PageUp', 30, 94, 60)).toBe(6);
    expect(keyTarget('Home', 40, 94, 30)).toBe(0);
    expect(keyTarget('End', 40, 94, 30)).toBe(93);
    expect(keyTarget('Enter', 40, 94, 30)).toBeNull();
  });
});

describe('the readout', () => {
  it('gives every member’s local time, weekday and state at an instant', () => {
    // 13:00Z Monday: 09:00 for Sam in focus, 22:00 for Kenji, off, 14:00 for Lena on her day off.
    const t = START + 32 * HOUR;
    const items = readoutItems(dstCalendar, t);
    expect(items.map((i) => [i.dataset.member, i.className, i.querySelector('.readout-time')?.firstChild?.textContent, i.querySelector('.readout-state')?.textContent])).toEqual([
      ['Sam', 'readout-item state-focus', '09:00', 'Focus'],
      ['Kenji', 'readout-item state-off', '22:00', 'Off'],
      ['Lena', 'readout-item state-day-off', '14:00', 'Day off'],
    ]);
    expect(items.map((i) => stateAt(dstCalendar.members.find((m) => m.name === i.dataset.member)!, t))).toEqual(['focus', 'off', 'day-off']);
  });

  it('marks now in its title', () => {
    const t = ms(dstCalendar.now);
    expect(readoutTitle(t, 'America/New_York', true)).toMatch(/^Now · .*, 11:30$/);
    expect(readoutTitle(t, 'America/New_York', false)).toMatch(/^[^N].*, 11:30$/);
  });
});

describe('holidays and trips in the readout', () => {
  const view = {
    ...dstCalendar,
    members: dstCalendar.members.map((m) =>
      m.name === 'Kenji'
        ? { ...m, holidays: [{ start: '2026-03-08T15:00:00Z', end: '2026-03-09T15:00:00Z', name: 'Founding Day' }] }
        : m.name === 'Sam'
          ? { ...m, trips: [{ start: '2026-03-09T00:00:00Z', end: '2026-03-10T00:00:00Z', time_zone: 'Europe/Lisbon' }] }
          : m,
    ),
  };

  it('names the holiday at a focused instant and reads a traveller’s time in the trip’s zone', () => {
    const t = ms('2026-03-09T03:00:00Z');
    const kenji = view.members[1]!;
    expect(stateAt(kenji, t)).toBe('day-off');
    const items = readoutItems(view, t);
    expect(items[1]?.querySelector('.readout-state')?.textContent).toBe('Holiday: Founding Day');
    // Sam is in Lisbon (WET, UTC+0) then: 03:00, not New York's 23:00.
    expect(items[0]?.querySelector('.readout-time')?.textContent).toMatch(/^03:00.*in Lisbon/);
  });
});
