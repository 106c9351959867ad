// Plugin snapshots as the manager hands them to the UI, for the vscode-* unit tests.

import { PluginError } from '../../src/host/errors';
import type { PluginSnapshot } from '../../src/manager';

/** A stopped plugin named hello, with `over` applied. */
export function snapshot(over: Partial<PluginSnapshot> = {}): PluginSnapshot {
  return { name: 'hello', state: 'stopped', entry: { name: 'hello', path: '/bin/hello' }, crashCount: 0, greetCount: 0, history: [], ...over };
}

/** A plugin whose settings entry is invalid. */
export const misconfigured = snapshot({ state: 'failed', configError: new PluginError('INVALID_OPTIONS', 'Plugin "hello": "path" is required.') });
