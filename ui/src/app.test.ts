import { emit } from '@tauri-apps/api/event';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from './app';
import { byTestId, cleanup, container, mockBackend, settle } from './test/helpers';
import { calendarsView, dstCalendar, handoffsView, intakeView, overlayIdle, settingRows, team, zones } from './test/fixtures';

async function mountApp() {
  const calls = mockBackend({
    locale: () => ({ tag: 'en-GB', hour12: false, week_start: 1 }),
    calendar: () => dstCalendar,
    team: () => team,
    time_zones: () => zones,
    handoffs: () => handoffsView,
    overlay: () => overlayIdle,
    settings: () => settingRows,
    intake: () => intakeView,
    calendars: () => calendarsView,
    desktop_dnd: () => ({ backend: 'dunst', line: 'Baton turns it on during focus and puts back what it found after' }),
    welcome: () => ({ show: false, team: 'Night Shift', sample: false, members: ['Ana', 'Kenji', 'Lena'], me: 'Ana', can_add_me: true, start_at_login: false }),
    about: () => ({ version: '0.1.0', commit: 'abc', tz_database: '2025b', line: '0.1.0 (commit abc, time-zone database 2025b)' }),
  });
  await startApp(container());
  await settle();
  return calls;
}

const count = (calls: { cmd: string }[], cmd: string) => calls.filter((c) => c.cmd === cmd).length;
const selected = () => document.querySelector('[role="tab"][aria-selected="true"]')?.getAttribute('data-testid');

afterEach(cleanup);

describe('main window', () => {
  it('opens on the calendar and loads only what it shows', async () => {
    const calls = await mountApp();
    expect(selected()).toBe('nav-calendar');
    expect(byTestId('team-name').textContent).toBe('Night Shift');
    expect(document.querySelectorAll('[data-testid="calendar-row"]')).toHaveLength(3);
    expect(calls.map((c) => c.cmd)).toEqual(['locale', 'calendar', 'welcome']);
    expect(byTestId('welcome').hidden).toBe(true);
  });

  it('switches views from the nav, by keyboard and on baton:navigate', async () => {
    await mountApp();
    byTestId('nav-editor').click();
    await settle();
    expect(selected()).toBe('nav-editor');
    expect(document.getElementById('panel-editor')?.hidden).toBe(false);
    expect(document.getElementById('panel-calendar')?.hidden).toBe(true);
    expect(document.querySelectorAll('[data-testid="member-item"]')).toHaveLength(3);

    byTestId('nav-editor').focus();
    byTestId('nav-editor').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(selected()).toBe('nav-handoffs');
    expect(document.activeElement).toBe(byTestId('nav-handoffs'));

    await emit('baton:navigate', 'focus');
    await settle();
    expect(selected()).toBe('nav-focus');
    expect(byTestId('focus-status').textContent).toBe('Not in focus');

    await emit('baton:navigate', 'nonsense');
    await settle();
    expect(selected()).toBe('nav-focus');
  });

  it('opens the settings as the seventh tab, with Ctrl+7', async () => {
    const calls = await mountApp();
    expect(byTestId('nav-settings').getAttribute('aria-keyshortcuts')).toBe('Control+7');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: '7', ctrlKey: true, bubbles: true }));
    await settle();
    expect(selected()).toBe('nav-settings');
    expect(document.getElementById('panel-settings')?.hidden).toBe(false);
    // (Earlier tests' windows still listen on the document, so count kinds, not calls.)
    expect(new Set(calls.map((c) => c.cmd))).toEqual(new Set(['locale', 'calendar', 'welcome', 'settings', 'intake', 'calendars', 'desktop_dnd', 'about']));
    expect(document.querySelectorAll('form.setting')).toHaveLength(settingRows.length);
  });

  it('refetches the visible view on baton:changed and the others when next shown', async () => {
    const calls = await mountApp();
    byTestId('nav-handoffs').click();
    await settle();
    byTestId('nav-calendar').click();
    await settle();
    expect(count(calls, 'calendar')).toBe(1);
    expect(count(calls, 'handoffs')).toBe(1);

    await emit('baton:changed');
    await settle();
    expect(count(calls, 'calendar')).toBe(2);
    expect(count(calls, 'handoffs')).toBe(1);

    byTestId('nav-handoffs').click();
    await settle();
    expect(count(calls, 'handoffs')).toBe(2);
    // Showing the calendar again needs no fetch: nothing changed since.
    byTestId('nav-calendar').click();
    await settle();
    expect(count(calls, 'calendar')).toBe(2);
  });
});
