// The tutorial's Greeter service on a connected plugin: one call on the host's own
// connection (node:http2), always with a deadline, cancellable, with gRPC status codes
// turned into typed errors.
import { PluginError, type PluginClient } from '../host';
import type { CallFailure } from '../host/grpc-status';
import { cancelled, greetCallError, nameProblem } from './greet-errors';
import { DEFAULT_CALL_TIMEOUT_MS } from './greet-once';
import { decodeGreeting, encodePerson } from './greet-wire';

export { greetOnce, type GreetOnceOptions } from './greet-once';
export { DEFAULT_CALL_TIMEOUT_MS };

/** Per-call options of greet(). */
export interface GreetOptions {
  /** Aborting cancels the gRPC call (status CANCELLED). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

const GREET = '/tutorial.Greeter/Greet';

/** Calls tutorial.Greeter/Greet and returns the greeting's message. */
export async function greet(plugin: PluginClient, name: string, options: GreetOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const badName = nameProblem(plugin.name, name);
  if (badName) throw badName;
  if (plugin.isExited || plugin.signal.aborted) throw notRunning(plugin);
  if (options.signal?.aborted) throw cancelled(plugin.name);
  const deadline = Date.now() + timeoutMs;
  try {
    return decodeGreeting(await plugin.connection.call(GREET, encodePerson(name), { deadline, signal: plugin.callSignals(options.signal) }));
  } catch (e) {
    const failure = e as CallFailure;
    // A plugin going away: "exited with signal SIGKILL" says more than "unavailable".
    await plugin.exitedAfter(failure);
    throw callError(plugin, failure, timeoutMs, deadline, options.signal);
  }
}

function callError(plugin: PluginClient, err: CallFailure, timeoutMs: number, deadline: number, signal?: AbortSignal): PluginError {
  if (plugin.signal.aborted) return notRunning(plugin);
  return greetCallError(plugin.name, err, timeoutMs, deadline, signal);
}

function notRunning(plugin: PluginClient): PluginError {
  const reason = plugin.signal.reason;
  if (reason instanceof PluginError) return reason;
  return new PluginError('PLUGIN_EXITED', `Plugin "${plugin.name}" is not running.`);
}
