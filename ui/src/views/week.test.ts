import { afterEach, describe, expect, it } from 'vitest';
import type { WeekDay, WeekReport } from '../bindings';
import { byTestId, cleanup, container, mockBackend, settle } from '../test/helpers';
import { createWeekView, goalPerDay } from './week';

/** Local midnight in Berlin of a March 2026 date (CET until the 29th at 02:00, CEST after). */
const midnight = (day: number) => (day <= 29 ? `2026-03-${String(day - 1).padStart(2, '0')}T23:00:00Z` : `2026-03-${String(day - 1).padStart(2, '0')}T22:00:00Z`);

function day(d: number, working: number, focus: number, busy: number, pings: number): WeekDay {
  return {
    date: `2026-03-${d}`,
    start: midnight(d),
    end: midnight(d + 1),
    length_minutes: d === 29 ? 1380 : 1440,
    working_minutes: working,
    focus_minutes: focus,
    busy_minutes: busy,
    off_hours_pings: pings,
  };
}

/** Berlin's spring-forward week: Monday 23 to Sunday 29 March 2026 (a 167-hour week). */
const springWeek: WeekReport = {
  me: 'Lena',
  time_zone: 'Europe/Berlin',
  from: '2026-03-23',
  to: '2026-03-29',
  start: '2026-03-22T23:00:00Z',
  end: '2026-03-29T22:00:00Z',
  hours: 167,
  workdays: 5,
  focus: {
    scheduled_minutes: 360,
    session_minutes: 150,
    protected_minutes: 510,
    goal_hours: 10,
    goal_met: false,
    longest_stretch: { start: '2026-03-24T08:00:00Z', end: '2026-03-24T10:30:00Z', minutes: 150 },
  },
  interruptions: { total: 3, critical: 1, urgent: 2, by_source: [{ source: 'pagerduty', critical: 1, urgent: 0 }, { source: 'ci', critical: 0, urgent: 2 }] },
  notifications: { received: 40, broke_through: 3, held: 37, released: 35, digests: 9, waited_for_morning: 6 },
  handoffs: { to: 'Kenji', live: 4, written: 1, average_wait_minutes: 190 },
  meeting_minutes: 330,
  fragmented: { stretches: 3, minutes: 105 },
  days: [day(23, 480, 120, 60, 2), day(24, 480, 150, 90, 0), day(25, 480, 90, 60, 1), day(26, 480, 90, 120, 0), day(27, 480, 60, 0, 3), day(28, 0, 0, 0, 0), day(29, 0, 0, 0, 1)],
};

async function mountWeek(answers: Record<string, WeekReport> = { this: springWeek }) {
  const calls = mockBackend({
    week: (args) => {
      const from = args.from as string | null;
      const r = from === null ? answers.this : answers[from];
      if (!r) throw { code: 'not_found', message: `no week ${from}` };
      return r;
    },
  });
  const view = createWeekView();
  container().appendChild(view.el);
  view.setVisible(true);
  await view.refresh();
  await settle();
  return { view, calls };
}

afterEach(cleanup);

describe('week view', () => {
  it('shows focus against the goal, the interruptions, the held notifications, the handoffs and the meetings', async () => {
    await mountWeek();
    expect(byTestId('week-range').textContent).toBe('Mon, Mar 23 – Sun, Mar 29 · Berlin time');
    expect(byTestId('week-focus-hours').textContent).toBe('8 h 30 min');
    const focus = byTestId('week-focus');
    expect(focus.textContent).toContain('of 10 h goal');
    expect(focus.textContent).toContain('Scheduled blocks 6 h · sessions 2 h 30 min');
    // The longest stretch is read in Berlin: 08:00Z on Tuesday is 09:00 CET.
    expect(focus.textContent).toContain('Longest unbroken: 2 h 30 min (Tue 09:00–11:30)');
    const meter = focus.querySelector('[role=meter]');
    expect(meter?.getAttribute('aria-valuenow')).toBe('510');
    expect(meter?.getAttribute('aria-valuemax')).toBe('600');
    expect(meter?.getAttribute('aria-valuetext')).toBe('8 h 30 min of 10 h');
    expect(byTestId('week-interruptions').textContent).toContain('pagerduty 1 critical');
    expect(byTestId('week-interruptions').textContent).toContain('ci 2 urgent');
    expect(byTestId('week-notifications').textContent).toContain('35 released in 9 digests');
    expect(byTestId('week-notifications').textContent).toContain('6 off-hours items waited for the morning');
    expect(byTestId('week-handoffs').textContent).toContain('4 live · 1 written');
    expect(byTestId('week-handoffs').textContent).toContain('The baton waited 3 h 10 min on average');
    expect(byTestId('week-meetings').textContent).toContain('5 h 30 min in meetings');
    expect(byTestId('week-meetings').textContent).toContain('3 free stretches under an hour: 1 h 45 min of fragmented time');
  });

  it('draws a bar per day and series, the goal pace as a line, and the same numbers in a table', async () => {
    await mountWeek();
    const chart = byTestId('week-chart');
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.querySelectorAll('g.day')).toHaveLength(7);
    expect(chart.querySelectorAll('rect')).toHaveLength(21);
    // The weekly goal of 10 h over 5 working days: 2 h a day.
    expect(goalPerDay(springWeek)).toBe(120);
    // On Wednesday the days to come have no bars yet, and the pace is still the week's.
    const midweek = { ...springWeek, days: springWeek.days.map((d, i) => (i > 2 ? { ...d, working_minutes: 0, focus_minutes: 0 } : d)) };
    expect(goalPerDay(midweek)).toBe(120);
    expect(chart.querySelector('.goal text')?.textContent).toBe('goal pace 2 h');
    // Bars are to scale: an 8-hour working bar is four times the 2-hour focus bar of the same day.
    const tuesday = chart.querySelector('g.day[data-date="2026-03-24"]');
    const heights = Array.from(tuesday?.querySelectorAll('rect') ?? [], (r) => Number(r.getAttribute('height')));
    expect(heights[0]).toBeCloseTo((heights[1] ?? 0) * (480 / 150), 5);
    expect(chart.querySelector('g.day[data-date="2026-03-27"] .pings')?.textContent).toBe('3 pings');
    expect(chart.querySelector('g.day[data-date="2026-03-24"] .pings')).toBeNull();
    const rows = Array.from(byTestId('week-table').querySelectorAll('tbody tr'), (tr) =>
      Array.from(tr.children, (c) => c.textContent),
    );
    expect(rows[0]).toEqual(['Mon, Mar 23', '8 h', '2 h', '1 h', '2']);
    expect(rows[6]).toEqual(['Sun, Mar 29', '–', '–', '–', '1']);
  });

  it('moves a week back and forward, and back to this week', async () => {
    const before: WeekReport = { ...springWeek, from: '2026-03-16', to: '2026-03-22', days: springWeek.days };
    const { calls } = await mountWeek({ this: springWeek, '2026-03-16': before, '2026-03-23': springWeek });
    expect(byTestId<HTMLButtonElement>('week-this').disabled).toBe(true);
    byTestId('week-prev').click();
    await settle();
    expect(byTestId('week-range').textContent).toBe('Mon, Mar 16 – Sun, Mar 22 · Berlin time');
    expect(byTestId<HTMLButtonElement>('week-this').disabled).toBe(false);
    byTestId('week-next').click();
    await settle();
    expect(byTestId('week-range').textContent).toBe('Mon, Mar 23 – Sun, Mar 29 · Berlin time');
    byTestId('week-this').click();
    await settle();
    expect(calls.filter((c) => c.cmd === 'week').map((c) => c.args?.from)).toEqual([null, '2026-03-16', '2026-03-23', null]);
  });

  it('says why when there is no week to show', async () => {
    mockBackend({
      week: () => {
        throw { code: 'invalid', message: 'the week in focus is about me, and no member is me' };
      },
    });
    const view = createWeekView();
    container().appendChild(view.el);
    await view.refresh();
    await settle();
    expect(view.el.querySelector('[role=alert]')?.textContent).toContain('no member is me');
  });
});
