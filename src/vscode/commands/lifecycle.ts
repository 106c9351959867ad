// Start, stop and restart one plugin or all of them. The manager serializes the work per
// plugin; failures show up as the plugin's 'failed' state (and the failure notifier).

import * as vscode from 'vscode';
import type { PluginManager, PluginSnapshot } from '../../manager';
import type { LogChannels } from '../log-channels';
import { canRestart, canStart, canStop } from '../plugin-actions';
import { resolvePluginArg } from './plugin-arg';

/** What the lifecycle commands need. */
export interface LifecycleDeps {
  manager: PluginManager;
  channels: LogChannels;
}

type Action = 'start' | 'stop' | 'restart';

const CANDIDATES: Record<Action, (s: PluginSnapshot) => boolean> = { start: canStart, stop: canStop, restart: canRestart };

/** Runs one lifecycle action on the plugin in `arg` (or a picked one). */
export async function pluginLifecycleCommand(deps: LifecycleDeps, action: Action, arg?: unknown): Promise<void> {
  const name = await resolvePluginArg(deps.manager, arg, CANDIDATES[action], `Plugin to ${action}`);
  if (name === undefined) return;
  if (!deps.manager.get(name)) {
    void vscode.window.showWarningMessage(`There is no greeter plugin named "${name}".`);
    return;
  }
  deps.channels.main.info(`${action} ${name} (asked by the user)`);
  try {
    await deps.manager[action](name);
  } catch (err) {
    report(deps, `${action} ${name}`, err);
  }
}

/** Runs one lifecycle action on every plugin. */
export async function allPluginsLifecycleCommand(deps: LifecycleDeps, action: Action): Promise<void> {
  deps.channels.main.info(`${action} all plugins (asked by the user)`);
  try {
    if (action === 'start') await deps.manager.startAll();
    else if (action === 'stop') await deps.manager.stopAll();
    else await deps.manager.restartAll();
  } catch (err) {
    report(deps, `${action} all`, err);
  }
}

/** Failures that are not a plugin state (e.g. a disabled plugin) reach the user here. */
function report(deps: LifecycleDeps, what: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  deps.channels.main.error(`${what} failed: ${message}`);
  void vscode.window.showErrorMessage(message);
}
