import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarView } from '../bindings';
import { cleanup, container, mockBackend, settle } from '../test/helpers';
import { brokenFolder, dstCalendar } from '../test/fixtures';
import { createCalendarView } from './calendar';

/** A fraction of the width as a percentage rounded to 0.001 (what the board writes, give or take). */
const pct = (fraction: number) => Math.round(fraction * 100_000) / 1000;
/** An element's `left` or `width` in the same form. */
const pos = (value: string | undefined) => Math.round(parseFloat(value ?? 'NaN') * 1000) / 1000;
const HOURS = 47; // 23 + 24: the DST fixture's real length.

async function mountCalendar(view: CalendarView = dstCalendar) {
  const calls = mockBackend({ calendar: () => view, time_zones: () => ['America/New_York', 'Asia/Tokyo'] });
  const cal = createCalendarView({ navigate: () => undefined });
  container().appendChild(cal.el);
  cal.setVisible(true);
  await cal.refresh();
  await settle();
  return { cal, calls };
}

function row(name: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="calendar-row"][data-member="${name}"]`);
  if (!el) throw new Error(`no row for ${name}`);
  return el;
}

function readout(name: string): string {
  const item = document.querySelector(`.readout-item[data-member="${name}"]`);
  if (!item) throw new Error(`no readout item for ${name}`);
  return item.textContent ?? '';
}

function cell(index: number): HTMLElement {
  const el = document.getElementById(`cal-cell-${index}`);
  if (!el) throw new Error(`no cell ${index}`);
  return el;
}

afterEach(cleanup);

describe('calendar', () => {
  it('asks for this week in my zone by default', async () => {
    const { calls } = await mountCalendar();
    expect(calls[0]).toEqual({ cmd: 'calendar', args: { from: null, days: 7, zone: null } });
    expect(document.querySelector('[data-testid="team-name"]')?.textContent).toBe('Night Shift');
  });

  it('gives the 23-hour DST day 23/47 of the width and the next day 24/47', async () => {
    await mountCalendar();
    const [sunday, monday] = Array.from(document.querySelectorAll<HTMLElement>('.cal-day'));
    expect(sunday?.dataset.hours).toBe('23');
    expect(pos(sunday?.style.left)).toBe(pct(0));
    expect(pos(sunday?.style.width)).toBe(pct(23 / HOURS));
    expect(sunday?.textContent).toContain('23 h');
    expect(pos(monday?.style.left)).toBe(pct(23 / HOURS));
    expect(pos(monday?.style.width)).toBe(pct(24 / HOURS));
  });

  it('places blocks by instant over the whole range', async () => {
    await mountCalendar();
    // Sam works 13:00Z–21:00Z Monday: 32 hours after the 05:00Z Sunday start, for 8 hours.
    const work = row('Sam').querySelector<HTMLElement>('.blk-work');
    expect(pos(work?.style.left)).toBe(pct(32 / HOURS));
    expect(pos(work?.style.width)).toBe(pct(8 / HOURS));
    const focus = row('Sam').querySelector<HTMLElement>('.blk-focus');
    expect(pos(focus?.style.left)).toBe(pct(32 / HOURS));
    expect(pos(focus?.style.width)).toBe(pct(2 / HOURS));
    // Kenji's Tuesday block starts 00:00Z and is clipped at the 04:00Z end: the last 4/47.
    const kenji = Array.from(row('Kenji').querySelectorAll<HTMLElement>('.blk-work'));
    expect(kenji).toHaveLength(2);
    expect(pos(kenji[0]?.style.left)).toBe(pct(19 / HOURS));
    expect(pos(kenji[1]?.style.left)).toBe(pct(43 / HOURS));
    expect(pos(kenji[1]?.style.width)).toBe(pct(4 / HOURS));
    // Lena's day off is hatched from 23:00Z Sunday (18 h in) for 24 hours.
    const off = row('Lena').querySelector<HTMLElement>('.blk-off');
    expect(pos(off?.style.left)).toBe(pct(18 / HOURS));
    expect(pos(off?.style.width)).toBe(pct(24 / HOURS));
  });

  it('labels hours in the shown zone, skipping the hour that does not exist', async () => {
    await mountCalendar();
    const ticks = Array.from(document.querySelectorAll<HTMLElement>('.cal-axis .cal-tick'));
    const sunday = ticks.slice(0, 3).map((t) => [t.textContent, pos(t.style.left)]);
    // Two days are labelled every 3 hours: midnight EST at 05:00Z (a bare line: the day header names it),
    // then 03:00 EDT at 07:00Z, only 2 h later.
    expect(sunday).toEqual([
      ['', pct(0)],
      ['03:00', pct(2 / HOURS)],
      ['06:00', pct(5 / HOURS)],
    ]);
  });

  it('draws the now line at the view instant', async () => {
    await mountCalendar();
    const now = document.querySelector<HTMLElement>('.cal-now');
    // 15:30Z Monday is 34.5 hours in.
    expect(now?.hidden).toBe(false);
    expect(parseFloat(now?.style.left ?? '')).toBeCloseTo((34.5 / HOURS) * 100, 1);
  });

  it('draws my handoff to next, labelled', async () => {
    await mountCalendar();
    const lane = document.querySelector<HTMLElement>('.cal-lane');
    const async = lane?.querySelector<HTMLElement>('.blk-async');
    // Three hours of 47 is too narrow for the whole label; the title carries it.
    expect(async?.textContent).toBe('Async');
    expect(async?.title).toMatch(/^Async from \S+ 17:00, baton waits 3 h until \S+ 20:00$/);
    expect(pos(async?.style.left)).toBe(pct(40 / HOURS));
    expect(pos(async?.style.width)).toBe(pct(3 / HOURS));
    expect(lane?.getAttribute('aria-label')).toContain('Handoffs from Sam to Kenji');
    expect(row('Kenji').textContent).toContain('Next');
  });

  it('gives rows accessible names with their zone and local hours', async () => {
    await mountCalendar();
    expect(row('Sam').getAttribute('role')).toBe('listitem');
    const sam = row('Sam').getAttribute('aria-label') ?? '';
    expect(sam).toMatch(/^Sam \(you\), America\/New_York, working .*09:00–17:00/);
    expect(sam).toContain('focus');
    expect(row('Kenji').getAttribute('aria-label')).toMatch(/Kenji, Asia\/Tokyo, working .*09:00–18:00/);
    expect(row('Lena').getAttribute('aria-label')).toMatch(/not working in this range, back Tue, Mar 10 09:00, day off/);
  });

  it('shows every member’s local time and state for a focused cell, and follows the arrow keys', async () => {
    await mountCalendar();
    // Two days use 30-minute cells; 13:00Z Monday is 32 hours in: cell 64.
    const c = cell(64);
    c.focus();
    expect(document.activeElement).toBe(c);
    expect(c.getAttribute('aria-selected')).toBe('true');
    expect(readout('Sam')).toContain('09:00');
    expect(readout('Sam')).toContain('Focus');
    expect(readout('Kenji')).toContain('22:00');
    expect(readout('Kenji')).toContain('Off');
    expect(readout('Lena')).toContain('14:00');
    expect(readout('Lena')).toContain('Day off');

    c.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(document.activeElement).toBe(cell(65));
    expect(cell(65).tabIndex).toBe(0);
    expect(c.tabIndex).toBe(-1);
    expect(readout('Sam')).toContain('09:30');
    expect(readout('Kenji')).toContain('22:30');

    // Page Down moves a whole day (48 cells), clamped at the last cell.
    cell(65).dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true }));
    expect(document.activeElement).toBe(cell(93));
  });

  it('shows the scrub readout on hover', async () => {
    await mountCalendar();
    // 16:00Z Monday: 35 hours in, cell 70.
    cell(70).dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    expect(readout('Sam')).toContain('12:00');
    expect(readout('Sam')).toContain('Working');
    expect(readout('Kenji')).toContain('01:00');
    expect(readout('Lena')).toContain('17:00');
    expect(document.querySelector('.readout-title')?.textContent).toContain('12:00');
  });

  it('pages by the shown range and switches to a day', async () => {
    const { cal, calls } = await mountCalendar();
    (document.querySelector('[aria-label="Next week"]') as HTMLButtonElement).click();
    await settle();
    expect(calls.at(-1)?.args).toEqual({ from: '2026-03-15', days: 7, zone: null });
    Array.from(document.querySelectorAll<HTMLButtonElement>('.seg')).find((b) => b.textContent === 'Day')?.click();
    await settle();
    expect(calls.at(-1)?.args).toEqual({ from: '2026-03-15', days: 1, zone: null });
    (document.querySelector('[aria-label="Previous day"]') as HTMLButtonElement).click();
    await settle();
    expect(calls.at(-1)?.args).toEqual({ from: '2026-03-14', days: 1, zone: null });
    cal.setVisible(false);
  });

  it('asks for another zone and labels each row in its member’s time', async () => {
    const { calls } = await mountCalendar();
    const select = document.getElementById('cal-zone') as HTMLSelectElement;
    select.value = 'zone:Asia/Tokyo';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(calls.at(-1)?.args).toEqual({ from: null, days: 7, zone: 'Asia/Tokyo' });

    select.value = 'members';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(calls.at(-1)?.args).toEqual({ from: null, days: 7, zone: null });
    // Kenji's row is labelled in Tokyo time: the range starts 05:00Z = 14:00 JST, so its first labels
    // are 15:00 JST (1 h in) and 18:00 JST (4 h in), not the New York hours of the axis.
    const kenji = Array.from(row('Kenji').querySelectorAll<HTMLElement>('.cal-row-ticks .cal-tick'));
    expect(kenji.slice(0, 2).map((t) => [t.textContent, pos(t.style.left)])).toEqual([
      ['15:00', pct(1 / HOURS)],
      ['18:00', pct(4 / HOURS)],
    ]);
    expect(document.querySelector('.cal-axis .cal-tick')).toBeNull();
  });

  it('shows suggestions for an unknown zone and keeps the last good view', async () => {
    const calls = mockBackend({
      calendar: (args) => {
        if (args.zone === 'Europe/Berln') {
          throw {
            code: 'invalid',
            message: 'unknown time zone',
            problems: [{ field: 'time_zone', message: 'unknown time zone "Europe/Berln"', suggestions: ['Europe/Berlin'] }],
          };
        }
        return dstCalendar;
      },
      time_zones: () => ['Europe/Berlin'],
    });
    const cal = createCalendarView({ navigate: () => undefined });
    container().appendChild(cal.el);
    await cal.refresh();
    const select = document.getElementById('cal-zone') as HTMLSelectElement;
    select.value = 'other';
    select.dispatchEvent(new Event('change'));
    const search = document.getElementById('cal-zone-search') as HTMLInputElement;
    expect(search.hidden).toBe(false);
    search.value = 'Europe/Berln';
    search.dispatchEvent(new Event('change'));
    await settle();
    const chip = document.querySelector<HTMLButtonElement>('.zone-error .chip');
    expect(chip?.textContent).toBe('Europe/Berlin');
    expect(document.querySelectorAll('[data-testid="calendar-row"]')).toHaveLength(3);
    chip?.click();
    await settle();
    expect(calls.at(-1)?.args).toEqual({ from: null, days: 7, zone: 'Europe/Berlin' });
    expect(document.querySelector('.zone-error')?.textContent).toBe('');
  });
});

describe('calendar of a followed team', () => {
  it('shows the refused version with its problems, keeps the last good team, and syncs on request', async () => {
    const synced = { ...brokenFolder, error: null, problems: [], needs_me: false };
    const calls = mockBackend({
      calendar: () => ({ ...dstCalendar, source: calls.some((c) => c.cmd === 'sync_team') ? synced : brokenFolder }),
      sync_team: () => synced,
      set_me: () => synced,
    });
    const cal = createCalendarView({ navigate: () => undefined });
    container().appendChild(cal.el);
    cal.setVisible(true);
    await cal.refresh();
    await settle();
    const banner = document.querySelector<HTMLElement>('[data-testid="source-banner"]');
    expect(banner?.getAttribute('role')).toBe('alert');
    expect(banner?.textContent).toContain('The team from the shared folder /home/sam/team was not updated');
    expect(banner?.textContent).toContain("members/kenji.toml line 4, Kenji, hours[0]: 'mon-fri 9-17' is not a time span");
    // The last good team is still drawn.
    expect(row('Kenji')).toBeTruthy();
    document.querySelector<HTMLButtonElement>('[data-testid="sync-now"]')!.click();
    await settle();
    expect(calls.map((c) => c.cmd)).toContain('sync_team');
    expect(document.querySelector('[data-testid="source-banner"]')).toBeNull();
  });

  it('asks which one is me and saves the choice', async () => {
    const calls = mockBackend({
      calendar: () => ({ ...dstCalendar, me: null, source: { ...brokenFolder, error: null, problems: [] } }),
      set_me: () => ({ ...brokenFolder, needs_me: false }),
    });
    const cal = createCalendarView({ navigate: () => undefined });
    container().appendChild(cal.el);
    cal.setVisible(true);
    await cal.refresh();
    await settle();
    const who = document.querySelector<HTMLElement>('[data-testid="who-are-you"]');
    expect(who?.textContent).toContain('Which one is you?');
    expect(Array.from(who!.querySelectorAll('button'), (b) => b.textContent)).toEqual(['Sam', 'Kenji', 'Lena']);
    who!.querySelector<HTMLButtonElement>('[data-member="Kenji"]')!.click();
    await settle();
    expect(calls.find((c) => c.cmd === 'set_me')?.args).toEqual({ name: 'Kenji' });
    expect(calls.filter((c) => c.cmd === 'calendar')).toHaveLength(2);
  });

  it('asks which one is me once: in the first-run card while it shows', async () => {
    mockBackend({
      calendar: () => ({ ...dstCalendar, me: null, source: { ...brokenFolder, error: null, problems: [] } }),
      welcome: () => ({ show: true, team: 'Night Shift', sample: false, members: ['Sam', 'Kenji', 'Lena'], me: null, can_add_me: false, start_at_login: false }),
    });
    const cal = createCalendarView({ navigate: () => undefined });
    container().appendChild(cal.el);
    cal.setVisible(true);
    await cal.refresh();
    await settle();
    expect(document.querySelector<HTMLElement>('[data-testid="welcome"]')?.hidden).toBe(false);
    expect(document.querySelector('[data-testid="who-are-you"]')).toBeNull();
  });
});
