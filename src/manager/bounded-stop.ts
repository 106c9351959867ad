// A stop that always ends. PluginClient.stop() is itself bounded (Shutdown, 2 s,
// SIGKILL, 2 s), but the process's exit is the kernel's to give: one stuck in
// uninterruptible sleep survives SIGKILL until the kernel lets it go. Waiting on it
// without a limit would block the plugin's queue, dispose() and deactivate, so the
// manager gives up after a bound, as vscode-languageclient does with a server's stop.

import type { PluginClient } from '../host';
import { formatMs } from '../host/format';
import { processState } from '../host/proc-info';
import { settlesWithin } from '../host/timing';

/** PluginClient.stop()'s own steps (about 4 s) plus a second. */
export const DEFAULT_STOP_TIMEOUT_MS = 5000;

/**
 * Stops `client` and waits for its process to be gone, at most `boundMs`. Resolves
 * undefined when it is gone, or a sentence for the log naming what was left behind.
 */
export async function stopWithin(client: PluginClient, boundMs: number, onStopError: (err: unknown) => void): Promise<string | undefined> {
  const gone = client
    .stop()
    .catch(onStopError)
    .then(() => client.exited);
  if (await settlesWithin(gone, boundMs)) return undefined;
  const pid = client.info.pid;
  return (
    `The process (pid ${pid ?? 'unknown'}${describeProcState(pid)}) did not exit within ${formatMs(boundMs)} of Stop, ` +
    'though it was sent Shutdown and SIGKILL; it is probably stuck in the kernel (uninterruptible sleep). ' +
    'The plugin is marked stopped and the process is left behind; it ends when the kernel lets it.'
  );
}

/** ", state D (uninterruptible sleep)" from /proc on Linux; empty elsewhere or when it is gone. */
function describeProcState(pid: number | undefined): string {
  const state = pid === undefined ? undefined : processState(pid);
  if (!state) return '';
  const words: Record<string, string> = { D: 'uninterruptible sleep', T: 'stopped', Z: 'zombie', R: 'running', S: 'sleeping' };
  return `, state ${state}${words[state] ? ` (${words[state]})` : ''}`;
}
