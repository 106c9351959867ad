// The greeting rows under a plugin: ids that stay the same when newer greetings arrive (so
// VS Code keeps selection, focus and hover on them), and whether a new greeting may expand
// its plugin's row (never against the user's own collapse). No vscode import.

import type { GreetingRecord } from '../manager';

/**
 * Tree item ids of a plugin's greetings (history is newest first). An id is the greeting's
 * time plus how many older greetings share that millisecond, so prepending a new greeting
 * changes no existing id, and two greetings in one millisecond still get distinct ids.
 */
export function greetingRowIds(plugin: string, history: readonly GreetingRecord[]): string[] {
  const olderAt = new Map<number, number>();
  const ids: string[] = new Array(history.length);
  for (let i = history.length - 1; i >= 0; i--) {
    const at = history[i]!.at.getTime();
    const n = olderAt.get(at) ?? 0;
    olderAt.set(at, n + 1);
    ids[i] = `greeting:${plugin}:${at}:${n}`;
  }
  return ids;
}

/**
 * Remembers which plugin rows the user collapsed. A row that gets its first greeting is
 * expanded to show it, unless the user collapsed that row before; later greetings never
 * expand anything (the row is already open, or the user closed it on purpose).
 */
export class GreetingExpansion {
  private readonly collapsedByUser = new Set<string>();

  /** The user collapsed the plugin's row. */
  collapsed(plugin: string): void {
    this.collapsedByUser.add(plugin);
  }

  /** The user (or a reveal) expanded the plugin's row. */
  expanded(plugin: string): void {
    this.collapsedByUser.delete(plugin);
  }

  /** Whether a change of the plugin's history from `before` to `after` greetings should expand its row. */
  shouldExpand(plugin: string, before: number, after: number): boolean {
    return before === 0 && after > 0 && !this.collapsedByUser.has(plugin);
  }

  /** Forgets removed plugins, so a re-added one starts afresh. */
  retain(names: Iterable<string>): void {
    const keep = new Set(names);
    for (const name of this.collapsedByUser) if (!keep.has(name)) this.collapsedByUser.delete(name);
  }
}
