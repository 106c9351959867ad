// Notices when a plugin's executable is rebuilt so the plugin author's
// edit-build-try loop needs no clicks. Watches the directory, not the file:
// builds usually replace the file (new inode), which a file watch would miss.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Identity of a file version; any change means "rebuilt". */
interface FileSignature {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** Calls `onChange` (debounced) when the file at `filePath` is replaced or rewritten. */
export class ExecutableWatcher {
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;
  private last?: FileSignature;
  private closed = false;

  constructor(
    readonly filePath: string,
    private readonly onChange: () => void,
    private readonly debounceMs = 300,
    private readonly log: (message: string) => void = () => {},
  ) {
    this.last = signature(filePath);
    const dir = path.dirname(filePath);
    const base = path.basename(filePath);
    try {
      this.watcher = fs.watch(dir, { persistent: false }, (_event, filename) => {
        if (filename && filename.toString() !== base) return;
        this.schedule();
      });
      this.watcher.on('error', (err) => {
        this.log(`Stopped watching ${dir}: ${err.message}`);
        this.close();
      });
    } catch (err) {
      // The directory may not exist yet; the plugin then fails with NOT_FOUND anyway.
      this.log(`Cannot watch ${dir} for rebuilds: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** True while the directory is being watched. */
  get watching(): boolean {
    return this.watcher !== undefined && !this.closed;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), this.debounceMs);
  }

  /** Fires only when the file exists again and differs from the version we last saw. */
  private check(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = signature(this.filePath);
    if (!now) return; // removed mid-build: wait for the next event
    const prev = this.last;
    this.last = now;
    if (prev && prev.ino === now.ino && prev.size === now.size && prev.mtimeMs === now.mtimeMs) return;
    this.onChange();
  }
}

function signature(file: string): FileSignature | undefined {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}
