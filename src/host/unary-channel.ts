// Unary gRPC calls over node:http2, without @grpc/grpc-js: for the CLI's one-shot commands,
// where loading and first-running grpc-js costs more than the whole rest of the command
// (bench/NOTES.md, "The CLI as a whole process"). It speaks only what a unary call to a
// go-plugin server needs (gRPC over HTTP/2, PROTOCOL.md §5): one uncompressed message
// each way, the deadline in grpc-timeout, the status from the trailers, AutoMTLS. Every
// failure is a CallFailure with the code grpc-js would report, so both clients share
// error mapping.
import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Status, statusName, type CallFailure } from './grpc-status';

/** The largest grpc-timeout value: at most 8 digits per the gRPC spec. */
const MAX_TIMEOUT_DIGITS = 99_999_999;

export interface UnaryCallOptions {
  /** Absolute time (Date.now() scale) after which the call fails with DEADLINE_EXCEEDED. */
  deadline: number;
  /** Aborting cancels the call (CANCELLED). */
  signal?: AbortSignal;
}

/** go-plugin AutoMTLS for the connection: the plugin's certificate from its handshake, and the host's. */
export interface UnaryChannelTls {
  pluginCertPem: string;
  certPem: string;
  keyPem: string;
}

/** One HTTP/2 connection to a plugin's gRPC server, for unary calls. */
export class UnaryChannel {
  private readonly session: http2.ClientHttp2Session;
  /** The connection's failure (refused, reset), reported by the calls it ends. */
  private sessionError?: Error;

  constructor(network: 'unix' | 'tcp', address: string, mtls?: UnaryChannelTls) {
    const connect = () => (network === 'unix' ? net.connect(address) : connectTcp(address));
    this.session = http2.connect(mtls ? 'https://localhost' : 'http://localhost', {
      // AutoMTLS: trust exactly the plugin's certificate (it names DNS:localhost), present ours.
      createConnection: mtls
        ? () => tls.connect({ socket: connect(), servername: 'localhost', ALPNProtocols: ['h2'], ca: mtls.pluginCertPem, cert: mtls.certPem, key: mtls.keyPem })
        : connect,
    });
    // A session error also ends every open stream, which reports it; this keeps it from
    // becoming an uncaught 'error' event.
    this.session.on('error', (e) => (this.sessionError ??= e));
  }

  /** Sends `request` (a serialized message) to `path` ("/package.Service/Method"); resolves with the reply's bytes. */
  call(path: string, request: Uint8Array, options: UnaryCallOptions): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const fail = (code: number, details: string) => reject(callFailure(code, details));
      if (options.signal?.aborted) return fail(Status.CANCELLED, 'Cancelled on client');
      const remaining = Math.max(1, Math.ceil(options.deadline - Date.now()));
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.session.request({
          ':method': 'POST',
          ':path': path,
          'content-type': 'application/grpc',
          te: 'trailers',
          'grpc-timeout': `${Math.min(remaining, MAX_TIMEOUT_DIGITS)}m`,
        });
      } catch (e) {
        // The session is already closed or destroyed.
        return fail(Status.UNAVAILABLE, (this.sessionError ?? (e as Error)).message);
      }

      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const cancel = (code: number, details: string) => {
        settle(() => fail(code, details));
        stream.close(http2.constants.NGHTTP2_CANCEL);
      };
      const timer = setTimeout(() => cancel(Status.DEADLINE_EXCEEDED, 'Deadline exceeded'), remaining);
      const onAbort = () => cancel(Status.CANCELLED, 'Cancelled on client');
      options.signal?.addEventListener('abort', onAbort, { once: true });

      let httpStatus: number | undefined;
      let grpcStatus: string | undefined;
      let grpcMessage = '';
      const takeStatus = (headers: http2.IncomingHttpHeaders) => {
        const status = headers['grpc-status'];
        if (status !== undefined) {
          grpcStatus = String(status);
          grpcMessage = decodeGrpcMessage(String(headers['grpc-message'] ?? ''));
        }
      };
      stream.on('response', (headers) => {
        httpStatus = Number(headers[':status']);
        takeStatus(headers); // a "trailers-only" response carries its status here
      });
      stream.on('trailers', takeStatus);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', () => undefined); // reported from 'close', with the stream's reset code
      stream.on('close', () => {
        if (grpcStatus === undefined) {
          // No status: the connection's own error (ENOENT, ECONNRESET), emitted just after
          // the stream closes, says more than the reset code; wait one turn for it.
          setImmediate(() => settle(() => fail(...noStatus(httpStatus, stream.rstCode, this.connectionLost()))));
          return;
        }
        settle(() => {
          const code = Number(grpcStatus);
          if (code !== Status.OK) return fail(Number.isInteger(code) ? code : Status.UNKNOWN, grpcMessage);
          const reply = singleMessage(Buffer.concat(chunks));
          if (typeof reply === 'string') return fail(Status.INTERNAL, reply);
          resolve(reply);
        });
      });
      stream.end(frame(request));
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

function connectTcp(address: string): net.Socket {
  const colon = address.lastIndexOf(':');
  return net.connect(Number(address.slice(colon + 1)), address.slice(0, colon).replace(/^\[|\]$/g, ''));
}

/** The gRPC length-prefixed message: flag 0 (not compressed), 4-byte big-endian length, bytes. */
function frame(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(5 + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

/** The one message of a unary reply, or what is wrong with the body. */
function singleMessage(body: Buffer): Uint8Array | string {
  if (body.length < 5) return `the reply has ${body.length === 0 ? 'no message' : 'a truncated message header'}`;
  if (body[0] !== 0) return 'the reply is compressed, but the call did not offer compression';
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length) return `the reply's message length (${length}) does not match its body (${body.length - 5} bytes)`;
  return body.subarray(5);
}

/** A stream that ended without grpc-status: the code the gRPC spec (and grpc-js) gives it. */
function noStatus(httpStatus: number | undefined, rstCode: number | undefined, connectionLost: string | undefined): [number, string] {
  if (httpStatus !== undefined && httpStatus !== 200) return [httpStatusCode(httpStatus), `Received HTTP status code ${httpStatus}`];
  if (connectionLost) return [Status.UNAVAILABLE, connectionLost];
  switch (rstCode) {
    case http2.constants.NGHTTP2_REFUSED_STREAM:
      return [Status.UNAVAILABLE, 'Stream refused by server'];
    case http2.constants.NGHTTP2_CANCEL:
      return [Status.CANCELLED, 'Call cancelled'];
    case http2.constants.NGHTTP2_ENHANCE_YOUR_CALM:
      return [Status.RESOURCE_EXHAUSTED, 'Bandwidth exhausted or memory limit exceeded'];
    case http2.constants.NGHTTP2_INADEQUATE_SECURITY:
      return [Status.PERMISSION_DENIED, 'Protocol not secure enough'];
    case undefined:
    case http2.constants.NGHTTP2_NO_ERROR:
      return httpStatus === undefined
        ? [Status.UNAVAILABLE, 'Connection closed before the plugin answered']
        : [Status.UNKNOWN, 'Server closed the stream without sending a status'];
    default:
      return [Status.INTERNAL, `Received RST_STREAM with code ${rstCode}`];
  }
}

/** The gRPC spec's mapping for responses that are not gRPC (a proxy, a plain HTTP server). */
function httpStatusCode(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return Status.INTERNAL;
    case 401:
      return Status.UNAUTHENTICATED;
    case 403:
      return Status.PERMISSION_DENIED;
    case 404:
      return Status.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Status.UNAVAILABLE;
    default:
      return Status.UNKNOWN;
  }
}

/** grpc-message is percent-encoded UTF-8; what is not a valid escape is kept as written (gRPC spec). */
function decodeGrpcMessage(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escapes) => Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8'));
}

function callFailure(code: number, details: string): CallFailure & Error {
  const error = new Error(`${code} ${statusName(code)}: ${details}`) as CallFailure & Error;
  error.code = code;
  error.details = details;
  return error;
}
