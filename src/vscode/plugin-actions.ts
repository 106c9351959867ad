// Which lifecycle actions apply to a plugin, in one place for the tree rows' context values,
// the palette's context keys and the commands' pick lists (no vscode import: unit-tested).

import type { PluginSnapshot } from '../manager';

/** A plugin whose settings entry is invalid: starting or restarting it cannot help. */
export function isMisconfigured(s: PluginSnapshot): boolean {
  return s.configError !== undefined;
}

/** Start applies to a stopped or failed plugin that could run. */
export function canStart(s: PluginSnapshot): boolean {
  return (s.state === 'stopped' || s.state === 'failed') && !isMisconfigured(s);
}

/** Stop applies while a process exists or a restart is pending. */
export function canStop(s: PluginSnapshot): boolean {
  return s.state === 'running' || s.state === 'starting' || s.state === 'restarting';
}

/** Restart applies to any plugin that could run, except while it is stopping. */
export function canRestart(s: PluginSnapshot): boolean {
  return s.state !== 'disabled' && s.state !== 'stopping' && !isMisconfigured(s);
}

/**
 * contextValue of a plugin row: `plugin.<state>`, or `plugin.misconfigured` for an invalid
 * entry (no Start/Restart buttons), plus `.hasHistory` when Clear History has something to
 * clear. The manifest's `viewItem =~ /^plugin\.(…)(\.hasHistory)?$/` clauses read it.
 */
export function pluginContextValue(s: PluginSnapshot): string {
  return `plugin.${isMisconfigured(s) ? 'misconfigured' : s.state}${s.history.length > 0 ? '.hasHistory' : ''}`;
}

/** Values of the `greeter.*` context keys that follow the plugin list (keys as in ids.ts ContextKeys). */
export function pluginContextKeys(plugins: PluginSnapshot[]): {
  hasPlugins: boolean;
  hasRunningPlugins: boolean;
  hasStoppedPlugins: boolean;
  hasActivePlugins: boolean;
  hasHistory: boolean;
} {
  return {
    hasPlugins: plugins.length > 0,
    hasRunningPlugins: plugins.some((p) => p.state === 'running'),
    hasStoppedPlugins: plugins.some(canStart),
    hasActivePlugins: plugins.some(canStop),
    hasHistory: plugins.some((p) => p.history.length > 0),
  };
}
