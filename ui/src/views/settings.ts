// Settings: every setting the core knows (`settings::SETTINGS`), one row each with its own Save, the
// notification intake's URL and token, and the calendars Baton reads (`./calendars`). The core validates and canonicalises every value; the view only
// shows what it answers, so a refused value is named next to its field and nothing changes.
//
// Rows are built once and updated in place: a refetch on `baton:changed` (the CLI or the other process
// wrote) refreshes every row the user is not editing and leaves an edited one alone.

import type { IntakeView, SettingRow } from '../bindings';
import { announce, h, mount } from '../dom';
import * as ipc from '../ipc';
import { loadHabits } from '../time';
import { errorBanner, errorText, refresher, type View } from '../view';
import { createCalendarsSection } from './calendars';
import { startAtLoginBox, testNotificationButton } from './welcome';

/** How each setting is labelled and grouped; a key the view does not know still gets a row. */
const LABELS: Record<string, { label: string; group: string }> = {
  focus_shortcut: { label: 'Focus shortcut', group: 'Focus' },
  focus_goal_hours: { label: 'Weekly focus goal (hours)', group: 'Focus' },
  focus_silences_desktop: { label: "Focus turns on the desktop's do-not-disturb", group: 'Focus' },
  off_hours_silence: { label: 'Do-not-disturb outside working hours', group: 'Focus' },
  desktop_dnd: { label: 'Desktop do-not-disturb', group: 'Focus' },
  digest_cadence: { label: 'Digest cadence', group: 'Notifications' },
  urgent_sources: { label: 'Urgent sources', group: 'Notifications' },
  urgent_senders: { label: 'Urgent senders', group: 'Notifications' },
  urgent_keywords: { label: 'Urgent keywords', group: 'Notifications' },
  urgent_cap_per_hour: { label: 'Breakthroughs per source per hour', group: 'Notifications' },
  intake_port: { label: 'Intake port', group: 'Intake API' },
  intake_rate_per_minute: { label: 'Intake rate per source per minute', group: 'Intake API' },
  intake_rate_total_per_minute: { label: 'Intake rate of all sources per minute', group: 'Intake API' },
  me: { label: 'Me', group: 'Team' },
  time_format: { label: 'Clock', group: 'Time' },
  week_start: { label: 'First day of the week', group: 'Time' },
  first_run: { label: 'First-run card', group: 'Desktop' },
  team_refresh: { label: 'Team refresh', group: 'Team' },
  calendar_refresh: { label: 'Calendar refresh', group: 'Calendars' },
  calendar_ooo_words: { label: 'Out-of-office words', group: 'Calendars' },
};

function describe(key: string): { label: string; group: string } {
  const known = LABELS[key];
  if (known) return known;
  const words = key.replace(/_/g, ' ');
  return { label: words.charAt(0).toUpperCase() + words.slice(1), group: 'Other' };
}

/** One setting's row and what it last showed. */
interface Row {
  el: HTMLElement;
  input: HTMLInputElement;
  save: HTMLButtonElement;
  reset: HTMLButtonElement;
  help: HTMLElement;
  error: HTMLElement;
  status: HTMLElement;
  /** The row as the core last sent it. */
  shown: SettingRow;
  busy: boolean;
}

/** The settings tab. */
export function createSettingsView(): View {
  const rows = new Map<string, Row>();
  const groups = new Map<string, HTMLElement>();
  let intake: IntakeView | null = null;
  let tokenShown = false;

  const message = h('div', { class: 'settings-message' });
  // The desktop's do-not-disturb: found over D-Bus by the core, so it is fetched on its own.
  const dndLine = h('p', { class: 'settings-dnd', 'data-testid': 'settings-dnd' });
  const calendars = createCalendarsSection();
  const list = h('div', { class: 'settings-groups' });
  // This computer: start at login (the autostart entry, as the tray menu's item) and a test notification.
  const login = startAtLoginBox('settings-login', () => undefined);
  const test = testNotificationButton('settings-test');
  const desktopCard = h(
    'section',
    { class: 'card settings-desktop', 'aria-labelledby': 'settings-desktop-title' },
    h('h2', { id: 'settings-desktop-title', class: 'pane-title' }, 'This computer'),
    login.el,
    test.el,
  );
  // This build, for bug reports and to tell whether a recent time-zone change is known.
  const aboutLine = h('p', { class: 'muted settings-about', 'data-testid': 'settings-about' });

  // The intake card.
  const url = h('code', { class: 'intake-url', 'data-testid': 'intake-url' });
  const tokenInput = h('input', {
    id: 'intake-token',
    class: 'input token-input',
    type: 'password',
    readonly: true,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': 'intake-token-hint',
    'data-testid': 'intake-token',
  });
  const showButton = h(
    'button',
    { type: 'button', class: 'btn', 'aria-pressed': 'false', 'aria-controls': 'intake-token', 'data-testid': 'intake-show', onClick: () => toggleToken() },
    'Show',
  );
  const copyButton = h('button', { type: 'button', class: 'btn', 'data-testid': 'intake-copy', onClick: () => void copy() }, 'Copy');
  const regenerateButton = h(
    'button',
    { type: 'button', class: 'btn btn-danger-quiet', 'data-testid': 'intake-regenerate', onClick: () => askRegenerate() },
    'Regenerate…',
  );
  const tokenActions = h('div', { class: 'token-actions' }, showButton, copyButton, regenerateButton);
  const tokenFile = h('p', { class: 'hint', id: 'intake-token-hint' });
  const confirmSlot = h('div', { class: 'intake-confirm' });
  const intakeStatus = h('p', { class: 'status intake-status', role: 'status', 'data-testid': 'intake-status' });
  const curl = h('pre', { class: 'code curl', 'data-testid': 'intake-curl', tabindex: 0, 'aria-label': 'Example: post a notification with curl' });

  const intakeCard = h(
    'section',
    { class: 'card intake-card', 'aria-labelledby': 'intake-title' },
    h('h2', { id: 'intake-title', class: 'pane-title' }, 'Notification intake'),
    h('p', { class: 'muted intake-sub' }, 'Scripts, CI jobs and other tools on this computer post notifications here; Baton holds them until its policy lets them through.'),
    h('dl', { class: 'intake-facts' }, h('dt', null, 'URL'), h('dd', null, url)),
    h('label', { for: 'intake-token', class: 'label' }, 'Token'),
    h('div', { class: 'token-row' }, tokenInput, tokenActions),
    tokenFile,
    confirmSlot,
    intakeStatus,
    h('h3', { class: 'sub-title', id: 'curl-title' }, 'Try it'),
    curl,
  );

  const el = h(
    'section',
    { class: 'view view-settings', 'aria-labelledby': 'settings-heading' },
    h(
      'header',
      { class: 'view-header' },
      h('h1', { id: 'settings-heading' }, 'Settings'),
      h(
        'p',
        { class: 'muted view-sub' },
        'Stored in Baton’s database and shared with ',
        h('code', null, 'baton settings'),
        '. Settings marked ',
        h('span', { class: 'badge badge-restart' }, 'Next start'),
        ' are read when Baton starts: quit Baton from its tray menu and open it again to apply them.',
      ),
    ),
    message,
    dndLine,
    desktopCard,
    h('div', { class: 'settings-layout' }, list, intakeCard),
    calendars.el,
    aboutLine,
  );

  function rowFor(s: SettingRow): Row {
    const existing = rows.get(s.key);
    if (existing) return existing;
    const { label, group } = describe(s.key);
    const id = `setting-${s.key}`;
    const input = h('input', {
      id,
      class: 'input',
      type: 'text',
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': `${id}-help ${id}-error`,
      'data-testid': `setting-input-${s.key}`,
      onInput: () => {
        row.status.textContent = '';
        syncButtons(row);
      },
    });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': `setting-save-${s.key}` }, 'Save');
    const reset = h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': `setting-reset-${s.key}`, onClick: () => void apply(row, null) },
      'Reset to default',
    );
    const help = h('p', { class: 'hint', id: `${id}-help`, 'data-testid': `setting-help-${s.key}` });
    const error = h('div', { id: `${id}-error`, 'data-testid': `setting-error-${s.key}` });
    const status = h('p', { class: 'status setting-status', role: 'status', 'data-testid': `setting-status-${s.key}` });
    const form = h(
      'form',
      {
        class: 'setting',
        novalidate: true,
        'data-testid': `setting-${s.key}`,
        onSubmit: (e) => {
          e.preventDefault();
          void apply(row, input.value);
        },
      },
      h(
        'div',
        { class: 'setting-head' },
        h('label', { for: id, class: 'label' }, label),
        s.next_start ? h('span', { class: 'badge badge-restart', 'data-testid': `setting-restart-${s.key}` }, 'Next start') : null,
        h('code', { class: 'setting-key', title: 'The key for baton settings set' }, s.key),
      ),
      h('div', { class: 'setting-control' }, input, save, reset),
      help,
      error,
      status,
    );
    const row: Row = { el: form, input, save, reset, help, error, status, shown: s, busy: false };
    rows.set(s.key, row);
    let section = groups.get(group);
    if (!section) {
      const title = `settings-group-${groups.size}`;
      section = h('section', { class: 'card settings-group', 'aria-labelledby': title }, h('h2', { id: title, class: 'pane-title' }, group));
      groups.set(group, section);
      list.appendChild(section);
    }
    section.appendChild(form);
    input.value = s.effective;
    return row;
  }

  function showRow(row: Row, s: SettingRow, force: boolean): void {
    // An edit in progress survives a refetch; a saved or untouched field follows the core.
    if (force || row.input.value === row.shown.effective) row.input.value = s.effective;
    row.shown = s;
    mount(
      row.help,
      s.description.charAt(0).toUpperCase() + s.description.slice(1),
      '. Default: ',
      s.default === '' ? 'empty' : h('code', null, s.default),
      '.',
    );
    syncButtons(row);
  }

  function syncButtons(row: Row): void {
    row.save.disabled = row.busy || row.input.value === row.shown.effective;
    row.reset.disabled = row.busy || row.shown.value === null;
  }

  function showProblem(row: Row, text: string): void {
    row.input.setAttribute('aria-invalid', 'true');
    mount(row.error, h('div', { class: 'field-error', role: 'alert' }, h('strong', null, 'Not saved: '), text));
  }

  function clearProblem(row: Row): void {
    row.input.removeAttribute('aria-invalid');
    mount(row.error);
  }

  /** Stores `value` (null: back to the default) and shows what the core made of it, or why not. */
  async function apply(row: Row, value: string | null): Promise<void> {
    if (row.busy) return;
    row.busy = true;
    syncButtons(row);
    const key = row.shown.key;
    try {
      const saved = await ipc.setSetting(key, value);
      // The clock and the week's first day apply to every view from the next time it draws.
      if (key === 'time_format' || key === 'week_start') await loadHabits(ipc.locale);
      clearProblem(row);
      showRow(row, saved, true);
      const done = value === null ? 'Back to the default.' : 'Saved.';
      announce(row.status, saved.next_start ? `${done} Applies the next time Baton starts.` : done);
    } catch (error) {
      const e = ipc.IpcError.from(error);
      const problem = e.code === 'invalid' ? e.problems.find((p) => p.field === key) : undefined;
      announce(row.status, '');
      showProblem(row, problem ? problem.message : errorText(e));
      row.input.focus();
    } finally {
      row.busy = false;
      syncButtons(row);
    }
  }

  function renderIntake(v: IntakeView): void {
    intake = v;
    url.textContent = v.url;
    tokenInput.value = v.token;
    mount(tokenFile, 'Send it as ', h('code', null, 'Authorization: Bearer …'), '. Kept in ', h('code', null, v.token_file), ', readable by you only.');
    curl.textContent = [
      `curl -X POST ${v.url} \\`,
      `  -H "Authorization: Bearer $(cat '${v.token_file}')" \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d '{"source": "ci", "title": "Build failed", "urgency": "high"}'`,
    ].join('\n');
    copyButton.disabled = false;
    regenerateButton.disabled = false;
  }

  function toggleToken(): void {
    tokenShown = !tokenShown;
    tokenInput.type = tokenShown ? 'text' : 'password';
    showButton.textContent = tokenShown ? 'Hide' : 'Show';
    showButton.setAttribute('aria-pressed', String(tokenShown));
  }

  async function copy(): Promise<void> {
    if (!intake) return;
    try {
      await navigator.clipboard.writeText(intake.token);
      announce(intakeStatus, 'Token copied to the clipboard.');
    } catch {
      // The clipboard may be refused (no focus, no permission): leave the token ready to copy by hand.
      if (!tokenShown) toggleToken();
      tokenInput.select();
      announce(intakeStatus, 'Could not reach the clipboard: the token is selected, press Ctrl+C to copy it.');
    }
  }

  function askRegenerate(): void {
    const keep = h('button', { type: 'button', class: 'btn', 'data-testid': 'intake-keep', onClick: () => closeConfirm() }, 'Keep the current token');
    mount(
      confirmSlot,
      h(
        'div',
        { class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'regenerate-text' },
        h('span', { id: 'regenerate-text' }, 'Replace the token? Programs using the current one are refused until they get the new one.'),
        h('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'intake-confirm-regenerate', onClick: () => void regenerate() }, 'Regenerate'),
        keep,
      ),
    );
    regenerateButton.disabled = true;
    keep.focus();
  }

  function closeConfirm(): void {
    mount(confirmSlot);
    regenerateButton.disabled = intake === null;
    regenerateButton.focus();
  }

  async function regenerate(): Promise<void> {
    try {
      renderIntake(await ipc.regenerateToken());
      closeConfirm();
      announce(intakeStatus, 'New token in use: the old one is refused from now on.');
    } catch (error) {
      closeConfirm();
      announce(intakeStatus, '');
      mount(message, errorBanner(error));
    }
  }

  const refreshSettings = refresher(
    () => Promise.all([ipc.settings(), ipc.intake()]),
    message,
    ([settings, v]) => {
      for (const s of settings) showRow(rowFor(s), s, false);
      renderIntake(v);
    },
    (error, retry) => errorBanner(error, retry),
  );

  copyButton.disabled = true;
  regenerateButton.disabled = true;

  // The calendars card fetches on its own: a failure there leaves the settings usable, and vice versa.
  const refreshDnd = async (): Promise<void> => {
    try {
      const d = await ipc.desktopDnd();
      mount(dndLine, h('strong', null, `Do not disturb${d.backend ? ` (${d.backend})` : ''}: `), d.line);
    } catch (error) {
      mount(dndLine, h('strong', null, 'Do not disturb: '), errorText(error));
    }
  };

  // The build does not change while the window is open: asked once.
  let aboutShown = false;
  const refreshAbout = async (): Promise<void> => {
    if (aboutShown) return;
    try {
      const a = await ipc.about();
      mount(aboutLine, h('strong', null, 'About Baton: '), `version ${a.version} · commit ${a.commit} · time-zone database ${a.tz_database}`);
      aboutShown = true;
    } catch (error) {
      mount(aboutLine, h('strong', null, 'About Baton: '), errorText(error));
    }
  };

  const refreshLogin = async (): Promise<void> => {
    try {
      login.box.checked = (await ipc.welcome()).start_at_login;
    } catch (error) {
      announce(login.status, errorText(error));
    }
  };

  const refresh = async (): Promise<void> => {
    await Promise.all([refreshSettings(), calendars.refresh(), refreshDnd(), refreshAbout(), refreshLogin()]);
  };

  return {
    el,
    refresh,
    setVisible() {
      // Nothing here changes with the clock.
    },
  };
}
