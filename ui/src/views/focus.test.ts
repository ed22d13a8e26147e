import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FocusLength, OverlayView } from '../bindings';
import { byTestId, cleanup, container, mockBackend, settle } from '../test/helpers';
import { overlayFocusing, overlayIdle } from '../test/fixtures';
import { createFocusView } from './focus';

async function mountFocus(initial: OverlayView = overlayIdle) {
  let state = initial;
  const calls = mockBackend({
    overlay: () => state,
    start_focus: (args) => {
      const length = args.length as FocusLength;
      state =
        length.kind === 'minutes'
          ? { ...overlayFocusing, focus: { ...overlayFocusing.focus, minutes_left: length.minutes } }
          : { ...overlayFocusing, focus: { ...overlayFocusing.focus, session_ends: '2026-03-09T21:00:00Z', minutes_left: 180 } };
      return state;
    },
    stop_focus: () => {
      state = overlayIdle;
      return state;
    },
  });
  const view = createFocusView();
  container().appendChild(view.el);
  view.setVisible(true);
  await view.refresh();
  await settle();
  return { view, calls };
}

const status = () => byTestId('focus-status').textContent ?? '';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  // The machine clock and the fixture's `now` agree, as they do in the app.
  vi.setSystemTime(new Date('2026-03-09T18:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

describe('focus view', () => {
  it('shows the idle state, the end-of-day time and protected hours', async () => {
    await mountFocus();
    expect(status()).toBe('Not in focus');
    expect(byTestId('focus-stop').hidden).toBe(true);
    // End of day 21:00Z is 17:00 EDT.
    expect(byTestId('focus-eod').textContent).toBe('Until end of day (17:00)');
    expect(byTestId<HTMLButtonElement>('focus-eod').disabled).toBe(false);
    expect(byTestId('focus-protected').textContent).toBe('6 h 30 min of focus protected this week');
    expect(byTestId('focus-scheduled').textContent).toBe('No scheduled focus block right now.');
  });

  it.each([
    ['focus-25', { kind: 'minutes', minutes: 25 }],
    ['focus-50', { kind: 'minutes', minutes: 50 }],
    ['focus-90', { kind: 'minutes', minutes: 90 }],
    ['focus-eod', { kind: 'until_end_of_day' }],
  ] as const)('%s starts focus with %o', async (button, length) => {
    const { calls } = await mountFocus();
    byTestId(button).click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'start_focus', args: { length } });
    expect(status()).toMatch(/^In focus · \d+ min left$/);
    expect(byTestId('focus-stop').hidden).toBe(false);
  });

  it('shows the minutes left and stops', async () => {
    const { calls } = await mountFocus();
    byTestId('focus-50').click();
    await settle();
    expect(status()).toBe('In focus · 50 min left');
    byTestId('focus-stop').click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'stop_focus', args: {} });
    expect(status()).toBe('Not in focus');
    expect(byTestId('focus-stop').hidden).toBe(true);
  });

  it('counts down once a minute without calling the core', async () => {
    const { calls } = await mountFocus(overlayFocusing);
    expect(status()).toBe('In focus · 50 min left');
    const before = calls.length;
    // The session ends at 18:49:30Z, so the display turns to 49 at 18:00:30Z, then each minute.
    await vi.advanceTimersByTimeAsync(29_000);
    expect(status()).toBe('In focus · 50 min left');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(status()).toBe('In focus · 49 min left');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(status()).toBe('In focus · 48 min left');
    expect(calls.length).toBe(before);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('runs no timer without a session, nor while hidden', async () => {
    const { view } = await mountFocus(overlayIdle);
    expect(vi.getTimerCount()).toBe(0);
    cleanup();
    const focusing = await mountFocus(overlayFocusing);
    expect(vi.getTimerCount()).toBe(1);
    focusing.view.setVisible(false);
    expect(vi.getTimerCount()).toBe(0);
    view.setVisible(false);
  });

  it('disables "until end of day" outside working hours', async () => {
    await mountFocus({ ...overlayIdle, focus: { ...overlayIdle.focus, end_of_day: null } });
    expect(byTestId<HTMLButtonElement>('focus-eod').disabled).toBe(true);
    expect(byTestId('focus-eod').textContent).toBe('Until end of day');
  });

  it('shows why a session could not start', async () => {
    mockBackend({
      overlay: () => overlayIdle,
      start_focus: () => {
        throw { code: 'focus', message: 'you are outside your working hours, so there is no end of day to focus until; pick a length', problems: [] };
      },
    });
    const view = createFocusView();
    container().appendChild(view.el);
    await view.refresh();
    byTestId('focus-eod').click();
    await settle();
    expect(view.el.querySelector('[role="alert"]')?.textContent).toContain('outside your working hours');
    expect(status()).toBe('Not in focus');
  });
});
