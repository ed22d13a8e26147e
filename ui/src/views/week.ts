// Week: what focus protected, one week at a time (previous / this week / next). The core computes the
// whole report (`week` command); this view only lays it out: the figures in cards, and a bar per day
// drawn as plain SVG, with the same numbers in a table beside it for screen readers and for reading
// exact values. Refetched on `baton:changed`, never polled.

import type { WeekDay, WeekReport } from '../bindings';
import { h, mount, svg } from '../dom';
import * as ipc from '../ipc';
import { addDays, city, dateLabel, dateWeekday, duration, rangeIn } from '../time';
import { errorBanner, refresher, type View } from '../view';

/** The chart's drawing box, in SVG units (it scales to the card's width). */
const CHART = { width: 640, height: 220, left: 36, right: 8, top: 14, bottom: 42 } as const;

/** The series drawn per day, in the order of their bars. */
const SERIES = [
  { key: 'working_minutes', label: 'Working', cls: 'bar-work' },
  { key: 'focus_minutes', label: 'Focus', cls: 'bar-focus' },
  { key: 'busy_minutes', label: 'Meetings', cls: 'bar-busy' },
] as const satisfies readonly { key: keyof WeekDay; label: string; cls: string }[];

/** The week tab. */
export function createWeekView(): View {
  /** The week asked for: its first date, or null for this week. */
  let from: string | null = null;
  let report: WeekReport | null = null;

  const message = h('div');
  const range = h('p', { class: 'muted view-sub', 'data-testid': 'week-range' });
  const prev = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'week-prev', onClick: () => go(-7) }, '‹ Previous');
  const thisWeek = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'week-this', onClick: () => go(null) }, 'This week');
  const next = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'week-next', onClick: () => go(7) }, 'Next ›');
  const cards = h('div', { class: 'week-cards' });
  const chart = h('div', { class: 'week-chart' });
  const table = h('div', { class: 'week-table-wrap' });

  const el = h(
    'section',
    { class: 'view view-week', 'aria-labelledby': 'week-heading' },
    h(
      'header',
      { class: 'view-header week-header' },
      h('div', null, h('h1', { id: 'week-heading' }, 'Week'), range),
      h('div', { class: 'week-nav', role: 'group', 'aria-label': 'Choose the week' }, prev, thisWeek, next),
    ),
    message,
    cards,
    h(
      'section',
      { class: 'card week-days', 'aria-labelledby': 'week-days-title' },
      h('h2', { id: 'week-days-title', class: 'pane-title' }, 'Day by day'),
      h('div', { class: 'week-days-body' }, chart, table),
    ),
  );

  function go(step: number | null): void {
    from = step === null || !report ? null : addDays(report.from, step);
    void refresh();
  }

  function render(r: WeekReport): void {
    report = r;
    range.textContent = `${dateLabel(r.from)} – ${dateLabel(r.to)} · ${city(r.time_zone)} time`;
    thisWeek.disabled = from === null;
    mount(cards, weekCards(r));
    mount(chart, dayChart(r));
    mount(table, dayTable(r));
  }

  const refresh = refresher(() => ipc.week(from), message, render, (error, retry) => errorBanner(error, retry));

  return {
    el,
    refresh,
    setVisible() {
      // Nothing ticks here.
    },
  };
}

/** The week's figures, one card per question. */
export function weekCards(r: WeekReport): HTMLElement[] {
  const f = r.focus;
  const goal = f.goal_hours * 60;
  const share = goal > 0 ? Math.min(1, f.protected_minutes / goal) : 1;
  const meter = h('div', {
    class: 'week-meter',
    role: 'meter',
    'aria-label': 'Focus against the weekly goal',
    'aria-valuemin': 0,
    'aria-valuemax': goal,
    'aria-valuenow': f.protected_minutes,
    'aria-valuetext': `${duration(f.protected_minutes)} of ${duration(goal)}`,
  });
  const fill = h('span', { class: f.goal_met ? 'week-meter-fill is-met' : 'week-meter-fill' });
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  meter.append(fill);
  const longest = f.longest_stretch
    ? `Longest unbroken: ${duration(f.longest_stretch.minutes)} (${dateWeekday(dateOf(f.longest_stretch.start, r))} ${rangeIn(f.longest_stretch.start, f.longest_stretch.end, r.time_zone)})`
    : 'No focus this week yet.';
  const i = r.interruptions;
  const n = r.notifications;
  const hand = r.handoffs;
  const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  return [
    card(
      'Focus protected',
      'week-focus',
      h('p', { class: 'week-big' }, h('strong', { class: 'big', 'data-testid': 'week-focus-hours' }, duration(f.protected_minutes)), ` of ${f.goal_hours} h goal`),
      meter,
      h('p', { class: 'muted' }, `Scheduled blocks ${duration(f.scheduled_minutes)} · sessions ${duration(f.session_minutes)}`),
      h('p', { class: 'muted' }, longest),
    ),
    card(
      'Interruptions',
      'week-interruptions',
      h('p', { class: 'week-big' }, h('strong', { class: 'big' }, String(i.total)), ` broke through focus`),
      i.by_source.length
        ? h(
            'ul',
            { class: 'week-list' },
            i.by_source.map((s) =>
              h('li', null, h('span', { class: 'week-source' }, s.source), ` ${[s.critical ? `${s.critical} critical` : '', s.urgent ? `${s.urgent} urgent` : ''].filter(Boolean).join(', ')}`),
            ),
          )
        : h('p', { class: 'muted' }, 'Nothing broke through.'),
    ),
    card(
      'Notifications',
      'week-notifications',
      h('p', { class: 'week-big' }, h('strong', { class: 'big' }, String(n.held)), ` held`),
      h('p', { class: 'muted' }, `${n.released} released in ${plural(n.digests, 'digest')}`),
      h('p', { class: 'muted' }, `${plural(n.waited_for_morning, 'off-hours item')} waited for the morning`),
      h('p', { class: 'muted' }, `${n.received} received, ${n.broke_through} delivered at once`),
    ),
    card(
      'Handoffs',
      'week-handoffs',
      h('p', { class: 'week-big' }, h('strong', { class: 'big' }, String(hand.live + hand.written)), hand.to ? ` to ${hand.to}` : ' passed'),
      h('p', { class: 'muted' }, `${hand.live} live · ${hand.written} written`),
      h('p', { class: 'muted' }, hand.average_wait_minutes === null ? 'No waits to average.' : `The baton waited ${duration(hand.average_wait_minutes)} on average`),
    ),
    card(
      'Meetings',
      'week-meetings',
      h('p', { class: 'week-big' }, h('strong', { class: 'big' }, duration(r.meeting_minutes)), ' in meetings'),
      h('p', { class: 'muted' }, `${plural(r.fragmented.stretches, 'free stretch', 'free stretches')} under an hour: ${duration(r.fragmented.minutes)} of fragmented time`),
    ),
  ];
}

function card(title: string, testid: string, ...body: (HTMLElement | null)[]): HTMLElement {
  const id = `${testid}-title`;
  return h('section', { class: 'card week-card', 'aria-labelledby': id, 'data-testid': testid }, h('h2', { id, class: 'pane-title' }, title), body);
}

/** The local date an instant of the week falls on (the day whose span holds it). */
function dateOf(instant: string, r: WeekReport): string {
  const t = Date.parse(instant);
  return r.days.find((d) => Date.parse(d.start) <= t && t < Date.parse(d.end))?.date ?? r.from;
}

/** The daily pace of the weekly goal: the goal spread over the week's planned working days (days to come included). */
export function goalPerDay(r: WeekReport): number {
  return r.workdays ? (r.focus.goal_hours * 60) / r.workdays : 0;
}

/** A bar per day (working, focus, meetings) with the goal's daily pace as a line and off-hours pings under each day. */
export function dayChart(r: WeekReport): SVGSVGElement {
  const { width, height, left, right, top, bottom } = CHART;
  const pace = goalPerDay(r);
  const most = Math.max(pace, ...r.days.map((d) => Math.max(d.working_minutes, d.focus_minutes, d.busy_minutes)));
  const maxHours = Math.max(2, Math.ceil(most / 60 / 2) * 2);
  const plotH = height - top - bottom;
  const y = (minutes: number) => top + plotH - (minutes / 60 / maxHours) * plotH;
  const slot = (width - left - right) / Math.max(1, r.days.length);
  const barW = Math.min(18, (slot - 12) / SERIES.length);
  const ticks = Array.from({ length: maxHours / 2 + 1 }, (_, k) => k * 2);
  const titleId = 'week-chart-title';
  const descId = 'week-chart-desc';
  return svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'week-svg', 'data-testid': 'week-chart' },
    svg('title', { id: titleId }, 'Hours per day'),
    svg('desc', { id: descId }, `Working, focus and meeting hours for each day, with the focus goal's daily pace of ${duration(pace)}; the same figures are in the table beside it.`),
    ticks.map((t) =>
      svg(
        'g',
        { class: 'axis' },
        svg('line', { x1: left, x2: width - right, y1: y(t * 60), y2: y(t * 60), class: 'grid' }),
        svg('text', { x: left - 6, y: y(t * 60) + 4, 'text-anchor': 'end' }, `${t} h`),
      ),
    ),
    r.days.map((d, k) => {
      const x0 = left + k * slot + (slot - barW * SERIES.length) / 2;
      return svg(
        'g',
        { class: 'day', 'data-date': d.date },
        SERIES.map((s, j) => {
          const v = d[s.key];
          return svg('rect', { x: x0 + j * barW, y: y(v), width: Math.max(1, barW - 2), height: Math.max(0, y(0) - y(v)), rx: 2, class: s.cls });
        }),
        svg('text', { x: left + (k + 0.5) * slot, y: height - bottom + 16, 'text-anchor': 'middle', class: 'day-label' }, dateWeekday(d.date)),
        d.off_hours_pings > 0
          ? svg('text', { x: left + (k + 0.5) * slot, y: height - bottom + 32, 'text-anchor': 'middle', class: 'pings' }, `${d.off_hours_pings} ping${d.off_hours_pings === 1 ? '' : 's'}`)
          : null,
      );
    }),
    pace > 0
      ? svg(
          'g',
          { class: 'goal' },
          svg('line', { x1: left, x2: width - right, y1: y(pace), y2: y(pace), class: 'goal-line' }),
          svg('text', { x: width - right, y: y(pace) - 4, 'text-anchor': 'end' }, `goal pace ${duration(pace)}`),
        )
      : null,
  );
}

/** The chart's numbers as a table, with the legend in its header. */
export function dayTable(r: WeekReport): HTMLElement {
  const hours = (m: number) => (m ? duration(m) : '–');
  return h(
    'table',
    { class: 'week-table', 'data-testid': 'week-table' },
    h('caption', { class: 'visually-hidden' }, 'Hours per day'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Day'),
        SERIES.map((s) => h('th', { scope: 'col' }, h('span', { class: `swatch ${s.cls}`, 'aria-hidden': 'true' }), s.label)),
        h('th', { scope: 'col' }, 'Off-hours pings'),
      ),
    ),
    h(
      'tbody',
      null,
      r.days.map((d) =>
        h(
          'tr',
          { 'data-date': d.date },
          h('th', { scope: 'row' }, dateLabel(d.date)),
          h('td', null, hours(d.working_minutes)),
          h('td', null, hours(d.focus_minutes)),
          h('td', null, hours(d.busy_minutes)),
          h('td', null, String(d.off_hours_pings)),
        ),
      ),
    ),
  );
}
