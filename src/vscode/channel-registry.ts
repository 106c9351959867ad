// Which plugins may have an output channel: exactly the configured ones. A plugin counts as
// configured from the moment the manager asks for its sinks until the list no longer names
// it; a channel is created on first use only while that holds, so late output of a removed
// plugin, or Show Log from an old notification, never brings its channel back.
// No vscode import: the channel factory is passed in.

/** What the registry needs of a channel. */
export interface Disposable {
  dispose(): void;
}

/** One handout of sinks; closed when its plugin is removed. */
interface SinkToken {
  closed: boolean;
}

/** Owns the per-plugin channels, created by `create` on first use. */
export class PluginChannelRegistry<C extends Disposable> {
  private readonly channels = new Map<string, C>();
  /** Per configured plugin, the sinks handed out (a plugin is configured while it has any). */
  private readonly tokens = new Map<string, SinkToken[]>();
  private disposed = false;

  constructor(private readonly create: (pluginName: string) => C) {}

  /**
   * Marks the plugin configured (the manager asks for sinks when it adds a plugin) and
   * returns a writer that reaches its channel until the plugin is removed or the registry
   * disposed; after that, writes are dropped.
   */
  attach(pluginName: string): (write: (channel: C) => void) => void {
    const token: SinkToken = { closed: false };
    this.tokens.set(pluginName, [...(this.tokens.get(pluginName) ?? []), token]);
    return (write) => {
      if (token.closed || this.disposed) return;
      const channel = this.channel(pluginName);
      if (channel) write(channel);
    };
  }

  /** The plugin's channel, created on first use; undefined for a plugin that is not configured. */
  channel(pluginName: string): C | undefined {
    let channel = this.channels.get(pluginName);
    if (!channel && !this.disposed && this.tokens.has(pluginName)) {
      channel = this.create(pluginName);
      this.channels.set(pluginName, channel);
    }
    return channel;
  }

  /** Names of plugins that have a channel. */
  names(): string[] {
    return [...this.channels.keys()];
  }

  /** Disposes the channels of plugins that are no longer configured; their late output is dropped. */
  retain(names: Iterable<string>): void {
    const keep = new Set(names);
    for (const name of new Set([...this.tokens.keys(), ...this.channels.keys()])) {
      if (keep.has(name)) continue;
      for (const t of this.tokens.get(name) ?? []) t.closed = true;
      this.tokens.delete(name);
      this.channels.get(name)?.dispose();
      this.channels.delete(name);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
    this.tokens.clear();
  }
}
