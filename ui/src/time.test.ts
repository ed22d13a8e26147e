import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays,
  currentHabits,
  dateIn,
  dayTimeIn,
  duration,
  hourTicks,
  loadHabits,
  notWorkingText,
  offsetLabel,
  offsetMinutes,
  offsetSegments,
  rangeIn,
  relative,
  setHabits,
  timeIn,
} from './time';

const t = (iso: string) => Date.parse(iso);

describe('time', () => {
  it('formats local times in any zone', () => {
    expect(timeIn('2026-03-09T13:00:00Z', 'America/New_York')).toBe('09:00');
    expect(timeIn('2026-03-09T13:00:00Z', 'Asia/Kolkata')).toBe('18:30');
    expect(timeIn('2026-03-09T13:00:00Z', 'Asia/Kathmandu')).toBe('18:45');
  });

  it('knows offsets, including half hours and DST', () => {
    expect(offsetMinutes(t('2026-03-08T06:59:00Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(t('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetLabel(t('2026-03-09T00:00:00Z'), 'Asia/Kolkata')).toBe('UTC+5:30');
    expect(offsetLabel(t('2026-03-09T00:00:00Z'), 'America/Sao_Paulo')).toBe('UTC−3');
  });

  it('finds the DST change to the minute', () => {
    const segs = offsetSegments(t('2026-03-08T05:00:00Z'), t('2026-03-09T04:00:00Z'), 'America/New_York');
    expect(segs).toEqual([
      { from: t('2026-03-08T05:00:00Z'), to: t('2026-03-08T07:00:00Z'), offset: -300 },
      { from: t('2026-03-08T07:00:00Z'), to: t('2026-03-09T04:00:00Z'), offset: -240 },
    ]);
  });

  it('ticks local hours through a fall-back day, repeating 01:00', () => {
    // 1 November 2026 in New York: 00:00 EDT = 04:00Z, 25 hours long.
    const ticks = hourTicks(t('2026-11-01T04:00:00Z'), t('2026-11-01T08:00:00Z'), 'America/New_York', 1);
    expect(ticks.map((x) => [x.label, new Date(x.t).toISOString()])).toEqual([
      ['00:00', '2026-11-01T04:00:00.000Z'],
      ['01:00', '2026-11-01T05:00:00.000Z'],
      ['01:00', '2026-11-01T06:00:00.000Z'],
      ['02:00', '2026-11-01T07:00:00.000Z'],
    ]);
  });

  it('ticks a half-hour zone on its own whole hours', () => {
    const ticks = hourTicks(t('2026-03-09T00:00:00Z'), t('2026-03-09T02:00:00Z'), 'Asia/Kolkata', 1);
    expect(ticks.map((x) => [x.label, new Date(x.t).toISOString()])).toEqual([
      ['06:00', '2026-03-09T00:30:00.000Z'],
      ['07:00', '2026-03-09T01:30:00.000Z'],
    ]);
  });

  it('writes ranges, durations and countdowns for people', () => {
    expect(rangeIn('2026-03-09T13:00:00Z', '2026-03-09T21:00:00Z', 'America/New_York')).toBe('09:00–17:00');
    expect(rangeIn('2026-03-10T03:00:00Z', '2026-03-10T11:00:00Z', 'America/New_York')).toMatch(/^23:00–\S+ 07:00$/);
    expect(duration(45)).toBe('45 min');
    expect(duration(150)).toBe('2 h 30 min');
    expect(duration(3930)).toBe('2 d 18 h');
    expect(relative(2 * 3_600_000)).toBe('in 2 h');
    expect(relative(44 * 60_000 + 1)).toBe('in 45 min');
    expect(relative(0)).toBe('now');
    expect(addDays('2026-03-08', 7)).toBe('2026-03-15');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
  it('says when a member with no hours in the range is back, or that they are not within a year', () => {
    expect(notWorkingText('2026-04-20T08:00:00Z', 'Europe/London')).toBe('not working in this range, back Mon, Apr 20 09:00');
    expect(notWorkingText(null, 'Europe/London')).toBe('not working in this range or the year after it');
  });
});

describe('the person\'s habits: locale, clock, week', () => {
  afterEach(() => setHabits({ tag: '', hour12: false, week_start: 1 }));

  // Tuesday 10 March 2026, 17:30 in New York (21:30 UTC).
  const t = Date.UTC(2026, 2, 10, 21, 30);
  const zone = 'America/New_York';

  it.each([
    ['en-US', true, '5:30 PM', 'Tue 5:30 PM', 'Tue, Mar 10'],
    ['en-GB', false, '17:30', 'Tue 17:30', 'Tue 10 Mar'],
    ['de-DE', false, '17:30', 'Di 17:30', 'Di., 10. März'],
    ['ja-JP', false, '17:30', '火 17:30', '3月10日(火)'],
  ])('%s reads its own clock and dates', (tag, hour12, time, dayTime, date) => {
    setHabits({ tag, hour12, week_start: tag === 'en-US' || tag === 'ja-JP' ? 0 : 1 });
    expect(timeIn(t, zone)).toBe(time);
    expect(dayTimeIn(t, zone)).toBe(dayTime);
    expect(dateIn(t, zone)).toBe(date);
  });

  it('hour ticks read the 12-hour clock too', () => {
    setHabits({ tag: 'en-US', hour12: true, week_start: 0 });
    const ticks = hourTicks(Date.UTC(2026, 2, 10, 0), Date.UTC(2026, 2, 11, 0), 'UTC', 6);
    expect(ticks.map((k) => k.label)).toEqual(['12 AM', '6 AM', '12 PM', '6 PM']);
  });

  it('a 12-hour setting in a 24-hour locale, and back', () => {
    setHabits({ tag: 'en-GB', hour12: true, week_start: 1 });
    expect(timeIn(t, zone)).toBe('5:30 pm');
    setHabits({ tag: 'en-US', hour12: false, week_start: 0 });
    expect(timeIn(t, zone)).toBe('17:30');
  });

  it('keeps the defaults when the core cannot answer', async () => {
    await loadHabits(() => Promise.reject(new Error('no backend')));
    expect(currentHabits()).toEqual({ tag: '', hour12: false, week_start: 1 });
    await loadHabits(() => Promise.resolve({ tag: 'ja-JP', hour12: true, week_start: 0 }));
    expect(currentHabits().hour12).toBe(true);
  });
});
