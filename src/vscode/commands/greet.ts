// Greeter: Greet, Greet with This Plugin, Greet with All Plugins: ask for a name, pick the
// plugin, call Greet under a cancellable progress (cancel aborts the gRPC call; the
// progress appears only if the call takes longer than a blink), and show
// the answer with the plugin's name and the round-trip time.

import * as vscode from 'vscode';
import { isPluginError } from '../../host/errors';
import type { GreetingRecord, PluginManager } from '../../manager';
import { formatLatency, greetingNotice } from '../format';
import { Commands, LAST_NAME_KEY, LAST_PLUGIN_KEY } from '../ids';
import type { LogChannels } from '../log-channels';
import { withDelayedProgress } from '../delayed-progress';
import { validateGreetName } from '../name-input';
import { whyNothingRuns } from '../why-nothing-runs';
import { pluginNameFromArg } from './plugin-arg';

/** What the greet commands need. */
export interface GreetDeps {
  manager: PluginManager;
  channels: LogChannels;
  state: vscode.Memento;
  /** Restricted Mode holds back plugins that the workspace's own settings configure. */
  workspaceRestricted: () => boolean;
}

/** Marker for the "All plugins" quick-pick row. */
const ALL = Symbol('all plugins');

/** `Greeter: Greet`: name, then plugin (or all), then the call. Returns the records for tests. */
export async function greetCommand(deps: GreetDeps, nameArg?: unknown, pluginArg?: unknown): Promise<GreetingRecord[] | undefined> {
  // Say so before asking for a name that nobody could answer.
  if (typeof pluginArg !== 'string' && runningNames(deps.manager).length === 0) return nothingRunning(deps);
  const name = typeof nameArg === 'string' && nameArg.trim() ? nameArg.trim() : await askName(deps.state, 'Greeter: Greet');
  if (name === undefined) return undefined;
  const target = typeof pluginArg === 'string' ? pluginArg : await pickTarget(deps);
  if (target === undefined) return undefined;
  return runGreets(deps, target === ALL ? runningNames(deps.manager) : [target], name);
}

/** `Greet with This Plugin` on a tree row: the plugin is known, ask only for the name. */
export async function greetWithPluginCommand(deps: GreetDeps, arg?: unknown, nameArg?: unknown): Promise<GreetingRecord[] | undefined> {
  const plugin = pluginNameFromArg(arg);
  if (plugin === undefined) return greetCommand(deps, nameArg);
  const name = typeof nameArg === 'string' && nameArg.trim() ? nameArg.trim() : await askName(deps.state, `Greet with ${plugin}`);
  if (name === undefined) return undefined;
  return runGreets(deps, [plugin], name);
}

/** `Greet with All Plugins`: every running plugin, one notification. */
export async function greetAllCommand(deps: GreetDeps, nameArg?: unknown): Promise<GreetingRecord[] | undefined> {
  const plugins = runningNames(deps.manager);
  if (plugins.length === 0) return nothingRunning(deps);
  const name = typeof nameArg === 'string' && nameArg.trim() ? nameArg.trim() : await askName(deps.state, 'Greet with All Plugins');
  if (name === undefined) return undefined;
  return runGreets(deps, plugins, name);
}

/** Input box that remembers the last name and refuses an empty one. */
async function askName(state: vscode.Memento, title: string): Promise<string | undefined> {
  const last = state.get<string>(LAST_NAME_KEY, '');
  const value = await vscode.window.showInputBox({
    title,
    prompt: 'Who should the plugin greet?',
    placeHolder: 'a name, e.g. Alice',
    value: last,
    ignoreFocusOut: true,
    validateInput: validateGreetName,
  });
  if (value === undefined || validateGreetName(value) !== undefined) return undefined;
  const name = value.trim();
  await state.update(LAST_NAME_KEY, name);
  return name;
}

/** The running plugin to greet with, or ALL; asks only when more than one is running. */
async function pickTarget(deps: GreetDeps): Promise<string | typeof ALL | undefined> {
  const running = deps.manager.list().filter((p) => p.state === 'running');
  if (running.length === 0) return nothingRunning(deps);
  if (running.length === 1) return running[0]!.name;
  const last = deps.state.get<string>(LAST_PLUGIN_KEY);
  running.sort((a, b) => Number(b.name === last) - Number(a.name === last));
  type Item = vscode.QuickPickItem & { target: string | typeof ALL };
  const items: Item[] = running.map((p) => ({
    label: p.name,
    description: p.lastLatencyMs !== undefined ? `last ${formatLatency(p.lastLatencyMs)}` : undefined,
    detail: p.resolvedPath ?? p.entry.path,
    target: p.name,
  }));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator, target: ALL });
  items.push({ label: '$(broadcast) All plugins', description: `${running.length} running`, target: ALL });
  const picked = await vscode.window.showQuickPick(items, { title: 'Greeter: Greet', placeHolder: 'Which plugin should answer?', matchOnDescription: true });
  if (!picked) return undefined;
  if (typeof picked.target === 'string') await deps.state.update(LAST_PLUGIN_KEY, picked.target);
  return picked.target;
}

/** Calls Greet on each plugin under one cancellable progress and reports the outcome. */
async function runGreets(deps: GreetDeps, plugins: string[], name: string): Promise<GreetingRecord[]> {
  if (plugins.length === 0) {
    nothingRunning(deps);
    return [];
  }
  const title = plugins.length === 1 ? `Greeting ${name} with ${plugins[0]}` : `Greeting ${name} with ${plugins.length} plugins`;
  const outcomes = await withDelayedProgress(title, (signal) =>
    Promise.allSettled(plugins.map((p) => deps.manager.greet(p, name, { signal }))),
  );
  const records: GreetingRecord[] = [];
  const lines: string[] = [];
  outcomes.forEach((outcome, i) => {
    const plugin = plugins[i]!;
    if (outcome.status === 'fulfilled') {
      const r = outcome.value;
      records.push(r);
      lines.push(plugins.length === 1 ? greetingNotice(plugin, r.message, r.latencyMs) : `${plugin}: ${r.message} (${formatLatency(r.latencyMs)})`);
      deps.channels.main.info(`greet ${plugin} ${JSON.stringify(name)} -> ${JSON.stringify(r.message)} in ${formatLatency(r.latencyMs)}`);
    } else {
      reportFailure(deps, plugin, outcome.reason);
    }
  });
  if (lines.length) void vscode.window.showInformationMessage(lines.join(' · '));
  return records;
}

/** Cancellation is quiet; everything else gets a message with a way forward. */
function reportFailure(deps: GreetDeps, plugin: string, err: unknown): void {
  if (isPluginError(err, 'CANCELLED')) {
    deps.channels.main.info(`greet ${plugin}: cancelled`);
    vscode.window.setStatusBarMessage(`Greet with ${plugin} cancelled.`, 3000);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  deps.channels.main.error(`greet ${plugin} failed: ${isPluginError(err) ? `[${err.code}] ${err.describe()}` : message}`);
  void vscode.window.showErrorMessage(message, 'Show Log', 'Restart').then((choice) => {
    if (choice === 'Show Log') void vscode.commands.executeCommand(Commands.showLog, plugin);
    if (choice === 'Restart') void vscode.commands.executeCommand(Commands.restartPlugin, plugin);
  });
}

function runningNames(manager: PluginManager): string[] {
  return manager.list().filter((p) => p.state === 'running').map((p) => p.name);
}

/** Says why no plugin can answer and offers the action that fixes it (why-nothing-runs.ts decides). */
function nothingRunning(deps: GreetDeps): undefined {
  const notice = whyNothingRuns(deps.manager.list(), deps.workspaceRestricted());
  if (!notice) return undefined;
  deps.channels.main.info(`greet: ${notice.message}`);
  const titles = notice.actions.map((a) => a.title);
  const shown = notice.severity === 'warning' ? vscode.window.showWarningMessage(notice.message, ...titles) : vscode.window.showInformationMessage(notice.message, ...titles);
  void shown.then((choice) => {
    const action = notice.actions.find((a) => a.title === choice);
    if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  });
  return undefined;
}
