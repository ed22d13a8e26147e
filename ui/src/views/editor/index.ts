// The team editor tab: the list of teammates, a form for one of them, and the team file in and out.
// This entry point builds the tab's frame once and is the controller's screen: it redraws the list
// (`members.ts`), the form and its problems (`form.ts`) and the team file card (`team-file.ts`) when
// the state in `state.ts` changes.

import type { MemberDraft, TeamSourceView } from '../../bindings';
import { h, mount } from '../../dom';
import * as ipc from '../../ipc';
import { IpcError } from '../../ipc';
import { errorBanner, errorText, type View } from '../../view';
import { sourceErrorBanner, sourceLine } from '../source';
import { createFollowCard, editRule } from './follow';
import {
  clearProblems,
  createMemberForm,
  formText,
  readForm,
  renderConfirm,
  renderProblems,
  renderRemoveButton,
  showProblems,
  writeForm,
  zoneHintText,
} from './form';
import { renderMemberList, teamSummary } from './members';
import { EditorController, type EditorScreen } from './state';
import {
  createTeamFileCard,
  exportFileName,
  renderExport,
  renderImported,
  renderImporting,
  renderImportError,
} from './team-file';

export { parseField, splitLines, type Lines } from './form';

/** The editor tab. */
export function createEditorView(): View {
  let exportUrl: string | null = null;
  let source: TeamSourceView | null = null;

  const screen: EditorScreen = {
    fill: (m) => fill(m),
    list: () => renderList(),
    status: (text) => {
      form.status.textContent = text;
    },
    read: () => readForm(form),
    clearProblems: () => clearProblems(form),
    saving: (busy) => {
      form.saveButton.disabled = busy;
    },
    refused: (error) => showError(error),
    footer: () => renderFooter(),
    focusName: () => form.inputs.name.focus(),
    loaded: () => mount(loadMessage),
    loadFailed: (error) => mount(loadMessage, errorBanner(error, () => void refresh())),
  };
  const editor = new EditorController(screen);

  const heading = h('p', { class: 'muted view-sub' });
  const loadMessage = h('div');
  const list = h('ul', { class: 'member-list', 'aria-label': 'Teammates' });
  const addButton = h(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-member', onClick: () => editor.startAdd() },
    '+ Add member',
  );
  const form = createMemberForm({
    edited: () => editor.edited(),
    zoneTyped: () => updateZoneHint(),
    save: () => void editor.save(),
    revert: () => editor.revert(),
  });
  const io = createTeamFileCard({ import: () => void importFile(), export: () => void exportFile() });
  const followCard = createFollowCard({ follow: (text) => void follow(text) });
  const sourceSlot = h('div', { class: 'editor-source' });
  const formNote = h('p', { class: 'hint form-note', 'data-testid': 'edit-note' });

  const el = h(
    'section',
    { class: 'view view-editor', 'aria-labelledby': 'editor-heading' },
    h('header', { class: 'view-header' }, h('h1', { id: 'editor-heading' }, 'Team'), heading),
    loadMessage,
    sourceSlot,
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
        io.el,
        followCard.el,
      ),
      form.el,
    ),
  );

  function renderList(): void {
    const team = editor.team;
    if (!team) return;
    heading.textContent = teamSummary(team);
    mount(list, renderMemberList(team, editor.original, (name) => editor.select(name)));
  }

  function fill(m: MemberDraft | null): void {
    clearProblems(form);
    writeForm(form, formText(m));
    form.title.textContent = m ? `Edit ${m.name}` : 'New teammate';
    renderFooter();
    updateZoneHint();
  }

  /** What may be edited: the form, the add and remove buttons, the team file's import. */
  function rule() {
    return editRule(source, editor.team?.me ?? null, editor.original);
  }

  function applyRule(): void {
    const r = rule();
    for (const input of Object.values(form.inputs)) input.disabled = !r.editable;
    form.saveButton.disabled = !r.editable;
    addButton.disabled = !r.wholeTeam;
    io.input.disabled = !r.wholeTeam;
    formNote.textContent = r.note ?? '';
    formNote.hidden = r.note === null;
    followCard.el.hidden = source?.kind != null;
  }

  function renderFooter(): void {
    const r = rule();
    const shown = editor.original;
    const me = editor.team?.me ?? null;
    const notMe = shown !== null && (me === null || shown.toLowerCase() !== me.toLowerCase());
    mount(
      form.footer,
      r.editable ? form.saveButton : null,
      r.editable ? form.cancelButton : null,
      shown !== null && r.wholeTeam ? renderRemoveButton(() => confirmRemove()) : null,
      notMe
        ? h('button', { type: 'button', class: 'btn', 'data-testid': 'this-is-me', onClick: () => void thisIsMe(shown) }, 'This is me')
        : null,
    );
    if (!form.el.contains(formNote)) form.title.after(formNote);
    applyRule();
  }

  async function thisIsMe(name: string): Promise<void> {
    try {
      source = await ipc.setMe(name);
      await editor.refresh();
      form.status.textContent = `This machine now knows you as ${name}.`;
    } catch (error) {
      showError(IpcError.from(error));
    }
  }

  function renderSource(): void {
    const actions = { sync: () => void syncNow(), unfollow: () => void unfollow() };
    mount(sourceSlot, source ? sourceErrorBanner(source, actions) : null, source ? sourceLine(source, actions) : null);
    renderFooter();
  }

  async function loadSource(): Promise<void> {
    try {
      source = await ipc.teamSource();
    } catch {
      source = null;
    }
    renderSource();
  }

  async function syncNow(): Promise<void> {
    try {
      source = await ipc.syncTeam();
      await editor.refresh();
      renderSource();
    } catch (error) {
      mount(sourceSlot, errorBanner(error, () => void syncNow()));
    }
  }

  async function unfollow(): Promise<void> {
    try {
      source = await ipc.unfollowTeam();
      renderSource();
    } catch (error) {
      mount(sourceSlot, errorBanner(error));
    }
  }

  async function follow(text: string): Promise<void> {
    followCard.status.textContent = `Reading ${text}…`;
    try {
      source = await ipc.followTeam(text);
      followCard.input.value = '';
      followCard.status.textContent = '';
      await editor.refresh();
      renderSource();
    } catch (error) {
      const e = IpcError.from(error);
      mount(
        followCard.status,
        h(
          'div',
          { class: 'banner banner-error', role: 'alert', 'data-testid': 'follow-error' },
          h('span', null, `Not followed: ${errorText(e)}`),
        ),
      );
    }
  }

  function confirmRemove(): void {
    const name = editor.original;
    if (name === null) return;
    const keep = h('button', { type: 'button', class: 'btn', onClick: () => renderFooter() }, 'Keep');
    mount(form.footer, renderConfirm(name, editor.team?.name, () => void editor.remove(name), keep));
    keep.focus();
  }

  function showError(error: IpcError): void {
    const problems = renderProblems(error, editor.lineMaps, (s) => {
      const zoneInput = form.inputs.time_zone;
      zoneInput.value = s;
      zoneInput.removeAttribute('aria-invalid');
      mount(form.slots.time_zone);
      editor.dirty = true;
      updateZoneHint();
      zoneInput.focus();
    });
    showProblems(form, problems)?.focus();
  }

  async function importFile(): Promise<void> {
    const file = io.input.files?.[0];
    io.input.value = '';
    if (!file) return;
    mount(io.status, renderImporting(file.name));
    try {
      const text = await file.text();
      const team = await editor.importText(text);
      mount(io.status, renderImported(team, file.name));
    } catch (error) {
      mount(io.status, renderImportError(IpcError.from(error), file.name));
    }
  }

  async function exportFile(): Promise<void> {
    try {
      const text = await editor.exportText();
      if (exportUrl) URL.revokeObjectURL(exportUrl);
      exportUrl = URL.createObjectURL(new Blob([text], { type: 'application/toml' }));
      mount(io.exportPanel, renderExport(text, exportUrl, exportFileName(editor.team?.name)));
      mount(io.status);
    } catch (error) {
      mount(io.status, errorBanner(error));
    }
  }

  function updateZoneHint(): void {
    const known = Array.from(form.zoneList.options, (o) => o.value);
    form.zoneHint.textContent = zoneHintText(form.inputs.time_zone.value.trim(), known, Date.now());
  }

  async function refresh(): Promise<void> {
    void ipc
      .timeZones()
      .then((zones) => {
        if (!form.zoneList.childElementCount) {
          mount(form.zoneList, zones.map((z) => h('option', { value: z })));
          updateZoneHint();
        }
      })
      .catch(() => undefined);
    await Promise.all([editor.refresh(), loadSource()]);
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
