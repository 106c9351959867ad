// Every plugin runs in its own process group so that stop() can kill what the plugin
// started too (a wrapper script's child would otherwise outlive SIGKILL, PROTOCOL.md §8.10).
// Live groups are remembered so that an exiting host never leaves a plugin behind.

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Remembers a plugin's process group for the host's exit hook. */
export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous; a SIGKILL is the only thing left to do then.
    process.on('exit', () => {
      for (const group of liveGroups) killGroup(group, 'SIGKILL');
    });
  }
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Signals the whole group; falls back to the process alone where groups don't exist. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') process.kill(pid, signal);
    else process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** True while a process with this pid exists (signal 0 probes without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
