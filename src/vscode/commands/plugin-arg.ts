// Commands run from a tree row get the row; from the palette, a notification button or a
// test, they get a plugin name or nothing. This turns any of those into a plugin name,
// asking with a quick pick when needed.

import * as vscode from 'vscode';
import type { PluginManager, PluginSnapshot } from '../../manager';
import { describeState } from '../format';
import type { PluginTreeNode } from '../tree-items';

/** The plugin name a command argument refers to, if it names one. */
export function pluginNameFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const node = arg as Partial<PluginTreeNode>;
    if (node.kind === 'plugin' && typeof node.name === 'string') return node.name;
    if (node.kind === 'greeting' && typeof (node as { plugin?: unknown }).plugin === 'string') return (node as { plugin: string }).plugin;
  }
  return undefined;
}

/**
 * The plugin a command acts on: the one in the argument, the only candidate, or the one
 * the user picks. Undefined when there is none or the user cancelled.
 */
export async function resolvePluginArg(
  manager: PluginManager,
  arg: unknown,
  candidates: (s: PluginSnapshot) => boolean,
  placeHolder: string,
): Promise<string | undefined> {
  const named = pluginNameFromArg(arg);
  if (named !== undefined) return named;
  const plugins = manager.list().filter(candidates);
  if (plugins.length === 0) {
    void vscode.window.showInformationMessage('No greeter plugin is in a state where this applies.');
    return undefined;
  }
  if (plugins.length === 1) return plugins[0]!.name;
  const picked = await vscode.window.showQuickPick(
    plugins.map((p) => ({ label: p.name, description: describeState(p), detail: p.resolvedPath ?? p.entry.path })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.label;
}
