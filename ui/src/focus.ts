// Focus arithmetic shared by the focus tab and the overlay: what to start, and how many minutes are left
// as the clock moves on between refetches.

import type { FocusLength, FocusView } from './bindings';
import { ms, MINUTE } from './time';

/** A fixed-length session of `minutes`. */
export function minutesLength(minutes: number): FocusLength {
  return { kind: 'minutes', minutes };
}

/** Until the end of my current working period. */
export const UNTIL_END_OF_DAY: FocusLength = { kind: 'until_end_of_day' };

/**
 * Whole minutes left at `now`, rounded up as the core rounds them; the core's own `minutes_left` while
 * `now` is still the instant it was computed for.
 */
export function minutesLeft(focus: FocusView, now: number, computedAt: number): number | null {
  if (!focus.session || !focus.session_ends) return null;
  if (now <= computedAt && focus.minutes_left !== null) return focus.minutes_left;
  return Math.max(0, Math.ceil((ms(focus.session_ends) - now) / MINUTE));
}

/** The delay until the displayed minutes-left changes, or null when no session runs. */
export function untilCountdownChanges(focus: FocusView, now: number): number | null {
  if (!focus.session || !focus.session_ends) return null;
  const left = ms(focus.session_ends) - now;
  if (left <= 0) return null;
  const into = left % MINUTE;
  return (into === 0 ? MINUTE : into) + 20;
}
