// The tutorial's Greeter service on a connected plugin: one call, always with a deadline,
// cancellable, with gRPC status codes turned into typed errors.
import * as grpc from '@grpc/grpc-js';
import { PluginError, type PluginClient } from '../host';
import { settlesWithin } from '../host/timing';
import { GreeterClient, type Greeting } from '../proto';

/** Used when the caller gives no timeout: a Greet is a tiny call. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

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
  if (plugin.isExited || plugin.signal.aborted) return Promise.reject(notRunning(plugin));
  if (options.signal?.aborted) return Promise.reject(cancelled(plugin));
  let stub = stubs.get(plugin);
  if (!stub) {
    stub = plugin.makeClient<GreeterStub>(GreeterClient);
    stubs.set(plugin, stub);
  }
  return new Promise((resolve, reject) => {
    const call = stub.Greet({ name }, { deadline: Date.now() + timeoutMs }, (err, reply) => {
      options.signal?.removeEventListener('abort', onCallerAbort);
      plugin.signal.removeEventListener('abort', onPluginGone);
      if (!err) resolve(reply?.message ?? '');
      else if (err.code !== grpc.status.UNAVAILABLE || plugin.isExited) reject(callError(plugin, err, timeoutMs, options.signal));
      // A dropped connection usually means the process is dying; its exit event is a
      // moment behind, and "exited with signal SIGKILL" says more than "unavailable".
      else void settlesWithin(plugin.exited, 250).then(() => reject(callError(plugin, err, timeoutMs, options.signal)));
    });
    const onCallerAbort = () => call.cancel();
    const onPluginGone = () => call.cancel();
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    plugin.signal.addEventListener('abort', onPluginGone, { once: true });
  });
}

function callError(plugin: PluginClient, err: grpc.ServiceError, timeoutMs: number, signal?: AbortSignal): PluginError {
  const name = plugin.name;
  const details = err.details || err.message;
  if (plugin.signal.aborted) return notRunning(plugin);
  switch (err.code) {
    case grpc.status.CANCELLED:
      return signal?.aborted ? cancelled(plugin) : new PluginError('CALL_FAILED', `Plugin "${name}" cancelled the Greet call: ${details}`);
    case grpc.status.DEADLINE_EXCEEDED:
      return new PluginError(
        'DEADLINE_EXCEEDED',
        `Plugin "${name}" did not answer Greet within ${timeoutMs} ms. It may be stuck; restart it, or raise the call timeout.`,
      );
    case grpc.status.UNAVAILABLE:
      return new PluginError('UNAVAILABLE', `Plugin "${name}" is unreachable (${details}). Restart it; see its log for why it stopped.`);
    case grpc.status.UNIMPLEMENTED:
      return new PluginError(
        'UNIMPLEMENTED',
        `Plugin "${name}" does not implement tutorial.Greeter/Greet. Check that it serves the tutorial's Greeter service.`,
      );
    default:
      return new PluginError('CALL_FAILED', `Plugin "${name}" failed the Greet call (${grpc.status[err.code] ?? err.code}): ${details}`, undefined, {
        cause: err,
      });
  }
}

function cancelled(plugin: PluginClient): PluginError {
  return new PluginError('CANCELLED', `The Greet call to plugin "${plugin.name}" was cancelled.`);
}

function notRunning(plugin: PluginClient): PluginError {
  const reason = plugin.signal.reason;
  if (reason instanceof PluginError) return reason;
  return new PluginError('PLUGIN_EXITED', `Plugin "${plugin.name}" is not running.`);
}
