// The calendar's zone picker: "Times in" my zone, each member's own, a teammate's zone, or any other
// (a search box over every IANA zone). The select is built once; these functions give its options for a
// state, read a choice back, and draw the problem the core reports for a zone it does not know.

import type { CalendarView } from '../../bindings';
import { h } from '../../dom';
import type { IpcError } from '../../ipc';
import { city } from '../../time';
import type { ZoneMode } from './state';

/** The option value that stands for `mode`. */
export function zoneValue(m: ZoneMode): string {
  return m.kind === 'zone' ? `zone:${m.zone}` : m.kind;
}

/** The mode an option value chooses, `'other'` for the search box, or null for none. */
export function zoneChoice(value: string): ZoneMode | 'other' | null {
  if (value === 'other') return 'other';
  if (value === 'mine') return { kind: 'mine' };
  if (value === 'members') return { kind: 'members' };
  if (value.startsWith('zone:')) return { kind: 'zone', zone: value.slice(5) };
  return null;
}

/** The options: mine, each member's, the teammates' zones, a chosen one not among them, and any other. */
export function zoneOptions(view: CalendarView | null, mode: ZoneMode): (HTMLOptionElement | HTMLOptGroupElement)[] {
  const myZone = view?.members.find((m) => m.is_me)?.time_zone ?? (mode.kind === 'mine' ? view?.time_zone : undefined);
  const options: HTMLOptionElement[] = [
    h('option', { value: 'mine' }, myZone ? `My zone (${city(myZone)})` : 'My zone'),
    h('option', { value: 'members' }, "Each member's local time"),
  ];
  const seen = new Set<string>();
  const memberZones: HTMLOptionElement[] = [];
  for (const m of view?.members ?? []) {
    if (m.is_me || seen.has(m.time_zone)) continue;
    seen.add(m.time_zone);
    const names = (view?.members ?? []).filter((o) => o.time_zone === m.time_zone).map((o) => o.name);
    memberZones.push(h('option', { value: `zone:${m.time_zone}` }, `${m.time_zone} (${names.join(', ')})`));
  }
  if (mode.kind === 'zone' && !seen.has(mode.zone)) {
    memberZones.push(h('option', { value: `zone:${mode.zone}` }, mode.zone));
  }
  const groups: (HTMLOptionElement | HTMLOptGroupElement)[] = [...options];
  if (memberZones.length) groups.push(h('optgroup', { label: 'Zones' }, memberZones));
  groups.push(h('option', { value: 'other' }, 'Other zone…'));
  return groups;
}

/** The zone typed in the search box, spelt as the known zone it names regardless of case, if any. */
export function typedZone(typed: string, known: readonly string[]): string {
  const exact = known.find((z) => z.toLowerCase() === typed.toLowerCase());
  return exact ?? typed;
}

/** The core's complaint about a zone, with its suggestions as chips that choose them. */
export function renderZoneProblem(error: IpcError, choose: (zone: string) => void): HTMLElement {
  const problem = error.problems.find((p) => p.field === 'time_zone');
  return h(
    'div',
    { class: 'banner banner-error' },
    h('span', null, problem?.message ?? error.message),
    problem?.suggestions.length
      ? h(
          'span',
          { class: 'suggestions' },
          'Did you mean: ',
          problem.suggestions.map((s) => h('button', { type: 'button', class: 'chip', onClick: () => choose(s) }, s)),
        )
      : null,
  );
}
