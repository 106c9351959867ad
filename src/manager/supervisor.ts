// One supervisor per configured plugin: owns its process, walks the state
// machine, restarts it after a crash as the RestartPolicy says, and serializes
// start/stop so two clicks never launch two processes.

import { performance } from 'node:perf_hooks';
import { startPlugin, type PluginClient } from '../host';
import { greet } from '../greeter';
import { PluginError, isPluginError } from '../host/errors';
import type { ExitInfo, PluginSinks } from '../host/types';
import type { PluginConfig } from './plugin-config';
import { canTransition } from './plugin-state';
import { formatMs, formatWindow } from './format';
import { RestartPolicy, isFatalStartError } from './restart-policy';
import {
  HISTORY_LIMIT,
  type Disposable,
  type GreetingRecord,
  type ManagerLogLevel,
  type ManagerSettings,
  type PluginSnapshot,
  type PluginState,
} from './types';

/** Options of one Greet call through the supervisor. */
export interface GreetOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Keeps one plugin in the state its configuration and the user ask for. */
export class PluginSupervisor {
  private _state: PluginState = 'stopped';
  private config: PluginConfig;
  private settings: ManagerSettings;
  private policy: RestartPolicy;
  private client?: PluginClient;
  /** Set while we stop the process ourselves, so its exit is not a crash. */
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  /** Aborts the start in progress, so a stop or restart need not wait out the handshake timeout. */
  private startAbort?: AbortController;
  /** Bumped by every stop, restart or update; see cancelPending. */
  private generation = 0;
  private restartAt?: Date;
  private lastError?: PluginError;
  private crashCount = 0;
  private greetCount = 0;
  private lastLatencyMs?: number;
  private history: GreetingRecord[] = [];
  /** Tail of the serialized start/stop operations. */
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(s: PluginSnapshot) => void>();

  constructor(
    config: PluginConfig,
    settings: ManagerSettings,
    private readonly sinks: PluginSinks,
    private readonly log: (level: ManagerLogLevel, message: string) => void = () => {},
  ) {
    this.config = config;
    this.settings = settings;
    this.policy = newPolicy(settings);
    this.settleIdleState();
  }

  get name(): string {
    return this.config.name;
  }

  get state(): PluginState {
    return this._state;
  }

  /** A copy of everything the UI shows about this plugin. */
  snapshot(): PluginSnapshot {
    return {
      name: this.config.name,
      state: this._state,
      entry: this.config.entry,
      resolvedPath: this.config.resolvedPath,
      configError: this.config.configError,
      lastError: this.lastError,
      info: this.client && this._state === 'running' ? { ...this.client.info } : undefined,
      restartAt: this._state === 'restarting' ? this.restartAt : undefined,
      crashCount: this.crashCount,
      greetCount: this.greetCount,
      lastLatencyMs: this.lastLatencyMs,
      history: [...this.history],
    };
  }

  /** Fires with a fresh snapshot after every state or data change. */
  onDidChange(listener: (s: PluginSnapshot) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts the plugin (a no-op when running, disabled or misconfigured); resets the crash count. */
  start(): Promise<void> {
    return this.enqueue(() => this.doStart(true));
  }

  /** Stops the plugin and cancels a pending restart; resolves when the process is gone. */
  stop(): Promise<void> {
    this.cancelPending();
    return this.enqueue(() => this.doStop());
  }

  /** Stops then starts from scratch, as a user's "Restart" should. */
  restart(): Promise<void> {
    const generation = this.cancelPending();
    return this.enqueue(async () => {
      await this.doStop();
      // A stop or dispose that came in meanwhile wins over the start half.
      if (generation !== this.generation) return;
      await this.doStart(true);
    });
  }

  /**
   * Takes a new configuration. Only a changed fingerprint restarts the plugin;
   * settings such as the restart limit apply without a restart.
   */
  update(config: PluginConfig, settings: ManagerSettings): Promise<void> {
    const changed = config.fingerprint !== this.config.fingerprint;
    this.config = config;
    if (policyChanged(this.settings, settings)) this.policy = newPolicy(settings);
    this.settings = settings;
    if (!changed) {
      this.emit();
      return this.queue;
    }
    // A plugin the user stopped stays stopped; everything else runs with the new entry.
    const userStopped = this._state === 'stopped' || this._state === 'stopping';
    const generation = this.cancelPending();
    return this.enqueue(async () => {
      this.log('info', `Plugin "${this.name}": configuration changed.`);
      await this.doStop();
      if (this.settleIdleState() || userStopped || generation !== this.generation) return;
      await this.doStart(true);
    });
  }

  /** Restarts after the executable was rebuilt, unless the user stopped or disabled the plugin. */
  executableChanged(): Promise<void> {
    if (this._state === 'stopped' || this._state === 'disabled' || this._state === 'stopping' || this.config.configError) {
      return this.queue;
    }
    this.lifecycle('info', `The executable ${this.config.resolvedPath} changed on disk; restarting the plugin.`);
    return this.restart();
  }

  /** Calls Greet and records the answer and its round-trip time. */
  async greet(person: string, opts: GreetOptions = {}): Promise<GreetingRecord> {
    if (this._state === 'starting') await this.queue;
    const client = this.client;
    if (!client || this._state !== 'running') throw this.notRunningError();
    const t0 = performance.now();
    const message = await greet(client, person, { signal: opts.signal, timeoutMs: opts.timeoutMs ?? this.settings.callTimeoutMs });
    const record: GreetingRecord = { name: person, message, latencyMs: performance.now() - t0, at: new Date() };
    this.greetCount++;
    this.lastLatencyMs = record.latencyMs;
    this.history = [record, ...this.history].slice(0, HISTORY_LIMIT);
    this.emit();
    return record;
  }

  /** Forgets the greeting history (counters stay). */
  clearHistory(): void {
    this.history = [];
    this.emit();
  }

  // ---- internals -------------------------------------------------------------

  /** Moves to 'failed' / 'disabled' when the config says the plugin cannot run; true if it did. */
  private settleIdleState(): boolean {
    if (this.config.configError) {
      // Into the plugin's own log (the one Show Log opens), once per distinct problem.
      if (this.lastError?.message !== this.config.configError.message) {
        this.lifecycle('error', `Not started: configuration error. ${this.config.configError.message}`);
      }
      this.lastError = this.config.configError;
      this.setState('failed');
      return true;
    }
    if (!this.config.enabled) {
      this.setState('disabled');
      return true;
    }
    if (this._state === 'failed' || this._state === 'disabled') this.setState('stopped');
    return false;
  }

  private async doStart(manual: boolean): Promise<void> {
    if (!manual && this._state !== 'restarting') return; // a stop or manual start came first
    if (this._state === 'running' || this._state === 'disabled') return;
    if (this.config.configError || !this.config.launch) {
      this.settleIdleState();
      return;
    }
    this.cancelRestartTimer();
    if (manual) {
      this.policy.reset();
      this.crashCount = 0;
      this.lastError = undefined;
    }
    this.setState('starting');
    const abort = new AbortController();
    this.startAbort = abort;
    let client: PluginClient;
    try {
      client = await startPlugin({
        ...this.config.launch,
        startTimeoutMs: this.settings.startTimeoutMs,
        sinks: this.sinks,
        signal: abort.signal,
      });
    } catch (err) {
      const error = toPluginError(err, this.name);
      if (abort.signal.aborted || error.code === 'STOPPED') {
        // Stopped on purpose (stop, restart, new settings, dispose): not a failure.
        this.lifecycle('info', 'Start cancelled; the process was stopped before its handshake.');
        this.setState('stopped');
        return;
      }
      this.lastError = error;
      if (isFatalStartError(error.code)) {
        this.log('error', `[${error.code}] ${error.message}`);
        this.lifecycle('error', `[${error.code}] ${error.describe()}`);
        this.lifecycle('info', 'Not restarting it automatically: fix the cause above, then start the plugin again.');
        this.setState('failed');
      } else {
        this.onCrash(error);
      }
      return;
    } finally {
      if (this.startAbort === abort) this.startAbort = undefined;
    }
    this.client = client;
    void client.exited.then((exit) => this.onExit(client, exit));
    this.setState('running');
    this.log('info', `Plugin "${this.name}" is running (pid ${client.info.pid ?? 'unknown'}).`);
  }

  private async doStop(): Promise<void> {
    this.cancelRestartTimer();
    const client = this.client;
    if (client) {
      this.stopping = true;
      this.setState('stopping');
      try {
        await client.stop();
      } catch (err) {
        this.log('warn', `Plugin "${this.name}": stop failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      await client.exited;
      this.client = undefined;
      this.stopping = false;
    }
    // A misconfigured plugin stays 'failed' (its error is the point); a disabled one stays 'disabled'.
    if (this.config.configError && this._state === 'failed') return;
    this.lastError = undefined; // a stopped plugin has no "last error" to show
    this.restartAt = undefined;
    if (this._state !== 'stopped' && this._state !== 'disabled') this.setState('stopped');
  }

  /** The process ended; unless we stopped it, that is a crash. */
  private onExit(client: PluginClient, exit: ExitInfo): void {
    if (client !== this.client || this.stopping) return;
    this.client = undefined;
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    this.onCrash(
      new PluginError('PLUGIN_EXITED', `The ${this.name} plugin ${how} unexpectedly (pid ${client.info.pid ?? 'unknown'}).`),
    );
  }

  /** Counts a crash and either schedules a restart with backoff or gives up. */
  private onCrash(error: PluginError): void {
    this.crashCount++;
    this.lastError = error;
    const decision = this.policy.onCrash(this.name, Date.now());
    if (decision.action === 'fail') {
      this.lastError = new PluginError('PLUGIN_EXITED', decision.message, error.message, { cause: error });
      this.log('error', decision.message);
      this.lifecycle('error', decision.message);
      this.setState('failed');
      return;
    }
    const { delayMs } = decision;
    this.restartAt = new Date(Date.now() + delayMs);
    this.lifecycle(
      'warn',
      `${error.message} Restarting in ${formatMs(delayMs)} (restart ${decision.crashesInWindow} of ${this.settings.restartLimit} allowed in the last ${formatWindow(this.settings.restartWindowMs)}).`,
    );
    this.setState('restarting');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.enqueue(() => this.doStart(false)).catch(() => undefined); // logged by enqueue
    }, delayMs);
  }

  /** Cancels what would otherwise run before the caller's queued operation: a pending restart and a start in progress. */
  /**
   * Cancels a scheduled restart and a start in progress, and starts a new generation so
   * that queued "stop, then start" operations skip their start. Returns the new generation.
   */
  private cancelPending(): number {
    this.cancelRestartTimer();
    this.startAbort?.abort();
    return ++this.generation;
  }

  private cancelRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private notRunningError(): PluginError {
    const why = this.lastError && this._state === 'failed' ? ` ${this.lastError.message}` : '';
    return new PluginError(
      'UNAVAILABLE',
      `The ${this.name} plugin is not running (it is ${this._state}).${why} Start or restart it, then try again.`,
    );
  }

  /** Runs `op` after every earlier operation; a failing op never blocks later ones. */
  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(op, op);
    this.queue = run.catch((err) => this.log('error', `Plugin "${this.name}": ${err instanceof Error ? err.stack : String(err)}`));
    return run;
  }

  private setState(next: PluginState): void {
    const prev = this._state;
    if (prev !== next && !canTransition(prev, next)) {
      this.log('error', `Plugin "${this.name}": unexpected state change ${prev} -> ${next}.`);
    }
    this._state = next;
    if (next !== 'restarting') this.restartAt = undefined;
    if (prev !== next) this.lifecycle('debug', `State: ${prev} -> ${next}`);
    this.emit();
  }

  private lifecycle(level: ManagerLogLevel, message: string): void {
    this.sinks.lifecycle?.(level, message);
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const snap = this.snapshot();
    for (const l of this.listeners) {
      try {
        l(snap);
      } catch (err) {
        this.log('error', `Plugin "${this.name}": change listener threw: ${String(err)}`);
      }
    }
  }
}

/** Only a change of the restart knobs replaces the policy (and forgets its crash history). */
function policyChanged(a: ManagerSettings, b: ManagerSettings): boolean {
  return (
    a.restartLimit !== b.restartLimit ||
    a.restartWindowMs !== b.restartWindowMs ||
    a.restartBaseDelayMs !== b.restartBaseDelayMs ||
    a.restartMaxDelayMs !== b.restartMaxDelayMs
  );
}

function newPolicy(s: ManagerSettings): RestartPolicy {
  return new RestartPolicy({
    restartLimit: s.restartLimit,
    restartWindowMs: s.restartWindowMs,
    baseDelayMs: s.restartBaseDelayMs,
    maxDelayMs: s.restartMaxDelayMs,
  });
}

/** Any failure from the host as a typed PluginError. */
function toPluginError(err: unknown, name: string): PluginError {
  if (isPluginError(err)) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new PluginError('SPAWN_FAILED', `The ${name} plugin could not be started: ${why}`, undefined, { cause: err });
}
