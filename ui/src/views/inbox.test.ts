import { afterEach, describe, expect, it } from 'vitest';
import type { InboxEntryRow, InboxView } from '../bindings';
import { byTestId, cleanup, container, mockBackend, settle } from '../test/helpers';
import { createInboxView } from './inbox';

function row(ids: number[], title: string, overdue = false, url: string | null = null): InboxEntryRow {
  return {
    entry: {
      state: 'held',
      source: 'ci',
      group: ids.length > 1 ? 'build-1' : null,
      count: ids.length,
      ids,
      title,
      urgency: 'high',
      received_at: '2026-03-09T10:50:00Z',
      reply_by: '2026-03-09T14:00:00Z',
      overdue,
      failure: null,
      url,
    },
    received_label: '10:50',
    reply_by_label: '14:00',
  };
}

const full: InboxView = {
  held: [
    { kind: 'urgent', at: '2026-03-09T11:00:00Z', label: 'Now', count: 1, entries: [row([9], 'db down', true)] },
    { kind: 'end_of_focus', at: '2026-03-09T12:00:00Z', label: 'End of focus · 12:00', count: 2, entries: [row([3, 2], 'tests failed')] },
    {
      kind: 'digest',
      at: '2026-03-09T13:00:00Z',
      label: 'Next digest · 13:00',
      count: 1,
      entries: [row([5], 'review', false, 'https://example.com/pr/5')],
    },
  ],
  held_count: 4,
  failed: [],
  delivered: [{ ...row([1], 'old news'), entry: { ...row([1], 'old news').entry, state: 'delivered' } }],
  done: [],
  time_zone: 'UTC',
};
const empty: InboxView = { held: [], held_count: 0, failed: [], delivered: [], done: [], time_zone: 'UTC' };
const withFailed: InboxView = {
  ...empty,
  failed: [{ ...row([7], 'bad text'), entry: { ...row([7], 'bad text').entry, state: 'failed', failure: 'the body holds a NUL character' } }],
};

async function mountInbox(first: InboxView) {
  let current = first;
  const calls = mockBackend({
    inbox: () => current,
    deliver_now: () => (current = empty),
    mark_done: () => current,
    open_link: () => null,
  });
  const view = createInboxView();
  container().appendChild(view.el);
  view.setVisible(true);
  await view.refresh();
  await settle();
  return calls;
}

const all = (id: string) => [...document.querySelectorAll(`[data-testid="${id}"]`)];

afterEach(cleanup);

describe('inbox view', () => {
  it('shows the held batches in delivery order with their labels, counts and overdue marks', async () => {
    await mountInbox(full);
    expect(all('inbox-batch-label').map((e) => e.firstChild?.textContent)).toEqual([
      'Now',
      'End of focus · 12:00',
      'Next digest · 13:00',
    ]);
    expect(all('inbox-count').map((e) => e.textContent)).toEqual(['2']);
    expect(all('inbox-overdue')).toHaveLength(1);
    expect(all('inbox-batch')[0]?.querySelector('[data-testid="inbox-overdue"]')?.textContent).toContain('OVERDUE');
    expect(all('inbox-reply-by')[0]?.textContent).toContain('reply by 14:00');
    expect(byTestId('inbox-delivered').textContent).toContain('old news');
  });

  it('delivers now through the command, and is disabled when nothing is held', async () => {
    const calls = await mountInbox(full);
    const button = byTestId<HTMLButtonElement>('inbox-deliver-now');
    expect(button.disabled).toBe(false);
    button.click();
    await settle();
    expect(calls.filter((c) => c.cmd === 'deliver_now')).toHaveLength(1);
    expect(button.disabled).toBe(true);
    expect(all('inbox-batch')).toHaveLength(0);
  });

  it('shows what could not be shown with the reason, and marks it done', async () => {
    const calls = await mountInbox(withFailed);
    const card = byTestId('inbox-failed').closest('section');
    expect(card?.hidden).toBe(false);
    expect(card?.textContent).toContain('Could not be shown');
    expect(byTestId('inbox-failure').textContent).toBe('Not shown: the body holds a NUL character');
    byTestId('inbox-failed').querySelector<HTMLButtonElement>('[data-testid="inbox-done"]')?.click();
    await settle();
    expect(calls.find((c) => c.cmd === 'mark_done')?.args).toMatchObject({ ids: [7] });
  });

  it('hides the failed group when nothing failed', async () => {
    await mountInbox(full);
    expect(byTestId('inbox-failed').closest('section')?.hidden).toBe(true);
    expect(all('inbox-failure')).toHaveLength(0);
  });

  it('opens an entry\'s link through the command, naming its newest item, and offers no Open without one', async () => {
    const calls = await mountInbox(full);
    const open = all('inbox-open');
    expect(open).toHaveLength(1);
    expect(open[0]?.getAttribute('aria-label')).toBe('Open the link of: review');
    expect(open[0]?.getAttribute('title')).toBe('https://example.com/pr/5');
    (open[0] as HTMLButtonElement).click();
    await settle();
    expect(calls.find((c) => c.cmd === 'open_link')?.args).toMatchObject({ id: 5 });
    expect(all('inbox-batch')).toHaveLength(3);
  });

  it('marks an entry done with all of its ids', async () => {
    const calls = await mountInbox(full);
    const second = all('inbox-batch')[1]?.querySelector<HTMLButtonElement>('[data-testid="inbox-done"]');
    expect(second?.getAttribute('aria-label')).toBe('Mark done: tests failed');
    second?.click();
    await settle();
    const call = calls.find((c) => c.cmd === 'mark_done');
    expect(call?.args).toMatchObject({ ids: [3, 2] });
  });
});
