import { afterEach, describe, expect, it } from 'vitest';
import * as ipc from './ipc';
import { IpcError } from './ipc';
import { cleanup, mockBackend } from './test/helpers';
import { dstCalendar, invalidLena, team } from './test/fixtures';

afterEach(cleanup);

describe('IpcError', () => {
  it('wraps the core’s ErrorPayload with its code and problems', async () => {
    mockBackend({
      save_member: () => {
        throw invalidLena;
      },
    });
    const error = await ipc.saveMember('Lena', team.members[2]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toBeInstanceOf(Error);
    const e = error as IpcError;
    expect(e.code).toBe('invalid');
    expect(e.message).toBe('Lena was not saved: 2 problems');
    expect(e.problems).toEqual(invalidLena.problems);
  });

  it('wraps a bare string rejection (Tauri’s own errors) as code ipc', async () => {
    mockBackend({
      team: () => {
        throw 'calendar not allowed. Permissions associated with this command: allow-team';
      },
    });
    const e = (await ipc.team().catch((x: unknown) => x)) as IpcError;
    expect(e).toBeInstanceOf(IpcError);
    expect(e.code).toBe('ipc');
    expect(e.message).toContain('not allowed');
    expect(e.problems).toEqual([]);
  });

  it('passes camelCase arguments as the commands expect', async () => {
    const calls = mockBackend({
      calendar: () => dstCalendar,
      handoffs: () => null,
      remove_member: () => team,
      import_team: () => team,
      start_focus: () => null,
      stop_focus: () => null,
      export_team: () => '',
      time_zones: () => ['UTC'],
    });
    await ipc.calendar('2026-03-08', 2, 'America/New_York');
    await ipc.handoffs(7);
    await ipc.removeMember('Kenji');
    await ipc.importTeam('name = "T"');
    await ipc.startFocus({ kind: 'until_end_of_day' });
    await ipc.stopFocus();
    await ipc.exportTeam();
    await ipc.timeZones();
    await ipc.timeZones();
    expect(calls).toEqual([
      { cmd: 'calendar', args: { from: '2026-03-08', days: 2, zone: 'America/New_York' } },
      { cmd: 'handoffs', args: { days: 7 } },
      { cmd: 'remove_member', args: { name: 'Kenji' } },
      { cmd: 'import_team', args: { text: 'name = "T"' } },
      { cmd: 'start_focus', args: { length: { kind: 'until_end_of_day' } } },
      { cmd: 'stop_focus', args: {} },
      { cmd: 'export_team', args: {} },
      // Fetched once, then cached.
      { cmd: 'time_zones', args: {} },
    ]);
  });
});
