import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DndView, IntakeView, SettingRow } from '../bindings';
import { byTestId, cleanup, container, mockBackend, settle, type } from '../test/helpers';
import { calendarsView, intakeView, settingRows } from '../test/fixtures';
import { createSettingsView } from './settings';

const CANONICAL: Record<string, (v: string) => string> = {
  // What `settings::validate` does to these values, enough for the tests.
  digest_cadence: (v) => (v.trim() === 'every 60 min' ? 'every 1h' : v.trim()),
};

/** A backend holding settings and a token, answering as the core does (`hourly` is not a cadence). */
async function mountSettings() {
  const stored = new Map<string, SettingRow>(settingRows.map((r) => [r.key, { ...r }]));
  let intake: IntakeView = intakeView;
  const calls = mockBackend({
    settings: () => [...stored.values()],
    intake: () => intake,
    calendars: () => calendarsView,
    desktop_dnd: () => dnd,
    welcome: () => ({ show: false, team: 'Night Shift', sample: false, members: ['Sam'], me: 'Sam', can_add_me: true, start_at_login: startAtLogin }),
    set_start_at_login: (args) => {
      startAtLogin = args.on as boolean;
      return { show: false, team: 'Night Shift', sample: false, members: ['Sam'], me: 'Sam', can_add_me: true, start_at_login: startAtLogin };
    },
    test_notification: () => ({ shown: true, server: 'dunst 1.9.0', message: 'Sent to dunst 1.9.0. Not on your screen? …' }),
    about: () => ({ version: '0.1.0', commit: '5b7f810b4a87', tz_database: '2025b', line: '0.1.0 (commit 5b7f810b4a87, time-zone database 2025b)' }),
    set_setting: (args) => {
      const key = args.key as string;
      const value = args.value as string | null;
      const row = stored.get(key);
      if (!row) throw { code: 'invalid', message: `unknown setting '${key}'`, problems: [] };
      if (value !== null && value.trim() === 'hourly') {
        const message = "'hourly' is not a cadence; use 'instant', 'every 30m' (5m to 12h) or 'at 10:00,16:00'";
        throw { code: 'invalid', message: `${key}: ${message}`, problems: [{ field: key, message, suggestions: [] }] };
      }
      const canonical = value === null ? null : (CANONICAL[key] ?? ((v: string) => v.trim()))(value);
      const next = { ...row, value: canonical, effective: canonical ?? row.default };
      stored.set(key, next);
      return next;
    },
    regenerate_token: () => {
      intake = { ...intake, token: 'b'.repeat(64) };
      return intake;
    },
  });
  const view = createSettingsView();
  container().appendChild(view.el);
  view.setVisible(true);
  await view.refresh();
  await settle();
  return { view, calls, stored };
}

const input = (key: string) => byTestId<HTMLInputElement>(`setting-input-${key}`);
const button = (id: string) => byTestId<HTMLButtonElement>(id);

afterEach(cleanup);

let startAtLogin = true;

describe('this computer', () => {
  it('shows whether Baton starts at login, and changes it', async () => {
    startAtLogin = true;
    const { calls } = await mountSettings();
    const box = byTestId<HTMLInputElement>('settings-login');
    expect(box.checked).toBe(true);
    box.checked = false;
    box.dispatchEvent(new Event('change'));
    await settle();
    expect(calls.filter((c) => c.cmd === 'set_start_at_login')).toEqual([{ cmd: 'set_start_at_login', args: { on: false } }]);
    expect(box.checked).toBe(false);
    expect(byTestId('settings-login-status').textContent).toBe('Baton no longer starts at login.');
  });

  it('sends a test notification and says where it went', async () => {
    await mountSettings();
    byTestId('settings-test').click();
    await settle();
    expect(byTestId('settings-test-status').textContent).toBe('Sent to dunst 1.9.0. Not on your screen? …');
  });
});

let dnd: DndView = { backend: 'dunst', line: 'Baton turns it on during focus and puts back what it found after' };

describe('do not disturb line', () => {
  it('names the backend and what Baton does with it', async () => {
    await mountSettings();
    expect(byTestId('settings-dnd').textContent).toBe('Do not disturb (dunst): Baton turns it on during focus and puts back what it found after');
  });

  it('says why there is none', async () => {
    dnd = { backend: null, line: 'none: Windows offers no way to set Focus Assist; Baton still holds its own notifications' };
    await mountSettings();
    expect(byTestId('settings-dnd').textContent).toBe(
      'Do not disturb: none: Windows offers no way to set Focus Assist; Baton still holds its own notifications',
    );
    dnd = { backend: 'dunst', line: 'Baton turns it on during focus and puts back what it found after' };
  });
});

describe('about line', () => {
  it('names the version, the commit and the time-zone database, asked once', async () => {
    const { view, calls } = await mountSettings();
    expect(byTestId('settings-about').textContent).toBe('About Baton: version 0.1.0 · commit 5b7f810b4a87 · time-zone database 2025b');
    await view.refresh();
    await settle();
    expect(calls.filter((c) => c.cmd === 'about')).toHaveLength(1);
  });
});

describe('settings view', () => {
  it('renders one labelled row per setting from the payload', async () => {
    await mountSettings();
    const forms = document.querySelectorAll('form.setting');
    expect(forms).toHaveLength(3);
    expect(input('digest_cadence').value).toBe('every 1h');
    expect(input('intake_port').value).toBe('7429');
    expect(input('focus_shortcut').value).toBe('');
    // Each input has a visible label and its help text (description and default) attached.
    expect(document.querySelector('label[for="setting-digest_cadence"]')?.textContent).toBe('Digest cadence');
    const help = byTestId('setting-help-digest_cadence');
    expect(input('digest_cadence').getAttribute('aria-describedby')).toContain(help.id);
    expect(help.textContent).toBe('When held notifications arrive in working hours outside focus. Default: at 10:00,13:00,16:00.');
    expect(byTestId('setting-help-focus_shortcut').textContent).toContain('Default: empty.');
    // Which settings wait for the next start.
    expect(document.querySelector('[data-testid="setting-restart-focus_shortcut"]')).not.toBeNull();
    expect(document.querySelector('[data-testid="setting-restart-intake_port"]')).not.toBeNull();
    expect(document.querySelector('[data-testid="setting-restart-digest_cadence"]')).toBeNull();
    // Nothing to save until edited; only a stored value can be reset.
    expect(button('setting-save-digest_cadence').disabled).toBe(true);
    expect(button('setting-reset-digest_cadence').disabled).toBe(false);
    expect(button('setting-reset-intake_port').disabled).toBe(true);
  });

  it('saves with the key and value and shows the canonical value', async () => {
    const { calls, stored } = await mountSettings();
    type(input('digest_cadence'), ' every 60 min ');
    expect(button('setting-save-digest_cadence').disabled).toBe(false);
    button('setting-save-digest_cadence').click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'set_setting', args: { key: 'digest_cadence', value: ' every 60 min ' } });
    expect(stored.get('digest_cadence')?.value).toBe('every 1h');
    expect(input('digest_cadence').value).toBe('every 1h');
    expect(byTestId('setting-status-digest_cadence').textContent).toBe('Saved.');
  });

  it('says when a saved setting applies at the next start', async () => {
    await mountSettings();
    type(input('focus_shortcut'), 'Ctrl+Alt+F');
    input('focus_shortcut').form?.requestSubmit();
    await settle();
    expect(byTestId('setting-status-focus_shortcut').textContent).toBe('Saved. Applies the next time Baton starts.');
  });

  it('shows an invalid value inline next to its field and changes nothing', async () => {
    const { calls, stored } = await mountSettings();
    type(input('digest_cadence'), 'hourly');
    button('setting-save-digest_cadence').click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'set_setting', args: { key: 'digest_cadence', value: 'hourly' } });
    const error = byTestId('setting-error-digest_cadence');
    expect(error.textContent).toBe("Not saved: 'hourly' is not a cadence; use 'instant', 'every 30m' (5m to 12h) or 'at 10:00,16:00'");
    expect(input('digest_cadence').getAttribute('aria-invalid')).toBe('true');
    expect(input('digest_cadence').getAttribute('aria-describedby')).toContain(error.id);
    // The message sits in this setting's row, no other.
    expect(error.closest('form')).toBe(byTestId('setting-digest_cadence'));
    expect(byTestId('setting-error-intake_port').textContent).toBe('');
    // Nothing stored; the typed text stays for fixing.
    expect(stored.get('digest_cadence')?.value).toBe('every 1h');
    expect(input('digest_cadence').value).toBe('hourly');
    expect(byTestId('setting-status-digest_cadence').textContent).toBe('');

    // A valid value clears the message.
    type(input('digest_cadence'), 'instant');
    button('setting-save-digest_cadence').click();
    await settle();
    expect(byTestId('setting-error-digest_cadence').textContent).toBe('');
    expect(input('digest_cadence').hasAttribute('aria-invalid')).toBe(false);
  });

  it('resets a setting to its default', async () => {
    const { calls } = await mountSettings();
    button('setting-reset-digest_cadence').click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'set_setting', args: { key: 'digest_cadence', value: null } });
    expect(input('digest_cadence').value).toBe('at 10:00,13:00,16:00');
    expect(button('setting-reset-digest_cadence').disabled).toBe(true);
  });

  it('keeps an edit in progress when the settings are refetched', async () => {
    const { view, stored } = await mountSettings();
    type(input('focus_shortcut'), 'Ctrl+Alt+');
    // Another process changes the cadence meanwhile.
    stored.set('digest_cadence', { ...stored.get('digest_cadence')!, value: 'instant', effective: 'instant' });
    await view.refresh();
    await settle();
    expect(input('focus_shortcut').value).toBe('Ctrl+Alt+');
    expect(input('digest_cadence').value).toBe('instant');
  });

  it('shows the intake URL, masks the token and shows it on request', async () => {
    await mountSettings();
    expect(byTestId('intake-url').textContent).toBe('http://127.0.0.1:7429/v1/notifications');
    const token = byTestId<HTMLInputElement>('intake-token');
    expect(token.type).toBe('password');
    expect(token.value).toBe('a'.repeat(64));
    expect(document.querySelector('label[for="intake-token"]')?.textContent).toBe('Token');
    button('intake-show').click();
    expect(token.type).toBe('text');
    expect(button('intake-show').getAttribute('aria-pressed')).toBe('true');
    button('intake-show').click();
    expect(token.type).toBe('password');
    const curl = byTestId('intake-curl').textContent ?? '';
    expect(curl).toContain('curl -X POST http://127.0.0.1:7429/v1/notifications');
    expect(curl).toContain("$(cat '/home/sam/.local/share/baton/intake-token')");
    expect(curl).not.toContain('a'.repeat(64));
  });

  describe('clipboard', () => {
    const writeText = vi.fn<(text: string) => Promise<void>>();
    beforeEach(() => {
      writeText.mockReset();
      Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    });

    it('copies the token', async () => {
      writeText.mockResolvedValue(undefined);
      await mountSettings();
      button('intake-copy').click();
      await settle();
      expect(writeText).toHaveBeenCalledWith('a'.repeat(64));
      expect(byTestId('intake-status').textContent).toBe('Token copied to the clipboard.');
    });

    it('shows and selects the token when the clipboard is refused', async () => {
      writeText.mockRejectedValue(new Error('denied'));
      await mountSettings();
      button('intake-copy').click();
      await settle();
      expect(byTestId<HTMLInputElement>('intake-token').type).toBe('text');
      expect(byTestId('intake-status').textContent).toContain('press Ctrl+C');
    });
  });

  it('asks before regenerating, then calls the command and shows the new token', async () => {
    const { calls } = await mountSettings();
    const count = () => calls.filter((c) => c.cmd === 'regenerate_token').length;
    button('intake-regenerate').click();
    await settle();
    expect(count()).toBe(0);
    expect(document.querySelector('[role="alertdialog"]')?.textContent).toContain('Replace the token?');
    expect(document.activeElement).toBe(byTestId('intake-keep'));
    // Keeping it changes nothing.
    button('intake-keep').click();
    await settle();
    expect(document.querySelector('[role="alertdialog"]')).toBeNull();
    expect(count()).toBe(0);

    button('intake-regenerate').click();
    button('intake-confirm-regenerate').click();
    await settle();
    expect(count()).toBe(1);
    expect(document.querySelector('[role="alertdialog"]')).toBeNull();
    expect(byTestId<HTMLInputElement>('intake-token').value).toBe('b'.repeat(64));
    expect(byTestId('intake-status').textContent).toBe('New token in use: the old one is refused from now on.');
  });

  it('shows a banner when the settings cannot be loaded', async () => {
    mockBackend({
      settings: () => {
        throw { code: 'storage', message: 'database is locked', problems: [] };
      },
      intake: () => intakeView,
    });
    const view = createSettingsView();
    container().appendChild(view.el);
    await view.refresh();
    await settle();
    expect(view.el.querySelector('[role="alert"]')?.textContent).toContain('database is locked');
  });
});
