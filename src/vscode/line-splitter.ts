// Turns a plugin's stdout/stderr chunks into whole lines for its log channel. A chunk may end
// mid-line; the rest is kept until its newline arrives, the stream goes quiet, or flush()
// (on exit or any lifecycle message), so a last line without newline is never lost.
// Bytes go through one StringDecoder per stream, so a UTF-8 character split across two
// chunks arrives whole instead of as two U+FFFD.

import { StringDecoder } from 'node:string_decoder';

/** How long a partial line may wait for the rest before it is written as it is. */
export const PARTIAL_LINE_IDLE_MS = 200;
/** A runaway line without newline is written once it reaches this size. */
const MAX_PENDING = 64 * 1024;

/** Splits chunks into lines and calls `onLine` for each. */
export class LineSplitter {
  private rest = '';
  private timer?: NodeJS.Timeout;
  /** Holds the first bytes of a character whose last bytes are in the next chunk. */
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly idleMs = PARTIAL_LINE_IDLE_MS,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines = (this.rest + text).split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    if (this.rest.length > MAX_PENDING) {
      lines.push(this.rest);
      this.rest = '';
    }
    for (const line of lines) this.onLine(line);
    this.clearTimer();
    if (this.rest) {
      this.timer = setTimeout(() => this.flush(), this.idleMs);
      this.timer.unref?.();
    }
  }

  /** Writes a pending partial line now. */
  flush(): void {
    this.clearTimer();
    // Bytes of an unfinished character are written as U+FFFD rather than lost.
    this.rest += this.decoder.end();
    if (!this.rest) return;
    const line = this.rest;
    this.rest = '';
    this.onLine(line);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
