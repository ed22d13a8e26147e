// A followed team in the editor: what may be edited here (a local team: everything; a followed folder:
// my own entry, saved into my member file; a followed file or URL: nothing), the "Follow a shared team"
// card for a local team, and the "This is me" action. Pure parts first, then the card.

import type { TeamSourceView } from '../../bindings';
import { h } from '../../dom';

/** What the editor lets the user do with the member the form shows. */
export interface EditRule {
  /** The form's fields and Save are enabled. */
  editable: boolean;
  /** Teammates can be added, removed and the team replaced by a file. */
  wholeTeam: boolean;
  /** Why not, when something is not editable. */
  note: string | null;
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  a != null && b != null && a.toLowerCase() === b.toLowerCase();

/** The rule for the member `shown` (null while adding one) of a team whose source is `source` and whose me is `me`. */
export function editRule(source: TeamSourceView | null, me: string | null, shown: string | null): EditRule {
  const edit = source?.edit ?? { mode: 'local' as const };
  switch (edit.mode) {
    case 'local':
      return { editable: true, wholeTeam: true, note: null };
    case 'own_entry':
      return same(shown, me)
        ? { editable: true, wholeTeam: false, note: `Your entry is saved into ${edit.file}; commit it to share the change.` }
        : {
            editable: false,
            wholeTeam: false,
            note: `${shown ?? 'This teammate'} comes from the shared folder ${source?.location ?? ''}; only your own entry is edited here.`,
          };
    case 'read_only':
      return { editable: false, wholeTeam: false, note: `Read-only: ${edit.reason}.` };
  }
}

/** The card that starts following a shared team: a folder, a team file or an https:// address. */
export function createFollowCard(on: { follow(source: string): void }): { el: HTMLElement; input: HTMLInputElement; status: HTMLElement } {
  const input = h('input', {
    id: 'follow-source',
    class: 'input',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: '~/team or https://…/team.toml',
    'aria-describedby': 'follow-hint',
    'data-testid': 'follow-source',
  });
  const status = h('div', { class: 'io-status', role: 'status', 'data-testid': 'follow-status' });
  const el = h(
    'form',
    {
      class: 'card follow',
      'aria-labelledby': 'follow-title',
      onSubmit: (e) => {
        e.preventDefault();
        if (input.value.trim()) on.follow(input.value.trim());
      },
    },
    h('h2', { id: 'follow-title', class: 'pane-title' }, 'Follow a shared team'),
    h(
      'p',
      { class: 'hint', id: 'follow-hint' },
      'A folder with team.toml and members/*.toml (each person edits their own file), a team file, or an https:// address. Baton keeps it current; a broken version never replaces the last good one.',
    ),
    h('label', { for: 'follow-source', class: 'label' }, 'Folder, file or address'),
    h('div', { class: 'io-actions' }, input, h('button', { type: 'submit', class: 'btn', 'data-testid': 'follow' }, 'Follow')),
    status,
  );
  return { el, input, status };
}
