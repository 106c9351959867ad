// Registers every contributed command (ids in ../ids.ts, declared in package.json).

import * as vscode from 'vscode';
import type { PluginManager } from '../../manager';
import { Commands } from '../ids';
import type { LogChannels } from '../log-channels';
import { addPluginCommand } from './add-plugin';
import { newPluginCommand } from './new-plugin';
import { greetAllCommand, greetCommand, greetWithPluginCommand } from './greet';
import { allPluginsLifecycleCommand, pluginLifecycleCommand } from './lifecycle';
import { clearHistoryCommand, openSettingsCommand, showLogCommand } from './log-and-settings';

/** Everything the commands act on. */
export interface CommandDeps {
  manager: PluginManager;
  channels: LogChannels;
  context: vscode.ExtensionContext;
  /** Restricted Mode holds back plugins that the workspace's own settings configure. */
  workspaceRestricted: () => boolean;
}

/** Registers the commands; the disposables go to context.subscriptions. */
export function registerCommands({ manager, channels, context, workspaceRestricted }: CommandDeps): vscode.Disposable[] {
  const greetDeps = { manager, channels, state: context.globalState, workspaceRestricted };
  const lifecycle = { manager, channels };
  const handlers: Record<(typeof Commands)[keyof typeof Commands], (...args: unknown[]) => unknown> = {
    [Commands.greet]: (name, plugin) => greetCommand(greetDeps, name, plugin),
    [Commands.greetWithPlugin]: (node, name) => greetWithPluginCommand(greetDeps, node, name),
    [Commands.greetAll]: (name) => greetAllCommand(greetDeps, name),
    [Commands.startPlugin]: (node) => pluginLifecycleCommand(lifecycle, 'start', node),
    [Commands.stopPlugin]: (node) => pluginLifecycleCommand(lifecycle, 'stop', node),
    [Commands.restartPlugin]: (node) => pluginLifecycleCommand(lifecycle, 'restart', node),
    [Commands.startAll]: () => allPluginsLifecycleCommand(lifecycle, 'start'),
    [Commands.stopAll]: () => allPluginsLifecycleCommand(lifecycle, 'stop'),
    [Commands.restartAll]: () => allPluginsLifecycleCommand(lifecycle, 'restart'),
    [Commands.showLog]: (node) => showLogCommand(manager, channels, node),
    [Commands.addPlugin]: (file) => addPluginCommand(manager, file),
    [Commands.newPlugin]: () => newPluginCommand({ manager, context }),
    [Commands.openSettings]: () => openSettingsCommand(context.extension.id),
    [Commands.clearHistory]: (node) => clearHistoryCommand(manager, node),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
