// Inbox: held notifications grouped into the deliveries the policy will make (soonest first, each with
// its "when" label from the core), what could not be shown (the notification service refused it; with
// the reason, not retried), what was delivered lately, and the two actions: deliver everything now, and
// mark an entry done (all of its item ids). Refetched on `baton:changed`, never polled.

import type { InboxEntryRow, InboxView } from '../bindings';
import { h, mount } from '../dom';
import * as ipc from '../ipc';
import { errorBanner, refresher, type View } from '../view';

/** The inbox tab. */
export function createInboxView(): View {
  let view: InboxView | null = null;
  let busy = false;

  const message = h('div', { class: 'inbox-message' });
  const announcer = h('p', { class: 'visually-hidden', role: 'status' });
  const summary = h('p', { class: 'muted', 'data-testid': 'inbox-summary' });
  const deliver = h(
    'button',
    { type: 'button', class: 'btn', 'data-testid': 'inbox-deliver-now', onClick: () => void run(() => ipc.deliverNow(), 'Delivered') },
    'Deliver now',
  );
  const held = h('div', { class: 'inbox-held', 'data-testid': 'inbox-held' });
  const delivered = h('ul', { class: 'inbox-list', 'data-testid': 'inbox-delivered', 'aria-labelledby': 'inbox-delivered-title' });
  const failed = h('ul', { class: 'inbox-list', 'data-testid': 'inbox-failed', 'aria-labelledby': 'inbox-failed-title' });
  const failedCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'inbox-failed-title', hidden: true },
    h('h2', { id: 'inbox-failed-title', class: 'pane-title' }, 'Could not be shown'),
    h('p', { class: 'muted' }, 'The notification service refused these; they are not retried. Mark them done once read.'),
    failed,
  );

  const el = h(
    'section',
    { class: 'view view-inbox', 'aria-labelledby': 'inbox-heading' },
    h(
      'header',
      { class: 'view-header' },
      h('h1', { id: 'inbox-heading' }, 'Inbox'),
      h('p', { class: 'muted view-sub' }, 'Held notifications, grouped as they will be delivered.'),
    ),
    message,
    announcer,
    h('div', { class: 'inbox-actions' }, summary, deliver),
    h('section', { class: 'card', 'aria-labelledby': 'inbox-held-title' }, h('h2', { id: 'inbox-held-title', class: 'pane-title' }, 'Held'), held),
    failedCard,
    h('section', { class: 'card', 'aria-labelledby': 'inbox-delivered-title' }, h('h2', { id: 'inbox-delivered-title', class: 'pane-title' }, 'Delivered (last 7 days)'), delivered),
  );

  function entry(row: InboxEntryRow): HTMLElement {
    const e = row.entry;
    const title = e.group ? `${e.source} · ${e.group}` : e.source;
    return h(
      'li',
      { class: `inbox-entry urgency-${e.urgency}`, 'data-testid': 'inbox-entry' },
      h(
        'div',
        { class: 'inbox-entry-main' },
        h('span', { class: 'inbox-source' }, title),
        e.count > 1 ? h('span', { class: 'badge', 'data-testid': 'inbox-count', 'aria-label': `${e.count} items` }, String(e.count)) : null,
        h('span', { class: 'inbox-title', 'data-testid': 'inbox-title' }, e.title),
      ),
      h(
        'div',
        { class: 'inbox-entry-meta muted' },
        h('span', { class: 'inbox-urgency', 'data-testid': 'inbox-urgency' }, e.urgency),
        h('span', null, ` · received ${row.received_label}`),
        row.reply_by_label ? h('span', { 'data-testid': 'inbox-reply-by' }, ` · reply by ${row.reply_by_label}`) : null,
        e.overdue ? h('strong', { class: 'overdue', 'data-testid': 'inbox-overdue' }, ' OVERDUE') : null,
      ),
      e.failure ? h('div', { class: 'inbox-failure', 'data-testid': 'inbox-failure' }, `Not shown: ${e.failure}`) : null,
      e.url && e.ids[0] !== undefined
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn btn-small',
              'data-testid': 'inbox-open',
              'aria-label': `Open the link of: ${e.title}`,
              title: e.url,
              disabled: busy,
              onClick: () => {
                const id = e.ids[0];
                if (id !== undefined) void run(() => ipc.openLink(id).then(() => view ?? ipc.inbox()), 'Opened in the browser');
              },
            },
            'Open',
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          'data-testid': 'inbox-done',
          'aria-label': `Mark done: ${e.title}`,
          disabled: busy,
          onClick: () => void run(() => ipc.markDone(e.ids), 'Marked done'),
        },
        'Mark done',
      ),
    );
  }

  function render(v: InboxView): void {
    view = v;
    summary.textContent = v.held_count === 0 ? 'Nothing held.' : `${v.held_count} held`;
    mount(
      held,
      v.held.length === 0
        ? h('p', { class: 'muted' }, 'Nothing is waiting.')
        : v.held.map((b) =>
            h(
              'section',
              { class: 'inbox-batch', 'data-testid': 'inbox-batch', 'aria-label': b.label },
              h('h3', { class: 'sub-title', 'data-testid': 'inbox-batch-label' }, b.label, h('span', { class: 'muted' }, ` (${b.count})`)),
              h('ul', { class: 'inbox-list' }, b.entries.map(entry)),
            ),
          ),
    );
    failedCard.hidden = v.failed.length === 0;
    mount(failed, v.failed.map(entry));
    mount(delivered, v.delivered.length === 0 ? h('li', { class: 'muted' }, 'Nothing delivered lately.') : v.delivered.map(entry));
    syncButtons();
  }

  function syncButtons(): void {
    deliver.disabled = busy || !view || view.held_count === 0;
    for (const b of el.querySelectorAll<HTMLButtonElement>('[data-testid="inbox-done"]')) b.disabled = busy;
  }

  async function run(action: () => Promise<InboxView>, done: string): Promise<void> {
    if (busy) return;
    busy = true;
    syncButtons();
    try {
      const v = await action();
      mount(message);
      render(v);
      announcer.textContent = done;
    } catch (error) {
      mount(message, errorBanner(error));
    } finally {
      busy = false;
      syncButtons();
    }
  }

  const refresh = refresher(() => ipc.inbox(), message, render, (error, retry) => errorBanner(error, retry));

  syncButtons();

  return { el, refresh, setVisible() {} };
}
