import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MemberDraft, TeamDraft } from '../bindings';
import { byTestId, cleanup, container, mockBackend, settle, type } from '../test/helpers';
import { brokenFolder, invalidLena, localSource, team, zones } from '../test/fixtures';
import { createEditorView, parseField, splitLines } from './editor';

async function mountEditor(handlers: Parameters<typeof mockBackend>[0] = {}) {
  const calls = mockBackend({ team: () => team, time_zones: () => zones, team_source: () => localSource, ...handlers });
  const editor = createEditorView();
  container().appendChild(editor.el);
  editor.setVisible(true);
  await editor.refresh();
  await settle();
  return calls;
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const items = () => Array.from(document.querySelectorAll<HTMLElement>('[data-testid="member-item"]'));
const pick = (name: string) => items().find((i) => i.textContent?.includes(name))?.querySelector('button')?.click();

afterEach(cleanup);

describe('splitLines and parseField', () => {
  it('keeps the line number of each non-blank line', () => {
    expect(splitLines('mon 09:00-10:00\n\n  tue 09:00-10:00  \n')).toEqual({
      values: ['mon 09:00-10:00', 'tue 09:00-10:00'],
      lineNumbers: [1, 3],
    });
  });

  it('reads the core’s field paths', () => {
    expect(parseField('hours[1]')).toEqual({ key: 'hours', index: 1 });
    expect(parseField('days_off[2]')).toEqual({ key: 'days_off', index: 2 });
    expect(parseField('time_zone')).toEqual({ key: 'time_zone' });
    expect(parseField('me')).toBeNull();
  });
});

describe('team editor', () => {
  it('lists the teammates and fills the form with the first', async () => {
    await mountEditor();
    expect(items().map((i) => i.textContent)).toEqual([
      expect.stringContaining('Ana'),
      expect.stringContaining('Kenji'),
      expect.stringContaining('Lena'),
    ]);
    expect(input('member-name').value).toBe('Ana');
    expect(input('member-time-zone').value).toBe('America/Sao_Paulo');
    expect(input('member-days-off').value).toBe('2026-12-24\n2026-12-28..2027-01-01');
  });

  it('shows a bad zone inline with clickable suggestions, maps hours[1] to its line, and reports no success', async () => {
    const saved: TeamDraft = { ...team, members: team.members.map((m) => (m.name === 'Lena' ? { ...m, hours: ['mon-fri 08:30-17:00', 'sat 09:00-10:00'] } : m)) };
    let fail = true;
    const calls = await mountEditor({
      save_member: () => {
        if (fail) throw invalidLena;
        return saved;
      },
    });
    pick('Lena');
    expect(input('member-name').value).toBe('Lena');
    type(input('member-time-zone'), 'Europe/Berln');
    // A blank line between the entries: the core's hours[1] is the third line of the box.
    type(input('member-hours'), 'mon-fri 08:30-17:00\n\nsat 09:00-10:00');
    byTestId('save-member').click();
    await settle();

    expect(calls.at(-1)).toEqual({
      cmd: 'save_member',
      args: {
        original: 'Lena',
        draft: {
          name: 'Lena',
          time_zone: 'Europe/Berln',
          hours: ['mon-fri 08:30-17:00', 'sat 09:00-10:00'],
          focus: ['tue,thu 13:00-15:00'],
          days_off: ['2026-12-24..2026-12-26'],
          holidays: 'DE-BE',
          travel: [{ from: '2027-02-01', to: '2027-02-14', time_zone: 'Asia/Tokyo' }],
        } satisfies MemberDraft,
      },
    });
    const zoneError = byTestId('error-time_zone');
    expect(zoneError.textContent).toContain('unknown time zone "Europe/Berln"');
    const suggestions = Array.from(zoneError.querySelectorAll('button')).map((b) => b.textContent);
    expect(suggestions).toEqual(['Europe/Berlin', 'Europe/Berne']);
    expect(byTestId('error-hours').textContent).toContain('Line 3: unknown day "fir"');
    expect(input('member-time-zone').getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('[data-testid="error-name"]')).toBeNull();
    expect(byTestId('editor-status').textContent).toBe('');
    expect(byTestId('editor-error').textContent).toContain('Not saved');

    // Picking a suggestion fills the field and clears its error; the next save goes through.
    zoneError.querySelector<HTMLButtonElement>('button')?.click();
    expect(input('member-time-zone').value).toBe('Europe/Berlin');
    expect(document.querySelector('[data-testid="error-time_zone"]')).toBeNull();
    fail = false;
    byTestId('save-member').click();
    await settle();
    expect((calls.at(-1)?.args.draft as MemberDraft).time_zone).toBe('Europe/Berlin');
    expect(byTestId('editor-status').textContent).toBe('Saved Lena.');
    expect(document.querySelector('[data-testid="error-hours"]')).toBeNull();
    expect(document.querySelector('[data-testid="editor-error"]')).toBeNull();
  });

  it('adds a new member with original null', async () => {
    const kofi: MemberDraft = { name: 'Kofi', time_zone: 'Africa/Accra', hours: ['mon-fri 09:00-17:00'], focus: [], days_off: [], holidays: '', travel: [] };
    const calls = await mountEditor({ save_member: () => ({ ...team, members: [...team.members, kofi] }) });
    byTestId('add-member').click();
    expect(input('member-name').value).toBe('');
    expect(document.activeElement).toBe(input('member-name'));
    type(input('member-name'), ' Kofi ');
    type(input('member-time-zone'), 'Africa/Accra');
    type(input('member-hours'), 'mon-fri 09:00-17:00\n');
    byTestId('save-member').click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'save_member', args: { original: null, draft: kofi } });
    expect(items()).toHaveLength(4);
    expect(byTestId('editor-status').textContent).toBe('Saved Kofi.');
  });

  it('removes a member only after confirming', async () => {
    const calls = await mountEditor({ remove_member: () => ({ ...team, members: team.members.filter((m) => m.name !== 'Kenji') }) });
    pick('Kenji');
    byTestId('remove-member').click();
    expect(calls.some((c) => c.cmd === 'remove_member')).toBe(false);
    expect(byTestId('confirm-remove').closest('[role="alertdialog"]')?.textContent).toContain('Remove Kenji from Platform?');
    byTestId('confirm-remove').click();
    await settle();
    expect(calls.at(-1)).toEqual({ cmd: 'remove_member', args: { name: 'Kenji' } });
    expect(items().map((i) => i.textContent)).not.toContainEqual(expect.stringContaining('Kenji'));
    expect(byTestId('editor-status').textContent).toBe('Removed Kenji.');
  });

  it('imports a team file’s text and reports a rejected one without changing anything', async () => {
    let reject = false;
    const calls = await mountEditor({
      import_team: () => {
        if (reject) {
          throw { code: 'invalid', message: 'team.toml: 1 problem', problems: [{ field: 'members[1].time_zone', message: 'unknown time zone "Mars/Base"', suggestions: [] }] };
        }
        return { ...team, name: 'Imported' };
      },
    });
    const file = input('import-file');
    const choose = (text: string) => {
      Object.defineProperty(file, 'files', { configurable: true, value: [new File([text], 'team.toml')] });
      file.dispatchEvent(new Event('change'));
    };
    choose('name = "Imported"\n');
    await vi.waitFor(() => expect(calls.at(-1)?.cmd).toBe('import_team'));
    expect(calls.at(-1)?.args).toEqual({ text: 'name = "Imported"\n' });
    await vi.waitFor(() => expect(byTestId('import-status').textContent).toContain('Imported Imported'));

    reject = true;
    choose('broken');
    await vi.waitFor(() => expect(byTestId('import-error').textContent).toContain('unknown time zone "Mars/Base"'));
    expect(byTestId('import-error').textContent).toContain('the team is unchanged');
  });

  it('exports the TOML read-only with a download link', async () => {
    const toml = 'name = "Platform"\nme = "Ana"\n';
    const createObjectURL = vi.fn(() => 'blob:baton-export');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    await mountEditor({ export_team: () => toml });
    byTestId('export-team').click();
    await settle();
    const area = byTestId<HTMLTextAreaElement>('export-text');
    expect(area.value).toBe(toml);
    expect(area.readOnly).toBe(true);
    const link = document.querySelector<HTMLAnchorElement>('.export-panel a[download]');
    expect(link?.getAttribute('href')).toBe('blob:baton-export');
    expect(link?.getAttribute('download')).toBe('platform.toml');
  });

  it('shows a non-field error above the form', async () => {
    await mountEditor({
      save_member: () => {
        throw { code: 'storage', message: 'the database is locked; try again', problems: [] };
      },
    });
    byTestId('save-member').click();
    await settle();
    expect(byTestId('editor-error').textContent).toContain('the database is locked');
    expect(byTestId('editor-status').textContent).toBe('');
  });

  it('follows a shared team from the editor and then shows where it comes from', async () => {
    const followed = { ...brokenFolder, error: null, problems: [], needs_me: false, edit: { mode: 'own_entry' as const, file: '/home/sam/team/members/ana.toml' } };
    const calls = await mountEditor({ follow_team: () => followed });
    const input = document.querySelector<HTMLInputElement>('[data-testid="follow-source"]')!;
    type(input, '~/team');
    byTestId('follow').click();
    await settle();
    expect(calls.find((c) => c.cmd === 'follow_team')?.args).toEqual({ source: '~/team' });
    expect(byTestId('source-line').textContent).toContain('Following the shared folder /home/sam/team');
    expect(document.querySelector<HTMLElement>('.follow')?.hidden).toBe(true);
  });

  it('says why a source cannot be followed and changes nothing', async () => {
    await mountEditor({
      follow_team: () => {
        throw { code: 'invalid', message: 'https://example.com/team.toml: HTTP 404', problems: [] };
      },
    });
    type(document.querySelector<HTMLInputElement>('[data-testid="follow-source"]')!, 'https://example.com/team.toml');
    byTestId('follow').click();
    await settle();
    expect(byTestId('follow-error').textContent).toContain('Not followed: https://example.com/team.toml: HTTP 404');
    expect(items()).toHaveLength(3);
  });

  it('in a followed folder edits only my own entry, and others are read-only with the reason', async () => {
    const ownEntry = { ...brokenFolder, error: null, problems: [], needs_me: false, edit: { mode: 'own_entry' as const, file: '/home/sam/team/members/ana.toml' } };
    const calls = await mountEditor({ team_source: () => ownEntry, save_member: () => team });
    // Ana (me) is shown first: editable, saved into her member file.
    expect(input('member-name').disabled).toBe(false);
    expect(byTestId('edit-note').textContent).toContain('saved into /home/sam/team/members/ana.toml');
    expect(byTestId('add-member')).toHaveProperty('disabled', true);
    pick('Kenji');
    expect(input('member-name').disabled).toBe(true);
    expect(byTestId('edit-note').textContent).toContain('Kenji comes from the shared folder /home/sam/team');
    expect(document.querySelector('[data-testid="save-member"]')).toBeNull();
    expect(calls.some((c) => c.cmd === 'remove_member')).toBe(false);
  });

  it('a followed file is read-only, and This is me sets me on this machine', async () => {
    const calls = await mountEditor({ team_source: () => brokenFolder, set_me: () => ({ ...brokenFolder, needs_me: false }) });
    expect(input('member-name').disabled).toBe(true);
    expect(byTestId('edit-note').textContent).toContain('Read-only: the team comes from the folder /home/sam/team');
    expect(byTestId('source-banner').textContent).toContain('was not updated');
    pick('Kenji');
    byTestId('this-is-me').click();
    await settle();
    expect(calls.find((c) => c.cmd === 'set_me')?.args).toEqual({ name: 'Kenji' });
  });
});
