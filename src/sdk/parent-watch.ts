// Exits the plugin when its host dies. A killed host cannot send Shutdown and stdin
// is shared with the host's own, so polling the parent pid is the reliable signal
// (go-plugin issues #10 and #210; PROTOCOL.md §8.10).

/** Calls `onOrphaned` once when process.ppid changes; returns a function that stops watching. */
export function watchParent(onOrphaned: () => void, intervalMs = 1_000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  // The gRPC server keeps the process alive; the watch alone must not.
  timer.unref();
  return () => clearInterval(timer);
}
