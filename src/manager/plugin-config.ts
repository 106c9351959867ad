// Turns a validated settings entry into what the host needs to launch it, and a
// fingerprint that tells applyConfig whether an entry really changed.

import type { LaunchOptions } from '../host/types';
import { applyHandshakePreset, handshakePreset } from '../explorer/presets';
import { isAbsolute } from 'node:path';
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
  /** protoFiles and importPaths after substitution (the explorer's, not the launch's). */
  protoSources?: { protoFiles: string[]; importPaths: string[] };
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
    field = 'importPaths';
    const importPaths = (e.importPaths ?? []).map((p) => resolvePath(substituteVariables(p, ctx), ctx));
    field = 'protoFiles';
    // With importPaths a relative file is looked up in them (as protoc does); without, it is workspace-relative like path.
    const protoFiles = (e.protoFiles ?? []).map((f) => {
      const value = substituteVariables(f, ctx);
      return importPaths.length && !isAbsolute(value) ? value : resolvePath(value, ctx);
    });
    const hs = e.handshake ?? {};
    // The preset is underneath: every explicit handshake field, version list or env variable wins.
    const withPreset = applyHandshakePreset(handshakePreset(hs.preset ?? 'tutorial', v.name), {
      path: resolvedPath,
      env,
      handshake: { protocolVersion: hs.protocolVersion, magicCookieKey: hs.magicCookieKey, magicCookieValue: hs.magicCookieValue },
      protocolVersions: hs.protocolVersions,
    });
    const launch: Omit<LaunchOptions, 'sinks'> = {
      name: v.name,
      path: resolvedPath,
      args,
      env: withPreset.env ?? env,
      cwd,
      handshake: withPreset.handshake,
      // Only a real choice goes to the host; a single version is the handshake's own.
      ...(withPreset.protocolVersions && withPreset.protocolVersions.length > 1 ? { protocolVersions: withPreset.protocolVersions } : {}),
      sha256: e.sha256?.toLowerCase(),
      autoMTLS: e.autoMTLS ?? settings.autoMTLSDefault,
      // startTimeoutMs comes from the settings at each start, so changing it restarts nothing.
    };
    const protoSources = protoFiles.length ? { protoFiles, importPaths } : undefined;
    return withFingerprint({ name: v.name, entry: e, enabled, resolvedPath, launch, protoSources });
  } catch (err) {
    return withFingerprint({ name: v.name, entry: e, enabled, configError: substitutionFailure(v.name, field, err) });
  }
}

function withFingerprint(c: Omit<PluginConfig, 'fingerprint'>): PluginConfig {
  // protoSources are left out: new .proto files need a new catalog, not a new process.
  const fingerprint = JSON.stringify({ enabled: c.enabled, error: c.configError?.message, launch: c.launch ?? null });
  return { ...c, fingerprint };
}
