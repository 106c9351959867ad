// Turns a plugin's stdout/stderr chunks into whole lines for its log channel. A chunk may end
// mid-line; the rest is kept until its newline arrives, the stream goes quiet, or flush()
// (on exit or any lifecycle message), so a last line without newline is never lost.

/** How long a partial line may wait for the rest before it is written as it is. */
export const PARTIAL_LINE_IDLE_MS = 200;
/** A runaway line without newline is written once it reaches this size. */
const MAX_PENDING = 64 * 1024;

/** Splits chunks into lines and calls `onLine` for each. */
export class LineSplitter {
  private rest = '';
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly idleMs = PARTIAL_LINE_IDLE_MS,
  ) {}

  push(chunk: Buffer | string): void {
    const lines = (this.rest + chunk.toString()).split(/\r?\n/);
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
