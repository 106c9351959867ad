// Finds out whether the workspace's own settings configure plugins, so Restricted Mode can
// say why they do not run, and stays silent when there is nothing it held back.

import * as vscode from 'vscode';
import { CONFIG_SECTION } from './ids';
import { settingsTextDefinesPlugins, workspaceDefinesPlugins } from './settings-values';

/**
 * True when the workspace file or a folder's .vscode/settings.json sets `greeter.plugins`.
 * Reads the files as text because VS Code hides restricted workspace values while untrusted.
 */
export async function workspaceConfiguresPlugins(): Promise<boolean> {
  if (workspaceDefinesPlugins(vscode.workspace.getConfiguration(CONFIG_SECTION))) return true;
  const files: vscode.Uri[] = [];
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push(workspaceFile);
  for (const folder of vscode.workspace.workspaceFolders ?? []) files.push(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'));
  const found = await Promise.all(
    files.map(async (uri) => {
      try {
        return settingsTextDefinesPlugins(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      } catch {
        return false; // no such file
      }
    }),
  );
  return found.includes(true);
}
