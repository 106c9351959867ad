// A running, connected plugin: the host's own connection to it, the grpc-js channel for
// stubs, the process behind it, and a bounded, idempotent stop() (controller Shutdown, 2 s,
// SIGKILL).
import type * as grpc from '@grpc/grpc-js';
import { grpcJs } from './grpc-js';
import { EventEmitter, setMaxListeners } from 'node:events';
import { HostBroker, type BrokerSecurity } from './broker';
import { isPluginError, PluginError } from './errors';
import { describeExit } from './format';
import { Status } from './grpc-status';
import { checkHealth } from './health-check';
import type { PluginChannel, PluginStream } from './plugin-channel';
import type { PluginProcess } from './plugin-process';
import { pumpStdio } from './stdio';
import { GRACEFUL_EXIT_MS, SHUTDOWN_CALL_DEADLINE_MS, settlesWithin } from './timing';
import type { ConnectionInfo, ExitInfo, Handshake, PluginSinks } from './types';

export { GRACEFUL_EXIT_MS } from './timing';

const SHUTDOWN = '/plugin.GRPCController/Shutdown';

export interface PluginClientParts {
  name: string;
  handshake: Handshake;
  info: ConnectionInfo;
  /** The host's own connection (node:http2): health, controller, stdio, broker, Greet. */
  connection: PluginChannel;
  /** For the grpc-js channel that every other service's stub uses, made on first use (credentials from `security`). */
  target: string;
  channelOptions: grpc.ChannelOptions;
  process: PluginProcess;
  security: BrokerSecurity;
  sinks: PluginSinks;
  socketDir?: string;
  /** Releases what the launch owns (socket directory, registry record); never rejects. */
  release?: () => Promise<void>;
}

/**
 * A running plugin: connected over gRPC (AutoMTLS when negotiated), its stdout/stderr and
 * logs routed to the sinks, stopped with `stop()` (controller Shutdown, then signals).
 *
 * Two connections: `connection` (node:http2, made at start) carries go-plugin's own
 * services, Greet and the explorer's calls; `channel` (grpc-js), made on first use, carries
 * the stubs of makeClient() (a user's own services). grpc-js's set-up is the larger part of
 * a plugin's start otherwise (bench/NOTES.md, "Cold start").
 */
export class PluginClient extends EventEmitter {
  readonly name: string;
  readonly handshake: Handshake;
  readonly info: ConnectionInfo;
  /** The host's own HTTP/2 connection to the plugin (unary calls, streams). */
  readonly connection: PluginChannel;
  /** Resolves when the plugin's process is gone; never rejects. */
  readonly exited: Promise<ExitInfo>;
  readonly broker: HostBroker;
  private readonly abortController = new AbortController();
  private exitInfo?: ExitInfo;
  private stopping?: Promise<void>;
  private stdioCall?: PluginStream;
  private grpcChannel?: grpc.Channel;

  constructor(private readonly parts: PluginClientParts) {
    super();
    this.name = parts.name;
    this.handshake = parts.handshake;
    this.info = parts.info;
    this.connection = parts.connection;
    // Every in-flight call listens for the plugin's exit on purpose; many calls are not a leak.
    setMaxListeners(0, this.abortController.signal);
    this.broker = new HostBroker(parts.connection, parts.security, parts.socketDir, parts.name);
    this.exited = parts.process.exited.then((info) => {
      this.exitInfo = info;
      // Documented never to reject: a throwing listener costs only itself.
      try {
        this.onExit(info);
      } catch (e) {
        this.parts.sinks.lifecycle?.('error', `handling the plugin's exit failed: ${(e as Error)?.message ?? e}`);
      }
      return info;
    });
  }

  /** Aborted when the plugin exits or stop() begins; in-flight calls listen to it. */
  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  /** What a call on this plugin listens to: it ends when the caller aborts or the plugin goes away (exit or stop). */
  callSignals(caller?: AbortSignal): AbortSignal | AbortSignal[] {
    return caller ? [caller, this.signal] : this.signal;
  }

  get isExited(): boolean {
    return this.exitInfo !== undefined;
  }

  get pid(): number | undefined {
    return this.parts.process.pid;
  }

  /** The grpc-js channel the stubs of makeClient() share, connected on first use. */
  get channel(): grpc.Channel {
    if (!this.grpcChannel) {
      this.grpcChannel = new (grpcJs().Channel)(this.parts.target, this.parts.security.channel(), this.parts.channelOptions);
      // Asked for once the plugin is stopping or gone: grpc-js refuses its calls at once
      // instead of dialling a gone plugin.
      if (this.signal.aborted) this.grpcChannel.close();
    }
    return this.grpcChannel;
  }

  /**
   * Builds a service stub on this plugin's shared grpc-js channel. Once the plugin is stopped
   * or gone, its calls end with UNAVAILABLE and the reason (through the callback or the
   * stream's status), where grpc-js would throw "Channel has been shut down" at the caller.
   */
  makeClient<T extends grpc.Client>(ctor: grpc.ServiceClientConstructor | (new (...args: never[]) => T)): T {
    const Ctor = ctor as unknown as new (target: string, creds: grpc.ChannelCredentials, options: grpc.ClientOptions) => T;
    return new Ctor(this.parts.target, this.parts.security.channel(), { channelOverride: this.channel, interceptors: [this.refuseWhenGone] });
  }

  /** A grpc-js interceptor that answers every call itself once the plugin is stopped or gone. */
  private readonly refuseWhenGone: grpc.Interceptor = (options, nextCall) => {
    const { InterceptingCall, Metadata } = grpcJs();
    if (!this.signal.aborted) return new InterceptingCall(nextCall(options));
    const reason = this.signal.reason as Error;
    const nowhere = { start() {}, sendMessageWithContext() {}, sendMessage() {}, startRead() {}, halfClose() {}, cancelWithStatus() {}, getPeer: () => '', setCredentials() {} };
    return new InterceptingCall(nowhere as unknown as ConstructorParameters<typeof grpc.InterceptingCall>[0], {
      start: (_metadata, listener) => {
        setImmediate(() => listener.onReceiveStatus({ code: Status.UNAVAILABLE, details: reason.message, metadata: new Metadata() }));
      },
      sendMessage: () => undefined,
      halfClose: () => undefined,
    });
  };

  /** Opens the stdio and broker streams; go-plugin's host does this right after dialing. */
  openStreams(): void {
    this.stdioCall = pumpStdio(this.connection, this.parts.sinks, () => this.stopping !== undefined || this.isExited);
    this.broker.open();
  }

  /**
   * Whether a call failed because the plugin is going away: it has exited, or the call lost
   * its connection and the exit follows within 250 ms (its reason then says more than the
   * "unavailable" the call saw).
   */
  async exitedAfter(failure: { code?: number }): Promise<boolean> {
    return this.isExited || (failure.code === Status.UNAVAILABLE && (await settlesWithin(this.exited, 250)));
  }

  /**
   * go-plugin Ping: grpc.health.v1 Check for the service "plugin". A stopped or exited
   * plugin is reported as such (STOPPED, PLUGIN_EXITED), as greet() does, not as a plugin
   * that announced a dead address.
   */
  async ping(timeoutMs = 5000): Promise<void> {
    if (this.signal.aborted) throw this.signal.reason;
    try {
      await checkHealth(this.connection, { name: this.name, ...this.info }, { deadline: Date.now() + timeoutMs, signal: this.signal });
    } catch (e) {
      const code = (e as { cause?: { code?: number } }).cause?.code ?? (isPluginError(e, 'CONNECTION_FAILED') ? Status.UNAVAILABLE : undefined);
      if (this.signal.aborted || (await this.exitedAfter({ code }))) throw this.signal.reason ?? e;
      throw e;
    }
  }

  /**
   * Stops the plugin: Shutdown, up to 2 s to exit, then SIGKILL of its process group.
   * Idempotent, never rejects. `graceful: false` skips straight to SIGKILL (for plugins that failed to start).
   */
  stop(options: { graceful?: boolean } = {}): Promise<void> {
    // Never rejects: callers run it in the background (`void client.stop()`), and a failure
    // here (a closed channel throwing) must not become an unhandled rejection.
    this.stopping ??= this.shutdown(options.graceful ?? true).catch((e) => {
      this.parts.sinks.lifecycle?.('error', `stopping the plugin failed: ${(e as Error)?.message ?? e}`);
    });
    return this.stopping;
  }

  /**
   * Lets go of a plugin without signalling it: closes the connection and stops watching
   * the process. For a failed reattach, whose pid may belong to someone else.
   */
  detach(): void {
    this.stopping ??= Promise.resolve();
    this.abortController.abort(new PluginError('STOPPED', `Plugin "${this.name}" was detached.`));
    this.closeConnection();
    this.parts.process.dispose();
    this.parts.process.stopWatching();
  }

  private async shutdown(graceful: boolean): Promise<void> {
    const { process: proc, sinks } = this.parts;
    this.abortController.abort(new PluginError('STOPPED', `Plugin "${this.name}" was stopped.`));
    if (proc.owned && !this.isExited) {
      if (graceful) {
        this.requestShutdown();
        if (!(await settlesWithin(this.exited, GRACEFUL_EXIT_MS))) {
          sinks.lifecycle?.('warn', `plugin did not exit within ${GRACEFUL_EXIT_MS} ms of Shutdown; killing it`);
        }
      }
      // Its whole group goes, while its pid still names that group (never after it was reaped).
      if (!this.isExited) {
        proc.kill('SIGKILL');
        await settlesWithin(this.exited, GRACEFUL_EXIT_MS);
      }
    }
    this.closeConnection();
    proc.dispose();
    await this.parts.release?.();
  }

  private requestShutdown(): void {
    // The reply may never come (a Go plugin stops its server while answering); ignore it.
    this.connection.call(SHUTDOWN, new Uint8Array(0), { deadline: Date.now() + SHUTDOWN_CALL_DEADLINE_MS }).catch(() => undefined);
  }

  private onExit(info: ExitInfo): void {
    this.abortController.abort(
      new PluginError('PLUGIN_EXITED', `Plugin "${this.name}" exited (${describeExit(info)}).`),
    );
    this.parts.sinks.lifecycle?.(this.stopping ? 'info' : 'warn', `plugin process exited (${describeExit(info)})`);
    if (!this.stopping) {
      // A crash: the process is gone (and its group's survivors with it); release the rest.
      this.closeConnection();
      void this.parts.release?.();
    }
    for (const listener of this.rawListeners('exit')) {
      try {
        (listener as (info: ExitInfo) => void).call(this, info);
      } catch (e) {
        this.parts.sinks.lifecycle?.('error', `an exit listener threw: ${(e as Error)?.message ?? e}`);
      }
    }
  }

  private closeConnection(): void {
    this.stdioCall?.cancel();
    this.broker.close();
    this.connection.close();
    this.grpcChannel?.close();
  }
}
