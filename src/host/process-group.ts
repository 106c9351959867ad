// Every plugin runs in its own process group so that stop() can kill what the plugin
// started too (a wrapper script's child would otherwise outlive SIGKILL, PROTOCOL.md §8.10).
// Live groups are remembered so that a host that exits, or is killed by a signal nobody
// else handles, never leaves a plugin behind (go-plugin's CleanupClients).

const liveGroups = new Set<number>();
let hooksInstalled = false;

/** Signals that end a Node process by default and that we can still react to. */
const FATAL_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Remembers a plugin's process group for the host's exit hooks. */
export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous; a SIGKILL is the only thing left to do then.
  process.on('exit', killAllGroups);
  for (const signal of FATAL_SIGNALS) process.on(signal, onFatalSignal);
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

/**
 * Node emits no 'exit' when a signal kills it. If nobody else handles the signal, take the
 * plugins down and then die of the same signal, as the process would have without us.
 * If the application handles it, it owns shutdown (and its exit still runs our 'exit' hook).
 */
function onFatalSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killAllGroups();
  process.removeListener(signal, onFatalSignal);
  process.kill(process.pid, signal);
}

function killAllGroups(): void {
  for (const group of liveGroups) killGroup(group, 'SIGKILL');
  liveGroups.clear();
}

/** Signals the whole process group (the process alone on Windows, which has no groups). */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    // Already gone. Never fall back to the bare pid: it may belong to someone else by now.
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
