// The compact always-on-top overlay: who is working now with their local time, my next baton pass, and
// a focus toggle. Local times and countdowns tick once a minute from the payload's `now`, and only while
// the window is visible; state changes arrive as `baton:changed` (the shell wakes when one is due).

import { getCurrentWindow } from '@tauri-apps/api/window';
import type { OverlayView, PresenceRow } from './bindings';
import { h, mount } from './dom';
import { minutesLeft, minutesLength } from './focus';
import * as ipc from './ipc';
import { city, clockFrom, dateTimeIn, dayTimeIn, loadHabits, localDate, ms, relative, timeIn, untilNextMinute, weekdayIn } from './time';
import { errorText, refresher } from './view';

const PRESENCE: Record<PresenceRow['presence'], string> = { working: 'Working', focus: 'Focus', off: 'Off' };

/** `17:30`, or `Mon 17:30` when that is not today in `zone`, or `Mon 20 Apr 09:00` from 6 days away. */
function when(t: string | number, zone: string, now: number): string {
  const at = typeof t === 'string' ? ms(t) : t;
  if (localDate(at, zone) === localDate(now, zone)) return timeIn(at, zone);
  return at - now < 6 * 24 * 3600 * 1000 ? dayTimeIn(at, zone) : dateTimeIn(at, zone);
}

/** `Working · until 17:30` in the member's own time. */
export function presenceText(m: PresenceRow, now: number): string {
  const state = PRESENCE[m.presence];
  // No `until`: no change within the payload's horizon of a year.
  if (!m.until) return m.presence === 'off' ? `${state} · no working hours in the next year` : state;
  const at = when(m.until, m.time_zone, now);
  return m.presence === 'off' ? `${state} · back ${at}` : `${state} · until ${at}`;
}

/** `Next handoff: Kenji 17:30, in 2 h` (time in my zone). */
export function handoffText(v: OverlayView, now: number): string | null {
  const next = v.next_handoff;
  if (!next) return null;
  const at = ms(next.at);
  const w = next.window;
  if (w.kind === 'sync' && at <= now && now < ms(w.end)) {
    return `Next handoff: ${w.to} now, live until ${when(w.end, v.time_zone, now)}`;
  }
  return `Next handoff: ${w.to} ${when(at, v.time_zone, now)}, ${relative(at - now)}`;
}

/** Builds the overlay into `root`. */
export async function startOverlay(root: HTMLElement): Promise<void> {
  await loadHabits(ipc.locale);
  let view: OverlayView | null = null;
  let clock: () => number = () => Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = false;

  const clockEl = h('span', { class: 'ov-clock', 'data-tauri-drag-region': true });
  const close = h(
    'button',
    {
      type: 'button',
      class: 'ov-close',
      'aria-label': 'Close overlay',
      title: 'Close',
      'data-testid': 'overlay-close',
      onClick: () => void closeWindow(),
    },
    '×',
  );
  const message = h('div', { class: 'ov-message', role: 'alert' });
  const handoff = h('section', { class: 'ov-handoff', 'data-testid': 'overlay-handoff', 'aria-label': 'Next handoff' });
  const list = h('ul', { class: 'ov-members', 'aria-label': 'Teammates now' });
  const toggle = h(
    'button',
    { type: 'button', class: 'btn btn-primary ov-toggle', 'data-testid': 'overlay-focus-toggle', onClick: () => void toggleFocus() },
    'Focus 25 min',
  );

  mount(
    root,
    h(
      'div',
      { class: 'ov' },
      h(
        'header',
        { class: 'ov-bar', 'data-tauri-drag-region': true },
        h('span', { class: 'ov-grip', 'aria-hidden': 'true', 'data-tauri-drag-region': true }),
        h('span', { class: 'ov-title', 'data-tauri-drag-region': true }, 'Baton'),
        clockEl,
        close,
      ),
      message,
      handoff,
      list,
      h('footer', { class: 'ov-foot' }, toggle),
    ),
  );

  async function closeWindow(): Promise<void> {
    try {
      await getCurrentWindow().close();
    } catch (error) {
      mount(message, errorText(error));
    }
  }

  async function toggleFocus(): Promise<void> {
    if (busy || !view) return;
    busy = true;
    toggle.disabled = true;
    try {
      const v = view.focus.session ? await ipc.stopFocus() : await ipc.startFocus(minutesLength(25));
      mount(message);
      render(v);
    } catch (error) {
      mount(message, errorText(error));
    } finally {
      busy = false;
      toggle.disabled = false;
    }
  }

  function render(v: OverlayView): void {
    view = v;
    clock = clockFrom(v.now);
    paint();
  }

  /** Draws everything that depends on the clock; runs on each fetch and each minute. */
  function paint(): void {
    if (!view) return;
    const v = view;
    const now = clock();
    clockEl.textContent = `${timeIn(now, v.time_zone)} ${city(v.time_zone)}`;
    const text = handoffText(v, now);
    mount(
      handoff,
      text
        ? [
            h('span', { class: `pill pill-${v.next_handoff?.window.kind ?? 'sync'}` }, v.next_handoff?.window.kind === 'async' ? 'Async' : 'Sync'),
            h('span', { class: 'ov-handoff-text' }, text),
          ]
        : h('span', { class: 'muted' }, 'No handoff in the coming week'),
    );
    // Who is working first, then the rest, each group in team order.
    const rank = (m: PresenceRow) => (m.presence === 'off' ? 1 : 0);
    const members = [...v.members].sort((a, b) => rank(a) - rank(b));
    mount(
      list,
      members.length
        ? members.map((m) => {
            const local = timeIn(now, m.time_zone);
            const sameDay = localDate(now, m.time_zone) === localDate(now, v.time_zone);
            const state = presenceText(m, now);
            return h(
              'li',
              {
                class: `ov-member state-${m.presence}${m.is_me ? ' is-me' : ''}`,
                'data-testid': 'overlay-member',
                'data-member': m.name,
                'aria-label': `${m.name}${m.is_me ? ' (you)' : ''}, ${sameDay ? local : dayTimeIn(now, m.time_zone)} in ${city(m.time_zone)}, ${state}`,
              },
              h('span', { class: 'dot', 'aria-hidden': 'true' }),
              h(
                'span',
                { class: 'ov-who', 'aria-hidden': 'true' },
                h('span', { class: 'ov-name' }, m.name, m.is_me ? h('span', { class: 'badge badge-me' }, 'You') : null),
                h('span', { class: 'ov-state' }, state),
              ),
              h(
                'span',
                { class: 'ov-time', 'aria-hidden': 'true', 'data-local': local },
                local,
                sameDay ? null : h('small', { class: 'ov-day' }, weekdayIn(now, m.time_zone)),
              ),
            );
          })
        : h('li', { class: 'muted ov-empty' }, 'No teammates yet.'),
    );
    const left = minutesLeft(v.focus, now, ms(v.now));
    toggle.textContent = left === null ? 'Focus 25 min' : `Stop focus · ${left} min left`;
    toggle.classList.toggle('is-on', left !== null);
    toggle.setAttribute('aria-pressed', String(left !== null));
    schedule();
  }

  function schedule(): void {
    clearTimeout(timer);
    if (document.visibilityState === 'hidden' || !view) return;
    timer = setTimeout(paint, untilNextMinute(clock()));
  }

  const refresh = refresher(() => ipc.overlay(), message, render, (error) => errorText(error));

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') clearTimeout(timer);
    else void refresh();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') void closeWindow();
  });

  await Promise.all([refresh(), ipc.onChanged(() => void refresh())]);
}
