// Splits a byte stream into lines without ever buffering without bound: a line longer
// than maxLineBytes is emitted in pieces (go-plugin logs those pieces at debug).
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export interface LineHandler {
  (line: string, truncatedPiece: boolean): void;
}

/** Calls onLine for each line of stream (without the newline); onEnd at EOF. */
export function readLines(stream: Readable, onLine: LineHandler, maxLineBytes = 64 * 1024, onEnd?: () => void): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // A piece cut at maxLineBytes may end inside a UTF-8 character; the decoder keeps
  // its first bytes for the next piece instead of turning them into U+FFFD.
  const decoder = new StringDecoder('utf8');
  const flushPending = (piece: boolean) => {
    const bytes = Buffer.concat(pending);
    const text = (piece ? decoder.write(bytes) : decoder.write(bytes) + decoder.end()).replace(/\r$/, '');
    pending = [];
    pendingBytes = 0;
    onLine(text, piece);
  };
  stream.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl));
      pendingBytes += nl - start;
      flushPending(false);
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes >= maxLineBytes) flushPending(true);
    }
  });
  stream.on('end', () => {
    if (pendingBytes > 0) flushPending(false);
    onEnd?.();
  });
  stream.on('error', () => onEnd?.());
}

/** Keeps the last few lines of a stream, for error messages. */
export class TailBuffer {
  private readonly lines: string[] = [];
  constructor(private readonly maxLines = 20, private readonly maxLineChars = 500) {}

  push(line: string): void {
    this.lines.push(line.length > this.maxLineChars ? `${line.slice(0, this.maxLineChars)}…` : line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  text(): string {
    return this.lines.join('\n').trim();
  }
}
