import { emit } from '@tauri-apps/api/event';
import { mockWindows } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OverlayView } from './bindings';
import { presenceText, startOverlay } from './overlay-app';
import { byTestId, cleanup, container, mockBackend, settle } from './test/helpers';
import { overlayFocusing, overlayIdle } from './test/fixtures';

async function mountOverlay(initial: OverlayView = overlayIdle) {
  let state = initial;
  const calls = mockBackend({
    overlay: () => state,
    start_focus: () => (state = overlayFocusing),
    stop_focus: () => (state = overlayIdle),
    'plugin:window|close': () => null,
  });
  mockWindows('overlay');
  await startOverlay(container());
  await settle();
  return { calls, set: (v: OverlayView) => (state = v) };
}

const rows = () => Array.from(document.querySelectorAll<HTMLElement>('[data-testid="overlay-member"]'));
const row = (name: string) => rows().find((r) => r.dataset.member === name);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-03-09T18:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

describe('overlay', () => {
  it('lists who is working first, each with their local time and state', async () => {
    await mountOverlay();
    // Kenji is off, so he comes after the two who are working.
    expect(rows().map((r) => r.dataset.member)).toEqual(['Sam', 'Lena', 'Kenji']);
    expect(row('Sam')?.querySelector('.ov-time')?.textContent).toBe('14:00');
    expect(row('Sam')?.querySelector('.ov-state')?.textContent).toBe('Working · until 17:00');
    expect(row('Lena')?.querySelector('.ov-time')?.textContent).toBe('19:00');
    expect(row('Lena')?.querySelector('.ov-state')?.textContent).toBe('Focus · until 20:00');
    // 03:00 on Tuesday in Tokyo: a different day from mine, so the weekday is shown.
    expect(row('Kenji')?.querySelector('.ov-time')?.textContent).toMatch(/^03:00\s*\S+/);
    expect(row('Kenji')?.querySelector('.ov-state')?.textContent).toBe('Off · back 09:00');
    expect(row('Kenji')?.className).toContain('state-off');
    expect(row('Kenji')?.getAttribute('aria-label')).toMatch(/^Kenji, \S+ 03:00 in Tokyo, Off · back 09:00$/);
  });

  it('counts down to the next handoff in my zone', async () => {
    await mountOverlay();
    expect(byTestId('overlay-handoff').textContent).toBe('AsyncNext handoff: Kenji 16:00, in 2 h');
  });

  it('ticks local times each minute without calling the core', async () => {
    const { calls } = await mountOverlay();
    const before = calls.length;
    await vi.advanceTimersByTimeAsync(59_000);
    expect(row('Sam')?.querySelector('.ov-time')?.textContent).toBe('14:00');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(row('Sam')?.querySelector('.ov-time')?.textContent).toBe('14:01');
    expect(byTestId('overlay-handoff').textContent).toContain('in 1 h 59 min');
    expect(calls.length).toBe(before);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('stops ticking while the window is hidden', async () => {
    await mountOverlay();
    expect(vi.getTimerCount()).toBe(1);
    Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(vi.getTimerCount()).toBe(0);
    Reflect.deleteProperty(document, 'visibilityState');
  });

  it('toggles a 25-minute focus session and stops it', async () => {
    const { calls } = await mountOverlay();
    const toggle = byTestId<HTMLButtonElement>('overlay-focus-toggle');
    expect(toggle.textContent).toBe('Focus 25 min');
    toggle.click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'start_focus', args: { length: { kind: 'minutes', minutes: 25 } } });
    expect(toggle.textContent).toBe('Stop focus · 50 min left');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    toggle.click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'stop_focus', args: {} });
    expect(toggle.textContent).toBe('Focus 25 min');
  });

  it('refetches on baton:changed', async () => {
    const { calls, set } = await mountOverlay();
    set({ ...overlayIdle, members: overlayIdle.members.map((m) => ({ ...m, presence: 'off' as const })) });
    await emit('baton:changed');
    await settle();
    expect(calls.filter((c) => c.cmd === 'overlay')).toHaveLength(2);
    expect(row('Sam')?.className).toContain('state-off');
  });

  it('has a drag region and a close button that closes the window', async () => {
    const { calls } = await mountOverlay();
    expect(document.querySelector('header[data-tauri-drag-region]')).not.toBeNull();
    byTestId('overlay-close').click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'plugin:window|close', args: { label: 'overlay' } });
  });
});

describe('presence text far ahead', () => {
  const now = Date.parse('2026-03-20T08:00:00Z');
  const mia = { name: 'Mia', time_zone: 'Australia/Lord_Howe', is_me: false, presence: 'off' as const };
  it('gives the date of a return more than 6 days away', () => {
    // Back Monday 6 April 09:00 +10:30 (Lord Howe after its DST end).
    expect(presenceText({ ...mia, until: '2026-04-05T22:30:00Z' }, now)).toBe('Off · back Mon, Apr 6 09:00');
  });
  it('says when there is no return within the horizon', () => {
    expect(presenceText({ ...mia, until: null }, now)).toBe('Off · no working hours in the next year');
  });
});
