// The member form: drafts from typed text, and problems drawn next to the fields they name.

import { afterEach, describe, expect, it } from 'vitest';
import { IpcError } from '../../ipc';
import { invalidLena, team } from '../../test/fixtures';
import {
  clearProblems,
  createMemberForm,
  draftFrom,
  formText,
  parseField,
  readForm,
  renderProblems,
  showProblems,
  writeForm,
  zoneHintText,
} from './form';

const noop = { edited: () => undefined, zoneTyped: () => undefined, save: () => undefined, revert: () => undefined };
const lena = team.members.find((m) => m.name === 'Lena')!;

/** A form in the document, so focus and queries behave as on screen. */
function mountForm() {
  const form = createMemberForm(noop);
  document.body.appendChild(form.el);
  return form;
}

afterEach(() => document.body.replaceChildren());

describe('draftFrom and formText', () => {
  it('round-trips a member through the fields', () => {
    expect(draftFrom(formText(lena)).draft).toEqual(lena);
    expect(formText(null)).toEqual({ name: '', time_zone: '', hours: '', focus: '', days_off: '', holidays: '', travel: '' });
  });

  it('writes a trip per line and reads one back, a one-day trip as one date', () => {
    expect(formText(lena).travel).toBe('2027-02-01..2027-02-14 Asia/Tokyo');
    const { draft, lineMaps } = draftFrom({ ...formText(lena), travel: '\n2027-03-05 Europe/Lisbon\nnext week Tokyo' });
    expect(draft.travel).toEqual([
      { from: '2027-03-05', to: '2027-03-05', time_zone: 'Europe/Lisbon' },
      // Not the trip shape: sent as typed for the core to name what is wrong.
      { from: 'next week Tokyo', to: '', time_zone: '' },
    ]);
    expect(lineMaps.travel).toEqual([2, 3]);
    expect(parseField('travel[1].to')).toEqual({ key: 'travel', index: 1 });
    expect(parseField('holidays')).toEqual({ key: 'holidays' });
  });

  it('trims, drops blank lines and remembers where each entry was', () => {
    const { draft, lineMaps } = draftFrom({ ...formText(lena), name: ' Lena ', hours: '\nmon 09:00-10:00\n\n tue 09:00-10:00 ' });
    expect(draft.name).toBe('Lena');
    expect(draft.hours).toEqual(['mon 09:00-10:00', 'tue 09:00-10:00']);
    expect(lineMaps.hours).toEqual([2, 4]);
  });
});

describe('renderProblems', () => {
  it('puts each problem next to its field, numbered by the line the user sees', () => {
    // hours[1] was sent from the third line of the box (a blank line in between).
    const problems = renderProblems(IpcError.from(invalidLena), { hours: [1, 3] }, () => undefined);
    expect(problems.fields.map(([key, el]) => [key, el.dataset.testid, el.textContent])).toEqual([
      ['time_zone', 'error-time_zone', expect.stringContaining('unknown time zone "Europe/Berln"')],
      ['hours', 'error-hours', expect.stringMatching(/^Line 3: unknown day "fir"/)],
    ]);
    expect(problems.banner.textContent).toBe('Not saved: 2 fields need fixing.');
  });

  it('offers zone suggestions as chips', () => {
    const chosen: string[] = [];
    const problems = renderProblems(IpcError.from(invalidLena), {}, (z) => chosen.push(z));
    const chips = Array.from(problems.fields[0]![1].querySelectorAll<HTMLButtonElement>('.chip'));
    expect(chips.map((c) => c.dataset.suggestion)).toEqual(['Europe/Berlin', 'Europe/Berne']);
    chips[1]?.click();
    expect(chosen).toEqual(['Europe/Berne']);
  });

  it('lists problems that name no field in the banner', () => {
    const error = IpcError.from({ code: 'invalid', message: 'x', problems: [{ field: 'me', message: 'me is not on the team', suggestions: [] }] });
    const problems = renderProblems(error, {}, () => undefined);
    expect(problems.fields).toEqual([]);
    expect(problems.banner.textContent).toBe('Not saved: one field needs fixing.me is not on the team');
  });

  it('shows any other failure as one banner', () => {
    const error = IpcError.from({ code: 'storage', message: 'the database is locked', problems: [] });
    const problems = renderProblems(error, {}, () => undefined);
    expect(problems.fields).toEqual([]);
    expect(problems.banner.textContent).toBe('the database is locked');
  });
});

describe('the member form', () => {
  it('shows problems in their fields’ slots, marks them invalid and focuses the first', () => {
    const form = mountForm();
    writeForm(form, formText(lena));
    const first = showProblems(form, renderProblems(IpcError.from(invalidLena), {}, () => undefined));
    first?.focus();
    expect(document.activeElement).toBe(form.inputs.time_zone);
    // Each slot is the one the field's aria-describedby points at.
    const zoneSlot = document.getElementById(form.inputs.time_zone.getAttribute('aria-describedby') ?? '');
    expect(zoneSlot?.querySelector('[data-testid="error-time_zone"]')).not.toBeNull();
    const hoursSlot = document.getElementById('error-hours-slot');
    expect(form.inputs.hours.getAttribute('aria-describedby')).toBe('hint-hours error-hours-slot');
    expect(hoursSlot?.querySelector('[data-testid="error-hours"]')).not.toBeNull();
    expect(form.inputs.hours.getAttribute('aria-invalid')).toBe('true');
    expect(form.inputs.name.hasAttribute('aria-invalid')).toBe(false);
    expect(form.error.querySelector('[data-testid="editor-error"]')).not.toBeNull();

    clearProblems(form);
    expect(form.el.querySelector('.field-error')).toBeNull();
    expect(form.error.childElementCount).toBe(0);
    expect(form.inputs.time_zone.hasAttribute('aria-invalid')).toBe(false);
    expect(readForm(form)).toEqual(formText(lena));
  });
});

describe('zoneHintText', () => {
  it('gives the time now in a known zone only', () => {
    const now = Date.parse('2026-03-09T15:30:00Z');
    expect(zoneHintText('Asia/Tokyo', ['Asia/Tokyo'], now)).toBe('00:30 in Tokyo now (UTC+9)');
    expect(zoneHintText('Asia/Tokio', ['Asia/Tokyo'], now)).toBe('');
    expect(zoneHintText('', ['Asia/Tokyo'], now)).toBe('');
  });
});
