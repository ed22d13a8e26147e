import { afterEach, describe, expect, it } from 'vitest';
import type { WelcomeView } from '../bindings';
import { byTestId, cleanup, container, mockBackend, settle, type } from '../test/helpers';
import { createWelcomeCard, NOT_IN_TEAM, systemZone } from './welcome';

const fresh: WelcomeView = {
  show: true,
  team: 'Sample team',
  sample: true,
  members: ['Ana', 'Kenji', 'Lena'],
  me: 'Ana',
  can_add_me: true,
  start_at_login: false,
};

function mountCard(v: WelcomeView | null = fresh) {
  const seen = { changed: 0, dismissed: 0, routes: [] as string[] };
  const card = createWelcomeCard({
    navigate: (r) => seen.routes.push(r),
    changed: () => seen.changed++,
    dismissed: () => seen.dismissed++,
  });
  container().appendChild(card.el);
  card.show(v);
  return { card, seen };
}

const select = () => byTestId<HTMLSelectElement>('welcome-me');
const choose = (value: string) => {
  select().value = value;
  select().dispatchEvent(new Event('change'));
};

afterEach(cleanup);

describe('first-run card', () => {
  it('shows on a fresh database with the members to choose me from, and stays hidden otherwise', () => {
    const { card } = mountCard();
    expect(card.el.hidden).toBe(false);
    const options = Array.from(select().options, (o) => o.textContent);
    expect(options).toEqual(['Ana', 'Kenji', 'Lena', 'I am not in this team yet']);
    expect(select().value).toBe('Ana');
    expect(byTestId('welcome-team').textContent).toContain('sample team');
    card.show({ ...fresh, show: false });
    expect(card.el.hidden).toBe(true);
    card.show(null);
    expect(card.el.hidden).toBe(true);
  });

  it('saves a chosen member as me at once', async () => {
    const calls = mockBackend({ set_me: () => ({}) });
    const { seen } = mountCard();
    choose('Kenji');
    await settle();
    expect(calls).toEqual([{ cmd: 'set_me', args: { name: 'Kenji' } }]);
    expect(byTestId('welcome-me-status').textContent).toBe('Saved: you are Kenji.');
    expect(seen.changed).toBe(1);
  });

  it('adds me in the system zone with the default hours', async () => {
    const calls = mockBackend({ add_me: (a) => ({ ...fresh, sample: false, members: [...fresh.members, a.name as string], me: a.name }) });
    const { seen } = mountCard();
    choose(NOT_IN_TEAM);
    const form = byTestId('welcome-name').closest('form');
    expect(form?.hidden).toBe(false);
    expect(form?.textContent).toContain(systemZone());
    type(byTestId<HTMLInputElement>('welcome-name'), '  Zoe ');
    form?.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(calls).toEqual([{ cmd: 'add_me', args: { name: 'Zoe', timeZone: systemZone() } }]);
    expect(select().value).toBe('Zoe');
    expect(byTestId('welcome-me-status').textContent).toContain('Added you as Zoe');
    expect(byTestId('welcome-team').textContent).toBe('Now: Sample team, kept on this computer.');
    expect(seen.changed).toBe(1);
  });

  it('names the problem when adding me is refused', async () => {
    mockBackend({
      add_me: () => {
        throw { code: 'invalid', message: 'invalid member', problems: [{ field: 'name', message: 'a teammate named Kenji already exists', suggestions: [] }] };
      },
    });
    mountCard();
    choose(NOT_IN_TEAM);
    type(byTestId<HTMLInputElement>('welcome-name'), 'Kenji');
    byTestId('welcome-name').closest('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(byTestId('welcome-me-status').textContent).toBe('Not added: a teammate named Kenji already exists');
  });

  it('cannot add me to a followed team and says who can', () => {
    mountCard({ ...fresh, sample: false, can_add_me: false, me: null });
    expect(byTestId<HTMLInputElement>('welcome-name').disabled).toBe(true);
    expect(byTestId('welcome-name').closest('form')?.textContent).toContain('ask whoever keeps it to add you');
    expect(byTestId('welcome-team').textContent).toContain('followed from its shared source');
  });

  it('follows a shared team from the card', async () => {
    const calls = mockBackend({ follow_team: () => ({}) });
    const { seen } = mountCard();
    type(byTestId<HTMLInputElement>('welcome-follow'), ' ~/team ');
    byTestId('welcome-follow').closest('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(calls).toEqual([{ cmd: 'follow_team', args: { source: '~/team' } }]);
    expect(byTestId('welcome-follow-status').textContent).toBe('Following ~/team.');
    expect(seen.changed).toBe(1);
  });

  it('turns start at login on and shows what the core says', async () => {
    const calls = mockBackend({ set_start_at_login: (a) => ({ ...fresh, start_at_login: a.on }) });
    mountCard();
    const box = byTestId<HTMLInputElement>('welcome-login');
    expect(box.checked).toBe(false);
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    await settle();
    expect(calls).toEqual([{ cmd: 'set_start_at_login', args: { on: true } }]);
    expect(box.checked).toBe(true);
    expect(byTestId('welcome-login-status').textContent).toBe('Baton starts when you log in.');
  });

  it('puts the box back when start at login cannot be changed', async () => {
    mockBackend({
      set_start_at_login: () => {
        throw { code: 'storage', message: 'cannot change start at login: permission denied', problems: [] };
      },
    });
    mountCard();
    const box = byTestId<HTMLInputElement>('welcome-login');
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    await settle();
    expect(box.checked).toBe(false);
    expect(byTestId('welcome-login-status').textContent).toContain('permission denied');
  });

  it('says what to do when the test notification finds no notification service', async () => {
    mockBackend({ test_notification: () => ({ shown: false, server: null, message: 'No notification service answered (…): install and start one, such as dunst or mako' }) });
    mountCard();
    byTestId('welcome-test').click();
    await settle();
    const status = byTestId('welcome-test-status');
    expect(status.textContent).toContain('dunst or mako');
    expect(status.classList.contains('is-error')).toBe(true);
  });

  it('hides on Done by storing first_run = done, and hands the focus back', async () => {
    const calls = mockBackend({ set_setting: (a) => ({ key: a.key, value: a.value }) });
    const { card, seen } = mountCard();
    byTestId('welcome-done').click();
    await settle();
    expect(calls).toEqual([{ cmd: 'set_setting', args: { key: 'first_run', value: 'done' } }]);
    expect(card.el.hidden).toBe(true);
    expect(seen.dismissed).toBe(1);
  });
});
