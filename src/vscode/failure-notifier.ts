// Tells the user when a plugin enters 'failed' (what to tell is FailureTracker's decision),
// with the actions that fix it: Show Log, Open Settings, Restart.

import * as vscode from 'vscode';
import type { PluginSnapshot } from '../manager';
import { FailureTracker } from './failure-tracker';
import { Commands } from './ids';
import type { LogChannels } from './log-channels';

const SHOW_LOG = 'Show Log';
const OPEN_SETTINGS = 'Open Settings';
const RESTART = 'Restart';

/** Watches snapshots and shows one notification per failure. */
export class FailureNotifier {
  private readonly tracker = new FailureTracker();

  constructor(private readonly channels: LogChannels) {}

  /** Call with every changed snapshot. */
  observe(s: PluginSnapshot): void {
    const notice = this.tracker.observe(s);
    if (!notice) return;
    this.channels.main.error(notice.logLine);
    if (notice.revealLog) this.channels.channel(s.name)?.show(true);
    this.show(s.name, notice.message, !notice.misconfigured).catch((err) => this.channels.main.error(`failure notification for ${s.name}: ${String(err)}`));
  }

  /** Forgets plugins that were removed, so a re-added one is announced again. */
  retain(names: Iterable<string>): void {
    this.tracker.retain(names);
  }

  private async show(name: string, message: string, canRestart: boolean): Promise<void> {
    const actions = canRestart ? [SHOW_LOG, OPEN_SETTINGS, RESTART] : [OPEN_SETTINGS, SHOW_LOG];
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === SHOW_LOG) await vscode.commands.executeCommand(Commands.showLog, name);
    else if (choice === OPEN_SETTINGS) await vscode.commands.executeCommand(Commands.openSettings);
    else if (choice === RESTART) await vscode.commands.executeCommand(Commands.restartPlugin, name);
  }
}
