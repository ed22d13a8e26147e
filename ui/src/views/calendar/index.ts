// The team calendar tab: every teammate's hours on one shared timeline. This entry point builds the
// tab's frame once (header, toolbar, zone picker, legend, board, readout) and is the controller's
// screen: when the state changes it redraws a region through the render functions beside it
// (`board.ts`, `scrubber.ts`, `toolbar.ts`, `zone-picker.ts`), and it keeps the minute timer that
// moves the now line.

import type { CalendarView } from '../../bindings';
import { announce, h, mount } from '../../dom';
import * as ipc from '../../ipc';
import { IpcError } from '../../ipc';
import { ms, untilNextMinute } from '../../time';
import { errorBanner, type View, type ViewContext } from '../../view';
import { sourceErrorBanner, whoAreYou } from '../source';
import { calendarErrorBanner } from '../calendars';
import { createWelcomeCard } from '../welcome';
import { legend, placeNow, renderBoard, renderEmptyBoard, type Board } from './board';
import { cursorAfter, keyTarget, moveTabStop, readoutItems, readoutTitle, readoutZone, scrubCells } from './scrubber';
import { CalendarController, type CalendarScreen } from './state';
import { createToolbar, subtitleText, syncToolbar } from './toolbar';
import { renderZoneProblem, typedZone, zoneChoice, zoneOptions, zoneValue } from './zone-picker';

export { rowLabel } from './board';
export { stateAt, type ScrubState } from './scrubber';

/** The calendar tab. */
export function createCalendarView(ctx: ViewContext): View {
  let visible = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // The live parts of the board, rebuilt on each render.
  let cells: HTMLElement[] = [];
  let cellStarts: number[] = [];
  let board: Pick<Board, 'nowLine' | 'nowFlag'> | null = null;

  const screen: CalendarScreen = {
    toolbar: () => syncControls(),
    show: (v, sameRange) => {
      mount(message);
      mount(zoneError);
      render(v, sameRange);
    },
    fail: (e, zone) => {
      if (e.code === 'invalid' && zone !== null) showZoneProblem(e);
      else mount(message, errorBanner(e, () => void cal.refresh()));
    },
    zoneRefused: () => syncZoneSelect(),
    zoneTaken: () => {
      zoneSearch.hidden = true;
    },
  };
  const cal = new CalendarController(screen);

  // Header and controls are built once; only their state changes.
  const title = h('h1', { class: 'cal-team', 'data-testid': 'team-name', tabindex: -1 }, 'Team');
  const subtitle = h('p', { class: 'cal-sub muted' });
  const toolbar = createToolbar({
    step: (direction) => cal.step(direction),
    today: () => cal.go(null),
    setDays: (n) => cal.setDays(n),
  });
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
  const sourceSlot = h('div', { class: 'cal-source' });
  // The first-run card: on the calendar, not in front of it (see ../welcome).
  const welcome = createWelcomeCard({
    navigate: (route) => ctx.navigate(route),
    changed: () => void refresh(),
    dismissed: () => {
      title.focus();
      // A followed team that still does not know me asks again, in its banner.
      void cal.refresh();
    },
  });
  const boardEl = h('div', { class: 'cal-board' });
  const readout = h('section', { class: 'cal-readout', 'aria-labelledby': 'readout-title' });
  const readoutTitleEl = h('h2', { id: 'readout-title', class: 'readout-title' });
  const readoutZoneEl = h('span', { class: 'muted readout-zone' });
  const readoutList = h('ul', { class: 'readout-list', 'aria-live': 'polite' });
  mount(readout, h('header', { class: 'readout-head' }, readoutTitleEl, readoutZoneEl), readoutList);

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
        h('div', { class: 'btn-group', role: 'group', 'aria-label': 'Dates' }, toolbar.prev, toolbar.today, toolbar.next),
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Range' }, toolbar.dayBtn, toolbar.weekBtn),
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
    welcome.el,
    sourceSlot,
    legend(),
    message,
    boardEl,
    readout,
  );

  function syncControls(): void {
    syncToolbar(toolbar, cal.days, cal.from);
  }

  /** Rebuilds the zone options for the current view and mode. */
  function syncZoneSelect(): void {
    mount(zoneSelect, zoneOptions(cal.view, cal.mode));
    zoneSelect.value = zoneValue(cal.mode);
  }

  function onZoneSelect(): void {
    const choice = zoneChoice(zoneSelect.value);
    mount(zoneError);
    if (choice === 'other') {
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
    if (choice) void cal.setMode(choice);
  }

  function onZoneSearch(): void {
    const typed = zoneSearch.value.trim();
    if (!typed) return;
    const known = Array.from(zoneList.options, (o) => o.value);
    void cal.setMode({ kind: 'zone', zone: typedZone(typed, known) });
  }

  function showZoneProblem(error: IpcError): void {
    mount(
      zoneError,
      renderZoneProblem(error, (s) => {
        zoneSearch.value = s;
        mount(zoneError);
        void cal.setMode({ kind: 'zone', zone: s });
      }),
    );
  }

  /** The shared source's banner and, for a followed team that does not know me, "Which one is you?". */
  function showSource(v: CalendarView): void {
    const source = v.source;
    const calendars = calendarErrorBanner(v.calendar_errors, () => ctx.navigate('settings'));
    if (!source) {
      mount(sourceSlot, calendars);
      return;
    }
    const retry = () => void cal.refresh();
    mount(
      sourceSlot,
      sourceErrorBanner(source, {
        sync: () => void ipc.syncTeam().then(retry, (e: unknown) => mount(sourceSlot, errorBanner(e, retry))),
      }),
      // The first-run card asks the same question; one place at a time.
      source.needs_me && v.members.length && welcome.el.hidden
        ? whoAreYou(
            v.members.map((m) => m.name),
            (name) => void ipc.setMe(name).then(retry, (e: unknown) => mount(sourceSlot, errorBanner(e, retry))),
          )
        : null,
      calendars,
    );
  }

  function render(v: CalendarView, sameRange: boolean): void {
    showSource(v);
    const hadFocus = boardEl.contains(document.activeElement);
    title.textContent = v.team;
    subtitle.textContent = subtitleText(v, cal.mode);
    syncZoneSelect();
    syncControls();
    buildBoard(v, sameRange);
    if (hadFocus) cells[cal.active]?.focus();
    else showReadout(null);
    schedule();
  }

  function buildBoard(v: CalendarView, sameRange: boolean): void {
    if (!v.members.length) {
      mount(boardEl, renderEmptyBoard(() => ctx.navigate('editor')));
      cells = [];
      cellStarts = [];
      board = null;
      return;
    }
    const scrub = scrubCells(v);
    const end = ms(v.end);
    const now = cal.clock();
    cal.active = cursorAfter(scrub, end, now, cal.active, sameRange);
    const drawn = renderBoard(
      { view: v, mode: cal.mode, now, cells: scrub, active: cal.active },
      {
        focus: (i) => activate(i),
        hover: (i) => {
          cal.hovered = i;
          showReadout(i);
        },
        leave: () => {
          cal.hovered = null;
          showReadout(boardEl.contains(document.activeElement) ? cal.active : null);
        },
        key: (e) => onScrubKey(e, scrub.minutes),
      },
    );
    cells = drawn.cells;
    cellStarts = scrub.starts;
    board = drawn;
    mount(boardEl, drawn.nodes);
    showNow();
  }

  function activate(i: number): void {
    moveTabStop(cells, cal.active, i);
    cal.active = i;
    showReadout(i);
  }

  function onScrubKey(e: KeyboardEvent, cellMinutes: number): void {
    const i = keyTarget(e.key, cal.active, cells.length, cellMinutes);
    if (i === null) return;
    e.preventDefault();
    cells[i]?.focus();
  }

  /** The world-clock readout for cell `i`, or for now when `i` is null. */
  function showReadout(i: number | null): void {
    const v = cal.view;
    if (!v) return;
    const isNow = i === null;
    const t = isNow ? cal.clock() : (cellStarts[i] ?? cal.clock());
    announce(readoutTitleEl, readoutTitle(t, v.time_zone, isNow));
    announce(readoutZoneEl, readoutZone(v.time_zone));
    mount(readoutList, readoutItems(v, t));
    readout.dataset.instant = new Date(t).toISOString();
  }

  function showNow(): void {
    if (!cal.view || !board) return;
    placeNow(board, cal.view, cal.clock());
  }

  /** Moves the now line (and a "now" readout) each minute while the tab is visible; no IPC. */
  function schedule(): void {
    clearTimeout(timer);
    if (!visible || !cal.view) return;
    timer = setTimeout(() => {
      showNow();
      if (cal.hovered === null && !boardEl.contains(document.activeElement)) showReadout(null);
      schedule();
    }, untilNextMinute(cal.clock()));
  }

  /** The card's state; a failure hides it (the calendar itself says what is wrong). */
  async function refreshWelcome(): Promise<void> {
    welcome.show(await ipc.welcome().catch(() => null));
    if (!welcome.el.hidden) sourceSlot.querySelector('[data-testid="who-are-you"]')?.remove();
  }

  async function refresh(): Promise<void> {
    await Promise.all([cal.refresh(), refreshWelcome()]);
  }

  syncControls();

  return {
    el,
    refresh,
    setVisible(v: boolean) {
      visible = v;
      if (v) {
        showNow();
        schedule();
      } else {
        clearTimeout(timer);
      }
    },
  };
}
