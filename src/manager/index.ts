// The plugin manager: settings model, variable substitution, one supervisor per
// plugin (state machine + restart policy) and the plugin set. No vscode import.
//
// Contract notes (backward compatible additions to the agreed API):
// - ManagerSettings has optional restartBaseDelayMs / restartMaxDelayMs /
//   watchDebounceMs / stopTimeoutMs (defaults 500 ms, 10 s, 300 ms, 5 s).
// - DEFAULT_MANAGER_SETTINGS holds the defaults of every global setting.
// - greet() of a plugin that is not running rejects with PluginError UNAVAILABLE;
//   any call naming an unknown plugin rejects/throws PluginError INVALID_OPTIONS.
// - A start failure before the handshake (FATAL_START_CODES) leaves the plugin
//   'failed' with lastError set and no restart; a crash after it is restarted with
//   backoff until restartLimit crashes within restartWindowMs.
// - Each supervisor reconciles toward `wanted` ('running' | 'stopped'), which only a
//   user Start/Stop/Restart and the settings (enabled: false, removal) change. A user
//   Stop is remembered; nothing else stops a plugin. So a changed entry restarts a plugin
//   wanted running (even one that is stopping for a rebuild at that moment) with the new
//   entry, and leaves one the user stopped stopped; unchanged entries keep their process.
// - A rebuilt executable restarts its plugin unless the user stopped or disabled it.
// - Every stop is bounded (ManagerSettings.stopTimeoutMs, default 5 s): a process that
//   outlives Shutdown and SIGKILL is logged and let go, never waited on for ever.
// - Settings changes emit a snapshot only for plugins whose snapshot changed.
// - At the crash limit lastError keeps the last failure's code and detail; a HOST_ERROR
//   (a failure inside the host, not the plugin) fails the plugin at once, never retried.
// - PluginManager.settled() resolves when every queued start/stop has finished (a
//   scheduled restart shows as snapshot.restartAt); onTransition reports every state
//   change with whether PLUGIN_STATE_TRANSITIONS allows it.
// - stop() of a plugin with a configError keeps it 'failed'.

export * from './types';
export { PluginManager, type PluginManagerOptions } from './manager';
export { DEFAULT_STOP_TIMEOUT_MS } from './bounded-stop';
export { PluginSupervisor, type GreetOptions, type SupervisorOptions, type WantedState } from './supervisor';
export { RestartPolicy, FATAL_START_CODES, isFatalStartError, type CrashAction, type RestartPolicyOptions } from './restart-policy';
export { PLUGIN_STATE_TRANSITIONS, canTransition, PluginStateMachine, type StateChange } from './plugin-state';
export { GreetStats } from './greet-stats';
export { validatePluginEntries, validatePluginEntry, type ValidatedEntry } from './validate';
export { substituteVariables, resolvePath, workspaceSubstitutionContext, SubstitutionError } from './substitute';
export { resolvePluginConfig, type PluginConfig } from './plugin-config';
export { ExecutableWatcher } from './executable-watcher';
