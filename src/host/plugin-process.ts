// The OS process behind a plugin connection: either one we spawned (exit comes from the
// child's 'exit' event, never pipe EOF) or one we reattached to (polled by pid).
import type { ChildProcess } from 'node:child_process';
import { isAlive, killGroup, untrackGroup } from './process-group';
import type { ExitInfo } from './types';

export interface PluginProcess {
  readonly pid: number | undefined;
  /** Resolves once, when the process is gone. */
  readonly exited: Promise<ExitInfo>;
  /** Whether stop() may signal it. */
  readonly owned: boolean;
  /** True when it leads its own process group, which may outlive it (a wrapper's children). */
  readonly leadsGroup: boolean;
  kill(signal: NodeJS.Signals): void;
  /** Stops watching (reattach polling). */
  dispose(): void;
}

/** A process we started in its own process group. */
export function spawnedProcess(child: ChildProcess, exited: Promise<ExitInfo>): PluginProcess {
  const pid = child.pid!;
  exited.then(() => untrackGroup(pid));
  return {
    pid,
    exited,
    owned: true,
    leadsGroup: true,
    kill: (signal) => killGroup(pid, signal),
    dispose: () => undefined,
  };
}

/** A process someone else started; go-plugin polls it every second to notice its death. */
export function reattachedProcess(pid: number, owned: boolean): PluginProcess {
  let timer: NodeJS.Timeout | undefined;
  let resolveExit!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));
  const poll = () => {
    if (!isAlive(pid)) {
      clearInterval(timer);
      resolveExit({ code: null, signal: null });
    }
  };
  timer = setInterval(poll, 1000);
  timer.unref();
  return {
    pid,
    exited,
    owned,
    leadsGroup: false,
    kill: (signal) => {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
      setTimeout(poll, 50).unref();
    },
    dispose: () => clearInterval(timer),
  };
}
