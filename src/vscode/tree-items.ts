// Maps one PluginSnapshot (or one of its greetings) to a TreeItem: icon per state, state in
// the description, tooltips (built in tooltip.ts) that escape everything the plugin or the settings supplied.

import * as vscode from 'vscode';
import type { GreetingRecord, PluginSnapshot, PluginState } from '../manager';
import { describeState, formatLatency } from './format';
import { greetingTooltipMarkdown, pluginTooltipMarkdown } from './tooltip';
import { pluginContextValue } from './plugin-actions';
import type { ExplorerTreeNode } from './explorer/explorer-nodes';

/** A row of the Plugins tree: a plugin, or one greeting under it. */
export type PluginTreeNode =
  | { kind: 'plugin'; name: string }
  | { kind: 'greeting'; plugin: string; record: GreetingRecord; id: string }
  | ExplorerTreeNode;

/** Codicon and colour for each state; spinning while something is under way. */
const STATE_ICONS: Record<PluginState, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  starting: new vscode.ThemeIcon('loading~spin'),
  stopping: new vscode.ThemeIcon('loading~spin'),
  restarting: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('list.warningForeground')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  stopped: new vscode.ThemeIcon('circle-large-outline'),
  disabled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
};

/** The row of one plugin (its tooltip comes from pluginTooltip in resolveTreeItem). */
export function pluginTreeItem(s: PluginSnapshot): vscode.TreeItem {
  const item = new vscode.TreeItem(
    s.name,
    s.history.length > 0
      ? vscode.TreeItemCollapsibleState.Expanded
      : s.state === 'running' // its Services row is below
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
  );
  // VS Code keeps a row's collapse state per id and ignores a new collapsibleState: a row
  // that gets its first greeting takes a new id, so it opens (Expanded) to show it.
  item.id = s.history.length > 0 ? `plugin:${s.name}` : `plugin:${s.name}:no-greetings`;
  item.description = describeState(s);
  item.iconPath = STATE_ICONS[s.state];
  item.contextValue = pluginContextValue(s);
  // No tooltip here: VS Code calls resolveTreeItem only for items without one, and the
  // provider builds it there on hover so uptime and restart time are current.
  item.accessibilityInformation = { label: `${s.name}, ${describeState(s)}` };
  return item;
}

/** The row of one greeting under its plugin; `id` comes from greetingRowIds and survives newer greetings. */
export function greetingTreeItem(record: GreetingRecord, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(record.message, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = `${record.name} · ${formatLatency(record.latencyMs)} · ${record.at.toLocaleTimeString()}`;
  item.iconPath = new vscode.ThemeIcon('comment');
  item.contextValue = 'greeting';
  item.tooltip = untrustedMarkdown(greetingTooltipMarkdown(record));
  return item;
}

/** The hover of a plugin row: Markdown from pluginTooltipMarkdown, which escapes every value; untrusted, no HTML. */
export function pluginTooltip(s: PluginSnapshot, now = Date.now()): vscode.MarkdownString {
  return untrustedMarkdown(pluginTooltipMarkdown(s, now));
}

function untrustedMarkdown(markdown: string): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(markdown, false);
  tip.isTrusted = false;
  tip.supportHtml = false;
  return tip;
}
