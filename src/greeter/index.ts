// The tutorial's Greeter service on a connected plugin: one call, always with a deadline,
// cancellable, with gRPC status codes turned into typed errors.
import * as grpc from '@grpc/grpc-js';
import { PluginError, type PluginClient } from '../host';
import { settlesWithin } from '../host/timing';
import { cancelled, greetCallError, nameProblem } from './greet-errors';
import { DEFAULT_CALL_TIMEOUT_MS } from './greet-once';
import { GreeterClient, type Greeting } from '../proto';

export { greetOnce, type GreetOnceOptions } from './greet-once';
export { DEFAULT_CALL_TIMEOUT_MS };

/** Per-call options of greet(). */
export interface GreetOptions {
  /** Aborting cancels the gRPC call (status CANCELLED). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

interface GreeterStub extends grpc.Client {
  Greet(req: { name: string }, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: Greeting) => void): grpc.ClientUnaryCall;
}

const stubs = new WeakMap<PluginClient, GreeterStub>();

/** Calls tutorial.Greeter/Greet and returns the greeting's message. */
export function greet(plugin: PluginClient, name: string, options: GreetOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const badName = nameProblem(plugin.name, name);
  if (badName) return Promise.reject(badName);
  if (plugin.isExited || plugin.signal.aborted) return Promise.reject(notRunning(plugin));
  if (options.signal?.aborted) return Promise.reject(cancelled(plugin.name));
  let stub = stubs.get(plugin);
  if (!stub) {
    stub = plugin.makeClient<GreeterStub>(GreeterClient);
    stubs.set(plugin, stub);
  }
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const call = stub.Greet({ name }, { deadline }, (err, reply) => {
      options.signal?.removeEventListener('abort', onCallerAbort);
      plugin.signal.removeEventListener('abort', onPluginGone);
      if (!err) resolve(reply?.message ?? '');
      else if (err.code !== grpc.status.UNAVAILABLE || plugin.isExited) reject(callError(plugin, err, timeoutMs, deadline, options.signal));
      // A dropped connection usually means the process is dying; its exit event is a
      // moment behind, and "exited with signal SIGKILL" says more than "unavailable".
      else void settlesWithin(plugin.exited, 250).then(() => reject(callError(plugin, err, timeoutMs, deadline, options.signal)));
    });
    const onCallerAbort = () => call.cancel();
    const onPluginGone = () => call.cancel();
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    plugin.signal.addEventListener('abort', onPluginGone, { once: true });
  });
}

function callError(plugin: PluginClient, err: grpc.ServiceError, timeoutMs: number, deadline: number, signal?: AbortSignal): PluginError {
  if (plugin.signal.aborted) return notRunning(plugin);
  return greetCallError(plugin.name, err, timeoutMs, deadline, signal);
}

function notRunning(plugin: PluginClient): PluginError {
  const reason = plugin.signal.reason;
  if (reason instanceof PluginError) return reason;
  return new PluginError('PLUGIN_EXITED', `Plugin "${plugin.name}" is not running.`);
}
