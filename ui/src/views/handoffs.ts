// Handoffs: my next baton passes, each shown in both people's local time (the giver reads "my 17:30",
// the receiver "their 08:00"), and the team's follow-the-sun relay with its coverage gaps.

import type { HandoffWindow, HandoffsView } from '../bindings';
import { h, mount } from '../dom';
import * as ipc from '../ipc';
import { city, dayTimeIn, duration, ms, rangeIn } from '../time';
import { errorBanner, refresher, type View } from '../view';

const DAYS = 7;

/** `Tue 15:00–16:30` in `zone`, or one instant when start and end are the same. */
function span(start: string, end: string, zone: string): string {
  return start === end ? dayTimeIn(start, zone) : rangeIn(start, end, zone, true);
}

/** One baton pass, with both sides' local times. */
export function handoffCard(w: HandoffWindow, me: string | null): HTMLElement {
  const live = w.kind === 'sync';
  const giver = w.from === me ? 'You' : w.from;
  const receiver = w.to === me ? 'you' : w.to;
  const side = (who: string, zone: string, text: string, cls: string) =>
    h(
      'div',
      { class: `side ${cls}` },
      h('div', { class: 'side-who' }, who, h('span', { class: 'muted' }, ` · ${city(zone)}`)),
      h('div', { class: 'side-time' }, text),
    );
  return h(
    'li',
    { class: `handoff handoff-${w.kind}`, 'data-testid': 'handoff' },
    h(
      'div',
      { class: 'handoff-head' },
      h('span', { class: `pill pill-${w.kind}` }, live ? 'Sync · live' : 'Async · written'),
      h('span', { class: 'handoff-who' }, `${giver} → ${receiver}`),
      h(
        'span',
        { class: 'handoff-len muted' },
        live ? `${duration(w.minutes)} together` : `baton waits ${duration(w.minutes)}`,
      ),
    ),
    live
      ? h(
          'div',
          { class: 'sides' },
          side(w.from, w.from_time_zone, span(w.start, w.end, w.from_time_zone), 'side-from'),
          side(w.to, w.to_time_zone, span(w.start, w.end, w.to_time_zone), 'side-to'),
        )
      : h(
          'div',
          { class: 'sides' },
          side(w.from, w.from_time_zone, `hands over at ${dayTimeIn(w.start, w.from_time_zone)}`, 'side-from'),
          side(w.to, w.to_time_zone, `picks up at ${dayTimeIn(w.end, w.to_time_zone)}`, 'side-to'),
        ),
  );
}

/** The handoffs tab. */
export function createHandoffsView(): View {
  const body = h('div', { class: 'handoffs-body' });
  const sub = h('p', { class: 'muted view-sub' }, `The next ${DAYS} days`);
  const el = h(
    'section',
    { class: 'view view-handoffs', 'aria-labelledby': 'handoffs-heading' },
    h('header', { class: 'view-header' }, h('h1', { id: 'handoffs-heading' }, 'Handoffs'), sub),
    body,
  );

  function render(v: HandoffsView): void {
    // Gaps are shown in my zone.
    const myZone = v.time_zone;
    sub.textContent = v.me && v.next ? `The next ${DAYS} days · ${v.me} hands to ${v.next}` : `The next ${DAYS} days`;

    const mine = h(
      'section',
      { class: 'card', 'aria-labelledby': 'mine-title' },
      h('h2', { id: 'mine-title', class: 'pane-title' }, 'Your baton passes'),
      !v.me
        ? h('p', { class: 'muted' }, 'The team file does not say which member you are; set ', h('code', null, 'me'), ' to see your handoffs.')
        : !v.mine.length
          ? h('p', { class: 'muted' }, `No handoffs from ${v.me}${v.next ? ` to ${v.next}` : ''} in the next ${DAYS} days.`)
          : h('ol', { class: 'handoff-list', 'data-testid': 'my-handoffs' }, v.mine.map((w) => handoffCard(w, v.me))),
    );

    const total = 168;
    const covered = Math.min(total, v.covered_hours_per_week);
    const coverage = h('div', { class: 'meter', role: 'img', 'aria-label': `${covered} of ${total} hours covered each week` });
    const fill = h('div', { class: 'meter-fill' });
    fill.style.width = `${((covered / total) * 100).toFixed(2)}%`;
    coverage.appendChild(fill);

    const relay = h(
      'section',
      { class: 'card', 'aria-labelledby': 'relay-title' },
      h('h2', { id: 'relay-title', class: 'pane-title' }, 'Team relay'),
      v.order.length
        ? h(
            'ol',
            { class: 'relay-order', 'aria-label': 'Relay order, east to west' },
            v.order.map((name, i) => [
              i > 0 ? h('li', { class: 'relay-arrow', 'aria-hidden': 'true' }, '→') : null,
              h('li', { class: name === v.me ? 'is-me' : '' }, name),
            ]),
            v.order[0] ? h('li', { class: 'relay-arrow', 'aria-hidden': 'true' }, '→') : null,
            v.order[0] ? h('li', { class: 'relay-wrap muted', 'aria-hidden': 'true' }, v.order[0]) : null,
          )
        : h('p', { class: 'muted' }, 'No teammates yet.'),
      h(
        'div',
        { class: 'coverage' },
        h('div', { class: 'coverage-text' }, h('strong', null, `${v.covered_hours_per_week} h`), ` of ${total} h covered per week`),
        coverage,
      ),
      h('h3', { class: 'sub-title' }, 'Passes'),
      v.relay.length
        ? h('ol', { class: 'handoff-list compact', 'data-testid': 'relay' }, v.relay.map((w) => handoffCard(w, v.me)))
        : h('p', { class: 'muted' }, 'No passes in range.'),
      h('h3', { class: 'sub-title' }, `Coverage gaps · ${city(myZone)} time`),
      v.gaps.length
        ? h(
            'ul',
            { class: 'gaps', 'data-testid': 'gaps' },
            v.gaps.map((g) =>
              h(
                'li',
                null,
                h('span', null, rangeIn(g.start, g.end, myZone, true)),
                h('span', { class: 'muted' }, duration((ms(g.end) - ms(g.start)) / 60_000)),
              ),
            ),
          )
        : h('p', { class: 'ok' }, 'Someone is working around the clock.'),
      h('h3', { class: 'sub-title', id: 'forecast-title' }, `Coming weeks · ${city(myZone)} time`),
      v.forecast.length
        ? h(
            'ul',
            { class: 'gaps forecast', 'data-testid': 'forecast', 'aria-labelledby': 'forecast-title' },
            v.forecast.map((g) =>
              h(
                'li',
                null,
                h('span', null, rangeIn(g.start, g.end, myZone, true)),
                h('span', { class: 'muted' }, `nobody works: ${g.missing}`),
              ),
            ),
          )
        : h('p', { class: 'ok' }, 'No gaps beyond a normal week in the next 8 weeks.'),
    );

    mount(body, h('div', { class: 'handoffs-grid' }, mine, relay));
  }

  // The body is both where the view renders and where a failure shows, so either replaces the other.
  const refresh = refresher(() => ipc.handoffs(DAYS), body, render, (error, retry) => errorBanner(error, retry));

  return {
    el,
    refresh,
    setVisible() {
      // Nothing ticks here: the shell emits `baton:changed` when anything moves.
    },
  };
}
