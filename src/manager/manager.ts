// The set of configured plugins: turns settings into supervisors, applies
// settings changes as a diff, restarts rebuilt executables, and shuts
// everything down on dispose.

import { PluginError } from '../host/errors';
import type { PluginClient } from '../host';
import { ExecutableWatcher } from './executable-watcher';
import { resolvePluginConfig, type PluginConfig } from './plugin-config';
import type { StateChange } from './plugin-state';
import { PluginSupervisor, type GreetOptions } from './supervisor';
import {
  DEFAULT_MANAGER_SETTINGS,
  type Disposable,
  type GreetingRecord,
  type ManagerLogLevel,
  type ManagerSettings,
  type PluginLogSink,
  type PluginSnapshot,
  type SubstitutionContext,
} from './types';
import { validatePluginEntries } from './validate';

/** Constructor options of the PluginManager. */
export interface PluginManagerOptions {
  settings: ManagerSettings;
  sinks: PluginLogSink;
  log?: (level: ManagerLogLevel, msg: string) => void;
  /** Every state change of every plugin, checked against the transition table (tests fail on a forbidden one). */
  onTransition?: (plugin: string, change: StateChange) => void;
}

/** Owns one PluginSupervisor per configured plugin; the UI only talks to this. */
export class PluginManager {
  private settings: ManagerSettings;
  private readonly supervisors = new Map<string, PluginSupervisor>();
  private readonly subscriptions = new Map<string, Disposable>();
  private readonly watchers = new Map<string, ExecutableWatcher>();
  /** Names in settings order, for list(). */
  private order: string[] = [];
  /** Stops of removed plugins still under way, by name; dispose() and a re-added plugin of that name wait for them. */
  private readonly pendingStops = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(s: PluginSnapshot | undefined) => void>();
  private readonly sinks: PluginLogSink;
  private readonly log: (level: ManagerLogLevel, msg: string) => void;
  private readonly onTransition?: (plugin: string, change: StateChange) => void;
  private disposed = false;

  constructor(opts: PluginManagerOptions) {
    this.settings = { ...DEFAULT_MANAGER_SETTINGS, ...opts.settings };
    this.sinks = opts.sinks;
    this.log = opts.log ?? (() => {});
    this.onTransition = opts.onTransition;
  }

  /**
   * Applies `greeter.plugins`: starts added plugins, stops removed ones and
   * restarts only those whose resolved entry changed. Never throws for bad input;
   * problems become configuration errors on the plugins they concern.
   */
  applyConfig(entries: unknown[], ctx: SubstitutionContext, settings?: ManagerSettings): void {
    if (this.disposed) return;
    if (settings) this.settings = { ...DEFAULT_MANAGER_SETTINGS, ...settings };
    if (!Array.isArray(entries)) {
      this.log('error', 'greeter.plugins must be an array of plugin entries; ignoring it.');
      entries = [];
    }
    const configs = validatePluginEntries(entries).map((v) => resolvePluginConfig(v, ctx, this.settings));
    const wanted = new Map(configs.map((c) => [c.name, c]));
    let listChanged = false;

    for (const name of [...this.supervisors.keys()]) {
      if (!wanted.has(name)) {
        this.remove(name);
        listChanged = true;
      }
    }
    for (const config of wanted.values()) {
      const existing = this.supervisors.get(config.name);
      if (existing) {
        background(existing.update(config, this.settings));
      } else {
        this.add(config);
        listChanged = true;
      }
      this.syncWatcher(config);
    }
    const order = [...wanted.keys()];
    if (order.join('\0') !== this.order.join('\0')) listChanged = true;
    this.order = order;
    if (listChanged) this.emit(undefined);
  }

  /** Snapshots of every configured plugin, in settings order. */
  list(): PluginSnapshot[] {
    return this.order.flatMap((n) => this.supervisors.get(n)?.snapshot() ?? []);
  }

  get(name: string): PluginSnapshot | undefined {
    return this.supervisors.get(name)?.snapshot();
  }

  /** Fires with a plugin's snapshot when it changes, or undefined when plugins were added, removed or reordered. */
  onDidChange(listener: (snapshot: PluginSnapshot | undefined) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async start(name: string): Promise<void> {
    return this.supervisor(name).start();
  }

  async stop(name: string): Promise<void> {
    return this.supervisor(name).stop();
  }

  async restart(name: string): Promise<void> {
    return this.supervisor(name).restart();
  }

  async startAll(): Promise<void> {
    this.refuseIfDisposed('start');
    // Disabled plugins are not part of "all": their settings say so.
    await Promise.all([...this.supervisors.values()].filter((s) => s.enabled).map((s) => s.start()));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.supervisors.values()].map((s) => s.stop()));
  }

  async restartAll(): Promise<void> {
    this.refuseIfDisposed('restart');
    await Promise.all([...this.supervisors.values()].filter((s) => s.enabled).map((s) => s.restart()));
  }

  /** Calls Greet on one plugin and records the answer in its history. */
  async greet(pluginName: string, person: string, opts?: GreetOptions): Promise<GreetingRecord> {
    return this.supervisor(pluginName).greet(person, opts);
  }

  /** The running plugin's connection for the explorer; rejects with UNAVAILABLE when it is not running. */
  async runningClient(pluginName: string): Promise<PluginClient> {
    return this.supervisor(pluginName).runningClient();
  }

  /** Resolves once every start and stop queued so far (by settings, rebuilds or calls) has finished, removed plugins' stops included. */
  async settled(): Promise<void> {
    await Promise.all([...[...this.supervisors.values()].map((s) => s.settled()), ...this.pendingStops.values()]);
  }

  /** Clears one plugin's greeting history, or every plugin's. */
  clearHistory(name?: string): void {
    if (name !== undefined) this.supervisors.get(name)?.clearHistory();
    else for (const s of this.supervisors.values()) s.clearHistory();
  }

  /** Stops everything; resolves when every plugin process is gone. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    // shutDown, not stop: a start or restart queued or asked for later must not launch anything.
    await Promise.all([...[...this.supervisors.values()].map((s) => s.shutDown()), ...this.pendingStops.values()]);
    for (const sub of this.subscriptions.values()) sub.dispose();
    this.subscriptions.clear();
  }

  // ---- internals -------------------------------------------------------------

  private refuseIfDisposed(action: string): void {
    if (this.disposed) throw new PluginError('UNAVAILABLE', `Cannot ${action} plugins: the plugin manager has shut down (the extension is deactivating).`);
  }

  private supervisor(name: string): PluginSupervisor {
    const s = this.supervisors.get(name);
    if (!s) {
      const known = this.order.length ? ` Configured plugins: ${this.order.join(', ')}.` : ' No plugins are configured.';
      throw new PluginError('INVALID_OPTIONS', `There is no plugin named "${name}" in greeter.plugins.${known}`);
    }
    return s;
  }

  private add(config: PluginConfig): void {
    const supervisor = new PluginSupervisor(config, this.settings, {
      sinks: this.sinks(config.name),
      log: this.log,
      onTransition: this.onTransition && ((change) => this.onTransition?.(config.name, change)),
      // Removed and added back (or renamed back) at once: one process at a time per name.
      after: this.pendingStops.get(config.name),
    });
    this.supervisors.set(config.name, supervisor);
    this.subscriptions.set(config.name, supervisor.onDidChange((snap) => this.emit(snap)));
    if (supervisor.state === 'stopped') background(supervisor.start());
  }

  private remove(name: string): void {
    const supervisor = this.supervisors.get(name);
    if (!supervisor) return;
    this.supervisors.delete(name);
    this.subscriptions.get(name)?.dispose();
    this.subscriptions.delete(name);
    this.watchers.get(name)?.close();
    this.watchers.delete(name);
    // Failures are logged by the supervisor. A newer stop of the same name waits for this one (`after`), so it stands for both.
    const stopping: Promise<void> = supervisor
      .shutDown()
      .catch(() => undefined)
      .finally(() => {
        if (this.pendingStops.get(name) === stopping) this.pendingStops.delete(name);
      });
    this.pendingStops.set(name, stopping);
  }

  /** Keeps one directory watcher per plugin on its current executable path. */
  private syncWatcher(config: PluginConfig): void {
    const current = this.watchers.get(config.name);
    if (current && current.filePath === config.resolvedPath) return;
    current?.close();
    this.watchers.delete(config.name);
    if (!config.resolvedPath) return;
    const name = config.name;
    const watcher = new ExecutableWatcher(
      config.resolvedPath,
      () => background(this.supervisors.get(name)?.executableChanged()),
      this.settings.watchDebounceMs ?? 300,
      (msg) => this.log('debug', `Plugin "${name}": ${msg}`),
    );
    this.watchers.set(name, watcher);
  }

  private emit(snapshot: PluginSnapshot | undefined): void {
    for (const l of this.listeners) {
      try {
        l(snapshot);
      } catch (err) {
        this.log('error', `A plugin change listener threw: ${String(err)}`);
      }
    }
  }
}

/**
 * Runs a supervisor operation nobody waits for. Its failure was already logged by the
 * supervisor's queue; catching it here keeps it from becoming an unhandled rejection.
 */
function background(op: Promise<void> | undefined): void {
  op?.catch(() => undefined);
}
