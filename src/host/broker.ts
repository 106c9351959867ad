// The host's end of go-plugin's GRPCBroker (PROTOCOL.md §3.4): one StartStream kept open
// for the connection's life, over which each side announces extra gRPC servers by id.
// Non-multiplexed mode only; this host never sets PLUGIN_MULTIPLEX_GRPC.
import type * as grpc from '@grpc/grpc-js';
import { grpcJs } from './grpc-js';
import { join } from 'node:path';
import type { ConnInfo } from '../proto';
import { PluginError } from './errors';
import { grpcTarget, pluginChannelOptions } from './grpc-options';
import type { PluginChannel, PluginStream } from './plugin-channel';
import { decodeConnInfo, encodeConnInfo } from './plugin-wire';

const START_STREAM = '/plugin.GRPCBroker/StartStream';

/** How long go-plugin waits for a ConnInfo before giving up, and keeps an unclaimed one. */
const BROKER_TIMEOUT_MS = 5000;

/** TLS material for brokered connections: same pins as the main connection. */
export interface BrokerSecurity {
  /** Both made on first use: most plugins never use the broker or a grpc-js stub. */
  channel: () => grpc.ChannelCredentials;
  server: () => grpc.ServerCredentials;
  tls: boolean;
}

/** The host's broker (the plugin side's is the SDK's PluginSideBroker). */
export class HostBroker {
  private stream?: PluginStream;
  private lastId = 0;
  private readonly waiters = new Map<number, { resolve(info: ConnInfo): void; reject(e: PluginError): void }[]>();
  private readonly unclaimed = new Map<number, { info: ConnInfo; timer: NodeJS.Timeout }>();
  private readonly servers: grpc.Server[] = [];
  /** Ids this side serves; each may be served once. */
  private readonly accepted = new Set<number>();
  private closed = false;

  constructor(
    private readonly channel: PluginChannel,
    private readonly security: BrokerSecurity,
    private readonly socketDir: string | undefined,
    private readonly pluginName: string,
  ) {}

  /** Opens the stream; a Go plugin's broker.Accept blocks until a host does this. */
  open(): void {
    this.stream = this.channel.stream(START_STREAM, {
      onMessage: (message) => this.receive(decodeConnInfo(message)),
      // Ends with the connection; dial() callers time out with a clear message.
      onEnd: () => undefined,
    });
  }

  /** The next id for a server this host offers (a counter from 1, as go-plugin). */
  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /**
   * Serves a gRPC server for id and tells the plugin where it is. The plugin reaches it
   * with broker.Dial(id). With AutoMTLS the host is the TLS server here.
   */
  async accept(id: number, register: (server: grpc.Server) => void): Promise<grpc.Server> {
    if (!this.stream || this.closed) throw this.closedError();
    if (!Number.isInteger(id) || id <= 0 || id > 0xffffffff) {
      throw new PluginError('INVALID_OPTIONS', `Plugin "${this.pluginName}": broker id ${id} is not a whole number from 1 to 4294967295; use broker.nextId().`);
    }
    if (this.accepted.has(id)) {
      throw new PluginError('INVALID_OPTIONS', `Plugin "${this.pluginName}": broker id ${id} is already served; take a new one with broker.nextId().`);
    }
    const server = new (grpcJs().Server)({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
    register(server);
    const { network, address, bindTarget } = this.listenAddress(id);
    this.servers.push(server);
    this.accepted.add(id);
    let port: number;
    try {
      port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(bindTarget, this.security.server(), (err, p) => (err ? reject(err) : resolve(p))),
      );
    } catch (e) {
      // Nothing listens: the server and its id go, and the caller gets what happened.
      server.forceShutdown();
      this.servers.splice(this.servers.indexOf(server), 1);
      this.accepted.delete(id);
      throw new PluginError('CONNECTION_FAILED', `Plugin "${this.pluginName}": cannot serve broker id ${id} at ${address}: ${(e as Error).message}`, undefined, { cause: e });
    }
    if (this.closed) throw this.closedError(); // closed while binding; close() shut the server down
    const announced = network === 'tcp' ? `127.0.0.1:${port}` : address;
    this.stream.write(encodeConnInfo({ service_id: id, network, address: announced, knock: null }));
    return server;
  }

  /** Connects to the server the plugin announced for id, waiting up to 5 s for its ConnInfo. */
  async dial(id: number, timeoutMs = BROKER_TIMEOUT_MS): Promise<grpc.Channel> {
    const info = await this.waitFor(id, timeoutMs);
    if (info.network !== 'unix' && info.network !== 'tcp') {
      throw new PluginError('CONNECTION_FAILED', `Plugin "${this.pluginName}" announced broker id ${id} on unknown network "${info.network}".`);
    }
    return new (grpcJs().Channel)(
      grpcTarget(info.network, info.address),
      this.security.channel(),
      pluginChannelOptions(info.network, this.security.tls),
    );
  }

  close(): void {
    this.closed = true;
    this.stream?.cancel(); // no-op when the connection went first
    for (const waiting of this.waiters.values()) for (const w of waiting) w.reject(this.closedError());
    this.waiters.clear();
    for (const { timer } of this.unclaimed.values()) clearTimeout(timer);
    this.unclaimed.clear();
    for (const server of this.servers) server.forceShutdown();
  }

  private receive(info: ConnInfo): void {
    if (info.knock?.knock) return; // multiplexing knocks; never requested by this host
    const waiting = this.waiters.get(info.service_id);
    if (waiting) {
      this.waiters.delete(info.service_id);
      for (const w of waiting) w.resolve(info);
      return;
    }
    const timer = setTimeout(() => this.unclaimed.delete(info.service_id), BROKER_TIMEOUT_MS);
    timer.unref();
    this.unclaimed.set(info.service_id, { info, timer });
  }

  private waitFor(id: number, timeoutMs: number): Promise<ConnInfo> {
    const ready = this.unclaimed.get(id);
    if (ready) {
      clearTimeout(ready.timer);
      this.unclaimed.delete(id);
      return Promise.resolve(ready.info);
    }
    if (this.closed) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (info: ConnInfo) => {
          clearTimeout(timer);
          resolve(info);
        },
        reject: (e: PluginError) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        const left = (this.waiters.get(id) ?? []).filter((w) => w !== waiter);
        if (left.length) this.waiters.set(id, left);
        else this.waiters.delete(id);
        reject(
          new PluginError(
            'CONNECTION_FAILED',
            `Plugin "${this.pluginName}" did not announce broker id ${id} within ${timeoutMs} ms (timeout waiting for connection info).`,
          ),
        );
      }, timeoutMs);
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), waiter]);
    });
  }

  private listenAddress(id: number): { network: 'unix' | 'tcp'; address: string; bindTarget: string } {
    if (process.platform === 'win32' || !this.socketDir) {
      return { network: 'tcp', address: '127.0.0.1:0', bindTarget: '127.0.0.1:0' };
    }
    const address = join(this.socketDir, `broker-${id}`);
    return { network: 'unix', address, bindTarget: `unix:${address}` };
  }

  private closedError(): PluginError {
    return new PluginError('STOPPED', `Plugin "${this.pluginName}" is stopped; its broker is closed.`);
  }
}
