// The OS process behind a plugin connection: one we spawned (exit comes from the child's
// 'exit' event, never pipe EOF) or one we reattached to (polled by pid). PluginProcess
// is the one name for it; PluginLaunch (plugin-launch.ts) owns a spawned one.
import type { ChildProcess } from 'node:child_process';
import { PluginError } from './errors';
import { describeExit, formatMs } from './format';
import { readLines, TailBuffer } from './line-reader';
import { StderrLogParser } from './log-parser';
import { settlesWithin } from './timing';
import { atHostExit, isAlive, killGroup, killGroupSurvivors } from './process-group';
import { processStartTime } from './proc-info';
import type { ExitInfo, PluginSinks } from './types';

export interface PluginProcess {
  readonly pid: number | undefined;
  /** Resolves once, when the process is gone; never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** Whether stop() may signal it. */
  readonly owned: boolean;
  /** Signals it, and what it started in its group; a no-op once it is gone. */
  kill(signal: NodeJS.Signals): void;
  /** Releases what the client no longer needs once it has stopped the process. */
  dispose(): void;
  /** Stops watching the process at all (detach): `exited` then never settles. */
  stopWatching(): void;
}

/** The text a go-plugin plugin prints when its magic cookie is missing or wrong. */
const NOT_LAUNCHED_BY_HOST = 'This binary is a plugin. These are not meant to be executed directly.';

/**
 * A plugin we spawned, leading its own process group. Until the handshake it also reads
 * the handshake line; its stderr is parsed into log entries for its whole life.
 */
export class SpawnedPluginProcess implements PluginProcess {
  readonly owned = true;
  readonly exited: Promise<ExitInfo>;
  private readonly stderrTail = new TailBuffer();
  private readonly stderrDone: Promise<void>;
  private exitInfo?: ExitInfo;
  /** The leader's start time (/proc, Linux), or undefined where it cannot be read. */
  readonly startTime: string | undefined;
  private forgetAtHostExit?: () => void;
  private firstLine?: (line: string | undefined) => void;
  private spawnFailure?: (e: NodeJS.ErrnoException) => void;

  constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
    sinks: PluginSinks,
    private readonly spawnError: (e: NodeJS.ErrnoException) => PluginError,
  ) {
    const pid = child.pid;
    // Read now, while the child surely exists: kill() compares it before every signal.
    this.startTime = pid !== undefined ? processStartTime(pid) : undefined;
    if (pid !== undefined) this.forgetAtHostExit = atHostExit(() => this.kill('SIGKILL'));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        // The leader is reaped: from now on its pid may name someone else's group.
        // Unregister at once, and end what is left of our group while its members still hold the id.
        this.exitInfo = { code, signal };
        this.forgetAtHostExit?.();
        if (pid !== undefined && process.platform !== 'win32') killGroupSurvivors(pid, 'SIGKILL');
        resolve(this.exitInfo);
      });
      child.once('error', (e: NodeJS.ErrnoException) => {
        // Spawn failures (ENOENT, EACCES, ENOEXEC) come here and no 'exit' follows.
        if (child.pid === undefined) {
          this.spawnFailure?.(e);
          this.exitInfo = { code: null, signal: null };
          resolve(this.exitInfo);
        }
      });
    });
    const parser = new StderrLogParser();
    this.stderrDone = new Promise((resolve) =>
      readLines(
        child.stderr!,
        (line, piece) => {
          this.stderrTail.push(line);
          const entry = parser.parseLine(line);
          sinks.log?.(piece ? { ...entry, level: 'debug' } : entry);
        },
        64 * 1024,
        resolve,
      ),
    );
    let sawHandshake = false;
    readLines(
      child.stdout!,
      (line) => {
        if (!sawHandshake) {
          sawHandshake = true;
          this.firstLine?.(line);
        } else {
          // go-plugin discards these; we pass them on so a plugin's stray output is not lost.
          sinks.stdout?.(Buffer.from(line + '\n'));
        }
      },
      64 * 1024,
      () => {
        if (!sawHandshake) this.firstLine?.(undefined);
      },
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /**
   * Signals the whole group, but only while the leader is unreaped (its pid still names our
   * group). libuv reaps a child before its 'exit' event runs, so "no exit yet" is not
   * enough: the pid must still have the start time it had at spawn (Linux).
   */
  kill(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.exitInfo) return;
    if (this.startTime !== undefined && processStartTime(pid) !== this.startTime) return;
    killGroup(pid, signal);
  }

  dispose(): void {}

  stopWatching(): void {
    // A spawned child is ours to the end: its exit is always reported.
  }

  /** Waits for the first stdout line, failing early if the process exits, the time runs out or signal aborts. */
  handshakeLine(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => fail(startCancelled(this.name));
      if (signal?.aborted) return reject(startCancelled(this.name));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        fail(
          new PluginError(
            'HANDSHAKE_TIMEOUT',
            `Plugin "${this.name}" did not print its go-plugin handshake within ${formatMs(timeoutMs)}. ` +
              `Check that the path is a go-plugin plugin, or raise the start timeout if it is slow to start.`,
            this.stderrTail.text() || undefined,
          ),
        );
      }, timeoutMs);
      let settled = false;
      const fail = (e: PluginError) => {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      };
      // Only while the handshake is awaited: a plugin that exits later (every stop) must
      // not pay for an error nobody reads (stderr wait, message, stack trace).
      const failIfExitedFirst = async () => {
        if (!settled) fail(await this.exitedEarlyError());
      };
      this.spawnFailure = (e) => fail(this.spawnError(e));
      this.firstLine = (line) => {
        if (line !== undefined) {
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(line);
          return;
        }
        // stdout closed without a line: the process is exiting; report it with its stderr.
        void this.exited.then(failIfExitedFirst);
      };
      void this.exited.then(failIfExitedFirst);
    });
  }

  /**
   * Whether a call failed because this process is going away: it has exited, or the call
   * lost its connection and the process exits within `waitMs` (its exit then says more
   * than the "unavailable" the call saw).
   */
  async exitedAfter(connectionLost: boolean, waitMs: number): Promise<boolean> {
    return this.isExited || (connectionLost && (await settlesWithin(this.exited, waitMs)));
  }

  /** Why the process ended during the start, with the end of its stderr. */
  async exitedEarlyError(when = 'before completing the go-plugin handshake'): Promise<PluginError> {
    await settlesWithin(this.stderrDone, 500);
    const tail = this.stderrTail.text();
    const exit = describeExit(this.exitInfo ?? { code: null, signal: null });
    if (tail.includes(NOT_LAUNCHED_BY_HOST)) {
      return new PluginError(
        'EXITED_BEFORE_HANDSHAKE',
        `Plugin "${this.name}" refused to start (${exit}): its magic cookie does not match. ` +
          `Configure the plugin's magic cookie key and value to the ones in its go-plugin HandshakeConfig.`,
        tail,
      );
    }
    return new PluginError(
      'EXITED_BEFORE_HANDSHAKE',
      `Plugin "${this.name}" exited ${when} (${exit}). ` +
        (tail ? 'Its last output is below; see the plugin log for all of it.' : 'It wrote nothing to stderr.'),
      tail || undefined,
    );
  }
}

/** A process someone else started; go-plugin polls it every second to notice its death. */
export class ReattachedPluginProcess implements PluginProcess {
  readonly exited: Promise<ExitInfo>;
  private readonly timer: NodeJS.Timeout;
  private resolveExit!: (info: ExitInfo) => void;

  /** When pid started (Linux), so a signal never reaches a process that reuses the pid. */
  private readonly startTime: string | undefined;

  constructor(readonly pid: number, readonly owned: boolean) {
    this.startTime = processStartTime(pid);
    this.exited = new Promise<ExitInfo>((resolve) => (this.resolveExit = resolve));
    // Unref'd: watching the pid never keeps the host alive, and goes on after dispose() so
    // `exited` still settles when the process ends.
    this.timer = setInterval(() => this.poll(), 1000);
    this.timer.unref();
  }

  kill(signal: NodeJS.Signals): void {
    if (this.startTime !== undefined && processStartTime(this.pid) !== this.startTime) {
      this.poll(); // the pid is gone or belongs to another process now
      return;
    }
    try {
      process.kill(this.pid, signal);
    } catch {
      // Already gone.
    }
    setTimeout(() => this.poll(), 50).unref();
  }

  dispose(): void {
    // The unref'd watch goes on (a test-mode stop leaves the process running; `exited`
    // settles when it ends), and ends by itself when the process does.
  }

  stopWatching(): void {
    clearInterval(this.timer);
  }

  private poll(): void {
    const reused = this.startTime !== undefined && processStartTime(this.pid) !== this.startTime;
    if (reused || !isAlive(this.pid)) {
      clearInterval(this.timer);
      this.resolveExit({ code: null, signal: null });
    }
  }
}

export function startCancelled(name: string): PluginError {
  return new PluginError('STOPPED', `Plugin "${name}" was stopped while it was starting.`);
}
