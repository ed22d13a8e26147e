// The team file card's reports and export, and the list of teammates, drawn from state alone.

import { describe, expect, it } from 'vitest';
import { IpcError } from '../../ipc';
import { team } from '../../test/fixtures';
import { exportFileName, renderExport, renderImported, renderImportError } from './team-file';
import { renderMemberList, teamSummary } from './members';

describe('the team file', () => {
  it('names the export after the team', () => {
    expect(exportFileName('Platform')).toBe('platform.toml');
    expect(exportFileName('  Night Shift & Co! ')).toBe('night-shift-co.toml');
    expect(exportFileName('***')).toBe('team.toml');
    expect(exportFileName(undefined)).toBe('team.toml');
  });

  it('shows the export read-only with a download link', () => {
    const [area, actions] = renderExport('name = "Platform"\n', 'blob:x', 'platform.toml');
    expect((area as HTMLTextAreaElement).value).toBe('name = "Platform"\n');
    expect((area as HTMLTextAreaElement).readOnly).toBe(true);
    const link = actions?.querySelector('a');
    expect([link?.getAttribute('href'), link?.getAttribute('download'), link?.textContent]).toEqual([
      'blob:x',
      'platform.toml',
      'Download platform.toml',
    ]);
  });

  it('reports what an import did, or each problem of a refused one', () => {
    expect(renderImported(team, 'team.toml').textContent).toBe('Imported Platform from team.toml: 3 members.');
    const error = IpcError.from({
      code: 'invalid',
      message: 'team.toml: 1 problem',
      problems: [{ field: 'members[1].time_zone', message: 'unknown time zone "Mars/Base"', suggestions: [] }],
    });
    const el = renderImportError(error, 'team.toml');
    expect(el.querySelector('span')?.textContent).toBe('team.toml was not imported; the team is unchanged. team.toml: 1 problem');
    expect(Array.from(el.querySelectorAll('li'), (li) => li.textContent)).toEqual(['members[1].time_zone unknown time zone "Mars/Base"']);
  });
});

describe('the member list', () => {
  it('marks me and the member being edited', () => {
    const items = renderMemberList(team, 'lena', () => undefined) as HTMLElement[];
    expect(items.map((i) => i.textContent)).toEqual(['AnaYouAmerica/Sao_Paulo', 'KenjiAsia/Tokyo', 'LenaEurope/Berlin']);
    expect(items.map((i) => i.querySelector('button')?.getAttribute('aria-current'))).toEqual([null, null, 'true']);
    expect(teamSummary(team)).toBe('Platform · 3 members · you are Ana');
  });

  it('invites the first member of an empty team', () => {
    const empty = renderMemberList({ ...team, members: [] }, null, () => undefined) as HTMLElement;
    expect(empty.textContent).toBe('No teammates yet. Add the first one.');
    expect(teamSummary({ name: 'Solo', me: null, members: [team.members[0]!] })).toBe('Solo · 1 member');
  });
});
