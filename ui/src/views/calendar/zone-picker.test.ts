// The zone picker's options and choices, and the toolbar's labels, drawn from state alone.

import { describe, expect, it } from 'vitest';
import { IpcError } from '../../ipc';
import { dstCalendar } from '../../test/fixtures';
import { renderZoneProblem, typedZone, zoneChoice, zoneOptions, zoneValue } from './zone-picker';
import { createToolbar, subtitleText, syncToolbar } from './toolbar';

describe('zone picker', () => {
  it('offers my zone, each member’s time, the teammates’ zones and any other', () => {
    const options = zoneOptions(dstCalendar, { kind: 'mine' });
    const text = (o: Element) => [o.getAttribute('value') ?? o.getAttribute('label'), o.textContent];
    expect(options.map((o) => (o instanceof HTMLOptGroupElement ? [o.label, Array.from(o.children, text)] : text(o)))).toEqual([
      ['mine', 'My zone (New York)'],
      ['members', "Each member's local time"],
      [
        'Zones',
        [
          ['zone:Asia/Tokyo', 'Asia/Tokyo (Kenji)'],
          ['zone:Europe/Berlin', 'Europe/Berlin (Lena)'],
        ],
      ],
      ['other', 'Other zone…'],
    ]);
  });

  it('keeps a chosen zone that no teammate is in', () => {
    const options = zoneOptions(dstCalendar, { kind: 'zone', zone: 'Europe/Lisbon' });
    const group = options.find((o) => o instanceof HTMLOptGroupElement);
    expect(Array.from(group?.children ?? [], (o) => o.textContent).at(-1)).toBe('Europe/Lisbon');
  });

  it('reads back the modes it writes', () => {
    for (const mode of [{ kind: 'mine' }, { kind: 'members' }, { kind: 'zone', zone: 'Asia/Tokyo' }] as const) {
      expect(zoneChoice(zoneValue(mode))).toEqual(mode);
    }
    expect(zoneChoice('other')).toBe('other');
    expect(zoneChoice('nonsense')).toBeNull();
    expect(typedZone('europe/berlin', ['Europe/Berlin'])).toBe('Europe/Berlin');
    expect(typedZone('Mars/Base', ['Europe/Berlin'])).toBe('Mars/Base');
  });

  it('shows the core’s suggestions as chips that choose them', () => {
    const error = IpcError.from({
      code: 'invalid',
      message: 'unknown time zone',
      problems: [{ field: 'time_zone', message: 'unknown time zone "Europe/Berln"', suggestions: ['Europe/Berlin'] }],
    });
    const chosen: string[] = [];
    const el = renderZoneProblem(error, (z) => chosen.push(z));
    expect(el.querySelector('span')?.textContent).toBe('unknown time zone "Europe/Berln"');
    el.querySelector<HTMLButtonElement>('.chip')?.click();
    expect(chosen).toEqual(['Europe/Berlin']);
    expect(renderZoneProblem(IpcError.from({ code: 'invalid', message: 'bad', problems: [] }), () => undefined).textContent).toBe('bad');
  });
});

describe('toolbar', () => {
  it('names the step by the range and turns Today off on the current one', () => {
    const t = createToolbar({ step: () => undefined, today: () => undefined, setDays: () => undefined });
    syncToolbar(t, 1, '2026-03-14');
    expect([t.prev.getAttribute('aria-label'), t.next.title, t.today.disabled]).toEqual(['Previous day', 'Next day', false]);
    expect([t.dayBtn.getAttribute('aria-pressed'), t.weekBtn.getAttribute('aria-pressed')]).toEqual(['true', 'false']);
    syncToolbar(t, 7, null);
    expect([t.prev.getAttribute('aria-label'), t.today.disabled, t.weekBtn.getAttribute('aria-pressed')]).toEqual(['Previous week', true, 'true']);
  });

  it('says which zone the hours are in', () => {
    expect(subtitleText(dstCalendar, { kind: 'mine' })).toMatch(/ · times in America\/New_York \(UTC−5\)$/);
    expect(subtitleText(dstCalendar, { kind: 'members' })).toMatch(/ · each row in its member's local time$/);
  });
});
