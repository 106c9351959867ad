// Handshake presets: the go-plugin handshake values of well-known plugin families, so
// a Terraform provider or a Vault plugin needs only `preset` instead of a cookie
// copied from Go sources. Values checked against the projects' own sources:
//   terraform: hashicorp/terraform-plugin-go tfprotov5/tf5server and tfprotov6/tf6server
//              (server.go: MagicCookieKey/Value, protocolVersionMajor 5 and 6)
//   vault:     hashicorp/vault sdk/plugin/serve.go (HandshakeConfig; VersionedPlugins 3, 4, 5)
//              and sdk/helper/pluginutil (PluginAutoMTLSEnv), which Vault's host sets.
import { TUTORIAL_HANDSHAKE, type HandshakeConfig, type LaunchOptions } from '../host/types';
import { ExplorerError } from './errors';

export const HANDSHAKE_PRESET_NAMES = ['tutorial', 'terraform', 'vault'] as const;
export type HandshakePresetName = (typeof HANDSHAKE_PRESET_NAMES)[number];

export interface HandshakePreset {
  name: HandshakePresetName;
  /** Cookie and the preferred app protocol version. */
  handshake: HandshakeConfig;
  /** Every app protocol version offered, preferred first (go-plugin `VersionedPlugins`). */
  protocolVersions: number[];
  /** Environment the family's own host sets for its plugins. */
  env: Record<string, string>;
}

const TERRAFORM_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const VAULT_COOKIE_VALUE = '6669da05-b1c8-4f49-97d9-c8e5bed98e20';

export const HANDSHAKE_PRESETS: Readonly<Record<HandshakePresetName, Readonly<HandshakePreset>>> = Object.freeze({
  tutorial: { name: 'tutorial', handshake: { ...TUTORIAL_HANDSHAKE }, protocolVersions: [1], env: {} },
  terraform: {
    name: 'terraform',
    handshake: { protocolVersion: 6, magicCookieKey: 'TF_PLUGIN_MAGIC_COOKIE', magicCookieValue: TERRAFORM_COOKIE_VALUE },
    protocolVersions: [6, 5],
    env: {},
  },
  vault: {
    name: 'vault',
    handshake: { protocolVersion: 5, magicCookieKey: 'VAULT_BACKEND_PLUGIN', magicCookieValue: VAULT_COOKIE_VALUE },
    protocolVersions: [5, 4, 3],
    // Without it a Vault plugin expects a wrapped token to set up its own TLS.
    env: { VAULT_PLUGIN_AUTOMTLS_ENABLED: 'true' },
  },
});

/** The preset of that name; an unknown name is a typed error listing the valid ones. */
export function handshakePreset(name: string, plugin = 'plugin'): HandshakePreset {
  if (!(HANDSHAKE_PRESET_NAMES as readonly string[]).includes(name)) {
    throw new ExplorerError(
      'UNKNOWN_PRESET',
      plugin,
      `Plugin "${plugin}": there is no handshake preset "${name}". Use one of ${HANDSHAKE_PRESET_NAMES.join(', ')}, or set the handshake values themselves.`,
      { validNames: [...HANDSHAKE_PRESET_NAMES] },
    );
  }
  const preset = HANDSHAKE_PRESETS[name as HandshakePresetName];
  return { ...preset, handshake: { ...preset.handshake }, protocolVersions: [...preset.protocolVersions], env: { ...preset.env } };
}

/**
 * Launch options with the preset underneath: every handshake field, version list or
 * environment variable given explicitly wins over the preset's. AutoMTLS stays the
 * caller's choice (go-plugin's AutoMTLS works the same for every family).
 */
export function applyHandshakePreset(preset: HandshakePreset, options: LaunchOptions): LaunchOptions {
  const explicitVersions = options.protocolVersions?.length ? options.protocolVersions : undefined;
  const handshake = { ...preset.handshake, ...definedOnly(options.handshake ?? {}) };
  if (explicitVersions && options.handshake?.protocolVersion === undefined) handshake.protocolVersion = explicitVersions[0];
  return {
    ...options,
    handshake,
    protocolVersions: explicitVersions ?? (options.handshake?.protocolVersion !== undefined ? [handshake.protocolVersion] : preset.protocolVersions),
    env: { ...preset.env, ...options.env },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
