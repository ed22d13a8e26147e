// The member form: name, zone, working hours, focus blocks and days off, each with a slot for the
// problems the core reports against it.
//
// The form sends what the user typed and lets the core judge it: `save_member` either saves the whole
// draft or nothing, and says what is wrong field by field (`hours[1]`, `time_zone`, …). Multi-line
// fields drop blank lines before sending, so each field keeps a map from the entry the core numbers to
// the line the user sees, and "line 2" in a message is the second line of the text box.
//
// The inputs are built once (they hold the user's typing and focus); what is drawn from state (the
// problems, the footer, the confirmation, the zone hint) comes from the pure functions below.

import type { FieldProblem, MemberDraft, TripDraft } from '../../bindings';
import { h, mount } from '../../dom';
import type { IpcError } from '../../ipc';
import { city, offsetLabel, timeIn } from '../../time';
import { errorText } from '../../view';

/** The form fields the core can report problems for, as named in `FieldProblem.field`. */
export type FieldKey = 'name' | 'time_zone' | 'hours' | 'focus' | 'days_off' | 'holidays' | 'travel';

/** For each multi-line field, the text box line of each entry sent. */
export type LineMaps = Partial<Record<FieldKey, number[]>>;

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

/**
 * `hours[1]` → `{ key: 'hours', index: 1 }`; `travel[0].to` → `{ key: 'travel', index: 0 }`; `name` →
 * `{ key: 'name' }`; anything else → null.
 */
export function parseField(field: string): { key: FieldKey; index?: number } | null {
  const m = /^(name|time_zone|hours|focus|days_off|holidays|travel)(?:\[(\d+)\](?:\.\w+)?)?$/.exec(field);
  if (!m) return null;
  const key = m[1] as FieldKey;
  return m[2] === undefined ? { key } : { key, index: Number(m[2]) };
}

/** The text of the form's fields as typed. */
export type FormText = Record<FieldKey, string>;

/**
 * A trip line as typed, `2027-02-01..2027-02-14 Asia/Tokyo` (one date for a one-day trip). A line of
 * another shape is sent as it is, in `from`, for the core to say what is wrong with it.
 */
export function tripFrom(line: string): TripDraft {
  const m = /^(\S+?)(?:\.\.(\S+))?\s+(\S+)$/.exec(line);
  if (!m) return { from: line, to: '', time_zone: '' };
  return { from: m[1]!, to: m[2] ?? m[1]!, time_zone: m[3]! };
}

/** A trip as its line in the form. */
export function tripLine(t: TripDraft): string {
  return `${t.from === t.to ? t.from : `${t.from}..${t.to}`} ${t.time_zone}`;
}

/** The draft to send for what was typed, and where each multi-line entry was. */
export function draftFrom(text: FormText): { draft: MemberDraft; lineMaps: LineMaps } {
  const hours = splitLines(text.hours);
  const focus = splitLines(text.focus);
  const off = splitLines(text.days_off);
  const travel = splitLines(text.travel);
  return {
    draft: {
      name: text.name.trim(),
      time_zone: text.time_zone.trim(),
      hours: hours.values,
      focus: focus.values,
      days_off: off.values,
      holidays: text.holidays.trim(),
      travel: travel.values.map(tripFrom),
    },
    lineMaps: { hours: hours.lineNumbers, focus: focus.lineNumbers, days_off: off.lineNumbers, travel: travel.lineNumbers },
  };
}

/** The text a member fills the fields with (a blank form for null). */
export function formText(m: MemberDraft | null): FormText {
  return {
    name: m?.name ?? '',
    time_zone: m?.time_zone ?? '',
    hours: m?.hours.join('\n') ?? '',
    focus: m?.focus.join('\n') ?? '',
    days_off: m?.days_off.join('\n') ?? '',
    holidays: m?.holidays ?? '',
    travel: m?.travel?.map(tripLine).join('\n') ?? '',
  };
}

/** A rejected save drawn for the form: the banner above it, and the problems for each field's slot. */
export interface Problems {
  banner: HTMLElement;
  /** In the form's field order, only the fields with problems. */
  fields: [FieldKey, HTMLElement][];
}

const FIELD_ORDER: FieldKey[] = ['name', 'time_zone', 'hours', 'focus', 'days_off', 'holidays', 'travel'];

/**
 * Draws a failed save: a banner alone for an error that is not about the fields; otherwise a summary
 * banner (listing problems that name no field) and each field's problems, with lines numbered as the
 * user sees them and zone suggestions as chips for `suggest`.
 */
export function renderProblems(error: IpcError, lineMaps: LineMaps, suggest: (zone: string) => void): Problems {
  if (error.code !== 'invalid' || !error.problems.length) {
    return {
      banner: h('div', { class: 'banner banner-error', role: 'alert', 'data-testid': 'editor-error' }, errorText(error)),
      fields: [],
    };
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
    items.push(problemEl(f.key, f.index, p, lineMaps, suggest));
    byField.set(f.key, items);
  }
  const fields: [FieldKey, HTMLElement][] = [];
  for (const key of FIELD_ORDER) {
    const items = byField.get(key);
    if (items) fields.push([key, h('div', { class: 'field-error', 'data-testid': `error-${key}` }, items)]);
  }
  const summary = `Not saved: ${error.problems.length === 1 ? 'one field needs' : `${error.problems.length} fields need`} fixing.`;
  const banner = h(
    'div',
    { class: 'banner banner-error', role: 'alert', 'data-testid': 'editor-error' },
    h('span', null, summary),
    general.length ? h('ul', { class: 'problem-list' }, general.map((p) => h('li', null, p.message))) : null,
  );
  return { banner, fields };
}

function problemEl(
  key: FieldKey,
  index: number | undefined,
  p: FieldProblem,
  lineMaps: LineMaps,
  suggest: (zone: string) => void,
): HTMLElement {
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
            h('button', { type: 'button', class: 'chip', 'data-suggestion': s, onClick: () => suggest(s) }, s),
          ),
        )
      : null,
  );
}

/** The confirmation that replaces the footer before a member is removed. */
export function renderConfirm(name: string, teamName: string | undefined, remove: () => void, keep: HTMLElement): HTMLElement {
  return h(
    'div',
    { class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'confirm-text' },
    h('span', { id: 'confirm-text' }, `Remove ${name} from ${teamName ?? 'the team'}?`),
    h('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'confirm-remove', onClick: remove }, 'Remove'),
    keep,
  );
}

/** The remove button, offered only for a stored member. */
export function renderRemoveButton(onClick: () => void): HTMLElement {
  return h('button', { type: 'button', class: 'btn btn-danger-quiet', 'data-testid': 'remove-member', onClick }, 'Remove…');
}

/** The time now in a known `zone` (`14:05 in Tokyo now (UTC+9)`), or nothing for an unknown one. */
export function zoneHintText(zone: string, known: readonly string[], now: number): string {
  if (zone && known.includes(zone)) return `${timeIn(now, zone)} in ${city(zone)} now (${offsetLabel(now, zone)})`;
  return '';
}

/** What the form's controls do. */
export interface FormActions {
  edited(): void;
  /** The zone field changed (after `edited`): its hint follows. */
  zoneTyped(): void;
  save(): void;
  revert(): void;
}

/** The form's fixed parts. */
export interface MemberForm {
  el: HTMLFormElement;
  title: HTMLElement;
  error: HTMLElement;
  status: HTMLElement;
  footer: HTMLElement;
  saveButton: HTMLButtonElement;
  cancelButton: HTMLButtonElement;
  inputs: Record<FieldKey, HTMLInputElement | HTMLTextAreaElement>;
  slots: Record<FieldKey, HTMLElement>;
  zoneList: HTMLDataListElement;
  zoneHint: HTMLElement;
}

/** Builds the form once. */
export function createMemberForm(on: FormActions): MemberForm {
  const markDirty = () => on.edited();
  const title = h('h2', { class: 'form-title', id: 'member-form-title' });
  const error = h('div', { class: 'form-error' });
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'editor-status' });
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
      on.zoneTyped();
    },
  });
  const hoursInput = h('textarea', { id: 'member-hours', class: 'input textarea', rows: 3, spellcheck: 'false', onInput: markDirty });
  const focusInput = h('textarea', { id: 'member-focus', class: 'input textarea', rows: 2, spellcheck: 'false', onInput: markDirty });
  const offInput = h('textarea', { id: 'member-days-off', class: 'input textarea', rows: 2, spellcheck: 'false', onInput: markDirty });
  const holidaysInput = h('input', {
    id: 'member-holidays',
    class: 'input',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'e.g. DE-BY, US, GB-SCT',
    onInput: markDirty,
  });
  const travelInput = h('textarea', { id: 'member-travel', class: 'input textarea', rows: 2, spellcheck: 'false', onInput: markDirty });
  const inputs: Record<FieldKey, HTMLInputElement | HTMLTextAreaElement> = {
    name: nameInput,
    time_zone: zoneInput,
    hours: hoursInput,
    focus: focusInput,
    days_off: offInput,
    holidays: holidaysInput,
    travel: travelInput,
  };
  const slots: Record<FieldKey, HTMLElement> = {
    name: h('div', { class: 'field-error-slot' }),
    time_zone: h('div', { class: 'field-error-slot' }),
    hours: h('div', { class: 'field-error-slot' }),
    focus: h('div', { class: 'field-error-slot' }),
    days_off: h('div', { class: 'field-error-slot' }),
    holidays: h('div', { class: 'field-error-slot' }),
    travel: h('div', { class: 'field-error-slot' }),
  };
  const saveButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-member' }, 'Save');
  const cancelButton = h('button', { type: 'button', class: 'btn', onClick: () => on.revert() }, 'Revert');
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

  const el = h(
    'form',
    {
      class: 'card member-form',
      novalidate: true,
      'aria-labelledby': 'member-form-title',
      onSubmit: (e) => {
        e.preventDefault();
        on.save();
      },
    },
    title,
    error,
    h('div', { class: 'field-row' }, field('name', 'Name'), h('div', { class: 'field' }, h('label', { for: 'member-time-zone', class: 'label' }, 'Time zone'), zoneInput, zoneHint, slots.time_zone, zoneList)),
    field('hours', 'Working hours', hoursHint),
    field('focus', 'Focus blocks', h('p', { class: 'hint', id: 'hint-focus' }, 'Same form as hours: protected deep-work time, e.g. ', h('code', null, 'mon-thu 09:00-11:00'), '.')),
    field('days_off', 'Days off', offHint),
    h(
      'div',
      { class: 'field-row' },
      field(
        'holidays',
        'Public holidays',
        h('p', { class: 'hint', id: 'hint-holidays' }, 'A country, or country and region: ', h('code', null, 'DE-BY'), '; blank for none. Its holidays are days off.'),
      ),
      field(
        'travel',
        'Travel',
        h('p', { class: 'hint', id: 'hint-travel' }, 'One trip per line, local dates: ', h('code', null, '2027-02-01..2027-02-14 Asia/Tokyo'), '.'),
      ),
    ),
    footer,
    status,
  );
  zoneInput.setAttribute('aria-describedby', 'error-time_zone-slot');
  slots.time_zone.id = 'error-time_zone-slot';

  return { el, title, error, status, footer, saveButton, cancelButton, inputs, slots, zoneList, zoneHint };
}

/** What the fields hold now. */
export function readForm(f: MemberForm): FormText {
  const text = {} as FormText;
  for (const key of FIELD_ORDER) text[key] = f.inputs[key].value;
  return text;
}

/** Puts `text` in the fields. */
export function writeForm(f: MemberForm, text: FormText): void {
  for (const key of FIELD_ORDER) f.inputs[key].value = text[key];
}

/** Empties the banner and every field's problems. */
export function clearProblems(f: MemberForm): void {
  mount(f.error);
  for (const key of FIELD_ORDER) {
    mount(f.slots[key]);
    f.inputs[key].removeAttribute('aria-invalid');
  }
}

/** Shows drawn problems in the form, marking their fields invalid; returns the first bad input. */
export function showProblems(f: MemberForm, problems: Problems): HTMLElement | null {
  let firstBad: HTMLElement | null = null;
  for (const [key, el] of problems.fields) {
    f.inputs[key].setAttribute('aria-invalid', 'true');
    mount(f.slots[key], el);
    firstBad ??= f.inputs[key];
  }
  mount(f.error, problems.banner);
  return firstBad;
}
