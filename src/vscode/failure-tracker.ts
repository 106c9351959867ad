// Decides what the user is told when a plugin fails: one notification per distinct failure,
// the plugin's log revealed once per plugin on its first hard failure, and never for a
// configuration error (its fix is in settings, not in the log). A plugin that has not run
// yet (start-up, a missing path, a handshake that never came) never opens the panel: that
// would steal the editor's focus while the window opens; its notification offers Show Log.
// No vscode import.

import type { PluginSnapshot } from '../manager';

/** What to do about one snapshot; undefined when there is nothing new to say. */
export interface FailureNotice {
  /** The notification text. */
  message: string;
  /** The settings entry is invalid: offer Open Settings, not Restart. */
  misconfigured: boolean;
  /** Show the plugin's log channel (first hard failure of this plugin). */
  revealLog: boolean;
  /** The line for the extension's own log. */
  logLine: string;
}

/** Remembers which failures were announced and which logs were revealed. */
export class FailureTracker {
  /** Plugins whose current failure was announced, with its key; cleared when they leave 'failed'. */
  private readonly announced = new Map<string, string>();
  private readonly revealed = new Set<string>();
  /** Plugins seen running since they were configured: only their failures may reveal the log. */
  private readonly ran = new Set<string>();

  /** Call with every changed snapshot. */
  observe(s: PluginSnapshot): FailureNotice | undefined {
    if (s.state !== 'failed') {
      this.announced.delete(s.name);
      if (s.state === 'running') this.ran.add(s.name);
      return undefined;
    }
    const err = s.configError ?? s.lastError;
    const key = err ? `${err.code}:${err.message}` : 'unknown';
    if (this.announced.get(s.name) === key) return undefined;
    this.announced.set(s.name, key);
    const misconfigured = s.configError !== undefined;
    const revealLog = !misconfigured && this.ran.has(s.name) && !this.revealed.has(s.name);
    if (revealLog) this.revealed.add(s.name);
    return {
      message: err?.message ?? `The greeter plugin "${s.name}" failed.`,
      misconfigured,
      revealLog,
      logLine: `plugin ${s.name} failed: ${err ? `[${err.code}] ${err.message}` : 'unknown error'}`,
    };
  }

  /** Forgets plugins that were removed, so a re-added one is announced (and revealed) again. */
  retain(names: Iterable<string>): void {
    const keep = new Set(names);
    for (const name of this.announced.keys()) if (!keep.has(name)) this.announced.delete(name);
    for (const name of this.revealed) if (!keep.has(name)) this.revealed.delete(name);
    for (const name of this.ran) if (!keep.has(name)) this.ran.delete(name);
  }
}
