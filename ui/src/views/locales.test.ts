// One view, four locales: the calendar as a person in the United States, Britain, Germany and Japan
// reads it. Its day headings, hour ticks, each row's summary for screen readers and the world-clock
// readout all go through `time.ts` with the habits the core sends (`locale`), so each must read the
// locale's own clock, date order and month names; the numbers are the same instants throughout.

import { afterEach, describe, expect, it } from 'vitest';
import { setHabits } from '../time';
import { cleanup, container, mockBackend, settle } from '../test/helpers';
import type { CalendarView } from '../bindings';
import { dstCalendar } from '../test/fixtures';
import { createCalendarView } from './calendar';

afterEach(() => {
  cleanup();
  setHabits({ tag: '', hour12: false, week_start: 1 });
});

/** Seven whole UTC days from Monday 9 March 2026, shown in UTC. */
const DAY = 86_400_000;
const week: CalendarView = {
  ...dstCalendar,
  time_zone: 'UTC',
  start: '2026-03-09T00:00:00Z',
  end: '2026-03-16T00:00:00Z',
  days: Array.from({ length: 7 }, (_, i) => ({
    date: new Date(Date.UTC(2026, 2, 9 + i)).toISOString().slice(0, 10),
    start: new Date(Date.UTC(2026, 2, 9) + i * DAY).toISOString(),
    end: new Date(Date.UTC(2026, 2, 9) + (i + 1) * DAY).toISOString(),
    hours: 24,
  })),
};

async function render(tag: string, hour12: boolean, view: CalendarView = dstCalendar) {
  setHabits({ tag, hour12, week_start: tag === 'en-US' || tag === 'ja-JP' ? 0 : 1 });
  mockBackend({ calendar: () => view, time_zones: () => [] });
  const cal = createCalendarView({ navigate: () => undefined });
  container().appendChild(cal.el);
  await cal.refresh();
  await settle();
  const texts = (css: string) => Array.from(document.querySelectorAll(css), (e) => e.textContent ?? '');
  return {
    days: texts('.cal-day-name'),
    ticks: texts('.cal-ticks .cal-tick').filter(Boolean).slice(0, 3),
    marks: document.querySelectorAll('.cal-ticks .cal-tick').length,
    sam: document.querySelector('[data-testid="calendar-row"][data-member="Sam"]')?.getAttribute('aria-label'),
    lena: document.querySelector('[data-testid="calendar-row"][data-member="Lena"]')?.getAttribute('aria-label'),
  };
}

describe('the calendar in four locales', () => {
  it('en-US: a 12-hour clock, month before day', async () => {
    const v = await render('en-US', true);
    expect(v.days).toEqual(['Sun, Mar 8', 'Mon, Mar 9']);
    expect(v.ticks).toEqual(['3 AM', '6 AM', '9 AM']);
    expect(v.sam).toBe('Sam (you), America/New_York, working Mon 9:00 AM–5:00 PM, in focus Mon 9:00 AM–11:00 AM');
    expect(v.lena).toContain('day off Mon, Mar 9');
  });

  it('en-GB: a 24-hour clock, day before month', async () => {
    const v = await render('en-GB', false);
    expect(v.days).toEqual(['Sun 8 Mar', 'Mon 9 Mar']);
    expect(v.ticks).toEqual(['03:00', '06:00', '09:00']);
    expect(v.sam).toBe('Sam (you), America/New_York, working Mon 09:00–17:00, in focus Mon 09:00–11:00');
    expect(v.lena).toContain('day off Mon 9 Mar');
  });

  it('de-DE: German day and month names', async () => {
    const v = await render('de-DE', false);
    expect(v.days).toEqual(['So., 8. März', 'Mo., 9. März']);
    expect(v.ticks).toEqual(['03:00', '06:00', '09:00']);
    expect(v.sam).toBe('Sam (you), America/New_York, working Mo 09:00–17:00, in focus Mo 09:00–11:00');
    expect(v.lena).toContain('day off Mo., 9. März');
  });

  it('ja-JP: month and day first, the weekday in brackets', async () => {
    const v = await render('ja-JP', false);
    expect(v.days).toEqual(['3月8日(日)', '3月9日(月)']);
    expect(v.ticks).toEqual(['03:00', '06:00', '09:00']);
    expect(v.sam).toBe('Sam (you), America/New_York, working 月 09:00–17:00, in focus 月 09:00–11:00');
    expect(v.lena).toContain('day off 3月9日(月)');
  });

  it('a week on the 12-hour clock ticks noon alone, so its wider labels never collide', async () => {
    const us = await render('en-US', true, week);
    expect(us.ticks).toEqual(['12 PM', '12 PM', '12 PM']);
    expect(us.marks).toBe(7 * 2);
    cleanup();
    const gb = await render('en-GB', false, week);
    expect(gb.ticks).toEqual(['06:00', '12:00', '18:00']);
    expect(gb.marks).toBe(7 * 4);
  });
});
