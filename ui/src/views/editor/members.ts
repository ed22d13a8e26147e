// The editor's list of teammates and the line under its heading, drawn from the team and the member
// being edited.

import type { TeamDraft } from '../../bindings';
import { h } from '../../dom';

/** `Platform · 3 members · you are Ana`. */
export function teamSummary(team: TeamDraft): string {
  return `${team.name} · ${team.members.length} ${team.members.length === 1 ? 'member' : 'members'}${
    team.me ? ` · you are ${team.me}` : ''
  }`;
}

/** One item per member, the one stored as `selected` marked current; an invitation when there are none. */
export function renderMemberList(team: TeamDraft, selected: string | null, pick: (name: string) => void): HTMLElement | HTMLElement[] {
  const me = team.me?.toLowerCase();
  if (!team.members.length) return h('li', { class: 'muted empty-list' }, 'No teammates yet. Add the first one.');
  return team.members.map((m) => {
    const isSelected = selected !== null && m.name.toLowerCase() === selected.toLowerCase();
    return h(
      'li',
      { 'data-testid': 'member-item', class: 'member-item' },
      h(
        'button',
        {
          type: 'button',
          class: `member-pick${isSelected ? ' is-selected' : ''}`,
          'aria-current': isSelected ? 'true' : null,
          onClick: () => pick(m.name),
        },
        h('span', { class: 'member-name' }, m.name, m.name.toLowerCase() === me ? h('span', { class: 'badge badge-me' }, 'You') : null),
        h('span', { class: 'member-zone muted' }, m.time_zone),
      ),
    );
  });
}
