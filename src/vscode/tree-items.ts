// Maps one PluginSnapshot (or one of its greetings) to a TreeItem: icon per state, state in
// the description, a tooltip that escapes everything the plugin or the settings supplied.

import * as vscode from 'vscode';
import type { GreetingRecord, PluginSnapshot, PluginState } from '../manager';
import { describeState, formatDuration, formatLatency, formatTransport } from './format';
import { pluginContextValue } from './plugin-actions';

/** A row of the Plugins tree: a plugin, or one greeting under it. */
export type PluginTreeNode =
  | { kind: 'plugin'; name: string }
  | { kind: 'greeting'; plugin: string; record: GreetingRecord; index: number };

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
    s.history.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  item.id = `plugin:${s.name}`;
  item.description = describeState(s);
  item.iconPath = STATE_ICONS[s.state];
  item.contextValue = pluginContextValue(s);
  // No tooltip here: VS Code calls resolveTreeItem only for items without one, and the
  // provider builds it there on hover so uptime and restart time are current.
  item.accessibilityInformation = { label: `${s.name}, ${describeState(s)}` };
  return item;
}

/** The row of one greeting under its plugin. */
export function greetingTreeItem(plugin: string, record: GreetingRecord, index: number): vscode.TreeItem {
  const item = new vscode.TreeItem(record.message, vscode.TreeItemCollapsibleState.None);
  item.id = `greeting:${plugin}:${record.at.getTime()}:${index}`;
  item.description = `${record.name} · ${formatLatency(record.latencyMs)} · ${record.at.toLocaleTimeString()}`;
  item.iconPath = new vscode.ThemeIcon('comment');
  item.contextValue = 'greeting';
  const tip = new vscode.MarkdownString();
  tip.appendText(`${record.message}\n\n`);
  tip.appendMarkdown('**Asked for** ').appendText(record.name);
  tip.appendMarkdown('  \n**Round trip** ').appendText(formatLatency(record.latencyMs));
  tip.appendMarkdown('  \n**At** ').appendText(record.at.toLocaleString());
  item.tooltip = tip;
  return item;
}

/**
 * Path, pid, transport, TLS, negotiated version, uptime, greet count, latency and last
 * error. Every value goes through appendText, which escapes Markdown, so a plugin cannot
 * inject links or commands into the hover.
 */
export function pluginTooltip(s: PluginSnapshot, now = Date.now()): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, false);
  tip.isTrusted = false;
  tip.supportHtml = false;
  const row = (label: string, value: string) => tip.appendMarkdown(`**${label}** `).appendText(value).appendMarkdown('  \n');
  tip.appendMarkdown('### ').appendText(s.name).appendMarkdown('\n\n');
  row('State', s.state);
  row('Path', s.resolvedPath ?? s.entry.path);
  if (s.entry.args?.length) row('Args', s.entry.args.join(' '));
  const info = s.info;
  if (info && (s.state === 'running' || s.state === 'stopping')) {
    if (info.pid !== undefined) row('PID', String(info.pid));
    row('Transport', formatTransport(info));
    row('TLS', info.tls ? 'on (AutoMTLS)' : info.tlsFallbackReason ? `off (${info.tlsFallbackReason})` : 'off');
    row('Protocol version', String(info.protocolVersion));
    row('Uptime', formatDuration(now - info.startedAt.getTime()));
  }
  row('Greetings', String(s.greetCount));
  if (s.lastLatencyMs !== undefined) row('Last latency', formatLatency(s.lastLatencyMs));
  if (s.crashCount > 0) row('Crashes', String(s.crashCount));
  if (s.restartAt && s.state === 'restarting') row('Restarts at', s.restartAt.toLocaleTimeString());
  const err = s.configError ?? s.lastError;
  if (err) {
    tip.appendMarkdown('\n---\n\n');
    tip.appendMarkdown(s.configError ? '**Configuration error** ' : '**Last error** ');
    tip.appendText(`${err.message}${err.detail ? `\n${err.detail}` : ''}`);
  }
  return tip;
}
