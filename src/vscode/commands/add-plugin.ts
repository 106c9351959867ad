// Add Plugin...: pick an executable, name it, append `{ name, path }` to the user's
// `greeter.plugins` (user settings, so it runs in every workspace, trusted or not).

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PluginManager } from '../../manager';
import { CONFIG_SECTION } from '../ids';
import { entryName } from '../settings-values';

/** Asks for the executable and its name, then writes the entry to user settings. Returns the name. */
export async function addPluginCommand(manager: PluginManager, fileArg?: unknown): Promise<string | undefined> {
  // A path passed by another command or extension must be absolute: a relative one in user
  // settings would resolve against whichever workspace is open.
  let file: string | undefined = typeof fileArg === 'string' && path.isAbsolute(fileArg) ? fileArg : undefined;
  if (file === undefined) {
    const uris = await vscode.window.showOpenDialog({
      title: 'Add Greeter Plugin: choose the plugin executable',
      openLabel: 'Add Plugin',
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
    });
    file = uris?.[0]?.fsPath;
  }
  if (file === undefined) return undefined;

  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const userEntries = config.inspect<unknown[]>('plugins')?.globalValue;
  const current = Array.isArray(userEntries) ? userEntries : [];
  const taken = new Set<string>([...manager.list().map((p) => p.name), ...current.map(entryName).filter((n): n is string => !!n)]);
  const name = await vscode.window.showInputBox({
    title: 'Add Greeter Plugin',
    prompt: `Name for ${file}`,
    value: uniqueName(path.basename(file, path.extname(file)) || 'plugin', taken),
    validateInput: (v) => (!v.trim() ? 'Enter a name for the plugin.' : taken.has(v.trim()) ? `A plugin named "${v.trim()}" already exists.` : undefined),
  });
  if (name === undefined || !name.trim()) return undefined;

  await config.update('plugins', [...current, { name: name.trim(), path: file }], vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Added greeter plugin "${name.trim()}" to your user settings.`);
  return name.trim();
}

/** "greeter", "greeter-2", …: the first name not taken. */
function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}
