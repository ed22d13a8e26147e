// The team editor: the list of teammates, a form for one of them, and the team file in and out.
//
// The form sends what the user typed and lets the core judge it: `save_member` either saves the whole
// draft or nothing, and says what is wrong field by field (`hours[1]`, `time_zone`, …). Multi-line
// fields drop blank lines before sending, so each field keeps a map from the entry the core numbers to
// the line the user sees, and "line 2" in a message is the second line of the text box.

import type { FieldProblem, MemberDraft, TeamDraft } from '../bindings';
import { h, mount } from '../dom';
import * as ipc from '../ipc';
import { IpcError } from '../ipc';
import { city, offsetLabel, timeIn } from '../time';
import { errorBanner, errorText, latest, type View } from '../view';

/** The form fields the core can report problems for, as named in `FieldProblem.field`. */
type FieldKey = 'name' | 'time_zone' | 'hours' | 'focus' | 'days_off';

/** A text box's non-blank lines, with each one's line number (1-based). */
export interface Lines {
  values: string[];
  lineNumbers: number[];
}

/** The non-blank, trimmed lines of `text`, remembering where each was. */
export function splitLines(text: string): Lines {
  const values: string[] = [];
  const lineNumbers: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const value = line.trim();
    if (value) {
      values.push(value);
      lineNumbers.push(i + 1);
    }
  });
  return { values, lineNumbers };
}

/** `hours[1]` → `{ key: 'hours', index: 1 }`; `name` → `{ key: 'name' }`; anything else → null. */
export function parseField(field: string): { key: FieldKey; index?: number } | null {
  const m = /^(name|time_zone|hours|focus|days_off)(?:\[(\d+)\])?$/.exec(field);
  if (!m) return null;
  const key = m[1] as FieldKey;
  return m[2] === undefined ? { key } : { key, index: Number(m[2]) };
}

/** The editor tab. */
export function createEditorView(): View {
  let team: TeamDraft | null = null;
  /** The name of the member being edited as stored, or null while adding one. */
  let original: string | null = null;
  let dirty = false;
  let lineMaps: Partial<Record<FieldKey, number[]>> = {};
  let exportUrl: string | null = null;
  const guard = latest();

  const heading = h('p', { class: 'muted view-sub' });
  const loadMessage = h('div');
  const list = h('ul', { class: 'member-list', 'aria-label': 'Teammates' });
  const addButton = h(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-member', onClick: () => startAdd() },
    '+ Add member',
  );

  // The form.
  const formTitle = h('h2', { class: 'form-title', id: 'member-form-title' });
  const formError = h('div', { class: 'form-error' });
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'editor-status' });
  const markDirty = () => {
    dirty = true;
    announceStatus('');
  };
  const nameInput = h('input', {
    id: 'member-name',
    class: 'input',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    onInput: markDirty,
  });
  const zoneList = h('datalist', { id: 'member-zone-list' });
  const zoneHint = h('span', { class: 'hint zone-now' });
  const zoneInput = h('input', {
    id: 'member-time-zone',
    class: 'input',
    type: 'text',
    list: 'member-zone-list',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'Search, e.g. Tokyo or Europe/Berlin',
    onInput: () => {
      markDirty();
      updateZoneHint();
    },
  });
  const hoursInput = h('textarea', { id: 'member-hours', class: 'input textarea', rows: 3, spellcheck: 'false', onInput: markDirty });
  const focusInput = h('textarea', { id: 'member-focus', class: 'input textarea', rows: 2, spellcheck: 'false', onInput: markDirty });
  const offInput = h('textarea', { id: 'member-days-off', class: 'input textarea', rows: 2, spellcheck: 'false', onInput: markDirty });
  const inputs: Record<FieldKey, HTMLInputElement | HTMLTextAreaElement> = {
    name: nameInput,
    time_zone: zoneInput,
    hours: hoursInput,
    focus: focusInput,
    days_off: offInput,
  };
  const slots: Record<FieldKey, HTMLElement> = {
    name: h('div', { class: 'field-error-slot' }),
    time_zone: h('div', { class: 'field-error-slot' }),
    hours: h('div', { class: 'field-error-slot' }),
    focus: h('div', { class: 'field-error-slot' }),
    days_off: h('div', { class: 'field-error-slot' }),
  };
  const saveButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-member' }, 'Save');
  const cancelButton = h('button', { type: 'button', class: 'btn', onClick: () => revert() }, 'Revert');
  const footer = h('div', { class: 'form-actions' });

  const hoursHint = h(
    'p',
    { class: 'hint', id: 'hint-hours' },
    'One per line, in their local time: ',
    h('code', null, 'mon-fri 09:00-17:30'),
    ', ',
    h('code', null, 'mon-thu 22:00-06:00'),
    ' (overnight), ',
    h('code', null, 'tue,thu 13:00-15:00'),
    ', ',
    h('code', null, 'daily 10:00-12:00, 13:00-18:00'),
    '.',
  );
  const offHint = h(
    'p',
    { class: 'hint', id: 'hint-days-off' },
    'One per line: a date ',
    h('code', null, '2026-12-24'),
    ' or an inclusive range ',
    h('code', null, '2026-12-28..2027-01-01'),
    '.',
  );

  const field = (key: FieldKey, label: string, hint?: HTMLElement) => {
    const input = inputs[key];
    const describedBy = [hint?.id, `error-${key}-slot`].filter(Boolean).join(' ');
    input.setAttribute('aria-describedby', describedBy);
    slots[key].id = `error-${key}-slot`;
    return h('div', { class: 'field' }, h('label', { for: input.id, class: 'label' }, label), input, hint ?? null, slots[key]);
  };

  const form = h(
    'form',
    {
      class: 'card member-form',
      novalidate: true,
      'aria-labelledby': 'member-form-title',
      onSubmit: (e) => {
        e.preventDefault();
        void save();
      },
    },
    formTitle,
    formError,
    h('div', { class: 'field-row' }, field('name', 'Name'), h('div', { class: 'field' }, h('label', { for: 'member-time-zone', class: 'label' }, 'Time zone'), zoneInput, zoneHint, slots.time_zone, zoneList)),
    field('hours', 'Working hours', hoursHint),
    field('focus', 'Focus blocks', h('p', { class: 'hint', id: 'hint-focus' }, 'Same form as hours: protected deep-work time, e.g. ', h('code', null, 'mon-thu 09:00-11:00'), '.')),
    field('days_off', 'Days off', offHint),
    footer,
    status,
  );
  zoneInput.setAttribute('aria-describedby', 'error-time_zone-slot');
  slots.time_zone.id = 'error-time_zone-slot';

  // The team file.
  const importInput = h('input', {
    id: 'import-file',
    type: 'file',
    class: 'visually-hidden',
    accept: '.toml,.json,application/json,application/toml,text/plain',
    'data-testid': 'import-file',
    onChange: () => void importFile(),
  });
  const ioStatus = h('div', { class: 'io-status', role: 'status' });
  const exportPanel = h('div', { class: 'export-panel' });
  const io = h(
    'section',
    { class: 'card io', 'aria-labelledby': 'io-title' },
    h('h2', { id: 'io-title', class: 'pane-title' }, 'Team file'),
    h('p', { class: 'hint' }, 'Import replaces the whole team (all or nothing). Export gives the TOML to share.'),
    h(
      'div',
      { class: 'io-actions' },
      h('label', { for: 'import-file', class: 'btn file-btn' }, 'Import…', importInput),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'export-team', onClick: () => void exportFile() }, 'Export'),
    ),
    ioStatus,
    exportPanel,
  );

  const el = h(
    'section',
    { class: 'view view-editor', 'aria-labelledby': 'editor-heading' },
    h('header', { class: 'view-header' }, h('h1', { id: 'editor-heading' }, 'Team'), heading),
    loadMessage,
    h(
      'div',
      { class: 'editor-layout' },
      h(
        'div',
        { class: 'editor-side' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'members-title' },
          h('div', { class: 'pane-head' }, h('h2', { id: 'members-title', class: 'pane-title' }, 'Teammates'), addButton),
          list,
        ),
        io,
      ),
      form,
    ),
  );

  function announceStatus(text: string): void {
    status.textContent = text;
  }

  function find(name: string | null): MemberDraft | undefined {
    if (name === null) return undefined;
    return team?.members.find((m) => m.name.toLowerCase() === name.toLowerCase());
  }

  function renderList(): void {
    if (!team) return;
    heading.textContent = `${team.name} · ${team.members.length} ${team.members.length === 1 ? 'member' : 'members'}${
      team.me ? ` · you are ${team.me}` : ''
    }`;
    const me = team.me?.toLowerCase();
    mount(
      list,
      team.members.length
        ? team.members.map((m) => {
            const selected = original !== null && m.name.toLowerCase() === original.toLowerCase();
            return h(
              'li',
              { 'data-testid': 'member-item', class: 'member-item' },
              h(
                'button',
                {
                  type: 'button',
                  class: `member-pick${selected ? ' is-selected' : ''}`,
                  'aria-current': selected ? 'true' : null,
                  onClick: () => select(m.name),
                },
                h('span', { class: 'member-name' }, m.name, m.name.toLowerCase() === me ? h('span', { class: 'badge badge-me' }, 'You') : null),
                h('span', { class: 'member-zone muted' }, m.time_zone),
              ),
            );
          })
        : h('li', { class: 'muted empty-list' }, 'No teammates yet. Add the first one.'),
    );
  }

  function clearErrors(): void {
    mount(formError);
    for (const key of Object.keys(slots) as FieldKey[]) {
      mount(slots[key]);
      inputs[key].removeAttribute('aria-invalid');
    }
  }

  function fill(m: MemberDraft | null): void {
    clearErrors();
    nameInput.value = m?.name ?? '';
    zoneInput.value = m?.time_zone ?? '';
    hoursInput.value = m?.hours.join('\n') ?? '';
    focusInput.value = m?.focus.join('\n') ?? '';
    offInput.value = m?.days_off.join('\n') ?? '';
    dirty = false;
    formTitle.textContent = m ? `Edit ${m.name}` : 'New teammate';
    renderFooter();
    updateZoneHint();
  }

  function renderFooter(): void {
    mount(
      footer,
      saveButton,
      cancelButton,
      original !== null
        ? h(
            'button',
            { type: 'button', class: 'btn btn-danger-quiet', 'data-testid': 'remove-member', onClick: () => confirmRemove() },
            'Remove…',
          )
        : null,
    );
  }

  function confirmRemove(): void {
    const name = original;
    if (name === null) return;
    const keep = h('button', { type: 'button', class: 'btn', onClick: () => renderFooter() }, 'Keep');
    mount(
      footer,
      h(
        'div',
        { class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'confirm-text' },
        h('span', { id: 'confirm-text' }, `Remove ${name} from ${team?.name ?? 'the team'}?`),
        h(
          'button',
          { type: 'button', class: 'btn btn-danger', 'data-testid': 'confirm-remove', onClick: () => void remove(name) },
          'Remove',
        ),
        keep,
      ),
    );
    keep.focus();
  }

  function select(name: string): void {
    original = find(name)?.name ?? null;
    fill(find(name) ?? null);
    announceStatus('');
    renderList();
  }

  function startAdd(): void {
    original = null;
    fill(null);
    announceStatus('');
    renderList();
    nameInput.focus();
  }

  function revert(): void {
    fill(find(original) ?? null);
    announceStatus('');
  }

  function draft(): MemberDraft {
    const hours = splitLines(hoursInput.value);
    const focus = splitLines(focusInput.value);
    const off = splitLines(offInput.value);
    lineMaps = { hours: hours.lineNumbers, focus: focus.lineNumbers, days_off: off.lineNumbers };
    return {
      name: nameInput.value.trim(),
      time_zone: zoneInput.value.trim(),
      hours: hours.values,
      focus: focus.values,
      days_off: off.values,
    };
  }

  async function save(): Promise<void> {
    const d = draft();
    clearErrors();
    announceStatus('');
    saveButton.disabled = true;
    try {
      team = await ipc.saveMember(original, d);
      const saved = find(d.name);
      original = saved?.name ?? d.name;
      fill(saved ?? d);
      renderList();
      announceStatus(`Saved ${original}.`);
    } catch (error) {
      showError(IpcError.from(error));
    } finally {
      saveButton.disabled = false;
    }
  }

  function showError(error: IpcError): void {
    if (error.code !== 'invalid' || !error.problems.length) {
      mount(formError, h('div', { class: 'banner banner-error', role: 'alert', 'data-testid': 'editor-error' }, errorText(error)));
      return;
    }
    const general: FieldProblem[] = [];
    const byField = new Map<FieldKey, HTMLElement[]>();
    for (const p of error.problems) {
      const f = parseField(p.field);
      if (!f) {
        general.push(p);
        continue;
      }
      const items = byField.get(f.key) ?? [];
      items.push(problemEl(f.key, f.index, p));
      byField.set(f.key, items);
    }
    let firstBad: HTMLElement | null = null;
    for (const key of Object.keys(slots) as FieldKey[]) {
      const items = byField.get(key);
      if (!items) continue;
      inputs[key].setAttribute('aria-invalid', 'true');
      mount(slots[key], h('div', { class: 'field-error', 'data-testid': `error-${key}` }, items));
      firstBad ??= inputs[key];
    }
    const summary = `Not saved: ${error.problems.length === 1 ? 'one field needs' : `${error.problems.length} fields need`} fixing.`;
    mount(
      formError,
      h(
        'div',
        { class: 'banner banner-error', role: 'alert', 'data-testid': 'editor-error' },
        h('span', null, summary),
        general.length ? h('ul', { class: 'problem-list' }, general.map((p) => h('li', null, p.message))) : null,
      ),
    );
    firstBad?.focus();
  }

  function problemEl(key: FieldKey, index: number | undefined, p: FieldProblem): HTMLElement {
    const line = index === undefined ? undefined : (lineMaps[key]?.[index] ?? index + 1);
    return h(
      'p',
      { class: 'problem' },
      line !== undefined ? h('strong', null, `Line ${line}: `) : null,
      p.message,
      key === 'time_zone' && p.suggestions.length
        ? h(
            'span',
            { class: 'suggestions' },
            'Did you mean: ',
            p.suggestions.map((s) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip',
                  'data-suggestion': s,
                  onClick: () => {
                    zoneInput.value = s;
                    zoneInput.removeAttribute('aria-invalid');
                    mount(slots.time_zone);
                    dirty = true;
                    updateZoneHint();
                    zoneInput.focus();
                  },
                },
                s,
              ),
            ),
          )
        : null,
    );
  }

  async function remove(name: string): Promise<void> {
    try {
      team = await ipc.removeMember(name);
      original = team.members[0]?.name ?? null;
      fill(find(original) ?? null);
      renderList();
      announceStatus(`Removed ${name}.`);
    } catch (error) {
      renderFooter();
      showError(IpcError.from(error));
    }
  }

  async function importFile(): Promise<void> {
    const file = importInput.files?.[0];
    importInput.value = '';
    if (!file) return;
    mount(ioStatus, h('span', { class: 'muted' }, `Importing ${file.name}…`));
    try {
      const text = await file.text();
      team = await ipc.importTeam(text);
      original = team.members[0]?.name ?? null;
      fill(find(original) ?? null);
      renderList();
      mount(
        ioStatus,
        h('p', { class: 'ok', 'data-testid': 'import-status' }, `Imported ${team.name} from ${file.name}: ${team.members.length} members.`),
      );
    } catch (error) {
      const e = IpcError.from(error);
      mount(
        ioStatus,
        h(
          'div',
          { class: 'banner banner-error', role: 'alert', 'data-testid': 'import-error' },
          h('span', null, `${file.name} was not imported; the team is unchanged. ${errorText(e)}`),
          e.problems.length
            ? h('ul', { class: 'problem-list' }, e.problems.map((p) => h('li', null, h('code', null, p.field), ` ${p.message}`)))
            : null,
        ),
      );
    }
  }

  async function exportFile(): Promise<void> {
    try {
      const text = await ipc.exportTeam();
      if (exportUrl) URL.revokeObjectURL(exportUrl);
      exportUrl = URL.createObjectURL(new Blob([text], { type: 'application/toml' }));
      const fileName = `${(team?.name ?? 'team').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'team'}.toml`;
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
      mount(
        exportPanel,
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
          h('a', { class: 'btn', href: exportUrl, download: fileName }, `Download ${fileName}`),
          copied,
        ),
      );
      mount(ioStatus);
    } catch (error) {
      mount(ioStatus, errorBanner(error));
    }
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

  function updateZoneHint(): void {
    const zone = zoneInput.value.trim();
    const known = Array.from(zoneList.options, (o) => o.value);
    if (zone && known.includes(zone)) {
      const now = Date.now();
      zoneHint.textContent = `${timeIn(now, zone)} in ${city(zone)} now (${offsetLabel(now, zone)})`;
    } else {
      zoneHint.textContent = '';
    }
  }

  async function refresh(): Promise<void> {
    void ipc
      .timeZones()
      .then((zones) => {
        if (!zoneList.childElementCount) {
          mount(zoneList, zones.map((z) => h('option', { value: z })));
          updateZoneHint();
        }
      })
      .catch(() => undefined);
    try {
      const answer = await guard(ipc.team());
      if (!answer.current) return;
      mount(loadMessage);
      const first = team === null;
      team = answer.value;
      const current = find(original);
      if (first || (!dirty && original !== null && !current)) {
        original = (current ?? team.members[0])?.name ?? null;
        fill(find(original) ?? null);
      } else if (!dirty && current) {
        // Saved elsewhere (the CLI, another window): show the stored version unless the user is typing.
        original = current.name;
        fill(current);
      }
      renderList();
    } catch (error) {
      mount(loadMessage, errorBanner(error, () => void refresh()));
    }
  }

  fill(null);

  return {
    el,
    refresh,
    setVisible() {
      // Nothing ticks here.
    },
  };
}
