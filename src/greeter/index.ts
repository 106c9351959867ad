// The tutorial's Greeter service on a connected plugin: one call, always with a deadline,
// cancellable, with gRPC status codes turned into typed errors.
import * as grpc from '@grpc/grpc-js';
import { PluginError, formatBytes, type PluginClient } from '../host';
import { isDeadlineCancel } from '../host/call-deadline';
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
  const badName = nameProblem(plugin, name);
  if (badName) return Promise.reject(badName);
  if (plugin.isExited || plugin.signal.aborted) return Promise.reject(notRunning(plugin));
  if (options.signal?.aborted) return Promise.reject(cancelled(plugin));
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
  const name = plugin.name;
  const details = err.details || err.message;
  const cause = { cause: err };
  if (plugin.signal.aborted) return notRunning(plugin);
  switch (err.code) {
    case grpc.status.CANCELLED:
      if (signal?.aborted) return cancelled(plugin);
      if (isDeadlineCancel(err.code, deadline, signal)) return deadlineExceeded(name, timeoutMs, err);
      return new PluginError('CALL_FAILED', `Plugin "${name}" cancelled the Greet call: ${details}`, undefined, cause);
    case grpc.status.DEADLINE_EXCEEDED:
      return deadlineExceeded(name, timeoutMs, err);
    case grpc.status.UNAVAILABLE:
      return new PluginError('UNAVAILABLE', `Plugin "${name}" is unreachable (${details}). Restart it; see its log for why it stopped.`, undefined, cause);
    case grpc.status.UNIMPLEMENTED:
      return new PluginError(
        'UNIMPLEMENTED',
        `Plugin "${name}" does not implement tutorial.Greeter/Greet. Check that it serves the tutorial's Greeter service.`,
        undefined,
        cause,
      );
    case grpc.status.RESOURCE_EXHAUSTED: {
      // grpc-go: "grpc: received message larger than max (5000005 vs. 4194304)".
      const sizes = /\((\d+) vs\. (\d+)\)/.exec(details);
      const limit = sizes ? `${formatBytes(Number(sizes[2]))}` : 'its limit';
      return new PluginError(
        'RESOURCE_EXHAUSTED',
        `Plugin "${name}" refused the Greet call: the request` +
          (sizes ? ` (${Number(sizes[1]).toLocaleString('en-US')} bytes)` : '') +
          ` is larger than the ${limit} the plugin accepts (go-plugin servers accept 4 MB per message). Use a shorter name.`,
        details,
        cause,
      );
    }
    default:
      return new PluginError('CALL_FAILED', `Plugin "${name}" failed the Greet call (${grpc.status[err.code] ?? err.code}): ${details}`, undefined, cause);
  }
}

function deadlineExceeded(name: string, timeoutMs: number, err: grpc.ServiceError): PluginError {
  return new PluginError(
    'DEADLINE_EXCEEDED',
    `Plugin "${name}" did not answer Greet within ${timeoutMs} ms. It may be stuck; restart it, or raise the call timeout.`,
    undefined,
    { cause: err },
  );
}

/** A lone UTF-16 surrogate cannot be encoded as UTF-8: the plugin would get invalid bytes. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function nameProblem(plugin: PluginClient, name: string): PluginError | undefined {
  if (typeof name !== 'string') {
    return new PluginError('INVALID_ARGUMENT', `The name to greet must be text, got ${name === null ? 'null' : typeof name}.`);
  }
  const at = name.search(LONE_SURROGATE);
  if (at === -1) return undefined;
  return new PluginError(
    'INVALID_ARGUMENT',
    `The name for plugin "${plugin.name}" is not valid Unicode: it has an unpaired surrogate (\\u${name
      .charCodeAt(at)
      .toString(16)
      .toUpperCase()}) at position ${at}, which cannot be sent as UTF-8. Retype the name or remove that character.`,
  );
}

function cancelled(plugin: PluginClient): PluginError {
  return new PluginError('CANCELLED', `The Greet call to plugin "${plugin.name}" was cancelled.`);
}

function notRunning(plugin: PluginClient): PluginError {
  const reason = plugin.signal.reason;
  if (reason instanceof PluginError) return reason;
  return new PluginError('PLUGIN_EXITED', `Plugin "${plugin.name}" is not running.`);
}
