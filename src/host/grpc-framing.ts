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

/** Cuts a reply body, arriving in chunks split anywhere, into its messages. */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);

  /** The messages `chunk` completes, or what is wrong with the body (the stream is then broken). */
  push(chunk: Buffer): Uint8Array[] | string {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Uint8Array[] = [];
    while (this.pending.length >= 5) {
      if (this.pending[0] !== 0) return 'the reply is compressed, but the call did not offer compression';
      const end = 5 + this.pending.readUInt32BE(1);
      if (this.pending.length < end) break;
      messages.push(this.pending.subarray(5, end));
      this.pending = this.pending.subarray(end);
    }
    return messages;
  }

  /** At the end of the body: what is wrong with bytes left over (a message cut short), if any. */
  leftover(): string | undefined {
    if (this.pending.length === 0) return undefined;
    if (this.pending.length < 5) return 'the reply has a truncated message header';
    const length = this.pending.readUInt32BE(1);
    return `the reply's message length (${length}) does not match its body (${this.pending.length - 5} bytes)`;
  }
}
