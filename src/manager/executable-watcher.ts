// Notices when a plugin's executable is rebuilt so the plugin author's
// edit-build-try loop needs no clicks. Watches directories, not the file: builds
// usually replace the file (new inode), which a file watch would miss. The watched
// directory follows what is on disk: while the executable's folder does not exist yet
// (configured before the first build) the nearest existing folder above it is watched;
// a folder deleted and made again (`rm -rf bin && build`) is watched anew; and for a
// symlink (`node_modules/.bin/x`), its target's folder is watched too.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Identity of a file version; any change means "rebuilt". */
interface FileSignature {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** One watched directory, the inode it had when the watch began, and the entries in it that matter. */
interface Arm {
  dir: string;
  ino: number;
  watcher: fs.FSWatcher;
}

/** A directory to watch and the names in it on the way to the executable (or its link target). */
interface WantedDir {
  dir: string;
  ino: number;
  names: Set<string>;
}

/** Calls `onChange` (debounced) when the file at `filePath` is replaced or rewritten. */
export class ExecutableWatcher {
  private arms: Arm[] = [];
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
    this.arm();
  }

  /** True while a directory on the way to the file is being watched. */
  get watching(): boolean {
    return this.arms.length > 0 && !this.closed;
  }

  /** The directories watched now (for tests and the log). */
  get watchedDirs(): string[] {
    return this.arms.map((a) => a.dir);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.disarm();
  }

  /** Watches the deepest existing directory toward the file and, for a symlink, toward its target. */
  private arm(): void {
    this.disarm();
    for (const { dir, ino, names } of wantedDirs(this.filePath)) {
      try {
        // Only what leads to the executable (and the folder itself going away): a log file
        // written beside it must not keep postponing the check.
        const relevant = new Set([...names, path.basename(dir)]);
        const watcher = fs.watch(dir, { persistent: false }, (_event, filename) => {
          if (filename === null || relevant.has(filename.toString())) this.schedule();
        });
        watcher.on('error', (err) => {
          this.log(`Stopped watching ${dir}: ${err.message}`);
          this.disarm();
        });
        this.arms.push({ dir, ino, watcher });
      } catch (err) {
        this.log(`Cannot watch ${dir} for rebuilds: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private disarm(): void {
    for (const { watcher } of this.arms) watcher.close();
    this.arms = [];
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), this.debounceMs);
  }

  /** Re-arms if the folders changed, then fires only when the file exists and differs from the version last seen. */
  private check(): void {
    this.timer = undefined;
    if (this.closed) return;
    const wanted = wantedDirs(this.filePath);
    const same = wanted.length === this.arms.length && wanted.every((w, i) => w.dir === this.arms[i].dir && w.ino === this.arms[i].ino);
    if (!same) {
      this.log(`Watching ${wanted.map((w) => w.dir).join(' and ') || 'nothing'} for rebuilds of ${this.filePath}.`);
      this.arm();
    }
    const now = signature(this.filePath);
    if (!now) return; // removed mid-build: wait for the next event
    const prev = this.last;
    this.last = now;
    if (prev && prev.ino === now.ino && prev.size === now.size && prev.mtimeMs === now.mtimeMs) return;
    this.onChange();
  }
}

/** The directories to watch for `file`: its own (or the nearest existing one above it), and its symlink target's. */
function wantedDirs(file: string): WantedDir[] {
  const dirs: WantedDir[] = [];
  const add = (target: string) => {
    const found = nearestDirectory(path.dirname(target));
    if (!found) return;
    // The entry of `found.dir` on the way down to the target: its own name, or a folder still to be made.
    const name = path.relative(found.dir, target).split(path.sep)[0];
    const known = dirs.find((d) => d.dir === found.dir);
    if (known) known.names.add(name);
    else dirs.push({ ...found, names: new Set([name]) });
  };
  add(file);
  const real = realPath(file);
  if (real && real !== file) add(real);
  return dirs;
}

function nearestDirectory(start: string): { dir: string; ino: number } | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const st = fs.statSync(dir);
      if (st.isDirectory()) return { dir, ino: st.ino };
    } catch {
      // Not there (yet): try the folder above.
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
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
