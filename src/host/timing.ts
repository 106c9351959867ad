// Small waiting helper and the stop timings shared by the host and the greeter clients.

/** How long a plugin gets to exit after Shutdown before it is killed (go-plugin: 2 s). */
export const GRACEFUL_EXIT_MS = 2000;
/** Deadline of the Shutdown call itself; go-plugin has none, which can hang a host. */
export const SHUTDOWN_CALL_DEADLINE_MS = 1000;

/** Resolves true when promise settles within ms, false when the time runs out first. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(done, done);
  });
}
