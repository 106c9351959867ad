// plugin.GRPCStdio: after the handshake, whatever the plugin writes through
// process.stdout / process.stderr travels to the host as StdioData chunks, the way
// a Go plugin's os.Stdout/os.Stderr are swapped for pipes (PROTOCOL.md §3.3, §5).
// The logger writes to fd 2 directly, so log lines stay on the real stderr.
import * as grpc from '@grpc/grpc-js';
import type { StdioChannel, StdioData } from '../proto';
import { writeAllSync } from './write-sync';

/** go-plugin sends at most 1 KiB per message (grpcStdioBuffer). */
export const STDIO_CHUNK_BYTES = 1024;
/** Output kept while no host listens; the oldest is dropped beyond this. */
export const STDIO_BUFFER_LIMIT = 1024 * 1024;

type WriteFn = NodeJS.WriteStream['write'];

/** Splits `data` into StdioData messages of at most 1 KiB. */
export function toStdioChunks(channel: StdioChannel, data: Buffer): StdioData[] {
  const chunks: StdioData[] = [];
  for (let i = 0; i < data.length; i += STDIO_CHUNK_BYTES) {
    chunks.push({ channel, data: data.subarray(i, i + STDIO_CHUNK_BYTES) });
  }
  return chunks;
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  // Copy: callers may reuse their buffer after write() returns.
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk));
}

/** Buffers captured output until the host opens StreamStdio, then streams it live. */
export class StdioForwarder {
  private pending: StdioData[] = [];
  private pendingBytes = 0;
  private stream: grpc.ServerWritableStream<unknown, StdioData> | undefined;
  private restore: (() => void) | undefined;

  /** Replaces process.stdout.write and process.stderr.write; serve() calls it before the handshake line, which it writes to fd 1 directly. */
  capture(): void {
    if (this.restore) return;
    const out = process.stdout;
    const err = process.stderr;
    const originalOut = out.write;
    const originalErr = err.write;
    out.write = this.interceptor('STDOUT');
    err.write = this.interceptor('STDERR');
    this.restore = () => {
      out.write = originalOut;
      err.write = originalErr;
    };
  }

  /** Puts the original writers back (tests and shutdown). */
  release(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /**
   * Writes what no host received to the real stdout/stderr, synchronously (the process
   * exits next): stderr reaches the host's log; stdout is the best there is left.
   */
  flushUnsent(): void {
    const queued = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const chunk of queued) writeAllSync(chunk.channel === 'STDERR' ? 2 : 1, chunk.data);
  }

  /** Queues or sends one write. */
  push(channel: StdioChannel, data: Buffer): void {
    if (data.length === 0) return;
    for (const chunk of toStdioChunks(channel, data)) {
      if (this.stream && !this.stream.cancelled) {
        this.stream.write(chunk);
      } else {
        this.pending.push(chunk);
        this.pendingBytes += chunk.data.length;
      }
    }
    while (this.pendingBytes > STDIO_BUFFER_LIMIT && this.pending.length > 0) {
      this.pendingBytes -= this.pending.shift()!.data.length;
    }
  }

  /** The StreamStdio handler: the newest caller gets the buffered output and everything after it. */
  implementation(): grpc.UntypedServiceImplementation {
    return {
      StreamStdio: (call: grpc.ServerWritableStream<unknown, StdioData>) => {
        const previous = this.stream;
        this.stream = call;
        if (previous && !previous.cancelled) previous.end();
        const detach = () => {
          if (this.stream === call) this.stream = undefined;
        };
        call.on('cancelled', detach);
        call.on('close', detach);
        call.on('error', detach);
        const queued = this.pending;
        this.pending = [];
        this.pendingBytes = 0;
        for (const chunk of queued) call.write(chunk);
      },
    };
  }

  /** Ends the stream so the host sees everything written so far; used on shutdown. */
  end(): void {
    const stream = this.stream;
    this.stream = undefined;
    if (stream && !stream.cancelled) stream.end();
  }

  private interceptor(channel: StdioChannel): WriteFn {
    const forwarder = this;
    return function write(chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
      const encoding = typeof encodingOrCallback === 'function' ? undefined : encodingOrCallback;
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      forwarder.push(channel, toBuffer(chunk, encoding));
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    } as WriteFn;
  }
}
