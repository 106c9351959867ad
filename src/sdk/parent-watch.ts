// Exits the plugin when its host dies. A killed host cannot send Shutdown and stdin
// is shared with the host's own, so polling the parent pid is the reliable signal
// (go-plugin issues #10 and #210; PROTOCOL.md §8.10).

/**
 * The parent when the SDK was loaded: the earliest this process can look, so a host that
 * dies while the plugin still loads its code is noticed too (serve() runs later).
 */
export const PARENT_AT_LOAD = process.ppid;

/**
 * Calls `onOrphaned` once when process.ppid differs from `parent` (read it as early
 * as possible, so a host that dies during start-up is noticed too); returns a stop function.
 */
export function watchParent(onOrphaned: () => void, intervalMs = 1_000, parent = process.ppid): () => void {
  const check = () => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  };
  const timer = setInterval(check, intervalMs);
  // The gRPC server keeps the process alive; the watch alone must not.
  timer.unref();
  check();
  return () => clearInterval(timer);
}
