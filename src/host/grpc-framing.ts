// gRPC's length-prefixed messages on an HTTP/2 stream (PROTOCOL.md §5): each message is
// a flag byte (0: not compressed), a 4-byte big-endian length and the bytes. The node:http2
// client (plugin-channel.ts) never offers compression, so a compressed message is an error.

/** One message, framed for the request body. */
export function frame(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(5 + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

/**
 * Cuts a reply body, arriving in chunks split anywhere, into its messages. Chunks are kept
 * as they come and joined once per message, so a large message costs one copy, not one per
 * chunk (a 50 MB reply arrives in ≈ 3,000 chunks).
 */
export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** The messages `chunk` completes, or what is wrong with the body (the stream is then broken). */
  push(chunk: Buffer): Uint8Array[] | string {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Uint8Array[] = [];
    while (this.buffered >= 5) {
      const header = this.peekHeader();
      if (header[0] !== 0) return 'the reply is compressed, but the call did not offer compression';
      const end = 5 + header.readUInt32BE(1);
      if (this.buffered < end) break;
      messages.push(this.take(end).subarray(5));
    }
    return messages;
  }

  /** At the end of the body: what is wrong with bytes left over (a message cut short), if any. */
  leftover(): string | undefined {
    if (this.buffered === 0) return undefined;
    if (this.buffered < 5) return 'the reply has a truncated message header';
    const length = this.peekHeader().readUInt32BE(1);
    return `the reply's message length (${length}) does not match its body (${this.buffered - 5} bytes)`;
  }

  /** The first 5 buffered bytes (the caller has checked there are 5). */
  private peekHeader(): Buffer {
    if (this.chunks[0].length < 5) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  /** Removes and returns the first `length` buffered bytes. */
  private take(length: number): Buffer {
    const first = this.chunks[0];
    if (first.length >= length) {
      // The common case: the whole message is in the first chunk; no copy.
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
      this.buffered -= length;
      return first.subarray(0, length);
    }
    const joined = Buffer.concat(this.chunks, this.buffered);
    this.chunks = joined.length > length ? [joined.subarray(length)] : [];
    this.buffered -= length;
    return joined.subarray(0, length);
  }
}
