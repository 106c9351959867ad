// Synchronous, complete writes to a file descriptor. The handshake line and log
// lines must reach the host even if the process exits right after (PROTOCOL.md §8.15).
import * as fs from 'node:fs';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `data` to `fd`, retrying on partial writes and EAGAIN (non-blocking pipes). */
export function writeAllSync(fd: number, data: string | Buffer): void {
  let buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let spins = 0;
  while (buf.length > 0) {
    try {
      const n = fs.writeSync(fd, buf);
      buf = buf.subarray(n);
      spins = 0;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A non-blocking pipe that is full: wait a little for the reader, but never forever.
      if (code === 'EAGAIN' && spins++ < 5000) {
        Atomics.wait(sleepCell, 0, 0, 1);
        continue;
      }
      // EPIPE / EBADF: the reader is gone; there is nobody left to tell.
      return;
    }
  }
}
