// Finds out whether the workspace's own settings configure plugins, so Restricted Mode can
// say why they do not run, and stays silent when there is nothing it held back.

import * as vscode from 'vscode';
import { settingsTextDefinesPlugins } from './settings-values';

/**
 * True when the workspace's own settings set `greeter.plugins`: the .code-workspace file of a
 * multi-root workspace, or the folder's .vscode/settings.json otherwise (the places the
 * extension reads plugins from; per-folder settings of a multi-root workspace are not used).
 * Reads the files as text because VS Code hides restricted workspace values while untrusted.
 */
export async function workspaceConfiguresPlugins(): Promise<boolean> {
  const workspaceFile = vscode.workspace.workspaceFile;
  const files: vscode.Uri[] =
    workspaceFile && workspaceFile.scheme !== 'untitled'
      ? [workspaceFile]
      : (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'));
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
