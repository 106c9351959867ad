// gRPC calls to a plugin over node:http2, without @grpc/grpc-js: the host's own connection
// to every plugin (health, controller, stdio, broker, Greet; PluginClient and the CLI's
// one-shot commands). grpc-js's channel machinery (resolver, load balancer, subchannels,
// retries) costs more to set up than a plugin takes to boot, and a go-plugin server is one
// local socket (bench/NOTES.md). This speaks what those calls need of gRPC over HTTP/2
// (PROTOCOL.md §5): uncompressed messages each way, unary and streaming, the deadline in
// grpc-timeout, the status from the trailers, AutoMTLS. Every failure is a CallFailure with
// the code grpc-js would report, so both clients share error mapping.
import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { frame, MessageReader } from './grpc-framing';
import { Status, type CallFailure } from './grpc-status';
import { callFailure, decodeGrpcMessage, noStatus } from './http2-status';

/** grpc-timeout's units, smallest first; a value has at most 8 digits (gRPC spec). */
const TIMEOUT_UNITS: [string, number][] = [
  ['m', 1],
  ['S', 1000],
  ['M', 60_000],
  ['H', 3_600_000],
];
/** The longest delay setTimeout honours; a larger one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface CallOptions {
  /** Absolute time (Date.now() scale) after which the call fails with DEADLINE_EXCEEDED. */
  deadline?: number;
  /** Aborting (any of them) cancels the call (CANCELLED). */
  signal?: AbortSignal | readonly AbortSignal[];
  /** Request metadata as HTTP/2 headers (lower-case keys; `-bin` values in base64). */
  metadata?: http2.OutgoingHttpHeaders;
}

export interface UnaryCallOptions extends CallOptions {
  deadline: number;
}

/** go-plugin AutoMTLS for the connection: the plugin's certificate from its handshake, and the host's. */
export interface PluginChannelTls {
  pluginCertPem: string;
  certPem: string;
  keyPem: string;
}

/** What a streaming call reports, in this order. */
export interface StreamHandlers {
  /** The response headers (not called for a trailers-only response). */
  onHeaders?(headers: http2.IncomingHttpHeaders): void;
  /** Each reply message, in order. A throw ends the call with INTERNAL. */
  onMessage?(message: Uint8Array): void;
  /** Once, last: no failure when the server ended the call with OK; the trailers when it sent any. */
  onEnd(failure?: CallFailure & Error, trailers?: http2.IncomingHttpHeaders): void;
}

/** The caller's end of a streaming call. */
export interface PluginStream {
  /** Sends one request message; ignored once the call has ended. */
  write(message: Uint8Array): void;
  /** No more requests (half-close); replies keep coming. */
  end(): void;
  /** Ends the call now with `code` (onEnd reports it) and resets the stream. */
  cancel(code?: number, details?: string): void;
}

/** One HTTP/2 connection to a plugin's gRPC server. */
export class PluginChannel {
  private readonly session: http2.ClientHttp2Session;
  /** The connection's failure (refused, reset), reported by the calls it ends. */
  private sessionError?: Error;
  /** Open calls keep the process alive, as grpc-js's do; an idle connection does not. */
  private openCalls = 0;

  constructor(network: 'unix' | 'tcp', address: string, mtls?: PluginChannelTls) {
    const connect = () => (network === 'unix' ? net.connect(address) : connectTcp(address));
    this.session = http2.connect(mtls ? 'https://localhost' : 'http://localhost', {
      // As grpc-js: node:http2's 10 MB default counts request bytes a plugin never read (it
      // answered early, e.g. UNIMPLEMENTED) and would then refuse every later reply.
      maxSessionMemory: Number.MAX_SAFE_INTEGER,
      // AutoMTLS: trust exactly the plugin's certificate (it names DNS:localhost), present ours.
      createConnection: mtls
        ? () => tls.connect({ socket: connect(), servername: 'localhost', ALPNProtocols: ['h2'], ca: mtls.pluginCertPem, cert: mtls.certPem, key: mtls.keyPem })
        : connect,
    });
    this.session.unref();
    // A session error also ends every open stream, which reports it; this keeps it from
    // becoming an uncaught 'error' event.
    this.session.on('error', (e) => (this.sessionError ??= e));
  }

  /** Sends `request` (a serialized message) to `path` ("/package.Service/Method"); resolves with the reply's bytes. */
  call(path: string, request: Uint8Array, options: UnaryCallOptions): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const replies: Uint8Array[] = [];
      const call = this.stream(
        path,
        {
          onMessage: (message) => {
            replies.push(message);
            if (replies.length > 1) call.cancel(Status.UNIMPLEMENTED, 'Too many responses received');
          },
          onEnd: (failure) => {
            if (failure) reject(failure);
            else if (replies.length === 0) reject(callFailure(Status.UNIMPLEMENTED, 'No message received'));
            else resolve(replies[0]);
          },
        },
        options,
      );
      call.write(request);
      call.end();
    });
  }

  /** Opens a streaming call (server, client or both ways) to `path`. */
  stream(path: string, handlers: StreamHandlers, options: CallOptions = {}): PluginStream {
    let ended = false;
    let stream: http2.ClientHttp2Stream | undefined;
    const signals: readonly AbortSignal[] = options.signal === undefined ? [] : 'aborted' in options.signal ? [options.signal] : options.signal;
    const finish = (failure?: CallFailure & Error, trailers?: http2.IncomingHttpHeaders) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      for (const signal of signals) signal.removeEventListener('abort', onAbort);
      if (stream && --this.openCalls === 0) this.session.unref();
      handlers.onEnd(failure, trailers);
    };
    const cancel = (code: number = Status.CANCELLED, details = 'Cancelled on client') => {
      finish(callFailure(code, details));
      if (stream && !stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    const onAbort = () => cancel(Status.CANCELLED, 'Cancelled on client');
    const caller: PluginStream = {
      write: (message) => {
        if (!ended && stream?.writable) stream.write(frame(message));
      },
      end: () => {
        if (!ended && stream?.writable) stream.end();
      },
      cancel,
    };

    let timer: NodeJS.Timeout | undefined;
    if (signals.some((signal) => signal.aborted)) {
      queueMicrotask(onAbort);
      return caller;
    }
    const headers: http2.OutgoingHttpHeaders = {
      ...options.metadata,
      ':method': 'POST',
      ':path': path,
      // As grpc-js for a local plugin, not node's "localhost:80" (go-plugin's Go host sends "unused"; servers ignore it).
      ':authority': 'localhost',
      'content-type': 'application/grpc',
      te: 'trailers',
    };
    if (options.deadline !== undefined) {
      const remaining = Math.ceil(options.deadline - Date.now());
      if (remaining <= 0) {
        // Already past: nothing is sent (as grpc-js).
        queueMicrotask(() => finish(callFailure(Status.DEADLINE_EXCEEDED, 'Deadline exceeded')));
        return caller;
      }
      headers['grpc-timeout'] = grpcTimeout(remaining);
      // Past 24 days the plugin's own deadline, sent above, ends the call.
      if (remaining <= MAX_TIMER_MS) timer = setTimeout(() => cancel(Status.DEADLINE_EXCEEDED, 'Deadline exceeded'), remaining);
    }
    try {
      stream = this.session.request(headers);
    } catch (e) {
      // The session is already closed or destroyed, or (a caller's bug) a header is not valid HTTP/2.
      const failure = this.connectionLost()
        ? callFailure(Status.UNAVAILABLE, (this.sessionError ?? (e as Error)).message)
        : callFailure(Status.INTERNAL, `the request could not be sent: ${(e as Error).message}`);
      queueMicrotask(() => finish(failure));
      return caller;
    }
    if (this.openCalls++ === 0) this.session.ref();
    for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
    this.readReplies(stream, handlers, finish, cancel, () => ended);
    return caller;
  }

  private readReplies(
    stream: http2.ClientHttp2Stream,
    handlers: StreamHandlers,
    finish: (failure?: CallFailure & Error, trailers?: http2.IncomingHttpHeaders) => void,
    cancel: (code: number, details: string) => void,
    isEnded: () => boolean,
  ): void {
    let httpStatus: number | undefined;
    let grpcStatus: string | undefined;
    const reader = new MessageReader();
    let broken = false;
    let grpcMessage = '';
    let trailers: http2.IncomingHttpHeaders | undefined;
    const takeStatus = (headers: http2.IncomingHttpHeaders) => {
      const status = headers['grpc-status'];
      if (status !== undefined) {
        grpcStatus = String(status);
        const message = headers['grpc-message'];
        grpcMessage = message ? decodeGrpcMessage(String(message)) : '';
        trailers = headers;
      }
    };
    // node:http2 can emit a reply's first DATA before its 'response' event (both frames in
    // one read, seen under TLS): hold such bytes until the headers say the reply is gRPC.
    let early: Buffer[] | undefined = [];
    stream.on('response', (headers) => {
      httpStatus = Number(headers[':status']);
      takeStatus(headers); // a "trailers-only" response carries its status here
      if (grpcStatus === undefined && httpStatus === 200 && !broken && !isEnded()) {
        try {
          handlers.onHeaders?.(headers);
        } catch (e) {
          broken = true;
          cancel(Status.INTERNAL, `handling the response headers failed: ${(e as Error)?.message ?? e}`);
        }
      }
      const held = early ?? [];
      early = undefined;
      for (const chunk of held) read(chunk);
    });
    stream.on('trailers', takeStatus);
    const read = (chunk: Buffer) => {
      // A response that is not gRPC (HTTP 404 from a proxy) is judged by its status alone.
      if (broken || isEnded() || httpStatus !== 200) return;
      const messages = reader.push(chunk);
      if (typeof messages === 'string') {
        broken = true;
        return cancel(Status.INTERNAL, messages);
      }
      for (const message of messages) {
        // A handler may have ended the call (cancel, an abort): nothing is reported after onEnd.
        if (isEnded()) return;
        try {
          handlers.onMessage?.(message);
        } catch (e) {
          broken = true;
          return cancel(Status.INTERNAL, `handling a reply failed: ${(e as Error)?.message ?? e}`);
        }
      }
    };
    stream.on('data', (chunk: Buffer) => (early ? early.push(chunk) : read(chunk)));
    // The server's status ends the call (gRPC): end our side too, or a stream we still
    // could write to stays half-open and the server's graceful stop waits for it.
    stream.on('end', () => {
      if (!stream.writableEnded) stream.end();
    });
    stream.on('error', () => undefined); // reported from 'close', with the stream's reset code
    stream.on('close', () => {
      if (grpcStatus === undefined) {
        // No status: the connection's own error (ENOENT, ECONNRESET), emitted just after
        // the stream closes, says more than the reset code; wait one turn for it.
        setImmediate(() => finish(callFailure(...noStatus(httpStatus, stream.rstCode, this.connectionLost()))));
        return;
      }
      const code = Number(grpcStatus);
      if (code !== Status.OK) return finish(callFailure(Number.isInteger(code) ? code : Status.UNKNOWN, grpcMessage), trailers);
      const leftover = reader.leftover();
      finish(leftover ? callFailure(Status.INTERNAL, leftover) : undefined, trailers);
    });
  }

  /**
   * Whether the connection itself failed or closed (refused, the plugin gone), as opposed to
   * the plugin resetting one stream: grpc-js reports the first as UNAVAILABLE.
   */
  private connectionLost(): string | undefined {
    if (this.sessionError) return this.sessionError.message;
    if (this.session.destroyed || this.session.closed) return 'Connection to the plugin closed';
    return undefined;
  }

  /** Closes the connection; calls still open fail with UNAVAILABLE or CANCELLED. */
  close(): void {
    this.session.destroy();
  }
}

/** `remainingMs` as grpc-timeout, in the smallest unit that fits in 8 digits, rounded up (as grpc-js). */
function grpcTimeout(remainingMs: number): string {
  for (const [unit, factor] of TIMEOUT_UNITS) {
    const amount = Math.ceil(remainingMs / factor);
    if (amount < 1e8) return `${amount}${unit}`;
  }
  return '99999999H';
}

function connectTcp(address: string): net.Socket {
  const colon = address.lastIndexOf(':');
  return net.connect(Number(address.slice(colon + 1)), address.slice(0, colon).replace(/^\[|\]$/g, ''));
}
