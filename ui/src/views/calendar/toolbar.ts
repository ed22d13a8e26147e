// The calendar's toolbar: previous / today / next, day or week, and the title and subtitle over it.
// Its buttons are built once (so focus stays on them while the range changes) and only their labels
// and pressed states follow the state.

import type { CalendarView } from '../../bindings';
import { h } from '../../dom';
import { dateLabel, ms, offsetLabel } from '../../time';
import type { ZoneMode } from './state';

/** What the toolbar's buttons do. */
export interface ToolbarActions {
  step(direction: number): void;
  today(): void;
  setDays(n: number): void;
}

/** The toolbar's buttons. */
export interface Toolbar {
  prev: HTMLButtonElement;
  today: HTMLButtonElement;
  next: HTMLButtonElement;
  dayBtn: HTMLButtonElement;
  weekBtn: HTMLButtonElement;
}

/** Builds the buttons. */
export function createToolbar(on: ToolbarActions): Toolbar {
  return {
    prev: h('button', { type: 'button', class: 'btn btn-icon', onClick: () => on.step(-1) }, '‹'),
    today: h('button', { type: 'button', class: 'btn', onClick: () => on.today() }, 'Today'),
    next: h('button', { type: 'button', class: 'btn btn-icon', onClick: () => on.step(1) }, '›'),
    dayBtn: h('button', { type: 'button', class: 'seg', 'data-testid': 'span-day', onClick: () => on.setDays(1) }, 'Day'),
    weekBtn: h('button', { type: 'button', class: 'seg', 'data-testid': 'span-week', onClick: () => on.setDays(7) }, 'Week'),
  };
}

/** Labels the buttons for a range of `days` starting `from` (null: the current one, so Today is off). */
export function syncToolbar(t: Toolbar, days: number, from: string | null): void {
  const unit = days === 1 ? 'day' : 'week';
  t.prev.setAttribute('aria-label', `Previous ${unit}`);
  t.next.setAttribute('aria-label', `Next ${unit}`);
  t.prev.title = `Previous ${unit}`;
  t.next.title = `Next ${unit}`;
  t.today.disabled = from === null;
  t.dayBtn.setAttribute('aria-pressed', String(days === 1));
  t.weekBtn.setAttribute('aria-pressed', String(days === 7));
}

/** The line under the team's name: the dates shown and the zone their hours are in. */
export function subtitleText(v: CalendarView, mode: ZoneMode): string {
  const first = v.days[0];
  const last = v.days[v.days.length - 1];
  const range =
    first && last && first !== last ? `${dateLabel(first.date)} – ${dateLabel(last.date)}` : first ? dateLabel(first.date) : '';
  return mode.kind === 'members'
    ? `${range} · each row in its member's local time`
    : `${range} · times in ${v.time_zone} (${offsetLabel(ms(v.start), v.time_zone)})`;
}
