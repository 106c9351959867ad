// One notification per failure, with the actions that fix it (Show Log, Open Settings,
// Restart), and the plugin's log revealed once on its first hard failure.

import * as vscode from 'vscode';
import type { PluginSnapshot } from '../manager';
import { Commands } from './ids';
import type { LogChannels } from './log-channels';

const SHOW_LOG = 'Show Log';
const OPEN_SETTINGS = 'Open Settings';
const RESTART = 'Restart';

/** Watches snapshots and tells the user when a plugin enters 'failed'. */
export class FailureNotifier {
  /** Plugins whose current failure was already announced; cleared when they leave 'failed'. */
  private readonly announced = new Map<string, string>();

  constructor(private readonly channels: LogChannels) {}

  /** Call with every changed snapshot. */
  observe(s: PluginSnapshot): void {
    if (s.state !== 'failed') {
      this.announced.delete(s.name);
      return;
    }
    const err = s.configError ?? s.lastError;
    const key = err ? `${err.code}:${err.message}` : 'unknown';
    if (this.announced.get(s.name) === key) return;
    this.announced.set(s.name, key);
    const message = err?.message ?? `The greeter plugin "${s.name}" failed.`;
    this.channels.main.error(`plugin ${s.name} failed: ${err ? `[${err.code}] ${err.message}` : 'unknown error'}`);
    this.channels.revealOnFirstFailure(s.name);
    void this.show(s.name, message, !s.configError);
  }

  /** Forgets plugins that were removed, so a re-added one is announced again. */
  retain(names: Iterable<string>): void {
    const keep = new Set(names);
    for (const name of this.announced.keys()) if (!keep.has(name)) this.announced.delete(name);
  }

  private async show(name: string, message: string, canRestart: boolean): Promise<void> {
    const actions = canRestart ? [SHOW_LOG, OPEN_SETTINGS, RESTART] : [SHOW_LOG, OPEN_SETTINGS];
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === SHOW_LOG) await vscode.commands.executeCommand(Commands.showLog, name);
    else if (choice === OPEN_SETTINGS) await vscode.commands.executeCommand(Commands.openSettings);
    else if (choice === RESTART) await vscode.commands.executeCommand(Commands.restartPlugin, name);
  }
}
