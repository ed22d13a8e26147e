// Settings' Calendars card: every calendar Baton reads (mine first, then the teammates' feeds the team
// file names), how each one's last check went, "Sync now", and the forms that add an ICS address or a
// CalDAV account. The core reads, validates and stores; this card shows its `CalendarsView` and nothing
// else, so a refused add leaves the list as it was and says why beside the form.
//
// The list is rebuilt whole from each answer (a handful of entries), and the control that had focus gets
// it back, so a keyboard user toggling "Publish my focus here" stays where they were.

import type { CalendarEntry, CalendarsView } from '../bindings';
import { announce, h, mount } from '../dom';
import * as ipc from '../ipc';
import { dateTimeIn } from '../time';
import { errorBanner, errorText, refresher } from '../view';

/** The card and how to refetch it. */
export interface CalendarsSection {
  el: HTMLElement;
  refresh(): Promise<void>;
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Mine", or "Kenji's feed (from the team file)". */
export function whose(c: CalendarEntry): string {
  return c.owner === null ? 'Mine' : `${c.owner}’s feed (from the team file)`;
}

/** "ICS", or `CalDAV "Work" as sam`. */
export function kindText(c: CalendarEntry): string {
  if (c.kind !== 'caldav') return c.kind.toUpperCase();
  const name = c.name ? ` “${c.name}”` : '';
  const user = c.user ? ` as ${c.user}` : '';
  return `CalDAV${name}${user}`;
}

/** "12 events · changed Mon 20 Apr 09:00 · checked Mon 20 Apr 09:30", times in this computer's zone. */
export function checkText(c: CalendarEntry): string {
  const zone = localZone();
  const parts = [c.events === 1 ? '1 event' : `${c.events} events`];
  if (c.changed_at) parts.push(`changed ${dateTimeIn(c.changed_at, zone)}`);
  parts.push(c.checked_at ? `checked ${dateTimeIn(c.checked_at, zone)}` : 'not checked yet');
  return parts.join(' · ');
}

/**
 * The calendar view's banner for calendars that could not be read (each "name: error"), or null:
 * the last good copy of each stays drawn; Settings shows every calendar and its error.
 */
export function calendarErrorBanner(errors: string[], openSettings: () => void): HTMLElement | null {
  if (!errors.length) return null;
  const one = errors.length === 1;
  return h(
    'div',
    { class: 'banner banner-error calendar-banner', role: 'alert', 'data-testid': 'calendar-feed-banner' },
    h(
      'span',
      null,
      one
        ? 'A calendar could not be read; its last good copy is shown.'
        : `${errors.length} calendars could not be read; their last good copies are shown.`,
    ),
    h('ul', { class: 'problem-list' }, errors.map((e) => h('li', null, e))),
    h('button', { type: 'button', class: 'btn btn-small', onClick: () => openSettings() }, 'Calendars in Settings'),
  );
}

/** The Calendars card. */
export function createCalendarsSection(): CalendarsSection {
  let shown: CalendarsView | null = null;

  const message = h('div', { class: 'calendars-message' });
  const list = h('ul', { class: 'calendar-list', 'aria-label': 'Calendars', 'data-testid': 'calendar-list' });
  const listError = h('div', { 'data-testid': 'calendars-error' });
  const status = h('p', { class: 'status calendars-status', role: 'status', 'data-testid': 'calendars-status' });
  const syncButton = h(
    'button',
    { type: 'button', class: 'btn', 'data-testid': 'calendars-sync', onClick: () => void sync() },
    'Sync now',
  );

  // Add an ICS address.
  const icsInput = h('input', {
    id: 'calendar-url',
    class: 'input',
    type: 'url',
    spellcheck: 'false',
    autocomplete: 'off',
    placeholder: 'https://…/basic.ics or webcal://…',
    'aria-describedby': 'calendar-url-hint calendar-url-error',
    'data-testid': 'calendar-url',
  });
  const icsButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'calendar-add' }, 'Add');
  const icsError = h('div', { id: 'calendar-url-error', 'data-testid': 'calendar-add-error' });
  const icsForm = h(
    'form',
    {
      class: 'calendar-form',
      novalidate: true,
      'aria-labelledby': 'calendar-add-title',
      'data-testid': 'calendar-add-form',
      onSubmit: (e) => {
        e.preventDefault();
        void addIcs();
      },
    },
    h('h3', { id: 'calendar-add-title', class: 'sub-title' }, 'Add a calendar'),
    h('label', { for: 'calendar-url', class: 'label' }, 'Calendar address'),
    h('div', { class: 'setting-control' }, icsInput, icsButton),
    h('p', { class: 'hint', id: 'calendar-url-hint' }, 'The secret or public ICS address your calendar app shares; only busy times and out-of-office days are shown to the team.'),
    icsError,
  );

  // Add a CalDAV account.
  const field = (id: string, label: string, attrs: Record<string, string>) => {
    const input = h('input', { id, class: 'input', spellcheck: 'false', 'data-testid': id, 'aria-describedby': 'caldav-error', ...attrs });
    return { input, el: h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, label), input) };
  };
  const davUrl = field('caldav-url', 'Server address', { type: 'url', autocomplete: 'url', placeholder: 'https://caldav.example.com/' });
  const davUser = field('caldav-user', 'User', { type: 'text', autocomplete: 'username' });
  const davPassword = field('caldav-password', 'Password', { type: 'password', autocomplete: 'current-password' });
  const davButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'caldav-add' }, 'Add');
  const davError = h('div', { id: 'caldav-error', 'data-testid': 'caldav-add-error' });
  const davStatus = h('p', { class: 'status calendars-status', role: 'status', 'data-testid': 'caldav-status' });
  const davForm = h(
    'form',
    {
      class: 'calendar-form',
      novalidate: true,
      'aria-labelledby': 'caldav-add-title',
      'data-testid': 'caldav-add-form',
      onSubmit: (e) => {
        e.preventDefault();
        void addCaldav();
      },
    },
    h('h3', { id: 'caldav-add-title', class: 'sub-title' }, 'Add a CalDAV account'),
    h('div', { class: 'caldav-fields' }, davUrl.el, davUser.el, davPassword.el),
    h('div', { class: 'form-actions' }, davButton),
    h('p', { class: 'hint' }, 'Every event calendar of the account is added. The password is kept in the system keyring, or in a file readable by you only when there is none.'),
    davError,
    davStatus,
  );

  const el = h(
    'section',
    { class: 'card calendars-card', 'aria-labelledby': 'calendars-title', 'data-testid': 'calendars' },
    h(
      'div',
      { class: 'calendars-head' },
      h('h2', { id: 'calendars-title', class: 'pane-title' }, 'Calendars'),
      syncButton,
    ),
    h('p', { class: 'muted calendars-sub' }, 'Meetings from these calendars show as busy on the team calendar, and out-of-office days as days off.'),
    message,
    listError,
    status,
    list,
    h('div', { class: 'calendar-forms' }, icsForm, davForm),
  );

  function entryEl(c: CalendarEntry): HTMLElement {
    const mine = c.owner === null;
    const publishId = `calendar-publish-${c.id}`;
    const publish =
      mine && c.kind === 'caldav'
        ? h(
            'label',
            { class: 'check', for: publishId },
            h('input', {
              id: publishId,
              type: 'checkbox',
              checked: c.publish,
              'data-testid': publishId,
              onChange: (e) => void publishFocus(c, e.target as HTMLInputElement),
            }),
            'Publish my focus here',
          )
        : null;
    const action = mine
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small btn-danger-quiet',
            'aria-label': `Remove ${c.name ?? c.address}`,
            'data-testid': `calendar-remove-${c.id}`,
            onClick: (e) => void remove(c, e.currentTarget as HTMLButtonElement),
          },
          'Remove',
        )
      : h('p', { class: 'hint calendar-owned' }, `To remove it, take the feed out of ${c.owner}’s entry in the team file.`);
    return h(
      'li',
      { class: `calendar-entry${c.error ? ' has-error' : ''}`, 'data-testid': `calendar-${c.id}`, 'data-id': c.id },
      h(
        'div',
        { class: 'calendar-entry-head' },
        h('span', { class: `badge ${mine ? 'badge-me' : 'badge-feed'}` }, whose(c)),
        h('span', { class: 'calendar-kind' }, kindText(c)),
      ),
      h('code', { class: 'calendar-address' }, c.address),
      h('p', { class: 'hint calendar-check', 'data-testid': `calendar-check-${c.id}` }, checkText(c)),
      c.error
        ? h(
            'div',
            { class: 'field-error', role: 'alert', 'data-testid': `calendar-error-${c.id}` },
            h('strong', null, 'Last check failed: '),
            /[.!?]$/.test(c.error) ? c.error : `${c.error}.`,
            c.events > 0 || c.changed_at ? ' Baton keeps using the last good copy.' : ' Nothing from it is shown until a check succeeds.',
          )
        : null,
      h('div', { class: 'calendar-entry-actions' }, publish, action),
    );
  }

  function render(v: CalendarsView): void {
    shown = v;
    // Give focus back to the same control after the rebuild (matched by its test id, which is per entry).
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && list.contains(active) ? active.dataset.testid : undefined;
    mount(
      list,
      v.calendars.length
        ? v.calendars.map(entryEl)
        : h('li', { class: 'muted calendar-empty' }, 'No calendars yet: add one below.'),
    );
    if (focusKey) list.querySelector<HTMLElement>(`[data-testid="${focusKey}"]`)?.focus();
  }

  /** Runs one request with `button` disabled and `busyEl` marked busy; the answer re-renders the list. */
  async function run(button: HTMLButtonElement | HTMLInputElement, busyEl: HTMLElement, request: () => Promise<CalendarsView>): Promise<CalendarsView> {
    // Disabling a focused control drops its focus: note it, to give it back (or to its rebuilt twin).
    const key = document.activeElement === button ? button.dataset.testid : undefined;
    button.disabled = true;
    busyEl.setAttribute('aria-busy', 'true');
    try {
      const v = await request();
      render(v);
      return v;
    } finally {
      button.disabled = false;
      busyEl.removeAttribute('aria-busy');
      if (key) el.querySelector<HTMLElement>(`[data-testid="${key}"]`)?.focus();
    }
  }

  function failed(slot: HTMLElement, what: string, text: string, input?: HTMLInputElement): void {
    mount(slot, h('div', { class: 'field-error', role: 'alert' }, h('strong', null, `${what}: `), text));
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }

  function cleared(slot: HTMLElement, ...inputs: HTMLInputElement[]): void {
    mount(slot);
    for (const input of inputs) input.removeAttribute('aria-invalid');
  }

  async function sync(): Promise<void> {
    if (syncButton.disabled) return;
    announce(status, 'Reading every calendar…');
    try {
      const v = await run(syncButton, list, () => ipc.syncCalendars());
      cleared(listError);
      const bad = v.calendars.filter((c) => c.error).length;
      announce(status, bad ? `Synced; ${bad === 1 ? 'one calendar' : `${bad} calendars`} could not be read.` : 'Synced.');
    } catch (error) {
      announce(status, '');
      failed(listError, 'Not synced', errorText(error));
    }
  }

  async function addIcs(): Promise<void> {
    if (icsButton.disabled) return;
    const url = icsInput.value.trim();
    if (!url) {
      failed(icsError, 'Not added', 'Enter the calendar’s address, starting with https:// or webcal://.', icsInput);
      return;
    }
    try {
      await run(icsButton, icsForm, () => ipc.addCalendar(url));
      cleared(icsError, icsInput);
      icsInput.value = '';
      announce(status, 'Calendar added.');
    } catch (error) {
      failed(icsError, 'Not added', errorText(error), icsInput);
    }
  }

  async function addCaldav(): Promise<void> {
    if (davButton.disabled) return;
    const inputs = [davUrl.input, davUser.input, davPassword.input];
    const missing = inputs.find((i) => !i.value.trim());
    if (missing) {
      const name = missing === davUrl.input ? 'the server address' : missing === davUser.input ? 'the user' : 'the password';
      announce(davStatus, '');
      failed(davError, 'Not added', `Enter ${name}.`, missing);
      return;
    }
    const before = new Set(shown?.calendars.map((c) => c.id) ?? []);
    try {
      const v = await run(davButton, davForm, () => ipc.addCaldav(davUrl.input.value.trim(), davUser.input.value.trim(), davPassword.input.value));
      cleared(davError, ...inputs);
      davPassword.input.value = '';
      const added = v.calendars.filter((c) => !before.has(c.id)).length;
      const what = added === 1 ? 'One calendar added.' : `${added} calendars added.`;
      announce(davStatus, v.password_kept ? `${what} Password kept in ${v.password_kept}.` : what);
    } catch (error) {
      announce(davStatus, '');
      failed(davError, 'Not added', errorText(error));
    }
  }

  async function remove(c: CalendarEntry, button: HTMLButtonElement): Promise<void> {
    try {
      await run(button, list, () => ipc.removeCalendar(c.id));
      cleared(listError);
      announce(status, `Removed ${c.name ?? c.address}.`);
      syncButton.focus();
    } catch (error) {
      failed(listError, 'Not removed', errorText(error));
    }
  }

  async function publishFocus(c: CalendarEntry, box: HTMLInputElement): Promise<void> {
    const on = box.checked;
    try {
      await run(box, list, () => ipc.publishFocus(c.id, on));
      cleared(listError);
      const name = c.name ?? c.address;
      announce(status, on ? `Your focus is published to ${name}.` : `Your focus is no longer published to ${name}.`);
    } catch (error) {
      box.checked = !on;
      failed(listError, on ? 'Not published' : 'Still published', errorText(error));
    }
  }

  const refresh = refresher(
    () => ipc.calendars(),
    message,
    render,
    (error, retry) => errorBanner(error, retry),
  );

  return { el, refresh };
}
