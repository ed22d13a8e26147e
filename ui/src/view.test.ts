// The shared refresh: only the latest answer renders, and a failure offers a retry.

import { describe, expect, it, vi } from 'vitest';
import { refresher } from './view';

/** A promise to settle by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('refresher', () => {
  it('renders only the latest answer and clears the message first', async () => {
    const message = document.createElement('div');
    message.textContent = 'old failure';
    const answers = [deferred<string>(), deferred<string>()];
    let n = 0;
    const rendered: string[] = [];
    const refresh = refresher(() => answers[n++]!.promise, message, (v) => rendered.push(v), () => 'failed');
    const first = refresh();
    const second = refresh();
    answers[1]!.resolve('new');
    await second;
    answers[0]!.resolve('stale');
    await first;
    expect(rendered).toEqual(['new']);
    expect(message.textContent).toBe('');
  });

  it('shows a failure in the message, with a retry that refreshes again', async () => {
    const message = document.createElement('div');
    let fail = true;
    const rendered: number[] = [];
    let retry: (() => void) | null = null;
    const refresh = refresher(
      () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(1)),
      message,
      (v) => rendered.push(v),
      (error, again) => {
        retry = again;
        return `failed: ${(error as Error).message}`;
      },
    );
    await refresh();
    expect(message.textContent).toBe('failed: down');
    fail = false;
    retry!();
    await vi.waitFor(() => expect(rendered).toEqual([1]));
    expect(message.textContent).toBe('');
  });
});
