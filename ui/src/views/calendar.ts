// The team calendar: every teammate's hours on one shared timeline.
//
// Everything on the timeline is placed by instant, `(t - view.start) / (view.end - view.start)` of the
// width, never by "hour of day": a 23- or 25-hour DST day then simply gets its real share of the width,
// and blocks in other zones land where they really are. Days, ticks, blocks, the now line and the
// scrub cells all go through the same `x()`.
//
// The scrubber is a horizontal listbox of 30- or 60-minute cells laid over the rows (one tab stop,
// arrow keys move, Page Up/Down jump a day); hovering or focusing a cell shows every member's local
// time and state at that moment, like a world clock.

import type { Block, CalendarRow, CalendarView, HandoffWindow } from '../bindings';
import { announce, h, mount, place } from '../dom';
import * as ipc from '../ipc';
import { IpcError } from '../ipc';
import {
  addDays,
  city,
  clockFrom,
  dateIn,
  dateLabel,
  dayTimeIn,
  duration,
  hourTicks,
  inBlocks,
  localDate,
  ms,
  notWorkingText,
  offsetLabel,
  rangeIn,
  timeIn,
  untilNextMinute,
  weekdayIn,
  HOUR,
  MINUTE,
} from '../time';
import { errorBanner, latest, type View, type ViewContext } from '../view';

/** How the timeline's hours are labelled. */
type ZoneMode =
  | { kind: 'mine' }
  | { kind: 'members' }
  | { kind: 'zone'; zone: string };

/** A member's state at one instant, as the scrub readout shows it. */
export type ScrubState = 'working' | 'focus' | 'day-off' | 'off';

/** The state of `row` at `t`: a day off wins, then focus, then working hours. */
export function stateAt(row: CalendarRow, t: number): ScrubState {
  if (inBlocks(row.days_off, t)) return 'day-off';
  if (inBlocks(row.focus, t)) return 'focus';
  if (inBlocks(row.working, t)) return 'working';
  return 'off';
}

const STATE_LABEL: Record<ScrubState, string> = {
  working: 'Working',
  focus: 'Focus',
  'day-off': 'Day off',
  off: 'Off',
};

/** The accessible summary of a row: who, where, and their hours in their own local time. */
export function rowLabel(row: CalendarRow, manyDays: boolean): string {
  const zone = row.time_zone;
  const list = (blocks: Block[]) => blocks.map((b) => rangeIn(b.start, b.end, zone, manyDays)).join(', ');
  const parts = [row.is_me ? `${row.name} (you)` : row.name, zone];
  parts.push(row.working.length ? `working ${list(row.working)}` : notWorkingText(row.back, zone));
  if (row.focus.length) parts.push(`focus ${list(row.focus)}`);
  if (row.days_off.length) {
    const day = (t: number) => dateIn(t, zone);
    const offs = row.days_off.map((b) => {
      const a = ms(b.start) + 12 * HOUR;
      const z = ms(b.end) - 12 * HOUR;
      return z - a > 12 * HOUR ? `${day(a)}–${day(z)}` : day(a);
    });
    parts.push(`day off ${offs.join(', ')}`);
  }
  return parts.join(', ');
}

function handoffLabel(w: HandoffWindow, zone: string): string {
  return w.kind === 'sync'
    ? `Sync ${rangeIn(w.start, w.end, zone, true)}, ${duration(w.minutes)} together`
    : `Async from ${dayTimeIn(w.start, zone)}, baton waits ${duration(w.minutes)} until ${dayTimeIn(w.end, zone)}`;
}

/** The calendar tab. */
export function createCalendarView(ctx: ViewContext): View {
  let view: CalendarView | null = null;
  let from: string | null = null;
  let days = 7;
  let mode: ZoneMode = { kind: 'mine' };
  let clock: () => number = () => Date.now();
  let visible = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = latest();

  // The live parts of the board, rebuilt on each render.
  let cells: HTMLElement[] = [];
  let cellStarts: number[] = [];
  let active = 0;
  let hovered: number | null = null;
  let nowLine: HTMLElement | null = null;
  let nowFlag: HTMLElement | null = null;

  // Header and controls are built once; only their state changes.
  const title = h('h1', { class: 'cal-team', 'data-testid': 'team-name' }, 'Team');
  const subtitle = h('p', { class: 'cal-sub muted' });
  const prev = h('button', { type: 'button', class: 'btn btn-icon', onClick: () => step(-1) }, '‹');
  const today = h('button', { type: 'button', class: 'btn', onClick: () => go(null) }, 'Today');
  const next = h('button', { type: 'button', class: 'btn btn-icon', onClick: () => step(1) }, '›');
  const dayBtn = h('button', { type: 'button', class: 'seg', onClick: () => setDays(1) }, 'Day');
  const weekBtn = h('button', { type: 'button', class: 'seg', onClick: () => setDays(7) }, 'Week');
  const zoneSelect = h('select', {
    id: 'cal-zone',
    class: 'select',
    onChange: () => onZoneSelect(),
  });
  const zoneList = h('datalist', { id: 'cal-zone-list' });
  const zoneSearch = h('input', {
    id: 'cal-zone-search',
    class: 'input input-zone',
    type: 'text',
    list: 'cal-zone-list',
    placeholder: 'Search any zone, e.g. Lisbon',
    'aria-label': 'Time zone to show the calendar in',
    autocomplete: 'off',
    spellcheck: 'false',
    hidden: true,
    onChange: () => onZoneSearch(),
    onKeydown: (e) => {
      if (e.key === 'Escape') {
        zoneSearch.hidden = true;
        syncZoneSelect();
        zoneSelect.focus();
      }
    },
  });
  const zoneError = h('div', { class: 'zone-error', role: 'alert' });
  const message = h('div', { class: 'cal-message' });
  const board = h('div', { class: 'cal-board' });
  const readout = h('section', { class: 'cal-readout', 'aria-labelledby': 'readout-title' });
  const readoutTitle = h('h2', { id: 'readout-title', class: 'readout-title' });
  const readoutZone = h('span', { class: 'muted readout-zone' });
  const readoutList = h('ul', { class: 'readout-list', 'aria-live': 'polite' });
  mount(readout, h('header', { class: 'readout-head' }, readoutTitle, readoutZone), readoutList);

  const el = h(
    'section',
    { class: 'view view-calendar', 'aria-labelledby': 'cal-heading' },
    h('span', { id: 'cal-heading', class: 'visually-hidden' }, 'Team calendar'),
    h(
      'header',
      { class: 'cal-header' },
      h('div', { class: 'cal-title' }, title, subtitle),
      h(
        'div',
        { class: 'cal-controls' },
        h('div', { class: 'btn-group', role: 'group', 'aria-label': 'Dates' }, prev, today, next),
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Range' }, dayBtn, weekBtn),
        h(
          'div',
          { class: 'zone-picker' },
          h('label', { for: 'cal-zone', class: 'zone-label' }, 'Times in'),
          zoneSelect,
          zoneSearch,
          zoneList,
        ),
      ),
    ),
    zoneError,
    legend(),
    message,
    board,
    readout,
  );

  function syncControls(): void {
    const unit = days === 1 ? 'day' : 'week';
    prev.setAttribute('aria-label', `Previous ${unit}`);
    next.setAttribute('aria-label', `Next ${unit}`);
    prev.title = `Previous ${unit}`;
    next.title = `Next ${unit}`;
    today.disabled = from === null;
    dayBtn.setAttribute('aria-pressed', String(days === 1));
    weekBtn.setAttribute('aria-pressed', String(days === 7));
  }

  function step(direction: number): void {
    const first = from ?? view?.days[0]?.date;
    if (!first) return;
    go(addDays(first, direction * days));
  }

  function go(date: string | null): void {
    from = date;
    void refresh();
  }

  function setDays(n: number): void {
    if (days === n) return;
    days = n;
    void refresh();
  }

  function zoneValue(m: ZoneMode): string {
    return m.kind === 'zone' ? `zone:${m.zone}` : m.kind;
  }

  /** Rebuilds the zone options: mine, each member's, any other, and a chosen one not among them. */
  function syncZoneSelect(): void {
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
    mount(zoneSelect, groups);
    zoneSelect.value = zoneValue(mode);
  }

  function onZoneSelect(): void {
    const value = zoneSelect.value;
    mount(zoneError);
    if (value === 'other') {
      zoneSearch.hidden = false;
      zoneSearch.value = '';
      zoneSearch.focus();
      void ipc
        .timeZones()
        .then((zones) => {
          if (!zoneList.childElementCount) mount(zoneList, zones.map((z) => h('option', { value: z })));
        })
        .catch(() => undefined);
      return;
    }
    zoneSearch.hidden = true;
    if (value === 'mine') void setMode({ kind: 'mine' });
    else if (value === 'members') void setMode({ kind: 'members' });
    else if (value.startsWith('zone:')) void setMode({ kind: 'zone', zone: value.slice(5) });
  }

  function onZoneSearch(): void {
    const typed = zoneSearch.value.trim();
    if (!typed) return;
    const known = Array.from(zoneList.options, (o) => o.value);
    const exact = known.find((z) => z.toLowerCase() === typed.toLowerCase());
    void setMode({ kind: 'zone', zone: exact ?? typed });
  }

  async function setMode(next: ZoneMode): Promise<void> {
    const before = mode;
    mode = next;
    const ok = await refresh();
    if (!ok && next.kind === 'zone') {
      mode = before;
      syncZoneSelect();
    } else if (ok) {
      zoneSearch.hidden = true;
    }
  }

  function showZoneProblem(error: IpcError): void {
    const problem = error.problems.find((p) => p.field === 'time_zone');
    mount(
      zoneError,
      h(
        'div',
        { class: 'banner banner-error' },
        h('span', null, problem?.message ?? error.message),
        problem?.suggestions.length
          ? h(
              'span',
              { class: 'suggestions' },
              'Did you mean: ',
              problem.suggestions.map((s) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'chip',
                    onClick: () => {
                      zoneSearch.value = s;
                      mount(zoneError);
                      void setMode({ kind: 'zone', zone: s });
                    },
                  },
                  s,
                ),
              ),
            )
          : null,
      ),
    );
  }

  /** Fetches and renders; resolves false when the fetch failed. */
  async function refresh(): Promise<boolean> {
    syncControls();
    const zone = mode.kind === 'zone' ? mode.zone : null;
    try {
      const answer = await guard(ipc.calendar(from, days, zone));
      if (!answer.current) return true;
      mount(message);
      mount(zoneError);
      render(answer.value);
      return true;
    } catch (error) {
      const e = IpcError.from(error);
      if (e.code === 'invalid' && zone !== null) showZoneProblem(e);
      else mount(message, errorBanner(e, () => void refresh()));
      return false;
    }
  }

  function render(v: CalendarView): void {
    const hadFocus = board.contains(document.activeElement);
    const previousStart = view?.start;
    view = v;
    clock = clockFrom(v.now);
    title.textContent = v.team;
    const first = v.days[0];
    const last = v.days[v.days.length - 1];
    const range =
      first && last && first !== last ? `${dateLabel(first.date)} – ${dateLabel(last.date)}` : first ? dateLabel(first.date) : '';
    subtitle.textContent =
      mode.kind === 'members'
        ? `${range} · each row in its member's local time`
        : `${range} · times in ${v.time_zone} (${offsetLabel(ms(v.start), v.time_zone)})`;
    syncZoneSelect();
    syncControls();
    buildBoard(v, previousStart === v.start && previousStart !== undefined);
    if (hadFocus) cells[active]?.focus();
    else showReadout(null);
    schedule();
  }

  function buildBoard(v: CalendarView, keepCursor: boolean): void {
    const start = ms(v.start);
    const span = ms(v.end) - start;
    const x = (t: number) => (t - start) / span;
    const manyDays = v.days.length > 1;
    const stepHours = v.days.length <= 1 ? 1 : v.days.length <= 3 ? 3 : 6;
    const todayDate = localDate(clock(), v.time_zone);

    if (!v.members.length) {
      mount(
        board,
        h(
          'div',
          { class: 'empty' },
          h('p', null, 'No teammates yet.'),
          h('button', { type: 'button', class: 'btn btn-primary', onClick: () => ctx.navigate('editor') }, 'Add your team'),
        ),
      );
      cells = [];
      cellStarts = [];
      nowLine = null;
      nowFlag = null;
      return;
    }

    // The axis: days as columns proportional to their real length, and hour ticks in the shown zone.
    const dayCols = v.days.map((d) => {
      const col = place(
        h(
          'div',
          {
            class: `cal-day${d.date === todayDate ? ' is-today' : ''}`,
            'data-date': d.date,
            'data-hours': d.hours,
          },
          h('span', { class: 'cal-day-name' }, dateLabel(d.date)),
          d.hours !== 24 ? h('span', { class: 'cal-day-hours', title: 'Clocks change this day' }, `${d.hours} h`) : null,
        ),
        x(ms(d.start)),
        x(ms(d.end)),
      );
      return col;
    });
    nowFlag = h('span', { class: 'cal-now-flag' }, 'Now');
    const axisTicks =
      mode.kind === 'members'
        ? []
        : hourTicks(start, start + span, v.time_zone, stepHours).map((tick) =>
            tickEl(manyDays && tick.hour === 0 ? '' : tick.label, x(tick.t), tick.hour === 0),
          );

    const axis = h(
      'div',
      { class: 'cal-axis-row', 'aria-hidden': 'true' },
      h('div', { class: 'cal-corner' }, mode.kind === 'members' ? 'Local times' : city(v.time_zone)),
      h('div', { class: 'cal-axis' }, h('div', { class: 'cal-days' }, dayCols), h('div', { class: 'cal-ticks' }, axisTicks), nowFlag),
    );

    // Rows.
    const rows = v.members.map((m) => {
      const isNext = m.name === v.next;
      const track = h('div', { class: 'cal-track' });
      if (mode.kind === 'members') {
        track.appendChild(
          h(
            'div',
            { class: 'cal-row-ticks', 'aria-hidden': 'true' },
            // A label per row is busier than one axis: half as many on a week.
            hourTicks(start, start + span, m.time_zone, stepHours >= 6 ? 12 : stepHours).map((t) =>
              tickEl(t.label, x(t.t), t.hour === 0),
            ),
          ),
        );
      }
      for (const b of m.days_off) {
        track.appendChild(blockEl('blk blk-off', b, x, 'Day off', `Day off (${m.name})`));
      }
      for (const b of m.working) {
        track.appendChild(
          blockEl('blk blk-work', b, x, null, `${m.name} working ${rangeIn(b.start, b.end, m.time_zone, manyDays)} ${city(m.time_zone)} time`),
        );
      }
      for (const b of m.focus) {
        track.appendChild(
          blockEl('blk blk-focus', b, x, null, `${m.name} in focus ${rangeIn(b.start, b.end, m.time_zone, manyDays)} ${city(m.time_zone)} time`),
        );
      }
      if (m.is_me || isNext) {
        for (const w of v.handoffs) {
          track.appendChild(
            place(h('div', { class: `band band-${w.kind}`, 'aria-hidden': 'true' }), x(ms(w.start)), x(ms(w.end))),
          );
        }
      }
      return h(
        'div',
        {
          class: `cal-row${m.is_me ? ' is-me' : ''}${isNext ? ' is-next' : ''}${mode.kind === 'members' ? ' with-ticks' : ''}`,
          role: 'listitem',
          'data-testid': 'calendar-row',
          'data-member': m.name,
          'aria-label': rowLabel(m, manyDays),
        },
        h(
          'div',
          { class: 'cal-who', 'aria-hidden': 'true' },
          h(
            'div',
            { class: 'cal-name' },
            m.name,
            m.is_me ? h('span', { class: 'badge badge-me' }, 'You') : null,
            isNext ? h('span', { class: 'badge badge-next', title: 'You hand the baton to them' }, 'Next') : null,
          ),
          h('div', { class: 'cal-zone muted' }, `${city(m.time_zone)} · ${offsetLabel(clock(), m.time_zone)}`),
        ),
        track,
      );
    });

    // The handoff lane: my baton passes to `next`.
    const meRow = v.members.find((m) => m.is_me);
    if (meRow && v.next) {
      const zone = meRow.time_zone;
      const track = h('div', { class: 'cal-track' });
      for (const w of v.handoffs) {
        // Label as much as fits at a typical board width (~1000 px); the title always has it all.
        const px = ((ms(w.end) - ms(w.start)) / span) * 1000;
        const kind = w.kind === 'sync' ? 'Sync' : 'Async';
        const detail = w.kind === 'sync' ? duration(w.minutes) : `waits ${duration(w.minutes)}`;
        const text = px >= 120 ? `${kind} · ${detail}` : px >= 48 ? kind : '';
        track.appendChild(
          place(
            h('div', { class: `blk blk-${w.kind}`, title: handoffLabel(w, zone) }, text ? h('span', { class: 'blk-text' }, text) : null),
            x(ms(w.start)),
            x(ms(w.end)),
          ),
        );
      }
      const summary = v.handoffs.length
        ? v.handoffs.map((w) => handoffLabel(w, zone)).join('; ')
        : 'none in this range';
      rows.push(
        h(
          'div',
          {
            class: 'cal-row cal-lane',
            role: 'listitem',
            'aria-label': `Handoffs from ${meRow.name} to ${v.next}, ${city(zone)} time: ${summary}`,
          },
          h(
            'div',
            { class: 'cal-who', 'aria-hidden': 'true' },
            h('div', { class: 'cal-name' }, 'Handoffs'),
            h('div', { class: 'cal-zone muted' }, `${meRow.name} → ${v.next}`),
          ),
          track,
        ),
      );
    }

    // Over the rows: day separators, the now line and the scrub cells.
    const separators = v.days
      .slice(1)
      .map((d) => place(h('div', { class: 'cal-sep', 'aria-hidden': 'true' }), x(ms(d.start)), x(ms(d.start))));
    nowLine = h('div', { class: 'cal-now', 'aria-hidden': 'true' });
    const cellMinutes = v.days.length <= 2 ? 30 : 60;
    cellStarts = [];
    for (let t = start; t < start + span; t += cellMinutes * MINUTE) cellStarts.push(t);
    const now = clock();
    const nowIndex = cellStarts.findIndex((t, i) => t <= now && now < (cellStarts[i + 1] ?? start + span));
    if (!keepCursor || active >= cellStarts.length) active = nowIndex >= 0 ? nowIndex : 0;
    const zone = v.time_zone;
    cells = cellStarts.map((t, i) =>
      place(
        h('div', {
          class: 'cal-cell',
          role: 'option',
          id: `cal-cell-${i}`,
          tabindex: i === active ? 0 : -1,
          'aria-selected': String(i === active),
          'aria-label': `${dateIn(t, zone)} ${timeIn(t, zone)}`,
          'data-index': i,
        }),
        x(t),
        x(Math.min(t + cellMinutes * MINUTE, start + span)),
      ),
    );
    const scrub = h(
      'div',
      {
        class: 'cal-scrub',
        role: 'listbox',
        'aria-orientation': 'horizontal',
        'aria-label': `Scrub through time in ${cellMinutes}-minute steps; Page Up and Page Down move a day`,
        onFocusin: (e) => {
          const i = indexOf(e.target);
          if (i !== null) activate(i);
        },
        onKeydown: (e) => onScrubKey(e, cellMinutes),
        onMouseover: (e) => {
          const i = indexOf(e.target);
          if (i === null) return;
          hovered = i;
          showReadout(i);
        },
        onMouseleave: () => {
          hovered = null;
          showReadout(board.contains(document.activeElement) ? active : null);
        },
      },
      cells,
    );

    mount(
      board,
      axis,
      h(
        'div',
        { class: 'cal-body' },
        h('div', { class: 'cal-rows', role: 'list', 'aria-label': `Teammates' hours` }, rows),
        h('div', { class: 'cal-overlay' }, separators, nowLine, scrub),
      ),
    );
    placeNow();
  }

  function indexOf(target: EventTarget | null): number | null {
    if (!(target instanceof HTMLElement) || !target.classList.contains('cal-cell')) return null;
    const i = Number(target.dataset.index);
    return Number.isInteger(i) ? i : null;
  }

  function activate(i: number): void {
    const old = cells[active];
    if (old && active !== i) {
      old.tabIndex = -1;
      old.setAttribute('aria-selected', 'false');
    }
    active = i;
    const cell = cells[i];
    if (cell) {
      cell.tabIndex = 0;
      cell.setAttribute('aria-selected', 'true');
    }
    showReadout(i);
  }

  function onScrubKey(e: KeyboardEvent, cellMinutes: number): void {
    const perDay = (24 * 60) / cellMinutes;
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowLeft: active - 1,
      PageDown: active + perDay,
      PageUp: active - perDay,
      Home: 0,
      End: cells.length - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const i = Math.max(0, Math.min(cells.length - 1, target));
    cells[i]?.focus();
  }

  /** The world-clock readout for cell `i`, or for now when `i` is null. */
  function showReadout(i: number | null): void {
    if (!view) return;
    const v = view;
    const isNow = i === null;
    const t = isNow ? clock() : (cellStarts[i] ?? clock());
    const zone = v.time_zone;
    announce(readoutTitle, `${isNow ? 'Now · ' : ''}${dateIn(t, zone)}, ${timeIn(t, zone)}`);
    announce(readoutZone, `${city(zone)} time`);
    const items = v.members.map((m) => {
      const state = stateAt(m, t);
      return h(
        'li',
        { class: `readout-item state-${state}`, 'data-member': m.name },
        h('span', { class: 'dot', 'aria-hidden': 'true' }),
        h('span', { class: 'readout-name' }, m.name),
        h(
          'span',
          { class: 'readout-time' },
          timeIn(t, m.time_zone),
          h('small', { class: 'readout-day' }, weekdayIn(t, m.time_zone)),
        ),
        h('span', { class: 'readout-state' }, STATE_LABEL[state]),
      );
    });
    mount(readoutList, items);
    readout.dataset.instant = new Date(t).toISOString();
  }

  function placeNow(): void {
    if (!view || !nowLine) return;
    const start = ms(view.start);
    const f = (clock() - start) / (ms(view.end) - start);
    for (const el of [nowLine, nowFlag]) {
      if (!el) continue;
      el.hidden = f < 0 || f > 1;
      el.style.left = `${(Math.max(0, Math.min(1, f)) * 100).toFixed(4)}%`;
    }
  }

  /** Moves the now line (and a "now" readout) each minute while the tab is visible; no IPC. */
  function schedule(): void {
    clearTimeout(timer);
    if (!visible || !view) return;
    timer = setTimeout(() => {
      placeNow();
      if (hovered === null && !board.contains(document.activeElement)) showReadout(null);
      schedule();
    }, untilNextMinute(clock()));
  }

  syncControls();

  return {
    el,
    refresh: async () => {
      await refresh();
    },
    setVisible(v: boolean) {
      visible = v;
      if (v) {
        placeNow();
        schedule();
      } else {
        clearTimeout(timer);
      }
    },
  };
}

function tickEl(label: string, at: number, major: boolean): HTMLElement {
  const el = h('span', { class: `cal-tick${major ? ' is-major' : ''}` }, label);
  el.style.left = `${(at * 100).toFixed(4)}%`;
  return el;
}

function blockEl(
  cls: string,
  b: Block,
  x: (t: number) => number,
  text: string | null,
  title: string,
): HTMLElement {
  return place(
    h('div', { class: cls, title }, text ? h('span', { class: 'blk-text' }, text) : null),
    x(ms(b.start)),
    x(ms(b.end)),
  );
}

function legend(): HTMLElement {
  const item = (cls: string, text: string) =>
    h('li', null, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text);
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    item('sw-work', 'Working'),
    item('sw-focus', 'Focus'),
    item('sw-off', 'Day off'),
    item('sw-sync', 'Sync handoff (live)'),
    item('sw-async', 'Async handoff (written)'),
    item('sw-now', 'Now'),
  );
}
