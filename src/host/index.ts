// The go-plugin host for Node: launch, handshake, connect, supervise and stop plugins.
// Nothing here imports vscode; the CLI, the manager, tests and benchmarks all use it.
export { startPlugin, DEFAULT_START_TIMEOUT_MS } from './launch';
export { reattachPlugin, type ReattachOptions } from './reattach';
export { PluginClient, GRACEFUL_EXIT_MS } from './plugin-client';
export { describeExit, formatMs, formatWindow, formatBytes } from './format';
export { HostBroker } from './broker';
export { LaunchRegistry, setDefaultLaunchRegistry, type LaunchRecord, type ReapReport } from './launch-registry';
export { PluginError, isPluginError, type PluginErrorCode } from './errors';
export { parseHandshake, CORE_PROTOCOL_VERSION } from './handshake';
export { parseHclogJson, StderrLogParser, formatLogFields } from './log-parser';
export { checkP521Support } from './mtls';
export { isAlive } from './process-group';
export * from './types';
