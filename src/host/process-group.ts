// Every plugin runs in its own process group so that stop() can kill what the plugin
// started too (a wrapper script's child would otherwise outlive SIGKILL, PROTOCOL.md §8.10).
// Host-exit cleanups (kill a live plugin's group, remove its socket directory) are
// registered here, so a host that exits, or dies of a signal nobody else handles,
// leaves neither a plugin nor a directory behind (go-plugin's CleanupClients).
import { processGroupMembers } from './proc-info';

const exitCleanups = new Set<() => void>();
let hooksInstalled = false;

/** Signals that end a Node process by default and that we can still react to. */
const FATAL_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs cleanup (synchronously) if the host exits before the returned function is called.
 * Owners unregister the moment the resource is gone: a plugin's group kill as soon as its
 * leader is reaped, since the group id may belong to someone else from then on.
 */
export function atHostExit(cleanup: () => void): () => void {
  exitCleanups.add(cleanup);
  installHooks();
  return () => exitCleanups.delete(cleanup);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' runs on process.exit, a normal end and an uncaught exception; it must be synchronous.
  process.on('exit', runExitCleanups);
  for (const signal of FATAL_SIGNALS) process.on(signal, onFatalSignal);
}

/**
 * Node emits no 'exit' when a signal kills it. If nobody else handles the signal, clean
 * up and then die of the same signal, as the process would have without us. If the
 * application handles it, it owns shutdown (and its exit still runs our 'exit' hook).
 */
function onFatalSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  runExitCleanups();
  process.removeListener(signal, onFatalSignal);
  process.kill(process.pid, signal);
}

function runExitCleanups(): void {
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // One failed cleanup must not keep the others from running.
    }
  }
  exitCleanups.clear();
}

/**
 * Signals the whole process group (the process alone on Windows, which has no groups).
 * Only for a leader that has not been reaped yet: its pid then still names our group.
 */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    // Already gone. Never fall back to the bare pid: it may belong to someone else by now.
  }
}

/**
 * After a group's leader was reaped its other members (a wrapper script's background
 * child) may still run. The kernel does not hand out a number that a live process still
 * uses as its group id, so while they live the group is still ours; once the number
 * leads a process again (pid == pgid), it belongs to someone else. libuv reaps children
 * before it reports them, so by the time this runs the leader's pid may already be reused.
 * Linux only (/proc); elsewhere survivors are left alone.
 */
export function killGroupSurvivors(pgid: number, signal: NodeJS.Signals): number {
  // Most plugins start nothing: when signal 0 finds no member, skip reading every
  // process's /proc entry (milliseconds on a busy machine, at every plugin exit).
  if (!groupHasMembers(pgid)) return 0;
  if (isAlive(pgid)) return 0; // the number leads a new process, and its group is not ours
  const members = processGroupMembers(pgid);
  if (members.length === 0 || isAlive(pgid)) return 0;
  // One signal to the group: it reaches exactly the members still holding the old number.
  try {
    process.kill(-pgid, signal);
  } catch {
    // Gone meanwhile.
  }
  return members.length;
}

/** Whether any process is in the group: signal 0 probes it without signalling anyone. */
function groupHasMembers(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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
