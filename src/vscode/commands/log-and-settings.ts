// Show Log, Open Settings and Clear History.

import * as vscode from 'vscode';
import type { PluginManager } from '../../manager';
import type { LogChannels } from '../log-channels';
import { pluginNameFromArg } from './plugin-arg';

/** Shows the plugin's channel, or lets the user pick among the extension's channels. */
export async function showLogCommand(manager: PluginManager, channels: LogChannels, arg?: unknown): Promise<void> {
  const named = pluginNameFromArg(arg);
  if (named !== undefined) {
    const channel = channels.channel(named);
    if (channel) channel.show(false);
    else showGone(channels, named);
    return;
  }
  const names = [...new Set([...manager.list().map((p) => p.name), ...channels.pluginNames()])];
  if (names.length === 0) {
    channels.main.show(false);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    [{ label: 'Greeter', description: 'the extension' }, ...names.map((n) => ({ label: n, description: 'plugin' }))],
    { placeHolder: 'Which log?' },
  );
  if (!picked) return;
  if (picked.description === 'the extension') channels.main.show(false);
  else if (channels.channel(picked.label)) channels.channel(picked.label)!.show(false);
  else showGone(channels, picked.label);
}

/** Show Log for a plugin removed meanwhile (e.g. from an old notification): say so, show the extension's log. */
function showGone(channels: LogChannels, name: string): void {
  channels.main.show(false);
  void vscode.window.showInformationMessage(`The greeter plugin "${name}" is no longer configured, so it has no log; showing the Greeter log.`);
}

/** Opens the Settings editor on this extension's settings. */
export async function openSettingsCommand(extensionId: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${extensionId}`);
}

/** Clears the greetings of one plugin, or of all. */
export function clearHistoryCommand(manager: PluginManager, arg?: unknown): void {
  manager.clearHistory(pluginNameFromArg(arg));
}
