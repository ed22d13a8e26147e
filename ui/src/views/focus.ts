// Focus: start an on-demand session (25, 50, 90 minutes or until the end of my working period), stop it,
// and see what is protected. The countdown ticks locally on a `setTimeout` chain that runs only while a
// session does; everything else is refetched on `baton:changed`, never polled.

import type { FocusLength, OverlayView } from '../bindings';
import { h, mount } from '../dom';
import { minutesLeft, minutesLength, UNTIL_END_OF_DAY, untilCountdownChanges } from '../focus';
import * as ipc from '../ipc';
import { city, clockFrom, duration, ms, timeIn } from '../time';
import { errorBanner, refresher, type View } from '../view';

/** The focus tab. */
export function createFocusView(): View {
  let view: OverlayView | null = null;
  let clock: () => number = () => Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let visible = false;
  let busy = false;
  /** The session end a refetch was already asked for, so an ended session is refetched once only. */
  let endedFor: string | null = null;

  const status = h('p', { class: 'focus-status', 'data-testid': 'focus-status' }, 'Not in focus');
  // Announces starts and stops once; the countdown itself is not a live region (it would speak every minute).
  const announcer = h('p', { class: 'visually-hidden', role: 'status' });
  const detail = h('p', { class: 'focus-detail muted' });
  const scheduled = h('p', { class: 'focus-scheduled', 'data-testid': 'focus-scheduled' });
  const protectedTime = h('p', { class: 'focus-protected', 'data-testid': 'focus-protected' });
  const message = h('div', { class: 'focus-message' });

  const start = (length: FocusLength) => () => void run(() => ipc.startFocus(length));
  const b25 = h('button', { type: 'button', class: 'btn btn-focus', 'data-testid': 'focus-25', onClick: start(minutesLength(25)) }, h('strong', null, '25'), ' min');
  const b50 = h('button', { type: 'button', class: 'btn btn-focus', 'data-testid': 'focus-50', onClick: start(minutesLength(50)) }, h('strong', null, '50'), ' min');
  const b90 = h('button', { type: 'button', class: 'btn btn-focus', 'data-testid': 'focus-90', onClick: start(minutesLength(90)) }, h('strong', null, '90'), ' min');
  const eod = h('button', { type: 'button', class: 'btn btn-focus btn-eod', 'data-testid': 'focus-eod', onClick: start(UNTIL_END_OF_DAY) }, 'Until end of day');
  const stop = h('button', { type: 'button', class: 'btn btn-stop', 'data-testid': 'focus-stop', hidden: true, onClick: () => void run(() => ipc.stopFocus()) }, 'Stop focus');

  const el = h(
    'section',
    { class: 'view view-focus', 'aria-labelledby': 'focus-heading' },
    h(
      'header',
      { class: 'view-header' },
      h('h1', { id: 'focus-heading' }, 'Focus'),
      h('p', { class: 'muted view-sub' }, 'Protected deep work. A session survives a restart and counts towards this week’s protected hours.'),
    ),
    message,
    announcer,
    h(
      'div',
      { class: 'focus-grid' },
      h(
        'section',
        { class: 'card focus-card', 'aria-label': 'Focus now' },
        h('div', { class: 'focus-state' }, h('span', { class: 'focus-dot', 'aria-hidden': 'true' }), h('div', null, status, detail)),
        stop,
        h('h2', { id: 'start-title', class: 'sub-title' }, 'Start a session'),
        h('div', { class: 'focus-buttons', role: 'group', 'aria-labelledby': 'start-title' }, b25, b50, b90, eod),
      ),
      h(
        'section',
        { class: 'card focus-week', 'aria-labelledby': 'week-title' },
        h('h2', { id: 'week-title', class: 'pane-title' }, 'This week'),
        protectedTime,
        scheduled,
      ),
    ),
  );

  async function run(action: () => Promise<OverlayView>): Promise<void> {
    if (busy) return;
    busy = true;
    syncButtons();
    try {
      const was = view?.focus.session ?? false;
      const v = await action();
      mount(message);
      render(v);
      if (v.focus.session !== was) {
        announcer.textContent = v.focus.session ? `Focus started: ${v.focus.minutes_left ?? ''} min` : 'Focus stopped';
      }
    } catch (error) {
      mount(message, errorBanner(error));
    } finally {
      busy = false;
      syncButtons();
    }
  }

  function syncButtons(): void {
    const f = view?.focus;
    for (const b of [b25, b50, b90]) b.disabled = busy;
    eod.disabled = busy || !f?.end_of_day;
    stop.disabled = busy;
    stop.hidden = !f?.session;
  }

  function render(v: OverlayView): void {
    view = v;
    clock = clockFrom(v.now);
    const f = v.focus;
    const zone = v.time_zone;
    mount(
      eod,
      'Until end of day',
      f.end_of_day ? h('span', { class: 'eod-time' }, ` (${timeIn(f.end_of_day, zone)})`) : null,
    );
    eod.title = f.end_of_day ? '' : 'Only while you are in your working hours';
    scheduled.textContent = f.scheduled
      ? 'A scheduled focus block is on now.'
      : 'No scheduled focus block right now.';
    protectedTime.replaceChildren(
      h('strong', { class: 'big' }, duration(f.protected_minutes_this_week)),
      ' of focus protected this week',
    );
    syncButtons();
    tick();
  }

  /** Shows the countdown at the current clock and schedules the next change while a session runs. */
  function tick(): void {
    clearTimeout(timer);
    if (!view) return;
    const v = view;
    const f = v.focus;
    const now = clock();
    const left = minutesLeft(f, now, ms(v.now));
    el.classList.toggle('is-focusing', left !== null);
    if (left === null) {
      status.textContent = 'Not in focus';
      detail.textContent = f.scheduled ? 'Your scheduled focus block is protecting this time.' : 'Start a session below.';
      return;
    }
    status.textContent = `In focus · ${left} min left`;
    detail.textContent = f.session_ends ? `Until ${timeIn(f.session_ends, v.time_zone)} ${city(v.time_zone)} time` : '';
    if (!visible) return;
    const wait = untilCountdownChanges(f, now);
    if (wait !== null) {
      timer = setTimeout(tick, wait);
    } else if (f.session_ends && endedFor !== f.session_ends) {
      // The session just ran out: ask once for the new state (the shell also sends `baton:changed`).
      endedFor = f.session_ends;
      void refresh();
    }
  }

  const refresh = refresher(() => ipc.overlay(), message, render, (error, retry) => errorBanner(error, retry));

  syncButtons();

  return {
    el,
    refresh,
    setVisible(v: boolean) {
      visible = v;
      if (v) tick();
      else clearTimeout(timer);
    },
  };
}
