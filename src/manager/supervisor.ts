// One supervisor per configured plugin. It keeps the plugin's process where the user and
// the settings want it (`wanted`), restarts it after a crash as the RestartPolicy says,
// and runs every start and stop one after the other, so two clicks never launch two
// processes.
//
// Who decides `wanted`: a user Start or Restart ('running'), a user Stop ('stopped'), and
// the settings (enabled: false or removed -> 'stopped'; enabled again -> 'running').
// Nothing else: a changed entry or a rebuilt executable restarts a plugin that is wanted
// running and leaves one the user stopped alone, whatever its process is doing just then.

import { performance } from 'node:perf_hooks';
import { startPlugin, type PluginClient } from '../host';
import { greet } from '../greeter';
import { PluginError, isPluginError } from '../host/errors';
import type { ExitInfo, PluginSinks } from '../host/types';
import { describeExit, formatMs, formatWindow } from '../host/format';
import { DEFAULT_STOP_TIMEOUT_MS, stopWithin } from './bounded-stop';
import { GreetStats } from './greet-stats';
import type { PluginConfig } from './plugin-config';
import { PluginStateMachine, type StateChange } from './plugin-state';
import { RestartPolicy, isFatalStartError, newPolicy, policyChanged } from './restart-policy';
import type { Disposable, GreetingRecord, ManagerLogLevel, ManagerSettings, PluginSnapshot, PluginState } from './types';

/** Options of one Greet call through the supervisor. */
export interface GreetOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** What the user and the settings want; see the module comment. */
export type WantedState = 'running' | 'stopped';

/** Hooks and tunables a supervisor gets from its manager. */
export interface SupervisorOptions {
  sinks: PluginSinks;
  log?: (level: ManagerLogLevel, message: string) => void;
  /** Every state change, with whether the transition table allows it. */
  onTransition?: (change: StateChange) => void;
  /** Resolves when an earlier process of the same name is gone; nothing launches before. */
  after?: Promise<void>;
}

/** The process the supervisor owns, with the configuration it was launched from. */
interface RunningProcess {
  client: PluginClient;
  fingerprint: string;
}

/** Keeps one plugin in the state its configuration and the user ask for. */
export class PluginSupervisor {
  private readonly machine: PluginStateMachine;
  private wanted: WantedState;
  private config: PluginConfig;
  private settings: ManagerSettings;
  private policy: RestartPolicy;
  private readonly stats = new GreetStats();
  /** The live process; cleared before we stop it, so its exit is never taken for a crash. */
  private process?: RunningProcess;
  /** Cancels the start in progress, so a stop need not wait out the handshake timeout. */
  private launching?: AbortController;
  private restartTimer?: NodeJS.Timeout;
  private restartAt?: Date;
  private lastError?: PluginError;
  private crashCount = 0;
  /** Tail of the serialized start/stop operations. */
  private queue: Promise<void>;
  /** Set by shutDown(): this supervisor never launches a process again. */
  private closed = false;
  private readonly listeners = new Set<(s: PluginSnapshot) => void>();
  private readonly sinks: PluginSinks;
  private readonly log: (level: ManagerLogLevel, message: string) => void;

  constructor(config: PluginConfig, settings: ManagerSettings, opts: SupervisorOptions) {
    this.config = config;
    this.settings = settings;
    this.sinks = opts.sinks;
    this.log = opts.log ?? (() => {});
    this.wanted = config.enabled ? 'running' : 'stopped';
    // A plugin of the same name removed a moment ago may still be stopping: launch after it is gone.
    this.queue = opts.after ?? Promise.resolve();
    this.policy = newPolicy(settings);
    this.machine = new PluginStateMachine((change) => this.reportTransition(change, opts.onTransition));
    this.settleIdleState();
  }

  get name(): string {
    return this.config.name;
  }

  get state(): PluginState {
    return this.machine.state;
  }

  /** A copy of everything the UI shows about this plugin. */
  snapshot(): PluginSnapshot {
    const state = this.machine.state;
    return {
      name: this.config.name,
      state,
      entry: this.config.entry,
      resolvedPath: this.config.resolvedPath,
      protoSources: this.config.protoSources,
      offeredVersions: this.config.launch?.protocolVersions,
      configError: this.config.configError,
      lastError: this.lastError,
      info: this.process && state === 'running' ? { ...this.process.client.info } : undefined,
      restartAt: this.restartTimer ? this.restartAt : undefined, // set exactly while a restart is scheduled
      crashCount: this.crashCount,
      ...this.stats.snapshot(),
    };
  }

  /** Fires with a fresh snapshot after every state or data change. */
  onDidChange(listener: (s: PluginSnapshot) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** True unless the settings disable the plugin (`"enabled": false`). */
  get enabled(): boolean {
    return this.config.enabled;
  }

  /** The user's Start (also the first start of a new plugin): a no-op when running or misconfigured; refused when disabled. */
  start(): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    this.wanted = 'running';
    return this.enqueue(() => this.bringUp(true));
  }

  /** The user's Stop, remembered until the user starts it again; resolves when the process is gone or given up on. */
  stop(): Promise<void> {
    this.wanted = 'stopped';
    this.cancelPending();
    return this.enqueue(() => this.bringDown());
  }

  /** The user's Restart: stops, then starts from scratch (a Stop that comes in meanwhile wins). */
  restart(): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    this.wanted = 'running';
    this.cancelPending();
    return this.enqueue(async () => {
      await this.bringDown();
      await this.bringUp(true);
    });
  }

  /**
   * Takes a new configuration. A changed entry restarts the plugin if it is wanted
   * running; enabling or disabling it is the settings' own Start or Stop. Settings such as
   * the restart limit apply without a restart.
   */
  update(config: PluginConfig, settings: ManagerSettings): Promise<void> {
    const previous = this.config;
    this.config = config;
    if (policyChanged(this.settings, settings)) this.policy = newPolicy(settings);
    this.settings = settings;
    if (config.fingerprint === previous.fingerprint) {
      // Same launch: only a different entry text (e.g. a path spelled differently) shows.
      if (JSON.stringify(config.entry) !== JSON.stringify(previous.entry)) this.emit();
      return this.queue;
    }
    if (config.enabled !== previous.enabled) this.wanted = config.enabled ? 'running' : 'stopped';
    this.cancelPending();
    return this.enqueue(async () => {
      this.log('info', `Plugin "${this.name}": configuration changed.`);
      // Skipped when a start queued before this one already launched the new entry.
      if (this.process?.fingerprint !== this.config.fingerprint) await this.bringDown();
      if (this.settleIdleState()) return;
      await this.bringUp(true);
    });
  }

  /** Restarts after the executable was rebuilt, if the plugin is wanted running. */
  executableChanged(): Promise<void> {
    if (this.wanted !== 'running' || !this.config.enabled || this.config.configError) {
      const why = !this.config.enabled ? 'it is disabled' : this.config.configError ? 'its entry has a configuration error' : 'it was stopped';
      this.lifecycle('info', `The executable ${this.config.resolvedPath} changed on disk; not restarting the plugin: ${why}.`);
      return this.queue;
    }
    this.lifecycle('info', `The executable ${this.config.resolvedPath} changed on disk; restarting the plugin.`);
    this.cancelPending();
    return this.enqueue(async () => {
      await this.bringDown();
      await this.bringUp(true);
    });
  }

  /**
   * For good (the manager is disposed): stops the process, and nothing queued or asked
   * later launches another. Resolves when the process is gone or given up on.
   */
  shutDown(): Promise<void> {
    this.closed = true;
    this.wanted = 'stopped';
    this.cancelPending();
    return this.enqueue(() => this.bringDown());
  }

  /** Calls Greet and records the answer and its round-trip time. */
  async greet(person: string, opts: GreetOptions = {}): Promise<GreetingRecord> {
    if (this.state === 'starting') await this.queue;
    const client = this.process?.client;
    if (!client || this.state !== 'running') throw this.notRunningError();
    const t0 = performance.now();
    const message = await greet(client, person, { signal: opts.signal, timeoutMs: opts.timeoutMs ?? this.settings.callTimeoutMs });
    const record: GreetingRecord = { name: person, message, latencyMs: performance.now() - t0, at: new Date() };
    this.stats.record(record);
    this.emit();
    return record;
  }

  /**
   * The running plugin's connection, for the explorer (reflection and dynamic calls);
   * waits for a start under way. The client's `signal` aborts when this process ends.
   */
  async runningClient(): Promise<PluginClient> {
    if (this.state === 'starting') await this.queue;
    const client = this.process?.client;
    if (!client || this.state !== 'running') throw this.notRunningError();
    return client;
  }

  /**
   * Resolves once every start and stop queued so far has finished (a scheduled restart
   * shows as `restartAt` in the snapshot). Lets callers and tests wait for a settings
   * change to take effect instead of sleeping.
   */
  async settled(): Promise<void> {
    let tail: Promise<void>;
    do {
      tail = this.queue;
      await tail;
    } while (tail !== this.queue);
  }

  /** Forgets the greeting history (counters stay). */
  clearHistory(): void {
    this.stats.clearHistory();
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
    if (this.state === 'failed' || this.state === 'disabled') this.setState('stopped');
    return false;
  }

  /**
   * Launches the plugin if it is wanted running and has no process. `fresh` (a user's or
   * the settings' start) forgets earlier crashes; an automatic restart does not.
   */
  private async bringUp(fresh: boolean): Promise<void> {
    if (this.closed || this.wanted !== 'running' || this.process) return;
    if (this.config.configError || !this.config.enabled || !this.config.launch) {
      this.settleIdleState();
      return;
    }
    this.cancelRestartTimer();
    if (fresh) {
      this.policy.reset();
      this.crashCount = 0;
      this.lastError = undefined;
    }
    const fingerprint = this.config.fingerprint;
    this.setState('starting');
    const abort = new AbortController();
    this.launching = abort;
    let client: PluginClient;
    try {
      client = await startPlugin({
        ...this.config.launch,
        startTimeoutMs: this.settings.startTimeoutMs,
        sinks: this.sinks,
        signal: abort.signal,
      });
    } catch (err) {
      this.onStartFailed(err, abort.signal.aborted);
      return;
    } finally {
      if (this.launching === abort) this.launching = undefined;
    }
    this.process = { client, fingerprint };
    void client.exited.then((exit) => this.onExit(client, exit));
    this.setState('running');
    this.log('info', `Plugin "${this.name}" is running (pid ${client.info.pid ?? 'unknown'}).`);
  }

  private onStartFailed(err: unknown, cancelled: boolean): void {
    const error = toPluginError(err, this.name);
    if (cancelled || error.code === 'STOPPED') {
      // Stopped on purpose (stop, restart, new settings, dispose): not a failure.
      this.lifecycle('info', 'Start cancelled; the process was stopped before its handshake.');
      this.setState('stopped');
      return;
    }
    this.lastError = error;
    if (error.code === 'HOST_ERROR') {
      // Not the plugin's fault (ENOSPC, a programming error): no retry would help, and a
      // restart loop would make it look like a flaky plugin. The stack is for the bug report.
      const cause = error.cause instanceof Error ? error.cause : error;
      this.log('error', `Plugin "${this.name}": [HOST_ERROR] ${error.message}\n${cause.stack ?? String(cause)}`);
      this.lifecycle('error', `[HOST_ERROR] ${error.describe()}`);
      this.setState('failed');
      return;
    }
    if (isFatalStartError(error.code)) {
      this.log('error', `[${error.code}] ${error.message}`);
      this.lifecycle('error', `[${error.code}] ${error.describe()}`);
      this.lifecycle('info', 'Not restarting it automatically: fix the cause above, then start the plugin again.');
      this.setState('failed');
    } else {
      this.onCrash(error);
    }
  }

  /** Stops the process if there is one, within the stop bound, and ends 'stopped'. */
  private async bringDown(): Promise<void> {
    this.cancelRestartTimer();
    const running = this.process;
    if (running) {
      this.process = undefined;
      this.setState('stopping');
      const left = await stopWithin(running.client, this.settings.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS, (err) =>
        this.log('warn', `Plugin "${this.name}": stop failed: ${err instanceof Error ? err.message : String(err)}`),
      );
      if (left) {
        this.log('warn', `Plugin "${this.name}": ${left}`);
        this.lifecycle('warn', left);
      }
    }
    // A misconfigured plugin stays 'failed' (its error is the point); a disabled one stays 'disabled'.
    if (this.config.configError && this.state === 'failed') return;
    this.lastError = undefined; // a stopped plugin has no "last error" to show
    if (this.state !== 'stopped' && this.state !== 'disabled') this.setState('stopped');
  }

  /** The process ended; unless we stopped it (then it is no longer ours), that is a crash. */
  private onExit(client: PluginClient, exit: ExitInfo): void {
    if (client !== this.process?.client) return;
    this.process = undefined;
    this.onCrash(
      new PluginError('PLUGIN_EXITED', `The ${this.name} plugin exited unexpectedly (${describeExit(exit)}, pid ${client.info.pid ?? 'unknown'}).`),
    );
  }

  /** Counts a crash and either schedules a restart with backoff or gives up. */
  private onCrash(error: PluginError): void {
    this.crashCount++;
    this.lastError = error;
    const decision = this.policy.onCrash(this.name, Date.now());
    if (decision.action === 'fail') {
      // The cause keeps its own code and detail (the stderr tail); the message says both why we gave up and what failed.
      this.lastError = new PluginError(error.code, `${decision.message} Last failure: ${error.message}`, error.detail, { cause: error });
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
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      // Only if nothing (a stop, a new start) has happened since the crash.
      this.enqueue(async () => {
        if (this.state === 'restarting') await this.bringUp(false);
      }).catch(() => undefined); // logged by enqueue
    }, delayMs);
    this.setState('restarting'); // after the timer, so its snapshot carries restartAt
  }

  /** Cancels what would otherwise run before the caller's operation: a scheduled restart and a start in progress. */
  private cancelPending(): void {
    this.cancelRestartTimer();
    this.launching?.abort();
  }

  private cancelRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  /** Why a Start or Restart cannot be done, if it cannot. */
  private refusal(): PluginError | undefined {
    if (this.closed) return new PluginError('UNAVAILABLE', `The ${this.name} plugin was not started: the plugin manager has shut down (the extension is deactivating).`);
    if (!this.config.enabled) return disabledError(this.name);
    return undefined;
  }

  private notRunningError(): PluginError {
    if (this.closed) return new PluginError('UNAVAILABLE', `The ${this.name} plugin is not running: the plugin manager has shut down (the extension is deactivating).`);
    if (this.state === 'disabled') return disabledError(this.name);
    if (this.state === 'restarting') {
      const at = this.restartAt ? ` at ${this.restartAt.toLocaleTimeString()}` : '';
      return new PluginError(
        'UNAVAILABLE',
        `The ${this.name} plugin is not running: it stopped unexpectedly and restarts by itself${at}. Try again after that.${this.lastError ? ` ${this.lastError.message}` : ''}`,
      );
    }
    const why = this.lastError && this.state === 'failed' ? ` ${this.lastError.message}` : '';
    return new PluginError(
      'UNAVAILABLE',
      `The ${this.name} plugin is not running (it is ${this.state}).${why} Start or restart it, then try again.`,
    );
  }

  /** Runs `op` after every earlier operation; a failing op never blocks later ones. */
  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(op, op);
    this.queue = run.catch((err) => this.log('error', `Plugin "${this.name}": ${err instanceof Error ? err.stack : String(err)}`));
    return run;
  }

  private setState(next: PluginState): void {
    if (!this.machine.moveTo(next)) {
      this.emit(); // same state, new data (an error, a restart time)
      return;
    }
    if (next !== 'restarting') this.restartAt = undefined;
    this.emit();
  }

  private reportTransition(change: StateChange, hook?: (change: StateChange) => void): void {
    if (!change.allowed) {
      this.log('error', `Plugin "${this.name}": state change ${change.from} -> ${change.to} is not in the transition table.\n${new Error().stack}`);
    }
    this.lifecycle('debug', `State: ${change.from} -> ${change.to}`);
    try {
      hook?.(change);
    } catch (err) {
      this.log('error', `Plugin "${this.name}": transition listener threw: ${String(err)}`);
    }
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

function disabledError(name: string): PluginError {
  return new PluginError('UNAVAILABLE', `The ${name} plugin is disabled in settings ("enabled": false in greeter.plugins); set "enabled" to true to start it.`);
}

/** Any failure from startPlugin as a typed PluginError; anything untyped is the host's own (a bug), never the plugin's. */
function toPluginError(err: unknown, name: string): PluginError {
  if (isPluginError(err)) return err;
  const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new PluginError(
    'HOST_ERROR',
    `Starting the ${name} plugin failed inside the host, not in the plugin (${why}). Restarting it will not help; please report this with the log.`,
    undefined,
    { cause: err },
  );
}
