// A cancellable notification progress that appears only when the work is slow. Fast calls
// (a local Greet takes milliseconds) then show no flickering progress toast, which would
// also linger over the answer's notification.

import * as vscode from 'vscode';

/** How long work may run before the progress notification appears. */
export const PROGRESS_DELAY_MS = 300;

/**
 * Runs `work` with an AbortSignal. If it has not settled after `delayMs`, a cancellable
 * progress notification titled `title` is shown until it does; Cancel aborts the signal.
 */
export async function withDelayedProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>, delayMs = PROGRESS_DELAY_MS): Promise<T> {
  const abort = new AbortController();
  const running = work(abort.signal);
  let settled = false;
  running.then(() => (settled = true), () => (settled = true));
  const timedOut = await Promise.race([
    running.then(() => false, () => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), delayMs)),
  ]);
  if (timedOut && !settled) {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
      const onCancel = token.onCancellationRequested(() => abort.abort());
      try {
        await running.then(() => undefined, () => undefined);
      } finally {
        onCancel.dispose();
      }
    });
  }
  return running;
}
