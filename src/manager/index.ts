// The plugin manager: settings model, variable substitution, one supervisor per
// plugin (state machine + restart policy) and the plugin set. No vscode import.
//
// Contract notes (backward compatible additions to the agreed API):
// - ManagerSettings has optional restartBaseDelayMs / restartMaxDelayMs /
//   watchDebounceMs (defaults 500 ms, 10 s, 300 ms).
// - DEFAULT_MANAGER_SETTINGS holds the defaults of every global setting.
// - greet() of a plugin that is not running rejects with PluginError UNAVAILABLE;
//   any call naming an unknown plugin rejects/throws PluginError INVALID_OPTIONS.
// - A start failure before the handshake (FATAL_START_CODES) leaves the plugin
//   'failed' with lastError set and no restart; a crash after it is restarted with
//   backoff until restartLimit crashes within restartWindowMs.
// - applyConfig starts a changed entry afresh even if the user had stopped it (the
//   edit is taken as "try this"); unchanged entries keep their process and state.
// - A rebuilt executable restarts its plugin unless the user stopped or disabled it.
// - stop() of a plugin with a configError keeps it 'failed'.

export * from './types';
export { PluginManager, type PluginManagerOptions } from './manager';
export { PluginSupervisor, type GreetOptions } from './supervisor';
export { RestartPolicy, FATAL_START_CODES, isFatalStartError, type CrashAction, type RestartPolicyOptions } from './restart-policy';
export { PLUGIN_STATE_TRANSITIONS, canTransition } from './plugin-state';
export { validatePluginEntries, validatePluginEntry, type ValidatedEntry } from './validate';
export { substituteVariables, resolvePath, workspaceSubstitutionContext, SubstitutionError } from './substitute';
export { resolvePluginConfig, type PluginConfig } from './plugin-config';
export { ExecutableWatcher } from './executable-watcher';
