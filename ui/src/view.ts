// What the main window needs from each of its views, and the error line they all show.

import { h, mount, type Child } from './dom';
import { IpcError, type Route } from './ipc';

/** One tab of the main window. */
export interface View {
  /** The view's root, mounted once into its tab panel. */
  readonly el: HTMLElement;
  /** Fetches what the view shows and renders it. Overlapping calls are fine: the last answer wins. */
  refresh(): Promise<void>;
  /** Shown or hidden: views run their minute timers only while visible. */
  setVisible(visible: boolean): void;
}

/** What views may ask of the window around them. */
export interface ViewContext {
  navigate(route: Route): void;
}

/** A message for a failed call, fit for a banner. */
export function errorText(error: unknown): string {
  const e = IpcError.from(error);
  return e.code === 'ipc' ? `Baton could not reach its core: ${e.message}` : e.message;
}

/** A banner for a failed load (role=alert so it is announced once). */
export function errorBanner(error: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'banner banner-error', role: 'alert' },
    h('span', null, errorText(error)),
    retry ? h('button', { type: 'button', class: 'btn btn-small', onClick: retry }, 'Try again') : null,
  );
}

/**
 * Runs fetches so that only the latest one renders: a slow answer arriving after a newer one (two
 * `baton:changed` events in a row, a quick double click on "next week") is dropped.
 */
export function latest(): <T>(promise: Promise<T>) => Promise<Latest<T>> {
  let seq = 0;
  return async <T>(promise: Promise<T>): Promise<Latest<T>> => {
    const mine = ++seq;
    try {
      const value = await promise;
      return mine === seq ? { current: true, value } : { current: false };
    } catch (error) {
      if (mine !== seq) return { current: false };
      throw error;
    }
  };
}

/** The answer of a fetch run through `latest()`: its value only when no newer fetch was started. */
export type Latest<T> = { current: true; value: T } | { current: false };

/**
 * A view's `refresh()`: runs `fetch` through `latest()`, then empties `message` and renders the answer,
 * or puts the failure in `message` as `failure` draws it (given a retry that refreshes again). A throw
 * from `render` counts as a failure too.
 */
export function refresher<T>(
  fetch: () => Promise<T>,
  message: Element,
  render: (value: T) => void,
  failure: (error: unknown, retry: () => void) => Child,
): () => Promise<void> {
  const guard = latest();
  const refresh = async (): Promise<void> => {
    try {
      const answer = await guard(fetch());
      if (!answer.current) return;
      mount(message);
      render(answer.value);
    } catch (error) {
      mount(message, failure(error, () => void refresh()));
    }
  };
  return refresh;
}
