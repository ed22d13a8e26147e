// The first-run card on the calendar: which member is you (or "add me"), where the team comes from,
// start at login, and a test notification. A card, not a wizard: the calendar works around it, each
// answer is saved at once as the ordinary setting it is (`me`, the followed source, the autostart
// entry), and "Done" only hides the card (`first_run = done`), so dismissing it keeps the defaults.
//
// The card is built once and updated in place from the core's `WelcomeView`, so a refetch (any
// `baton:changed`) never throws away what the user is typing.

import type { TestNotification, WelcomeView } from '../bindings';
import { announce, h, mount } from '../dom';
import * as ipc from '../ipc';
import type { Route } from '../ipc';
import { errorText } from '../view';

/** The value of the "Which one is you?" choice that opens "Add me". */
export const NOT_IN_TEAM = '';

/** What the card may ask of the window around it. */
export interface WelcomeContext {
  navigate(route: Route): void;
  /** The card changed the team or me: the calendar draws again. */
  changed(): void;
  /** The card was closed: the focus goes back to the calendar. */
  dismissed(): void;
}

/** A built card: its element, and how to show a new state of it. */
export interface WelcomeCard {
  readonly el: HTMLElement;
  show(v: WelcomeView | null): void;
}

/** The system's zone, as the web view knows it: the zone "Add me" puts a new member in. */
export const systemZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Where the team comes from" in one line. */
export function teamLine(v: WelcomeView): string {
  if (v.sample) return 'Now: the sample team, made-up people to look around with.';
  return v.can_add_me ? `Now: ${v.team}, kept on this computer.` : `Now: ${v.team}, followed from its shared source.`;
}

/** A test notification's answer as a status line (an error look when it was not shown). */
export function testResult(el: HTMLElement, r: TestNotification): void {
  el.classList.toggle('is-error', !r.shown);
  announce(el, r.message);
}

/** "Start Baton at login": a checkbox saved at once (the tray menu's item is the same entry). */
export function startAtLoginBox(id: string, onChange: (v: WelcomeView) => void): { el: HTMLElement; box: HTMLInputElement; status: HTMLElement } {
  const status = h('p', { class: 'status io-status', role: 'status', 'data-testid': `${id}-status` });
  const box = h('input', {
    id,
    type: 'checkbox',
    'data-testid': id,
    onChange: () => {
      const on = box.checked;
      box.disabled = true;
      ipc.setStartAtLogin(on).then(
        (v) => {
          box.checked = v.start_at_login;
          announce(status, v.start_at_login ? 'Baton starts when you log in.' : 'Baton no longer starts at login.');
          onChange(v);
        },
        (e: unknown) => {
          box.checked = !on;
          announce(status, `Not changed: ${errorText(e)}`);
        },
      ).finally(() => {
        box.disabled = false;
      });
    },
  });
  const el = h('div', null, h('label', { class: 'check', for: id }, box, 'Start Baton at login'), status);
  return { el, box, status };
}

/** "Send a test notification" with the line that says where it went or what to do. */
export function testNotificationButton(id: string): { el: HTMLElement; status: HTMLElement } {
  const status = h('p', { class: 'status io-status', role: 'status', 'data-testid': `${id}-status` });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-testid': id,
      onClick: () => {
        button.disabled = true;
        ipc.testNotification().then(
          (r) => testResult(status, r),
          (e: unknown) => testResult(status, { shown: false, server: null, message: errorText(e) }),
        ).finally(() => {
          button.disabled = false;
        });
      },
    },
    'Send a test notification',
  );
  return { el: h('div', null, button, status), status };
}

/** The card, hidden until `show` gets a view that asks for it. */
export function createWelcomeCard(ctx: WelcomeContext): WelcomeCard {
  let view: WelcomeView | null = null;

  // 1. Who am I.
  const meSelect = h('select', {
    id: 'welcome-me',
    class: 'select',
    'data-testid': 'welcome-me',
    'aria-describedby': 'welcome-me-hint',
    onChange: () => onMe(),
  });
  const meHint = h('p', { class: 'hint', id: 'welcome-me-hint' });
  const nameHint = h('p', { class: 'hint', id: 'welcome-name-hint' });
  const nameInput = h('input', {
    id: 'welcome-name',
    class: 'input',
    type: 'text',
    autocomplete: 'name',
    spellcheck: 'false',
    'aria-describedby': 'welcome-name-hint',
    'data-testid': 'welcome-name',
  });
  const addForm = h(
    'form',
    {
      class: 'welcome-add',
      hidden: true,
      onSubmit: (e) => {
        e.preventDefault();
        void addMe();
      },
    },
    h('label', { for: 'welcome-name', class: 'label' }, 'Your name'),
    h('div', { class: 'io-actions' }, nameInput, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'welcome-add' }, 'Add me')),
    nameHint,
  );
  const meStatus = h('p', { class: 'status io-status', role: 'status', 'data-testid': 'welcome-me-status' });

  // 2. Where the team comes from.
  const teamNow = h('p', { class: 'muted', 'data-testid': 'welcome-team' });
  const followInput = h('input', {
    id: 'welcome-follow',
    class: 'input',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: '~/team or https://…/team.toml',
    'data-testid': 'welcome-follow',
  });
  const followStatus = h('p', { class: 'status io-status', role: 'status', 'data-testid': 'welcome-follow-status' });
  const followForm = h(
    'form',
    {
      class: 'welcome-follow',
      onSubmit: (e) => {
        e.preventDefault();
        void follow();
      },
    },
    h('label', { for: 'welcome-follow', class: 'label' }, 'A shared folder, team file or address'),
    h(
      'div',
      { class: 'io-actions' },
      followInput,
      h('button', { type: 'submit', class: 'btn', 'data-testid': 'welcome-follow-go' }, 'Follow'),
      h('button', { type: 'button', class: 'btn', onClick: () => ctx.navigate('editor') }, 'Import a team file…'),
    ),
    followStatus,
  );

  // 3 and 4.
  const login = startAtLoginBox('welcome-login', (v) => show(v));
  const test = testNotificationButton('welcome-test');

  const title = h('h2', { id: 'welcome-title', class: 'pane-title', tabindex: -1 }, 'Welcome to Baton');
  const el = h(
    'section',
    { class: 'card welcome', 'aria-labelledby': 'welcome-title', 'data-testid': 'welcome', hidden: true },
    h(
      'header',
      { class: 'welcome-head' },
      title,
      h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'welcome-done', onClick: () => void done() }, 'Done'),
    ),
    h('p', { class: 'muted' }, 'Four things to set up. Each is saved as you choose it and can be changed later in Settings or the Editor; Done keeps the rest as it is.'),
    h(
      'div',
      { class: 'welcome-steps' },
      h(
        'section',
        { class: 'welcome-step', 'aria-labelledby': 'welcome-me-title' },
        h('h3', { class: 'sub-title', id: 'welcome-me-title' }, 'Which one is you?'),
        h('label', { for: 'welcome-me', class: 'visually-hidden' }, 'Which member is you'),
        meSelect,
        meHint,
        addForm,
        meStatus,
      ),
      h(
        'section',
        { class: 'welcome-step', 'aria-labelledby': 'welcome-team-title' },
        h('h3', { class: 'sub-title', id: 'welcome-team-title' }, 'Where the team comes from'),
        teamNow,
        followForm,
      ),
      h(
        'section',
        { class: 'welcome-step', 'aria-labelledby': 'welcome-login-title' },
        h('h3', { class: 'sub-title', id: 'welcome-login-title' }, 'Start at login'),
        login.el,
        h('p', { class: 'hint' }, 'Baton then sits in the tray from the moment you log in, holding notifications through your focus.'),
      ),
      h(
        'section',
        { class: 'welcome-step', 'aria-labelledby': 'welcome-test-title' },
        h('h3', { class: 'sub-title', id: 'welcome-test-title' }, 'Notifications'),
        h('p', { class: 'hint' }, 'Check that your desktop shows what Baton sends.'),
        test.el,
      ),
    ),
  );

  function show(v: WelcomeView | null): void {
    view = v;
    el.hidden = !v?.show;
    el.dataset.state = v === null ? 'unavailable' : v.show ? 'shown' : 'done';
    if (!v?.show) return;
    // The choice follows the core unless the user is on it (typing a name after "not in this team").
    if (document.activeElement !== meSelect && !(addForm.contains(document.activeElement) && !addForm.hidden)) {
      mount(
        meSelect,
        v.members.map((m) => h('option', { value: m }, m)),
        h('option', { value: NOT_IN_TEAM }, 'I am not in this team yet'),
      );
      meSelect.value = v.me ?? NOT_IN_TEAM;
      addForm.hidden = v.me !== null;
    }
    meHint.textContent = v.sample
      ? 'The sample team has made-up people; add yourself to see your own hours beside theirs.'
      : 'Baton shows your handoffs, focus and the next teammate from this member.';
    nameHint.textContent = v.can_add_me
      ? `You are added in ${systemZone()}, working Monday to Friday 09:00–17:00; change that in the Editor.`
      : 'This team comes from its shared source: ask whoever keeps it to add you, then choose yourself here.';
    nameInput.disabled = !v.can_add_me;
    teamNow.textContent = teamLine(v);
    login.box.checked = v.start_at_login;
  }

  function onMe(): void {
    const name = meSelect.value;
    if (name === NOT_IN_TEAM) {
      addForm.hidden = false;
      nameInput.focus();
      return;
    }
    addForm.hidden = true;
    ipc.setMe(name).then(
      () => {
        announce(meStatus, `Saved: you are ${name}.`);
        ctx.changed();
      },
      (e: unknown) => announce(meStatus, `Not saved: ${errorText(e)}`),
    );
  }

  async function addMe(): Promise<void> {
    const name = nameInput.value.trim();
    if (!name) {
      announce(meStatus, 'Type your name first.');
      nameInput.focus();
      return;
    }
    try {
      const v = await ipc.addMe(name, systemZone());
      nameInput.value = '';
      addForm.hidden = true;
      show(v);
      meSelect.focus();
      announce(meStatus, `Added you as ${name}, and this machine knows you are ${name}.`);
      ctx.changed();
    } catch (e) {
      const err = ipc.IpcError.from(e);
      const problems = err.problems.map((p) => p.message);
      announce(meStatus, `Not added: ${problems.length ? problems.join('; ') : errorText(err)}`);
      nameInput.focus();
    }
  }

  async function follow(): Promise<void> {
    const source = followInput.value.trim();
    if (!source) return;
    announce(followStatus, 'Reading it…');
    try {
      await ipc.followTeam(source);
      followInput.value = '';
      announce(followStatus, `Following ${source}.`);
      ctx.changed();
    } catch (e) {
      announce(followStatus, `Not followed: ${errorText(e)}`);
    }
  }

  async function done(): Promise<void> {
    try {
      await ipc.setSetting('first_run', 'done');
      el.hidden = true;
      if (view) view = { ...view, show: false };
      ctx.dismissed();
    } catch (e) {
      announce(meStatus, `Could not close the card: ${errorText(e)}`);
    }
  }

  return { el, show };
}
