// plugin.GRPCBroker on the plugin side: the host opens StartStream right after
// connecting; through it each side announces extra listeners by id so the other
// can dial them (PROTOCOL.md §3.4). No multiplexing: we answer `|false`.
import * as grpc from '@grpc/grpc-js';
import type { ConnInfo } from '../proto';
import { SdkError } from './errors';
import { bindPluginListener, defaultNetwork, type BoundAddress } from './listener';
import type { Logger } from './logger';

/** How long dial() waits for the host's ConnInfo, and how long unclaimed ones are kept (go-plugin: 5 s). */
export const BROKER_WAIT_MS = 5_000;

/** TLS material shared with the main connection, when AutoMTLS is on. */
export interface BrokerTls {
  serverCredentials: grpc.ServerCredentials;
  /** Host certificate (PEM) to pin when we dial. */
  hostCertPem: string;
  /** Our own certificate and key, presented as client certificate when we dial. */
  certPem: string;
  keyPem: string;
}

/** A gRPC server the plugin serves under a broker id. */
export interface BrokeredServer {
  id: number;
  server: grpc.Server;
  network: 'unix' | 'tcp';
  address: string;
  close(): void;
}

/** A connection to something the host serves under a broker id. */
export interface BrokeredConnection {
  channel: grpc.Channel;
  /** Builds a stub on this connection. */
  makeClient<T extends grpc.Client>(ctor: grpc.ServiceClientConstructor): T;
  close(): void;
}

interface Waiter {
  resolve(info: ConnInfo): void;
}

/** The plugin's half of go-plugin's connection broker. */
export class PluginSideBroker {
  private lastId = 0;
  private stream: grpc.ServerDuplexStream<ConnInfo, ConnInfo> | undefined;
  private outbox: ConnInfo[] = [];
  private readonly received = new Map<number, { info: ConnInfo; timer: NodeJS.Timeout }>();
  private readonly waiters = new Map<number, Waiter[]>();
  private readonly servers = new Set<BrokeredServer>();

  constructor(
    private readonly logger: Logger,
    private readonly tls: BrokerTls | undefined,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Brokered listeners use the same kind of socket as the main one. */
    private readonly network: 'unix' | 'tcp' = defaultNetwork(),
  ) {}

  /** A new id to serve under; counts from 1 like go-plugin's NextId. */
  nextId(): number {
    this.lastId = (this.lastId + 1) >>> 0;
    return this.lastId;
  }

  /** Serves `register`'s services on a new listener and tells the host its address under `id`. */
  async accept(id: number, register: (server: grpc.Server) => void): Promise<BrokeredServer> {
    const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
    register(server);
    const creds = this.tls?.serverCredentials ?? grpc.ServerCredentials.createInsecure();
    let bound: BoundAddress;
    try {
      bound = await bindPluginListener(server, creds, this.env, this.network);
    } catch (err) {
      server.forceShutdown();
      throw err;
    }
    const served: BrokeredServer = {
      id,
      server,
      network: bound.network,
      address: bound.address,
      close: () => {
        this.servers.delete(served);
        server.forceShutdown();
        bound.cleanup();
      },
    };
    this.servers.add(served);
    this.send({ service_id: id, network: bound.network, address: bound.address, knock: null });
    this.logger.debug('broker accepting', { id, network: bound.network, address: bound.address });
    return served;
  }

  /** Connects to what the host serves under `id`, waiting up to 5 s for its address. */
  async dial(id: number, timeoutMs = BROKER_WAIT_MS): Promise<BrokeredConnection> {
    const info = await this.waitFor(id, timeoutMs);
    const target = info.network === 'unix' ? `unix:${info.address}` : info.address;
    const options: grpc.ChannelOptions = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
    let creds: grpc.ChannelCredentials;
    if (this.tls) {
      creds = grpc.credentials.createSsl(
        Buffer.from(this.tls.hostCertPem),
        Buffer.from(this.tls.keyPem),
        Buffer.from(this.tls.certPem),
      );
      // go-plugin verifies and sends SNI "localhost" in both roles (issue #109).
      options['grpc.ssl_target_name_override'] = 'localhost';
      options['grpc.default_authority'] = 'localhost';
    } else {
      creds = grpc.credentials.createInsecure();
    }
    const channel = new grpc.Channel(target, creds, options);
    return {
      channel,
      makeClient: <T extends grpc.Client>(ctor: grpc.ServiceClientConstructor) =>
        new ctor(target, creds, { channelOverride: channel }) as unknown as T,
      close: () => channel.close(),
    };
  }

  /** The StartStream handler: keeps the stream, flushes queued ConnInfos, records the host's. */
  implementation(): grpc.UntypedServiceImplementation {
    return {
      StartStream: (call: grpc.ServerDuplexStream<ConnInfo, ConnInfo>) => {
        this.stream = call;
        const detach = () => {
          if (this.stream === call) this.stream = undefined;
        };
        call.on('data', (info: ConnInfo) => this.receive(info));
        call.on('end', () => {
          detach();
          call.end();
        });
        call.on('cancelled', detach);
        call.on('error', detach);
        const queued = this.outbox;
        this.outbox = [];
        for (const info of queued) call.write(info);
      },
    };
  }

  /** Ends the stream and every brokered server; used on shutdown. */
  close(): void {
    const stream = this.stream;
    this.stream = undefined;
    if (stream && !stream.cancelled) stream.end();
    for (const served of [...this.servers]) served.close();
    for (const { timer } of this.received.values()) clearTimeout(timer);
    this.received.clear();
  }

  private send(info: ConnInfo): void {
    if (this.stream && !this.stream.cancelled) this.stream.write(info);
    else this.outbox.push(info);
  }

  private receive(info: ConnInfo): void {
    if (info.knock?.knock) {
      // Multiplexing knocks only come from hosts that got `|true`; we never say that.
      this.logger.warn('broker knock received but multiplexing is not supported', { id: info.service_id });
      return;
    }
    const waiting = this.waiters.get(info.service_id);
    if (waiting && waiting.length > 0) {
      waiting.shift()!.resolve(info);
      if (waiting.length === 0) this.waiters.delete(info.service_id);
      return;
    }
    // Keep it for a later dial(), then drop it like go-plugin's timeoutWait.
    const previous = this.received.get(info.service_id);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.received.delete(info.service_id), BROKER_WAIT_MS);
    timer.unref();
    this.received.set(info.service_id, { info, timer });
  }

  private waitFor(id: number, timeoutMs: number): Promise<ConnInfo> {
    const ready = this.received.get(id);
    if (ready) {
      clearTimeout(ready.timer);
      this.received.delete(id);
      return Promise.resolve(ready.info);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (info) => {
          clearTimeout(timer);
          resolve(info);
        },
      };
      const timer = setTimeout(() => {
        const list = this.waiters.get(id) ?? [];
        const index = list.indexOf(waiter);
        if (index >= 0) list.splice(index, 1);
        if (list.length === 0) this.waiters.delete(id);
        // go-plugin's wording for the same timeout.
        reject(new SdkError('BROKER_TIMEOUT', `timeout waiting for connection info (broker id ${id})`));
      }, timeoutMs);
      const list = this.waiters.get(id) ?? [];
      list.push(waiter);
      this.waiters.set(id, list);
    });
  }
}
