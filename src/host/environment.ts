// The environment a go-plugin plugin expects (PROTOCOL.md §1).
import type { HandshakeConfig } from './types';

export interface PluginEnvironmentInput {
  handshake: HandshakeConfig;
  protocolVersions: number[];
  minPort: number;
  maxPort: number;
  socketDir: string;
  /** PEM of the host certificate when AutoMTLS is on. */
  clientCertPem?: string;
  userEnv?: Record<string, string>;
  skipHostEnv?: boolean;
}

/** Host env (unless skipped), then the user's env, then go-plugin's variables, which win. */
export function buildPluginEnvironment(input: PluginEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  if (!input.skipHostEnv) {
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  }
  Object.assign(env, input.userEnv ?? {});
  // Whether inherited from an outer go-plugin host or set by hand: multiplexing would make
  // the plugin expect yamux, which this host does not speak, and a client certificate is
  // only ever this host's own.
  delete env.PLUGIN_MULTIPLEX_GRPC;
  delete env.PLUGIN_CLIENT_CERT;
  env[input.handshake.magicCookieKey] = input.handshake.magicCookieValue;
  env.PLUGIN_PROTOCOL_VERSIONS = input.protocolVersions.join(',');
  env.PLUGIN_MIN_PORT = String(input.minPort);
  env.PLUGIN_MAX_PORT = String(input.maxPort);
  env.PLUGIN_UNIX_SOCKET_DIR = input.socketDir;
  if (input.clientCertPem) env.PLUGIN_CLIENT_CERT = input.clientCertPem;
  return env;
}
