// Public shapes of the plugin manager. The VS Code layer programs against these;
// nothing here imports vscode.

import type { PluginError } from '../host/errors';
import type { ConnectionInfo, PluginSinks } from '../host/types';

/** Where one plugin is in its life; drives tree icons, context keys and the status bar. */
export type PluginState =
  | 'stopped'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'restarting'
  | 'failed'
  | 'disabled';

/** One raw `greeter.plugins` entry as the user writes it; only name and path are required. */
export interface PluginSettingsEntry {
  name: string;
  path: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  handshake?: {
    /** A family's handshake values (tutorial, terraform, vault); explicit fields win over it. */
    preset?: string;
    protocolVersion?: number;
    /** Every app protocol version offered, preferred first (go-plugin `VersionedPlugins`). */
    protocolVersions?: number[];
    magicCookieKey?: string;
    magicCookieValue?: string;
  };
  /** .proto files for the explorer when the plugin serves no reflection (variables substituted). */
  protoFiles?: string[];
  /** Folders the protoFiles' imports are resolved against (variables substituted). */
  importPaths?: string[];
  sha256?: string;
  autoMTLS?: boolean;
  enabled?: boolean;
}

/** Global knobs that apply to every plugin. */
export interface ManagerSettings {
  /** How long to wait for a plugin's handshake line. */
  startTimeoutMs: number;
  /** Default deadline of one Greet call. */
  callTimeoutMs: number;
  /** Automatic restarts within `restartWindowMs`; the next crash marks the plugin failed (4: the 5th crash fails, as language servers). 0 turns restarts off. */
  restartLimit: number;
  /** The crash-counting window (3 minutes, as language servers). */
  restartWindowMs: number;
  /** Whether plugins without an `autoMTLS` entry use mutual TLS. */
  autoMTLSDefault: boolean;
  /** First restart delay; doubles per crash in the window. Optional (default 500 ms), added for tests. */
  restartBaseDelayMs?: number;
  /** Upper bound of the restart delay. Optional (default 10 s). */
  restartMaxDelayMs?: number;
  /** Debounce of the executable watcher. Optional (default 300 ms). */
  watchDebounceMs?: number;
  /** Longest wait for a plugin's process to be gone on Stop; then it is logged and let go. Optional (default 5 s). */
  stopTimeoutMs?: number;
}

/** Values the `${...}` variables in settings expand to. */
export interface SubstitutionContext {
  /** Absolute paths of the open workspace folders, first one first. */
  workspaceFolders: string[];
  /**
   * True in Restricted Mode: workspace folders hold untrusted code, so `${workspaceFolder…}`
   * and relative paths are configuration errors that say the workspace must be trusted.
   */
  workspaceUntrusted?: boolean;
  userHome: string;
  env: Record<string, string | undefined>;
}

/** One answered Greet call, for the tree's history and tooltips. */
export interface GreetingRecord {
  name: string;
  message: string;
  latencyMs: number;
  at: Date;
}

/** An immutable picture of one plugin, handed to the UI on every change. */
export interface PluginSnapshot {
  name: string;
  state: PluginState;
  entry: PluginSettingsEntry;
  /** The executable after variable substitution (absent when the entry is invalid). */
  resolvedPath?: string;
  /** A configuration problem (code INVALID_OPTIONS); the plugin is 'failed' and not started. */
  configError?: PluginError;
  /** Why it failed, or its last crash. */
  lastError?: PluginError;
  /** App protocol versions offered when more than one (from a preset or `protocolVersions`). */
  offeredVersions?: number[];
  /** The entry's protoFiles and importPaths after substitution, for the explorer. */
  protoSources?: { protoFiles: string[]; importPaths: string[] };
  /** pid, transport, TLS, protocol version and start time while running. */
  info?: ConnectionInfo;
  /** When the next automatic restart happens (state 'restarting'). */
  restartAt?: Date;
  /** Crashes since the last start the user asked for. */
  crashCount: number;
  greetCount: number;
  lastLatencyMs?: number;
  /** Newest first, at most 10. */
  history: GreetingRecord[];
}

/** Gives each plugin its own sinks (the VS Code layer maps them to one output channel per plugin). */
export interface PluginLogSink {
  (pluginName: string): PluginSinks;
}

/** Levels of the manager's own log. */
export type ManagerLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Disposable returned by event subscriptions, shaped like vscode.Disposable. */
export interface Disposable {
  dispose(): void;
}

/** Defaults for every global setting; the tutorial plugin needs nothing else. */
export const DEFAULT_MANAGER_SETTINGS: Readonly<ManagerSettings> = Object.freeze({
  startTimeoutMs: 10_000,
  callTimeoutMs: 10_000,
  restartLimit: 4,
  restartWindowMs: 180_000,
  autoMTLSDefault: true,
});

/** Most greetings kept per plugin. */
export const HISTORY_LIMIT = 10;
