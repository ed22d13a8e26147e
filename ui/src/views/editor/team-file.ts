// The team file in and out: the "Team file" card with Import and Export, what an import reports, and
// the exported TOML with Copy and Download. An import replaces the whole team or nothing; what is
// shown here comes from the answer, never from the file the user chose.

import type { TeamDraft } from '../../bindings';
import { h } from '../../dom';
import type { IpcError } from '../../ipc';
import { errorText } from '../../view';

/** What the card's controls do. */
export interface TeamFileActions {
  import(): void;
  export(): void;
}

/** The card's fixed parts. */
export interface TeamFileCard {
  el: HTMLElement;
  input: HTMLInputElement;
  status: HTMLElement;
  exportPanel: HTMLElement;
}

/** Builds the card once. */
export function createTeamFileCard(on: TeamFileActions): TeamFileCard {
  const input = h('input', {
    id: 'import-file',
    type: 'file',
    class: 'visually-hidden',
    accept: '.toml,.json,application/json,application/toml,text/plain',
    'data-testid': 'import-file',
    onChange: () => on.import(),
  });
  const status = h('div', { class: 'io-status', role: 'status' });
  const exportPanel = h('div', { class: 'export-panel' });
  const el = h(
    'section',
    { class: 'card io', 'aria-labelledby': 'io-title' },
    h('h2', { id: 'io-title', class: 'pane-title' }, 'Team file'),
    h('p', { class: 'hint' }, 'Import replaces the whole team (all or nothing). Export gives the TOML to share.'),
    h(
      'div',
      { class: 'io-actions' },
      h('label', { for: 'import-file', class: 'btn file-btn' }, 'Import…', input),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'export-team', onClick: () => on.export() }, 'Export'),
    ),
    status,
    exportPanel,
  );
  return { el, input, status, exportPanel };
}

/** While `fileName` is read and sent. */
export function renderImporting(fileName: string): HTMLElement {
  return h('span', { class: 'muted' }, `Importing ${fileName}…`);
}

/** The team that `fileName` replaced the old one with. */
export function renderImported(team: TeamDraft, fileName: string): HTMLElement {
  return h('p', { class: 'ok', 'data-testid': 'import-status' }, `Imported ${team.name} from ${fileName}: ${team.members.length} members.`);
}

/** Why `fileName` was refused, problem by problem; the team is unchanged. */
export function renderImportError(e: IpcError, fileName: string): HTMLElement {
  return h(
    'div',
    { class: 'banner banner-error', role: 'alert', 'data-testid': 'import-error' },
    h('span', null, `${fileName} was not imported; the team is unchanged. ${errorText(e)}`),
    e.problems.length
      ? h('ul', { class: 'problem-list' }, e.problems.map((p) => h('li', null, h('code', null, p.field), ` ${p.message}`)))
      : null,
  );
}

/** `Platform & Co` → `platform-co.toml` (`team.toml` when nothing is left). */
export function exportFileName(teamName: string | undefined): string {
  return `${(teamName ?? 'team').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'team'}.toml`;
}

/** The exported TOML, read-only, with Copy and a download of `url` as `fileName`. */
export function renderExport(text: string, url: string, fileName: string): HTMLElement[] {
  const area = h('textarea', {
    id: 'export-text',
    class: 'input textarea code',
    readonly: true,
    rows: 10,
    spellcheck: 'false',
    'aria-label': 'Team file (TOML)',
    'data-testid': 'export-text',
    value: text,
  });
  const copied = h('span', { class: 'muted', role: 'status' });
  return [
    area,
    h(
      'div',
      { class: 'io-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onClick: () => void copy(area, copied),
        },
        'Copy',
      ),
      h('a', { class: 'btn', href: url, download: fileName }, `Download ${fileName}`),
      copied,
    ),
  ];
}

async function copy(area: HTMLTextAreaElement, out: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(area.value);
  } catch {
    // Older webviews without the async clipboard: copy the selection instead.
    area.select();
    document.execCommand('copy');
  }
  out.textContent = 'Copied.';
}
