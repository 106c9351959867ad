// The `Greeter` log channel for the extension and one log channel per plugin, fed by the
// host's PluginSinks. Channels are never revealed unasked, except once per plugin on its
// first hard failure (FailureTracker decides).

import * as vscode from 'vscode';
import type { LogEntry, LogLevel, PluginSinks } from '../host/types';
import { formatLogFields } from '../host/log-parser';
import { LineSplitter } from './line-splitter';

/** Prefix of every plugin channel, so they sort together in the Output view. */
export const PLUGIN_CHANNEL_PREFIX = 'Greeter: ';

/** Owns every output channel of the extension. */
export class LogChannels implements vscode.Disposable {
  /** The extension's own log. */
  readonly main: vscode.LogOutputChannel;
  private readonly plugins = new Map<string, vscode.LogOutputChannel>();
  /** Per plugin, the sinks handed out; closed when the plugin is removed. */
  private readonly sinkTokens = new Map<string, { closed: boolean }[]>();
  /** Set by dispose(); late output from plugins that are still stopping is dropped. */
  private disposed = false;

  constructor() {
    this.main = vscode.window.createOutputChannel('Greeter', { log: true });
  }

  /** The plugin's channel, created on first use. */
  channel(pluginName: string): vscode.LogOutputChannel {
    let channel = this.plugins.get(pluginName);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`${PLUGIN_CHANNEL_PREFIX}${pluginName}`, { log: true });
      this.plugins.set(pluginName, channel);
    }
    return channel;
  }

  /** Names of plugins that have a channel. */
  pluginNames(): string[] {
    return [...this.plugins.keys()];
  }

  /** Sinks that route everything a plugin says into its channel, until the plugin is removed. */
  sinksFor(pluginName: string): PluginSinks {
    const token = { closed: false };
    this.sinkTokens.set(pluginName, [...(this.sinkTokens.get(pluginName) ?? []), token]);
    const write = (level: LogLevel, message: string) => {
      if (!this.disposed && !token.closed) writeLevel(this.channel(pluginName), level, message);
    };
    const out = new LineSplitter((line) => write('info', `[stdout] ${line}`));
    const err = new LineSplitter((line) => write('info', `[stderr] ${line}`));
    return {
      log: (entry) => write(entry.level, formatLogEntry(entry)),
      stdout: (chunk) => out.push(chunk),
      stderr: (chunk) => err.push(chunk),
      lifecycle: (level, message) => {
        // Output comes before the lifecycle line that follows it (e.g. the exit).
        out.flush();
        err.flush();
        write(level, message);
      },
    };
  }

  /** Disposes the channels of plugins that are no longer configured; their late output is dropped. */
  retain(names: Iterable<string>): void {
    const keep = new Set(names);
    for (const name of new Set([...this.sinkTokens.keys(), ...this.plugins.keys()])) {
      if (keep.has(name)) continue;
      for (const t of this.sinkTokens.get(name) ?? []) t.closed = true;
      this.sinkTokens.delete(name);
      this.plugins.get(name)?.dispose();
      this.plugins.delete(name);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const channel of this.plugins.values()) channel.dispose();
    this.plugins.clear();
    this.main.dispose();
  }
}

/** Writes at the channel method matching an hclog level. */
export function writeLevel(channel: vscode.LogOutputChannel, level: LogLevel, message: string): void {
  switch (level) {
    case 'trace': return channel.trace(message);
    case 'debug': return channel.debug(message);
    case 'info': return channel.info(message);
    case 'warn': return channel.warn(message);
    case 'error': return channel.error(message);
  }
}

/** "[module] message key=value …": an hclog line as one readable channel line. */
export function formatLogEntry(entry: LogEntry): string {
  const parts: string[] = [];
  if (entry.module) parts.push(`[${entry.module}]`);
  parts.push(entry.message);
  const fields = formatLogFields(entry.fields);
  if (fields) parts.push(fields);
  return parts.join(' ');
}
