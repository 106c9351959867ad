// The one home for how the manager words spans of time (restart delays, the crash
// window, stop bounds), so the restart policy and the supervisor never disagree.

/** "500 ms", "2 s", "1.5 s": a delay or timeout as configured. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** "minute", "3 minutes", "90 seconds": the crash-counting window, as in "crashed 5 times in the last …". */
export function formatWindow(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  return `${Math.round(ms / 1000)} seconds`;
}
