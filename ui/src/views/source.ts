// Where the team comes from, as the calendar and the editor show it: a banner when the shared source's
// last version was refused (what and where, and that the last good team is still in use), a quiet line
// naming a followed source in the editor, and "Which one is you?" for a followed team that does not
// know me yet. Pure functions from the core's `TeamSourceView` to DOM; the views fetch and act.

import type { SourceProblem, TeamSourceView } from '../bindings';
import { h } from '../dom';
import { dateTimeIn } from '../time';

/** What the banners' buttons do. */
export interface SourceActions {
  sync(): void;
}

const KIND: Record<NonNullable<TeamSourceView['kind']>, string> = {
  folder: 'the shared folder',
  file: 'the team file',
  url: '',
};

/** "the shared folder ~/team", "the team file /srv/team.toml", "https://example.com/team.toml". */
export function sourceName(v: TeamSourceView): string {
  const kind = v.kind ? KIND[v.kind] : '';
  return kind ? `${kind} ${v.location ?? ''}` : (v.location ?? '');
}

/** One problem of a refused version: "members/kenji.toml line 4, Kenji, hours[0]: …". */
export function problemText(p: SourceProblem): string {
  const where = [p.line === null ? p.file : `${p.file} line ${p.line}`, p.member, p.field].filter(Boolean).join(', ');
  return `${where}: ${p.message}`;
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The error banner for a refused version, or null when the source's last check was good (or the team is local). */
export function sourceErrorBanner(v: TeamSourceView, on: SourceActions): HTMLElement | null {
  if (!v.kind || v.error === null) return null;
  const since = v.changed_at ? ` (read ${dateTimeIn(v.changed_at, localZone())})` : '';
  return h(
    'div',
    { class: 'banner banner-error source-banner', role: 'alert', 'data-testid': 'source-banner' },
    h('span', null, `The team from ${sourceName(v)} was not updated: its new version has problems. Baton keeps the last good team${since}.`),
    v.problems.length
      ? h('ul', { class: 'problem-list' }, v.problems.map((p) => h('li', null, problemText(p))))
      : h('p', { class: 'problem-list' }, v.error),
    h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'sync-now', onClick: () => on.sync() }, 'Sync now'),
  );
}

/** The editor's line about a followed team: where it comes from, when it was last read, "Sync now". */
export function sourceLine(v: TeamSourceView, on: SourceActions & { unfollow(): void }): HTMLElement | null {
  if (!v.kind) return null;
  const checked = v.checked_at ?? v.changed_at;
  return h(
    'div',
    { class: 'banner banner-info source-line', 'data-testid': 'source-line' },
    h(
      'span',
      null,
      `Following ${sourceName(v)}`,
      checked ? ` · checked ${dateTimeIn(checked, localZone())}` : '',
      v.hash ? h('small', { class: 'muted' }, ` · version ${v.hash}`) : null,
    ),
    h('button', { type: 'button', class: 'btn btn-small', onClick: () => on.sync() }, 'Sync now'),
    h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'unfollow', onClick: () => on.unfollow() }, 'Stop following'),
  );
}

/** "Which one is you?": one button per member, for a followed team with no `me` on this machine. */
export function whoAreYou(members: readonly string[], pick: (name: string) => void): HTMLElement {
  return h(
    'section',
    { class: 'card who-are-you', role: 'group', 'aria-labelledby': 'who-title', 'data-testid': 'who-are-you' },
    h('h2', { id: 'who-title', class: 'pane-title' }, 'Which one is you?'),
    h('p', { class: 'muted' }, 'This team is shared, so this machine needs to know your entry to show your handoffs and focus.'),
    h(
      'div',
      { class: 'btn-row' },
      members.map((name) => h('button', { type: 'button', class: 'btn', 'data-member': name, onClick: () => pick(name) }, name)),
    ),
  );
}
