// Activation that leaks nothing: VS Code disposes `context.subscriptions` only after an
// activation that succeeded, so when activate() throws, what it had already created (tree
// view, status bar item, channels, command registrations, started plugins) would live on.
// No vscode import.

/** Anything with dispose(), as vscode.Disposable. */
export interface Disposable {
  dispose(): unknown;
}

/**
 * Runs `construct`, which registers every disposable it creates in `subscriptions` as it
 * creates it. If construct throws, disposes those (newest first), empties the list and
 * rethrows the original error; a dispose that throws does not stop the others.
 */
export function activateOrCleanUp<T>(subscriptions: Disposable[], construct: () => T): T {
  try {
    return construct();
  } catch (err) {
    for (const d of subscriptions.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // Already failing: the activation error is the one to report.
      }
    }
    throw err;
  }
}

/** Pushes each disposable into `subscriptions` as it is created; returns it. */
export function registrar(subscriptions: Disposable[]): <D extends Disposable>(d: D) => D {
  return (d) => {
    subscriptions.push(d);
    return d;
  };
}
