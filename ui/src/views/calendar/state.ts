// The calendar's state and actions: which range is shown (first day, day or week), in which zone, the
// last view the core sent, and where the scrub cursor is. The controller talks to the core and tells
// its `CalendarScreen` what to redraw; it builds no DOM, so every rule about ranges, zones and the
// cursor can be read (and tested) apart from the rendering.

import type { CalendarView } from '../../bindings';
import * as ipc from '../../ipc';
import { IpcError } from '../../ipc';
import { addDays, clockFrom } from '../../time';
import { latest } from '../../view';

/** How the timeline's hours are labelled. */
export type ZoneMode =
  | { kind: 'mine' }
  | { kind: 'members' }
  | { kind: 'zone'; zone: string };

/** What the controller asks of the screen: redraw a region after its state changed. */
export interface CalendarScreen {
  /** The range (first day, length) changed or is being fetched: redraw the toolbar. */
  toolbar(): void;
  /** A view arrived; `sameRange` when it starts where the previous one did (the scrub cursor stays). */
  show(view: CalendarView, sameRange: boolean): void;
  /** A fetch failed; `zone` is the zone it asked for, if any. */
  fail(error: IpcError, zone: string | null): void;
  /** A zone was refused and the mode went back to the last good one: redraw the zone picker. */
  zoneRefused(): void;
  /** The zone mode asked for was shown. */
  zoneTaken(): void;
}

/** The calendar tab's state, and the actions that change it. */
export class CalendarController {
  /** The last view the core sent, or null before the first answer. */
  view: CalendarView | null = null;
  /** The first day shown, or null for "this week / today" as the core decides. */
  from: string | null = null;
  /** 1 (a day) or 7 (a week). */
  days = 7;
  mode: ZoneMode = { kind: 'mine' };
  /** Now, moving on from the view's `now`. */
  clock: () => number = () => Date.now();
  /** The scrub cell that holds the tab stop. */
  active = 0;
  /** The scrub cell under the pointer, or null. */
  hovered: number | null = null;

  private readonly guard = latest();

  constructor(private readonly screen: CalendarScreen) {}

  /** The zone to ask the core for: null shows my zone (or each member's, which the core also sends in mine). */
  get zone(): string | null {
    return this.mode.kind === 'zone' ? this.mode.zone : null;
  }

  /** One range back (-1) or on (+1). */
  step(direction: number): void {
    const first = this.from ?? this.view?.days[0]?.date;
    if (!first) return;
    this.go(addDays(first, direction * this.days));
  }

  /** Shows the range starting `date`, or the current one for null. */
  go(date: string | null): void {
    this.from = date;
    void this.refresh();
  }

  /** Shows `n` days at a time. */
  setDays(n: number): void {
    if (this.days === n) return;
    this.days = n;
    void this.refresh();
  }

  /** Labels the timeline another way; a zone the core refuses leaves the previous mode in place. */
  async setMode(next: ZoneMode): Promise<void> {
    const before = this.mode;
    this.mode = next;
    const ok = await this.refresh();
    if (!ok && next.kind === 'zone') {
      this.mode = before;
      this.screen.zoneRefused();
    } else if (ok) {
      this.screen.zoneTaken();
    }
  }

  /** Fetches and shows; resolves false when the fetch failed. */
  async refresh(): Promise<boolean> {
    this.screen.toolbar();
    const zone = this.zone;
    try {
      const answer = await this.guard(ipc.calendar(this.from, this.days, zone));
      if (!answer.current) return true;
      const v = answer.value;
      const sameRange = this.view !== null && this.view.start === v.start;
      this.view = v;
      this.clock = clockFrom(v.now);
      this.screen.show(v, sameRange);
      return true;
    } catch (error) {
      this.screen.fail(IpcError.from(error), zone);
      return false;
    }
  }
}
