// Turns a validated settings entry into what the host needs to launch it, and a
// fingerprint that tells applyConfig whether an entry really changed.

import type { LaunchOptions } from '../host/types';
import { TUTORIAL_HANDSHAKE } from '../host/types';
import type { PluginError } from '../host/errors';
import { resolvePath, substituteVariables, substitutionFailure } from './substitute';
import type { ManagerSettings, PluginSettingsEntry, SubstitutionContext } from './types';
import type { ValidatedEntry } from './validate';

/** Everything a supervisor needs to know about its plugin's configuration. */
export interface PluginConfig {
  name: string;
  entry: PluginSettingsEntry;
  enabled: boolean;
  /** Set when the entry cannot be launched; the plugin shows it and stays 'failed'. */
  configError?: PluginError;
  /** Absolute executable path after substitution. */
  resolvedPath?: string;
  /** Launch options without sinks (the supervisor adds them). */
  launch?: Omit<LaunchOptions, 'sinks'>;
  /** Equal fingerprints mean "nothing to restart". */
  fingerprint: string;
}

/** Resolves variables, relative paths and defaults for one validated entry. */
export function resolvePluginConfig(v: ValidatedEntry, ctx: SubstitutionContext, settings: ManagerSettings): PluginConfig {
  const enabled = v.entry.enabled !== false;
  if (v.error) return withFingerprint({ name: v.name, entry: v.entry, enabled, configError: v.error });
  const e = v.entry;
  let field = 'path';
  try {
    const resolvedPath = resolvePath(substituteVariables(e.path, ctx), ctx);
    field = 'args';
    const args = (e.args ?? []).map((a) => substituteVariables(a, ctx));
    field = 'cwd';
    const cwd = e.cwd === undefined ? undefined : resolvePath(substituteVariables(e.cwd, ctx), ctx);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(e.env ?? {})) {
      field = `env.${key}`;
      env[key] = substituteVariables(value, ctx);
    }
    const launch: Omit<LaunchOptions, 'sinks'> = {
      name: v.name,
      path: resolvedPath,
      args,
      env,
      cwd,
      handshake: {
        protocolVersion: e.handshake?.protocolVersion ?? TUTORIAL_HANDSHAKE.protocolVersion,
        magicCookieKey: e.handshake?.magicCookieKey ?? TUTORIAL_HANDSHAKE.magicCookieKey,
        magicCookieValue: e.handshake?.magicCookieValue ?? TUTORIAL_HANDSHAKE.magicCookieValue,
      },
      sha256: e.sha256?.toLowerCase(),
      autoMTLS: e.autoMTLS ?? settings.autoMTLSDefault,
      // startTimeoutMs comes from the settings at each start, so changing it restarts nothing.
    };
    return withFingerprint({ name: v.name, entry: e, enabled, resolvedPath, launch });
  } catch (err) {
    return withFingerprint({ name: v.name, entry: e, enabled, configError: substitutionFailure(v.name, field, err) });
  }
}

function withFingerprint(c: Omit<PluginConfig, 'fingerprint'>): PluginConfig {
  const fingerprint = JSON.stringify({ enabled: c.enabled, error: c.configError?.message, launch: c.launch ?? null });
  return { ...c, fingerprint };
}
