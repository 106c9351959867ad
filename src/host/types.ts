// Public shapes of the go-plugin host. The manager, the CLI, tests and benchmarks
// program against these; src/host/*.ts implements them.
import type { LaunchRegistry } from './launch-registry';

/** The three values a plugin and its host must agree on before anything else. */
export interface HandshakeConfig {
  /** App protocol version offered to the plugin (go-plugin `ProtocolVersion`). */
  protocolVersion: number;
  /** Environment variable the plugin checks (go-plugin `MagicCookieKey`). */
  magicCookieKey: string;
  /** Its expected value (go-plugin `MagicCookieValue`). */
  magicCookieValue: string;
}

/** The tutorial's handshake: every value a plugin from "gRPC Plugins in Go" expects. */
export const TUTORIAL_HANDSHAKE: Readonly<HandshakeConfig> = Object.freeze({
  protocolVersion: 1,
  magicCookieKey: 'BASIC_PLUGIN',
  magicCookieValue: 'hello',
});

/** hclog's levels, as parsed from a plugin's JSON stderr lines. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** One line of the plugin's stderr, parsed as hclog JSON or `[LEVEL]` text. */
export interface LogEntry {
  level: LogLevel;
  message: string;
  /** From `@timestamp` when the line was hclog JSON. */
  timestamp?: Date;
  /** From `@module` when present. */
  module?: string;
  /** Every other key of an hclog JSON line (including `@caller`). */
  fields: Record<string, unknown>;
  /** The line exactly as the plugin wrote it. */
  raw: string;
}

/** How to launch one plugin executable. Only `path` is required. */
export interface LaunchOptions {
  /** Shown in errors and logs; defaults to the executable's base name. */
  name?: string;
  /** Absolute path of the executable; it is exec'd directly, never through a shell. */
  path: string;
  args?: string[];
  /** Extra environment, merged over the host's unless `skipHostEnv`. */
  env?: Record<string, string>;
  /** Do not pass the host's environment (go-plugin `SkipHostEnv`). */
  skipHostEnv?: boolean;
  cwd?: string;
  /** Defaults to the tutorial's values. */
  handshake?: Partial<HandshakeConfig>;
  /**
   * App protocol versions offered (go-plugin `VersionedPlugins` keys); the plugin
   * picks one. Defaults to `[handshake.protocolVersion]`.
   */
  protocolVersions?: number[];
  /** Generate a client certificate and require mutual TLS (go-plugin `AutoMTLS`). */
  autoMTLS?: boolean;
  /** Expected sha256 (hex) of the executable, checked before launch (`SecureConfig`). */
  sha256?: string;
  /** How long to wait for the handshake line. Default 60 000 ms, as go-plugin. */
  startTimeoutMs?: number;
  /** TCP port range passed to the plugin. Default 10000-25000, as go-plugin. */
  minPort?: number;
  maxPort?: number;
  /** Where the plugin's output goes. Every sink is optional. */
  sinks?: PluginSinks;
  /** Aborting cancels a start in progress: the process is killed and startPlugin rejects with STOPPED. */
  signal?: AbortSignal;
  /** Records the plugin while it runs, so a later host can stop it if this one dies (launch-registry.ts). Default: setDefaultLaunchRegistry's. */
  registry?: LaunchRegistry;
}

/** Callbacks for everything a plugin says besides gRPC answers. */
export interface PluginSinks {
  /** Parsed stderr lines (hclog JSON or plain text). */
  log?(entry: LogEntry): void;
  /** Chunks the plugin wrote to stdout after the handshake (via GRPCStdio or the pipe). */
  stdout?(chunk: Buffer): void;
  /** Chunks the plugin wrote to its redirected stderr via GRPCStdio. */
  stderr?(chunk: Buffer): void;
  /** The host's own diagnostics about this plugin (command line, pid, TLS, exit). */
  lifecycle?(level: LogLevel, message: string): void;
}

/** The parsed first stdout line of a plugin. */
export interface Handshake {
  coreVersion: number;
  appVersion: number;
  network: 'unix' | 'tcp';
  address: string;
  protocol: 'grpc' | 'netrpc';
  /** DER bytes of the plugin's certificate, when it sent one (field 6, > 50 chars). */
  serverCert?: Buffer;
  /** Field 7, when present. */
  muxSupported?: boolean;
}

/** How the process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Connect to an already-running plugin (go-plugin `ReattachConfig`). */
export interface ReattachConfig {
  protocol: 'grpc';
  protocolVersion: number;
  network: 'unix' | 'tcp';
  address: string;
  pid: number;
  /** Test mode: stop() never kills the process. */
  test?: boolean;
}

/** What the host knows about a connected plugin, for logs and tooltips. */
export interface ConnectionInfo {
  pid?: number;
  network: 'unix' | 'tcp';
  address: string;
  /** True when the connection uses AutoMTLS. */
  tls: boolean;
  /** The app protocol version the plugin chose. */
  protocolVersion: number;
  /** Why TLS is off although it was asked for (e.g. a runtime without P-521). */
  tlsFallbackReason?: string;
  startedAt: Date;
}
