// Every Tauri command the UI calls, typed with the generated bindings, and the one error type they
// reject with. Views never call `invoke` directly: a renamed command or argument is then one edit here,
// and every failure reaches a view as an `IpcError` whose `code` it can act on (`invalid` carries
// per-field `problems` for inline messages).

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  About,
  CalendarsView,
  CalendarView,
  DndView,
  ErrorCode,
  ErrorPayload,
  FieldProblem,
  FocusLength,
  HandoffsView,
  InboxView,
  IntakeView,
  LocaleView,
  MemberDraft,
  OverlayView,
  SettingRow,
  TeamDraft,
  TeamSourceView,
  TestNotification,
  WeekReport,
  WelcomeView,
} from './bindings';

/** A rejected command: the core's `ErrorPayload`, or a transport failure with code `ipc`. */
export class IpcError extends Error {
  /** The core's code (`invalid`, `not_found`, `focus`, `storage`, ...), or `ipc` when the call itself failed. */
  readonly code: ErrorCode | 'ipc';
  /** For `invalid`: each bad field. */
  readonly problems: FieldProblem[];

  constructor(code: ErrorCode | 'ipc', message: string, problems: FieldProblem[] = []) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.problems = problems;
  }

  /** Wraps whatever a command rejected with. */
  static from(reason: unknown): IpcError {
    if (reason instanceof IpcError) return reason;
    if (isErrorPayload(reason)) return new IpcError(reason.code, reason.message, reason.problems ?? []);
    // Tauri itself rejects with a bare string (unknown command, permission denied).
    const message = reason instanceof Error ? reason.message : String(reason);
    return new IpcError('ipc', message);
  }
}

function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw IpcError.from(reason);
  }
}

/** The team calendar: `from` a local date (null: today), `zone` an IANA name (null: mine). */
export function calendar(from: string | null, days: number, zone: string | null): Promise<CalendarView> {
  return call('calendar', { from, days, zone });
}

/** Everyone now, my next handoff and my focus. */
export function overlay(): Promise<OverlayView> {
  return call('overlay');
}

/** My baton passes and the team relay for `days` days. */
export function handoffs(days: number): Promise<HandoffsView> {
  return call('handoffs', { days });
}

/** The team as the editor edits it. */
export function team(): Promise<TeamDraft> {
  return call('team');
}

let zones: Promise<string[]> | null = null;

/** Every IANA zone name the core accepts (fetched once; the list does not change while running). */
export function timeZones(): Promise<string[]> {
  zones ??= call<string[]>('time_zones').catch((e: unknown) => {
    zones = null;
    throw e;
  });
  return zones;
}

/** Saves `draft`, replacing the member named `original`, or adding it when `original` is null. */
export function saveMember(original: string | null, draft: MemberDraft): Promise<TeamDraft> {
  return call('save_member', { original, draft });
}

/** Removes the member named `name`. */
export function removeMember(name: string): Promise<TeamDraft> {
  return call('remove_member', { name });
}

/** Replaces the team with a team file's text (TOML or JSON). */
export function importTeam(text: string): Promise<TeamDraft> {
  return call('import_team', { text });
}

/** The team as TOML text. */
export function exportTeam(): Promise<string> {
  return call('export_team');
}

/** Starts an on-demand focus session. */
export function startFocus(length: FocusLength): Promise<OverlayView> {
  return call('start_focus', { length });
}

/** Stops the running focus session. */
export function stopFocus(): Promise<OverlayView> {
  return call('stop_focus');
}

/** Every setting with its value in force. */
export function settings(): Promise<SettingRow[]> {
  return call('settings');
}

/** Sets `key` to `value` (null: back to its default); an invalid value rejects with code `invalid`. */
export function setSetting(key: string, value: string | null): Promise<SettingRow> {
  return call('set_setting', { key, value });
}

/** The intake's URL, token file and token. */
export function intake(): Promise<IntakeView> {
  return call('intake');
}

/** Replaces the intake's token; the old one is refused from then on. */
export function regenerateToken(): Promise<IntakeView> {
  return call('regenerate_token');
}

/** Held items grouped by delivery, and recent delivered ones. */
export function inbox(): Promise<InboxView> {
  return call('inbox');
}

/** Delivers everything held now as one notification. */
export function deliverNow(): Promise<InboxView> {
  return call('deliver_now');
}

/** Marks the items `ids` done. */
export function markDone(ids: number[]): Promise<InboxView> {
  return call('mark_done', { ids });
}

/** How this person reads times: the locale's tag, a 12- or 24-hour clock, the week's first day. */
export function locale(): Promise<LocaleView> {
  return call('locale');
}

/** Opens the link of the stored item `id` in the browser (only an item's own http(s) link). */
export function openLink(id: number): Promise<void> {
  return call('open_link', { id });
}

/** Where the team comes from, how its last check went, and what the editor may change. */
export function teamSource(): Promise<TeamSourceView> {
  return call('team_source');
}

/** "Sync now": reads the followed source at once. */
export function syncTeam(): Promise<TeamSourceView> {
  return call('sync_team');
}

/** Follows a shared team: a folder, a team file or a URL. */
export function followTeam(source: string): Promise<TeamSourceView> {
  return call('follow_team', { source });
}

/** Stops following; the team in use stays, as a local team. */
export function unfollowTeam(): Promise<TeamSourceView> {
  return call('unfollow_team');
}

/** Sets which member this machine's user is (blank clears it). */
export function setMe(name: string): Promise<TeamSourceView> {
  return call('set_me', { name });
}

/** The first-run card: whether it shows, the members to choose me from, start at login. */
export function welcome(): Promise<WelcomeView> {
  return call('welcome');
}

/** "I am not in this team yet": adds me in `timeZone` with the default hours and makes me me. */
export function addMe(name: string, timeZone: string): Promise<WelcomeView> {
  return call('add_me', { name, timeZone });
}

/** Writes or removes the tray's autostart entry. */
export function setStartAtLogin(on: boolean): Promise<WelcomeView> {
  return call('set_start_at_login', { on });
}

/** Shows a test notification now, and says where it went or what to do. */
export function testNotification(): Promise<TestNotification> {
  return call('test_notification');
}

/** My calendars and the teammates' feeds, with each one's last check. */
export function calendars(): Promise<CalendarsView> {
  return call('calendars');
}

/** "Sync now": reads every calendar at once (a failure keeps that calendar's last good reading). */
export function syncCalendars(): Promise<CalendarsView> {
  return call('sync_calendars');
}

/** Adds an ICS address of mine (`https://` or `webcal://`); refused when it cannot be read. */
export function addCalendar(url: string): Promise<CalendarsView> {
  return call('add_calendar', { url });
}

/** Adds every event calendar of a CalDAV account; the answer's `password_kept` says where the password went. */
export function addCaldav(url: string, user: string, password: string): Promise<CalendarsView> {
  return call('add_caldav', { url, user, password });
}

/** Removes a calendar of mine (a teammate's feed is removed in the team file). */
export function removeCalendar(id: number): Promise<CalendarsView> {
  return call('remove_calendar', { id });
}

/** Publishes my focus to one of my CalDAV calendars, or stops. */
export function publishFocus(id: number, on: boolean): Promise<CalendarsView> {
  return call('publish_focus', { id, on });
}

/** The week in focus that starts on `from` (a local date; null: this week). */
export function week(from: string | null): Promise<WeekReport> {
  return call('week', { from });
}

/** The desktop's do-not-disturb: the backend Baton switches with focus, or why there is none. */
export function desktopDnd(): Promise<DndView> {
  return call('desktop_dnd');
}

/** This build: its version, commit and the time-zone database compiled in. */
export function about(): Promise<About> {
  return call('about');
}

/** The views the shell can ask the main window to show, in tab order. */
export const ROUTES = ['calendar', 'editor', 'handoffs', 'focus', 'week', 'inbox', 'settings'] as const;

/** One of `ROUTES`. */
export type Route = (typeof ROUTES)[number];

/** Whether `value` names a view (a URL hash, a `baton:navigate` payload). */
export function isRoute(value: string): value is Route {
  return (ROUTES as readonly string[]).includes(value);
}

/** Runs `handler` whenever anything shown may have changed (`baton:changed`). */
export function onChanged(handler: () => void): Promise<UnlistenFn> {
  return listen('baton:changed', () => handler());
}

/** Runs `handler` when the shell asks the main window to switch view (`baton:navigate`). */
export function onNavigate(handler: (route: Route) => void): Promise<UnlistenFn> {
  return listen<string>('baton:navigate', (event) => {
    if (isRoute(event.payload)) handler(event.payload);
  });
}

/** Forgets cached answers (tests start each case from a clean slate). */
export function resetCaches(): void {
  zones = null;
}
