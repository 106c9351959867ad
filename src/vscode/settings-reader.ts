// Reads `greeter.*` settings into what the manager takes. The one place that decides
// which configuration levels may launch programs: in Restricted Mode only user settings.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { workspaceSubstitutionContext, type ManagerSettings, type SubstitutionContext } from '../manager';
import { CONFIG_SECTION } from './ids';

/** The crash-counting window users know from language servers (5 crashes in 3 minutes). */
const RESTART_WINDOW_MS = 180_000;

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
    settings: readManagerSettings(config),
  };
}

/**
 * Combines user and workspace `greeter.plugins`: a workspace entry replaces a user entry
 * of the same name, other entries add up. VS Code already hides restricted workspace
 * values while untrusted; the explicit check keeps that true whatever `inspect` returns.
 */
export function readPluginEntries(config: vscode.WorkspaceConfiguration, trusted: boolean): unknown[] {
  const inspected = config.inspect<unknown[]>('plugins');
  const user = asArray(inspected?.globalValue);
  if (!trusted) return user;
  const merged = [...user];
  const userIndex = new Map<string, number>();
  user.forEach((e, i) => {
    const name = nameOf(e);
    if (name !== undefined && !userIndex.has(name)) userIndex.set(name, i);
  });
  for (const entry of asArray(inspected?.workspaceValue)) {
    const name = nameOf(entry);
    const at = name === undefined ? undefined : userIndex.get(name);
    if (at === undefined) merged.push(entry);
    else {
      merged[at] = entry;
      userIndex.delete(name!); // a second workspace entry of that name is a duplicate, reported by the manager
    }
  }
  return merged;
}

/** Whether the workspace's own settings list plugins (shown as the reason nothing runs). */
export function workspaceDefinesPlugins(config = vscode.workspace.getConfiguration(CONFIG_SECTION)): boolean {
  return asArray(config.inspect<unknown[]>('plugins')?.workspaceValue).length > 0;
}

/** Global knobs, with the manifest's defaults when a value is missing or malformed. */
export function readManagerSettings(config: vscode.WorkspaceConfiguration): ManagerSettings {
  return {
    startTimeoutMs: positive(config.get('startTimeout'), 10_000),
    callTimeoutMs: positive(config.get('callTimeout'), 10_000),
    restartLimit: nonNegative(config.get('restartLimit'), 5),
    restartWindowMs: RESTART_WINDOW_MS,
    autoMTLSDefault: config.get('autoMTLS') !== false,
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

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function nameOf(entry: unknown): string | undefined {
  if (entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string') return (entry as { name: string }).name;
  return undefined;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}
