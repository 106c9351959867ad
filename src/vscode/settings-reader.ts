// Reads `greeter.*` settings into what the manager takes, at one moment and honouring
// workspace trust (the rules themselves are in settings-values.ts).

import * as os from 'node:os';
import * as vscode from 'vscode';
import { workspaceSubstitutionContext, type ManagerSettings, type SubstitutionContext } from '../manager';
import { CONFIG_SECTION } from './ids';
import { readManagerSettings, readPluginEntries } from './settings-values';


/** Everything applyConfig needs, read at one moment. */
export interface ConfigSnapshot {
  entries: unknown[];
  context: SubstitutionContext;
  settings: ManagerSettings;
}

/** Reads the current settings, honouring workspace trust. */
export function readConfig(): ConfigSnapshot {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const trusted = vscode.workspace.isTrusted;
  return {
    entries: readPluginEntries(config, trusted),
    context: substitutionContext(trusted),
    settings: readManagerSettings(config, trusted),
  };
}

/**
 * Values for `${workspaceFolder}`, `${userHome}` and `${env:NAME}`. An untrusted workspace's
 * folders are left out, so a user-settings plugin cannot be pointed at workspace code.
 */
export function substitutionContext(trusted: boolean): SubstitutionContext {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return workspaceSubstitutionContext(folders, trusted, os.homedir(), { ...process.env });
}
