// Validation of raw `greeter.plugins` entries. Settings are user input: every
// problem becomes a PluginError naming the entry and the field, never a throw
// that takes the whole plugin set down.

import { PluginError } from '../host/errors';
import { HANDSHAKE_PRESET_NAMES } from '../explorer/presets';
import type { PluginSettingsEntry } from './types';

/** The outcome for one raw entry: a usable entry, or the reason it is not. */
export interface ValidatedEntry {
  /** The plugin's name, or `greeter.plugins[i]` when the entry has no usable name. */
  name: string;
  /** Index in the settings array, for messages. */
  index: number;
  /** The entry as written (a best-effort copy when it is invalid). */
  entry: PluginSettingsEntry;
  error?: PluginError;
}

const ENTRY_KEYS = ['name', 'path', 'args', 'env', 'cwd', 'handshake', 'protoFiles', 'importPaths', 'sha256', 'autoMTLS', 'enabled'];
const HANDSHAKE_KEYS = ['preset', 'protocolVersion', 'protocolVersions', 'magicCookieKey', 'magicCookieValue'];

/** Checks every entry and marks duplicate names; the order of the input is kept. */
export function validatePluginEntries(entries: unknown[]): ValidatedEntry[] {
  const results = entries.map((raw, index) => validatePluginEntry(raw, index));
  const byName = new Map<string, ValidatedEntry[]>();
  for (const r of results) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  for (const [name, group] of byName) {
    if (group.length < 2) continue;
    const positions = group.map((g) => `greeter.plugins[${g.index}]`).join(', ');
    for (const r of group) {
      r.error ??= new PluginError(
        'INVALID_OPTIONS',
        `Plugin "${name}": ${group.length} entries in greeter.plugins use this name (${positions}). ` +
          'Give each plugin a unique "name" in settings.',
      );
    }
  }
  return results;
}

/** Checks one entry; `index` is its position in `greeter.plugins`. */
export function validatePluginEntry(raw: unknown, index: number): ValidatedEntry {
  const where = `greeter.plugins[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return invalid(where, index, { name: where, path: '' }, `${where} must be an object like { "name": "hello", "path": "/path/to/plugin" }, got ${describe(raw)}.`);
  }
  const obj = raw as Record<string, unknown>;
  const usableName = typeof obj.name === 'string' && obj.name.trim() !== '' ? obj.name.trim() : undefined;
  const name = usableName ?? where;
  const label = usableName ? `Plugin "${usableName}" (${where})` : where;
  const entry = { ...obj, name, path: typeof obj.path === 'string' ? obj.path : '' } as PluginSettingsEntry;
  const problem = findProblem(obj);
  return problem ? invalid(name, index, entry, `${label}: ${problem} Fix it in settings (greeter.plugins).`) : { name, index, entry };
}

/** The first problem of an entry as a sentence, or undefined when it is valid. */
function findProblem(obj: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(obj).filter((k) => !ENTRY_KEYS.includes(k));
  if (unknown.length) return `unknown field ${quoteAll(unknown)}; allowed fields are ${ENTRY_KEYS.join(', ')}.`;
  if (typeof obj.name !== 'string' || obj.name.trim() === '') return `"name" is required and must be a non-empty string, got ${describe(obj.name)}.`;
  if (typeof obj.path !== 'string' || obj.path.trim() === '') return `"path" is required and must be the plugin executable's path, got ${describe(obj.path)}.`;
  if (obj.args !== undefined && !(Array.isArray(obj.args) && obj.args.every((a) => typeof a === 'string'))) {
    return `"args" must be an array of strings, got ${describe(obj.args)}.`;
  }
  if (obj.env !== undefined) {
    if (!isPlainObject(obj.env)) return `"env" must be an object of string values, got ${describe(obj.env)}.`;
    const bad = Object.entries(obj.env).find(([, v]) => typeof v !== 'string');
    if (bad) return `"env.${bad[0]}" must be a string, got ${describe(bad[1])}.`;
  }
  for (const key of ['protoFiles', 'importPaths'] as const) {
    const list = obj[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((f) => typeof f === 'string' && f.trim() !== ''))) {
      return `"${key}" must be an array of non-empty paths, got ${describe(list)}${Array.isArray(list) ? ' with a non-string or empty item' : ''}.`;
    }
  }
  if (obj.cwd !== undefined && (typeof obj.cwd !== 'string' || obj.cwd.trim() === '')) return `"cwd" must be a non-empty string, got ${describe(obj.cwd)}.`;
  if (obj.sha256 !== undefined && !(typeof obj.sha256 === 'string' && /^[0-9a-fA-F]{64}$/.test(obj.sha256))) {
    return `"sha256" must be 64 hex digits (the output of sha256sum), got ${describe(obj.sha256)}.`;
  }
  for (const key of ['autoMTLS', 'enabled'] as const) {
    if (obj[key] !== undefined && typeof obj[key] !== 'boolean') return `"${key}" must be true or false, got ${describe(obj[key])}.`;
  }
  if (obj.handshake !== undefined) return findHandshakeProblem(obj.handshake);
  return undefined;
}

function findHandshakeProblem(hs: unknown): string | undefined {
  if (!isPlainObject(hs)) return `"handshake" must be an object like { "protocolVersion": 1, "magicCookieKey": "BASIC_PLUGIN", "magicCookieValue": "hello" }, got ${describe(hs)}.`;
  const unknown = Object.keys(hs).filter((k) => !HANDSHAKE_KEYS.includes(k));
  if (unknown.length) return `unknown field ${quoteAll(unknown.map((k) => `handshake.${k}`))}; allowed are ${HANDSHAKE_KEYS.join(', ')}.`;
  if (hs.preset !== undefined && !(typeof hs.preset === 'string' && (HANDSHAKE_PRESET_NAMES as readonly string[]).includes(hs.preset))) {
    return `"handshake.preset" must be one of ${HANDSHAKE_PRESET_NAMES.map((n) => `"${n}"`).join(', ')}, got ${describe(hs.preset)}.`;
  }
  const versions = hs.protocolVersions;
  if (versions !== undefined) {
    const ok = Array.isArray(versions) && versions.length > 0 && versions.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1);
    if (!ok) return `"handshake.protocolVersions" must be a non-empty array of positive whole numbers (preferred first), got ${describe(versions)}.`;
    if (new Set(versions).size !== versions.length) return `"handshake.protocolVersions" lists a version twice (${versions.join(', ')}).`;
  }
  const v = hs.protocolVersion;
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1)) return `"handshake.protocolVersion" must be a positive whole number, got ${describe(v)}.`;
  if (hs.magicCookieKey !== undefined && (typeof hs.magicCookieKey !== 'string' || hs.magicCookieKey === '')) {
    return `"handshake.magicCookieKey" must be a non-empty string, got ${describe(hs.magicCookieKey)}.`;
  }
  if (hs.magicCookieValue !== undefined && typeof hs.magicCookieValue !== 'string') {
    return `"handshake.magicCookieValue" must be a string, got ${describe(hs.magicCookieValue)}.`;
  }
  return undefined;
}

function invalid(name: string, index: number, entry: PluginSettingsEntry, message: string): ValidatedEntry {
  return { name, index, entry, error: new PluginError('INVALID_OPTIONS', message) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function quoteAll(keys: string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

/** A short, safe description of a wrong value for messages. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v === '' ? 'an empty string' : `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
