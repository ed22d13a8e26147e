// Test plumbing: a mocked backend that records every call, and a way to let pending IPC settle.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { resetCaches } from '../ipc';

/** One recorded command call. */
export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

type Handler = (args: Record<string, unknown>) => unknown;

/**
 * Answers commands from `handlers` (a handler may throw an `ErrorPayload` to reject) and records every
 * call except the event plugin's. Events are mocked, so `emit()` reaches the app's listeners.
 */
export function mockBackend(handlers: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) throw { code: 'ipc', message: `no mock for ${cmd}`, problems: [] };
      return handler(args);
    },
    { shouldMockEvents: true },
  );
  return calls;
}

/** Lets every queued promise callback run (the mocked IPC answers asynchronously). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

/** A fresh container in the document. */
export function container(): HTMLElement {
  const el = document.createElement('div');
  document.body.appendChild(el);
  return el;
}

/** Undoes mocks and the DOM between tests. */
export function cleanup(): void {
  clearMocks();
  resetCaches();
  document.body.replaceChildren();
}

/** The element with `data-testid`, failing loudly when it is missing. */
export function byTestId<E extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): E {
  const el = root.querySelector<E>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid="${id}"`);
  return el;
}

/** Types into an input or textarea as a user would (value, then an input event). */
export function type(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
