// Settings' Calendars card against a backend that keeps calendars as the core does: adds, removes,
// publishes and syncs change what `calendars` answers next, and a refused add changes nothing.

import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarEntry, CalendarsView } from '../bindings';
import { byTestId, cleanup, container, mockBackend, settle, type } from '../test/helpers';
import { calendarsView, intakeView, settingRows } from '../test/fixtures';
import { dateTimeIn } from '../time';
import { calendarErrorBanner } from './calendars';
import { createSettingsView } from './settings';

const LATER = '2026-03-09T16:00:00Z';

/** Mounts Settings over a calendar backend; `hold` makes the next answer wait until released. */
async function mountCalendars() {
  let view: CalendarsView = structuredClone(calendarsView);
  let nextId = 10;
  let gate: Promise<void> | null = null;
  const refuse = { publish: false };
  const answer = async (v: CalendarsView) => {
    if (gate) await gate;
    view = v;
    return view;
  };
  const entry = (over: Partial<CalendarEntry>): CalendarEntry => ({
    id: nextId++,
    owner: null,
    kind: 'ics',
    address: '',
    name: null,
    user: null,
    publish: false,
    events: 0,
    checked_at: LATER,
    changed_at: LATER,
    error: null,
    ...over,
  });
  const mine = (v: CalendarsView) => v.calendars.filter((c) => c.owner === null);
  const theirs = (v: CalendarsView) => v.calendars.filter((c) => c.owner !== null);
  const calls = mockBackend({
    settings: () => settingRows,
    intake: () => intakeView,
    calendars: () => view,
    sync_calendars: () =>
      answer({
        ...view,
        // Kenji's feed is back: the error goes and its check moves on.
        calendars: view.calendars.map((c) => ({ ...c, checked_at: LATER, error: null })),
      }),
    add_calendar: (args) => {
      const url = args.url as string;
      if (!/^(https|webcal):\/\//.test(url) || url.includes('missing')) {
        throw { code: 'invalid', message: `${url} could not be read as a calendar: it answered 404 Not Found`, problems: [] };
      }
      return answer({ ...view, calendars: [...mine(view), entry({ address: url, events: 4 }), ...theirs(view)] });
    },
    add_caldav: (args) => {
      const added = ['Home', 'Team'].map((name) =>
        entry({ kind: 'caldav', address: `${args.url as string}${name.toLowerCase()}/`, name, user: args.user as string }),
      );
      return answer({ calendars: [...mine(view), ...added, ...theirs(view)], password_kept: 'the system keyring' });
    },
    remove_calendar: (args) => answer({ ...view, calendars: view.calendars.filter((c) => c.id !== args.id) }),
    publish_focus: (args) => {
      if (refuse.publish) throw { code: 'forbidden', message: 'dav.example.com refused the change: 403 Forbidden', problems: [] };
      return answer({ ...view, calendars: view.calendars.map((c) => (c.id === args.id ? { ...c, publish: args.on as boolean } : c)) });
    },
  });
  const settings = createSettingsView();
  container().appendChild(settings.el);
  settings.setVisible(true);
  await settings.refresh();
  await settle();
  let release = () => {};
  const hold = () => {
    gate = new Promise((resolve) => {
      release = () => {
        gate = null;
        resolve();
      };
    });
  };
  return { calls, hold, release: () => release(), current: () => view, refuse };
}

const entries = () => Array.from(byTestId('calendar-list').querySelectorAll<HTMLElement>('li.calendar-entry'));
const ids = () => entries().map((li) => Number(li.dataset.id));
const button = (id: string) => byTestId<HTMLButtonElement>(id);
const input = (id: string) => byTestId<HTMLInputElement>(id);
const query = (sel: string) => document.querySelector<HTMLElement>(sel);
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const sent = (calls: { cmd: string; args: Record<string, unknown> }[], cmd: string) =>
  calls.filter((c) => c.cmd === cmd).map((c) => c.args);

afterEach(cleanup);

describe('calendars in settings', () => {
  it('lists mine first, then teammates’ feeds, with kind, address, events, times and errors', async () => {
    await mountCalendars();
    expect(ids()).toEqual([1, 2, 7]);
    const [ics, dav, kenji] = entries();
    expect(ics?.querySelector('.calendar-entry-head')?.textContent).toBe('MineICS');
    expect(dav?.querySelector('.calendar-kind')?.textContent).toBe('CalDAV “Work” as sam');
    expect(kenji?.querySelector('.badge')?.textContent).toBe('Kenji’s feed (from the team file)');
    expect(ics?.querySelector('.calendar-address')?.textContent).toBe('https://calendar.example.com/sam/basic.ics');
    expect(byTestId('calendar-check-1').textContent).toBe(
      `12 events · changed ${dateTimeIn('2026-03-09T09:00:00Z', zone)} · checked ${dateTimeIn('2026-03-09T15:00:00Z', zone)}`,
    );
    // Only the failing feed has an error, announced, and saying its last good copy is still used.
    const error = byTestId('calendar-error-7');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe(
      'Last check failed: https://calendar.example.jp/kenji/free-busy.ics answered 404 Not Found. Baton keeps using the last good copy.',
    );
    expect(query('[data-testid="calendar-error-1"]')).toBeNull();
    // Publish is offered for my CalDAV calendar only, showing its state.
    expect(input('calendar-publish-2').checked).toBe(true);
    expect(query('label[for="calendar-publish-2"]')?.textContent).toBe('Publish my focus here');
    expect(query('[data-testid="calendar-publish-1"]')).toBeNull();
    expect(query('[data-testid="calendar-publish-7"]')).toBeNull();
  });

  it('offers Remove for mine and sends the id; a teammate’s feed points to the team file instead', async () => {
    const { calls } = await mountCalendars();
    expect(query('[data-testid="calendar-remove-7"]')).toBeNull();
    expect(entries()[2]?.querySelector('.calendar-owned')?.textContent).toBe('To remove it, take the feed out of Kenji’s entry in the team file.');
    expect(entries()[2]?.querySelector('button')).toBeNull();
    button('calendar-remove-1').click();
    await settle();
    expect(sent(calls, 'remove_calendar')).toEqual([{ id: 1 }]);
    expect(ids()).toEqual([2, 7]);
    expect(byTestId('calendars-status').textContent).toBe('Removed https://calendar.example.com/sam/basic.ics.');
  });

  it('syncs now, disabled while the request runs, and shows the new answer', async () => {
    const { calls, hold, release } = await mountCalendars();
    hold();
    button('calendars-sync').click();
    await settle();
    expect(button('calendars-sync').disabled).toBe(true);
    expect(byTestId('calendar-list').getAttribute('aria-busy')).toBe('true');
    // A second click while it runs sends nothing more.
    button('calendars-sync').click();
    release();
    await settle();
    expect(sent(calls, 'sync_calendars')).toHaveLength(1);
    expect(button('calendars-sync').disabled).toBe(false);
    expect(query('[data-testid="calendar-error-7"]')).toBeNull();
    expect(byTestId('calendar-check-7').textContent).toContain(`checked ${dateTimeIn(LATER, zone)}`);
    expect(byTestId('calendars-status').textContent).toBe('Synced.');
  });

  it('adds an ICS address of mine, placed among mine', async () => {
    const { calls } = await mountCalendars();
    const url = input('calendar-url');
    expect(query('label[for="calendar-url"]')?.textContent).toBe('Calendar address');
    expect(url.placeholder).toBe('https://…/basic.ics or webcal://…');
    type(url, ' webcal://calendar.example.com/sam/holidays.ics ');
    button('calendar-add').click();
    await settle();
    expect(sent(calls, 'add_calendar')).toEqual([{ url: 'webcal://calendar.example.com/sam/holidays.ics' }]);
    expect(ids()).toEqual([1, 2, 10, 7]);
    expect(entries()[2]?.querySelector('.calendar-address')?.textContent).toBe('webcal://calendar.example.com/sam/holidays.ics');
    expect(url.value).toBe('');
    expect(byTestId('calendar-add-error').textContent).toBe('');
    expect(byTestId('calendars-status').textContent).toBe('Calendar added.');
  });

  it('shows a refused address beside the form and leaves the list as it was', async () => {
    const { calls } = await mountCalendars();
    const url = input('calendar-url');
    type(url, 'https://calendar.example.com/missing.ics');
    button('calendar-add').click();
    await settle();
    expect(sent(calls, 'add_calendar')).toHaveLength(1);
    const error = byTestId('calendar-add-error');
    expect(error.querySelector('[role="alert"]')?.textContent).toBe(
      'Not added: https://calendar.example.com/missing.ics could not be read as a calendar: it answered 404 Not Found',
    );
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(url.getAttribute('aria-describedby')).toContain(error.id);
    // The address stays to be corrected; nothing else moved.
    expect(url.value).toBe('https://calendar.example.com/missing.ics');
    expect(ids()).toEqual([1, 2, 7]);
    expect(button('calendar-add').disabled).toBe(false);
    // An empty address is caught before asking the core.
    type(url, '  ');
    button('calendar-add').click();
    await settle();
    expect(sent(calls, 'add_calendar')).toHaveLength(1);
    expect(error.textContent).toContain('Enter the calendar’s address');
  });

  it('adds a CalDAV account’s calendars and says where the password is kept', async () => {
    const { calls } = await mountCalendars();
    for (const [id, label] of [
      ['caldav-url', 'Server address'],
      ['caldav-user', 'User'],
      ['caldav-password', 'Password'],
    ] as const) {
      expect(query(`label[for="${id}"]`)?.textContent).toBe(label);
    }
    expect(input('caldav-password').type).toBe('password');
    type(input('caldav-url'), 'https://dav.example.com/');
    type(input('caldav-user'), 'sam');
    type(input('caldav-password'), 'hunter2 ');
    button('caldav-add').click();
    await settle();
    // The password goes as typed (spaces can be part of it).
    expect(sent(calls, 'add_caldav')).toEqual([{ url: 'https://dav.example.com/', user: 'sam', password: 'hunter2 ' }]);
    expect(ids()).toEqual([1, 2, 10, 11, 7]);
    expect(byTestId('caldav-status').textContent).toBe('2 calendars added. Password kept in the system keyring.');
    expect(input('caldav-password').value).toBe('');
    // Each new CalDAV calendar of mine can show my focus.
    expect(input('calendar-publish-10').checked).toBe(false);
  });

  it('asks for a missing CalDAV field without calling the core', async () => {
    const { calls } = await mountCalendars();
    type(input('caldav-url'), 'https://dav.example.com/');
    button('caldav-add').click();
    await settle();
    expect(sent(calls, 'add_caldav')).toHaveLength(0);
    expect(byTestId('caldav-add-error').textContent).toBe('Not added: Enter the user.');
    expect(input('caldav-user').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(input('caldav-user'));
  });

  it('publishes my focus to a CalDAV calendar and stops again', async () => {
    const { calls, current } = await mountCalendars();
    input('calendar-publish-2').click();
    await settle();
    expect(sent(calls, 'publish_focus')).toEqual([{ id: 2, on: false }]);
    expect(current().calendars.find((c) => c.id === 2)?.publish).toBe(false);
    expect(input('calendar-publish-2').checked).toBe(false);
    expect(byTestId('calendars-status').textContent).toBe('Your focus is no longer published to Work.');
    input('calendar-publish-2').click();
    await settle();
    expect(sent(calls, 'publish_focus')).toEqual([
      { id: 2, on: false },
      { id: 2, on: true },
    ]);
    expect(input('calendar-publish-2').checked).toBe(true);
  });

  it('puts a refused publish back and says why', async () => {
    const { calls, refuse } = await mountCalendars();
    refuse.publish = true;
    input('calendar-publish-2').click();
    await settle();
    expect(sent(calls, 'publish_focus')).toEqual([{ id: 2, on: false }]);
    expect(input('calendar-publish-2').checked).toBe(true);
    expect(byTestId('calendars-error').querySelector('[role="alert"]')?.textContent).toBe(
      'Still published: dav.example.com refused the change: 403 Forbidden',
    );
  });
});

describe('the calendar view’s banner for unread calendars', () => {
  it('is absent when every calendar was read', () => {
    expect(calendarErrorBanner([], () => {})).toBeNull();
  });

  it('lists each unread calendar with its error and opens Settings', () => {
    let opened = 0;
    const banner = calendarErrorBanner(
      ['Work: the server refused the user name or password', 'Kenji’s calendar: the server answered HTTP 500'],
      () => (opened += 1),
    );
    expect(banner?.getAttribute('role')).toBe('alert');
    expect(banner?.textContent).toContain('2 calendars could not be read; their last good copies are shown.');
    const items = [...(banner?.querySelectorAll('li') ?? [])].map((li) => li.textContent);
    expect(items).toEqual([
      'Work: the server refused the user name or password',
      'Kenji’s calendar: the server answered HTTP 500',
    ]);
    banner?.querySelector('button')?.click();
    expect(opened).toBe(1);
  });
});
