// The `Greeter` log channel for the extension and one log channel per plugin, fed by the
// host's PluginSinks. Channels are never revealed unasked, except once per plugin on its
// first hard failure (FailureTracker decides).

import * as vscode from 'vscode';
import type { LogEntry, LogLevel, PluginSinks } from '../host/types';
import { formatLogFields } from '../host/log-parser';
import { PluginChannelRegistry } from './channel-registry';
import { LineSplitter } from './line-splitter';

/** Prefix of every plugin channel, so they sort together in the Output view. */
export const PLUGIN_CHANNEL_PREFIX = 'Greeter: ';
/** The extension's own channel. */
export const MAIN_CHANNEL_NAME = 'Greeter';

/** Every channel of the extension is a LogOutputChannel (levels, Set Log Level), made here. */
function createLogChannel(name: string): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(name, { log: true });
}

/** Owns every output channel of the extension. */
export class LogChannels implements vscode.Disposable {
  /** The extension's own log. */
  readonly main: vscode.LogOutputChannel;
  /** One channel per configured plugin; none for a plugin that is gone. */
  private readonly plugins = new PluginChannelRegistry((name) => createLogChannel(`${PLUGIN_CHANNEL_PREFIX}${name}`));

  constructor() {
    this.main = createLogChannel(MAIN_CHANNEL_NAME);
  }

  /** The plugin's channel, created on first use; undefined when no such plugin is configured. */
  channel(pluginName: string): vscode.LogOutputChannel | undefined {
    return this.plugins.channel(pluginName);
  }

  /** Names of plugins that have a channel. */
  pluginNames(): string[] {
    return this.plugins.names();
  }

  /** Sinks that route everything a plugin says into its channel, until the plugin is removed. */
  sinksFor(pluginName: string): PluginSinks {
    const writer = this.plugins.attach(pluginName);
    const write = (level: LogLevel, message: string) => writer((channel) => writeLevel(channel, level, message));
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
    this.plugins.retain(names);
  }

  dispose(): void {
    this.plugins.dispose();
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
