// Pure reading of `greeter.*` values from a configuration object (VS Code's
// WorkspaceConfiguration fits the shape). Decides which levels count: in Restricted Mode
// only user settings may name programs or weaken how they are launched.

import { DEFAULT_MANAGER_SETTINGS, type ManagerSettings } from '../manager';

/** What `inspect` returns for one setting; the subset of VS Code's shape we read. */
export interface InspectedValue<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** The part of vscode.WorkspaceConfiguration this module reads. */
export interface SettingsSource {
  get<T>(key: string): T | undefined;
  inspect<T>(key: string): InspectedValue<T> | undefined;
}

/**
 * Combines user and workspace `greeter.plugins`: a workspace entry replaces a user entry
 * of the same name, other entries add up. VS Code already hides restricted workspace
 * values while untrusted; the explicit check keeps that true whatever `inspect` returns.
 */
export function readPluginEntries(config: SettingsSource, trusted: boolean): unknown[] {
  const inspected = config.inspect<unknown[]>('plugins');
  const user = asArray(inspected?.globalValue);
  if (!trusted) return user;
  const merged = [...user];
  const userIndex = new Map<string, number>();
  user.forEach((e, i) => {
    const name = entryName(e);
    if (name !== undefined && !userIndex.has(name)) userIndex.set(name, i);
  });
  for (const entry of asArray(inspected?.workspaceValue)) {
    const name = entryName(entry);
    const at = name === undefined ? undefined : userIndex.get(name);
    if (at === undefined) merged.push(entry);
    else {
      merged[at] = entry;
      userIndex.delete(name!); // a second workspace entry of that name is a duplicate, reported by the manager
    }
  }
  return merged;
}

/**
 * Whether a settings file's text (JSON with comments) sets a non-empty `greeter.plugins`. A
 * hint for the Restricted Mode banner, read without parsing or trusting the file.
 */
export function settingsTextDefinesPlugins(text: string): boolean {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:"\\])\/\/.*$/gm, '$1');
  const m = /"greeter\.plugins"\s*:\s*(\S)(\s*\S)?/.exec(code);
  return m !== null && !(m[1] === '[' && m[2]?.trim() === ']');
}

/**
 * Global knobs, with the defaults when a value is missing or malformed. `autoMTLS` changes
 * how executables are launched, so an untrusted workspace cannot turn it off.
 */
export function readManagerSettings(config: SettingsSource, trusted: boolean): ManagerSettings {
  const d = DEFAULT_MANAGER_SETTINGS;
  const autoMTLS = trusted ? config.get('autoMTLS') : (config.inspect<boolean>('autoMTLS')?.globalValue ?? d.autoMTLSDefault);
  return {
    startTimeoutMs: positive(config.get('startTimeout'), d.startTimeoutMs),
    callTimeoutMs: positive(config.get('callTimeout'), d.callTimeoutMs),
    restartLimit: nonNegative(config.get('restartLimit'), d.restartLimit),
    restartWindowMs: d.restartWindowMs,
    autoMTLSDefault: typeof autoMTLS === 'boolean' ? autoMTLS : d.autoMTLSDefault,
  };
}

/** The `name` of a raw settings entry, if it has a string one. */
export function entryName(entry: unknown): string | undefined {
  if (entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string') return (entry as { name: string }).name;
  return undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}
