// The editor's state and actions: the team as last stored, which member the form edits (by their
// stored name, or null while adding one), whether the user has typed since, and where each sent entry
// was in its text box. The controller talks to the core and tells its `EditorScreen` what to redraw;
// the typing itself stays in the form's inputs, read once per save.

import type { MemberDraft, TeamDraft } from '../../bindings';
import * as ipc from '../../ipc';
import { IpcError } from '../../ipc';
import { latest } from '../../view';
import { draftFrom, type FormText, type LineMaps } from './form';

/** What the controller asks of the screen. */
export interface EditorScreen {
  /** Shows `m` in the form (a blank one for null), with no problems. */
  fill(m: MemberDraft | null): void;
  /** Redraws the list of teammates. */
  list(): void;
  /** Sets the form's status line. */
  status(text: string): void;
  /** What the form's fields hold. */
  read(): FormText;
  /** Clears the form's problems before a save. */
  clearProblems(): void;
  /** A save started (true) or ended (false). */
  saving(busy: boolean): void;
  /** A save or removal was refused. */
  refused(error: IpcError): void;
  /** Puts the form's usual buttons back (after a failed removal). */
  footer(): void;
  /** Moves focus to the name field (a new teammate). */
  focusName(): void;
  /** The team loaded. */
  loaded(): void;
  /** The team did not load. */
  loadFailed(error: unknown): void;
}

/** The editor tab's state, and the actions that change it. */
export class EditorController {
  team: TeamDraft | null = null;
  /** The name of the member being edited as stored, or null while adding one. */
  original: string | null = null;
  /** The user has typed since the form was filled. */
  dirty = false;
  /** Where the last draft sent had each entry of its multi-line fields. */
  lineMaps: LineMaps = {};

  private readonly guard = latest();

  constructor(private readonly screen: EditorScreen) {}

  /** The stored member called `name`, whatever its case. */
  find(name: string | null): MemberDraft | undefined {
    if (name === null) return undefined;
    return this.team?.members.find((m) => m.name.toLowerCase() === name.toLowerCase());
  }

  /** The user typed in the form. */
  edited(): void {
    this.dirty = true;
    this.screen.status('');
  }

  /** Edits the member called `name`. */
  select(name: string): void {
    this.original = this.find(name)?.name ?? null;
    this.fill(this.find(name) ?? null);
    this.screen.status('');
    this.screen.list();
  }

  /** Starts a new teammate. */
  startAdd(): void {
    this.original = null;
    this.fill(null);
    this.screen.status('');
    this.screen.list();
    this.screen.focusName();
  }

  /** Throws the typing away. */
  revert(): void {
    this.fill(this.find(this.original) ?? null);
    this.screen.status('');
  }

  /** Sends what was typed; the core saves it whole or says what is wrong. */
  async save(): Promise<void> {
    const { draft: d, lineMaps } = draftFrom(this.screen.read());
    this.lineMaps = lineMaps;
    this.screen.clearProblems();
    this.screen.status('');
    this.screen.saving(true);
    try {
      this.team = await ipc.saveMember(this.original, d);
      const saved = this.find(d.name);
      this.original = saved?.name ?? d.name;
      this.fill(saved ?? d);
      this.screen.list();
      this.screen.status(`Saved ${this.original}.`);
    } catch (error) {
      this.screen.refused(IpcError.from(error));
    } finally {
      this.screen.saving(false);
    }
  }

  /** Removes `name` (once confirmed) and edits the first member left. */
  async remove(name: string): Promise<void> {
    try {
      const team = await ipc.removeMember(name);
      this.team = team;
      this.original = team.members[0]?.name ?? null;
      this.fill(this.find(this.original) ?? null);
      this.screen.list();
      this.screen.status(`Removed ${name}.`);
    } catch (error) {
      this.screen.footer();
      this.screen.refused(IpcError.from(error));
    }
  }

  /** Replaces the team with a team file's `text` (rejects, changing nothing, when the core refuses it). */
  async importText(text: string): Promise<TeamDraft> {
    const team = await ipc.importTeam(text);
    this.team = team;
    this.original = team.members[0]?.name ?? null;
    this.fill(this.find(this.original) ?? null);
    this.screen.list();
    return team;
  }

  /** The team file as the core writes it. */
  exportText(): Promise<string> {
    return ipc.exportTeam();
  }

  /**
   * Fetches the team. The form follows a change saved elsewhere (the CLI, another window) unless the
   * user is typing; a member who went away gives way to the first one.
   */
  async refresh(): Promise<void> {
    try {
      const answer = await this.guard(ipc.team());
      if (!answer.current) return;
      this.screen.loaded();
      const first = this.team === null;
      const team = answer.value;
      this.team = team;
      const current = this.find(this.original);
      if (first || (!this.dirty && this.original !== null && !current)) {
        this.original = (current ?? team.members[0])?.name ?? null;
        this.fill(this.find(this.original) ?? null);
      } else if (!this.dirty && current) {
        this.original = current.name;
        this.fill(current);
      }
      this.screen.list();
    } catch (error) {
      this.screen.loadFailed(error);
    }
  }

  private fill(m: MemberDraft | null): void {
    this.screen.fill(m);
    this.dirty = false;
  }
}
