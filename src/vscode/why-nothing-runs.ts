// What Greet says when no plugin runs: why (none configured, still starting, failed,
// stopped, disabled, or held back by Restricted Mode) and the action that fixes it. The
// command is always in the palette, so a newcomer who types "Greet" first learns what to do.
// No vscode import.

import type { PluginSnapshot } from '../manager';
import { firstLine } from './format';
import { Commands } from './ids';
import { isMisconfigured } from './plugin-actions';

/** VS Code's own command behind "Manage Workspace Trust". */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/** A button on the message: its title and the command it runs. */
export interface FixAction {
  title: string;
  command: string;
  args?: unknown[];
}

/** The message and its buttons, most useful first. */
export interface NothingRunsNotice {
  /** 'info' when there is nothing wrong (nothing configured yet, everything stopped or starting). */
  severity: 'info' | 'warning';
  message: string;
  actions: FixAction[];
}

const ADD_PLUGIN: FixAction = { title: 'Add Plugin...', command: Commands.addPlugin };
const OPEN_SETTINGS: FixAction = { title: 'Open Settings', command: Commands.openSettings };
const START_ALL: FixAction = { title: 'Start All', command: Commands.startAll };
const MANAGE_TRUST: FixAction = { title: 'Manage Workspace Trust', command: MANAGE_TRUST_COMMAND };
const showLog = (plugin: string): FixAction => ({ title: 'Show Log', command: Commands.showLog, args: [plugin] });

/** "a", "a and b", "a, b and 2 more". */
function names(plugins: PluginSnapshot[]): string {
  const quoted = plugins.map((p) => `"${p.name}"`);
  if (quoted.length <= 2) return quoted.join(' and ');
  if (quoted.length === 3) return `${quoted[0]}, ${quoted[1]} and ${quoted[2]}`;
  return `${quoted[0]}, ${quoted[1]} and ${quoted.length - 2} more`;
}

/**
 * Why Greet cannot run now, or undefined when some plugin is running. `workspaceRestricted`
 * is true when Restricted Mode holds back plugins that the workspace's own settings configure.
 */
export function whyNothingRuns(plugins: PluginSnapshot[], workspaceRestricted: boolean): NothingRunsNotice | undefined {
  if (plugins.some((p) => p.state === 'running')) return undefined;
  const trust = workspaceRestricted ? ' This workspace is in Restricted Mode: the plugins in its settings run only once you trust it.' : '';
  const trustAction = workspaceRestricted ? [MANAGE_TRUST] : [];

  if (plugins.length === 0) {
    if (workspaceRestricted) {
      return {
        severity: 'info',
        message: 'No greeter plugin runs: this workspace is in Restricted Mode, and the plugins in its settings name programs to run, so they start only once you trust the workspace.',
        actions: [MANAGE_TRUST, ADD_PLUGIN],
      };
    }
    return {
      severity: 'info',
      message: 'No greeter plugin is configured yet. Add one: an executable that speaks HashiCorp go-plugin\'s gRPC protocol, such as the Go plugin from the "gRPC Plugins in Go" tutorial.',
      actions: [ADD_PLUGIN, OPEN_SETTINGS],
    };
  }

  const starting = plugins.filter((p) => p.state === 'starting' || p.state === 'restarting');
  if (starting.length > 0) {
    const verb = starting.length === 1 ? 'is' : 'are';
    return {
      severity: 'info',
      message: `No greeter plugin is running yet: ${names(starting)} ${verb} still starting. Try again in a moment.${trust}`,
      actions: [showLog(starting[0]!.name), ...trustAction],
    };
  }

  const failed = plugins.filter((p) => p.state === 'failed');
  if (failed.length > 0) {
    const hard = failed.filter((p) => !isMisconfigured(p));
    const first = failed[0]!;
    const err = first.configError ?? first.lastError;
    const why = failed.length === 1 && err ? `: ${firstLine(err.message, 200)}` : '.';
    const message = `No greeter plugin is running: ${names(failed)} failed${why}${trust}`;
    // A bad settings entry is fixed in settings; a plugin that crashed or never answered, from its log.
    const actions = hard.length > 0 ? [showLog(hard[0]!.name), OPEN_SETTINGS] : [OPEN_SETTINGS];
    if (plugins.some((p) => p.state === 'stopped' || (p.state === 'failed' && !isMisconfigured(p)))) actions.push(START_ALL);
    return { severity: 'warning', message, actions: [...actions, ...trustAction] };
  }

  const stopped = plugins.filter((p) => p.state === 'stopped' || p.state === 'stopping');
  if (stopped.length > 0) {
    const all = stopped.length === plugins.length;
    return {
      severity: 'info',
      message: `No greeter plugin is running: ${all ? (stopped.length === 1 ? `${names(stopped)} is stopped` : 'all are stopped') : `${names(stopped)} ${stopped.length === 1 ? 'is' : 'are'} stopped and the others are disabled`}.${trust}`,
      actions: [START_ALL, ...trustAction],
    };
  }

  // Only disabled entries are left.
  return {
    severity: 'info',
    message: `No greeter plugin is running: ${plugins.length === 1 ? `${names(plugins)} is` : 'every plugin is'} disabled in settings ("enabled": false).${trust}`,
    actions: [OPEN_SETTINGS, ...trustAction],
  };
}
