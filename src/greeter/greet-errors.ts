// What a failed Greet means for the user, whichever client made the call (grpc-js in
// greet(), node:http2 in greetOnce()): one text per gRPC status, and the checks made
// before a name is sent.
import { PluginError } from '../host/errors';
import { isDeadlineCancel } from '../host/call-deadline';
import { formatBytes } from '../host/format';
import { Status, statusName, type CallFailure } from '../host/grpc-status';

/** A failed Greet call (grpc-js's ServiceError or the node:http2 client's CallFailure) as the user should read it. */
export function greetCallError(name: string, err: CallFailure, timeoutMs: number, deadline: number, signal?: AbortSignal): PluginError {
  const details = err.details || err.message;
  const cause = { cause: err };
  switch (err.code) {
    case Status.CANCELLED:
      if (signal?.aborted) return cancelled(name);
      if (isDeadlineCancel(err.code, deadline, signal)) return deadlineExceeded(name, timeoutMs, err);
      return new PluginError('CALL_FAILED', `Plugin "${name}" cancelled the Greet call: ${details}`, undefined, cause);
    case Status.DEADLINE_EXCEEDED:
      return deadlineExceeded(name, timeoutMs, err);
    case Status.UNAVAILABLE:
      return new PluginError('UNAVAILABLE', `Plugin "${name}" is unreachable (${details}). Restart it; see its log for why it stopped.`, undefined, cause);
    case Status.UNIMPLEMENTED:
      return new PluginError(
        'UNIMPLEMENTED',
        `Plugin "${name}" does not implement tutorial.Greeter/Greet. Check that it serves the tutorial's Greeter service.`,
        undefined,
        cause,
      );
    case Status.RESOURCE_EXHAUSTED: {
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
      return new PluginError('CALL_FAILED', `Plugin "${name}" failed the Greet call (${statusName(err.code)}): ${details}`, undefined, cause);
  }
}

function deadlineExceeded(name: string, timeoutMs: number, err: CallFailure): PluginError {
  return new PluginError(
    'DEADLINE_EXCEEDED',
    `Plugin "${name}" did not answer Greet within ${timeoutMs} ms. It may be stuck; restart it, or raise the call timeout.`,
    undefined,
    { cause: err },
  );
}

/** A lone UTF-16 surrogate cannot be encoded as UTF-8: the plugin would get invalid bytes. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function nameProblem(pluginName: string, name: string): PluginError | undefined {
  if (typeof name !== 'string') {
    return new PluginError('INVALID_ARGUMENT', `The name to greet must be text, got ${name === null ? 'null' : typeof name}.`);
  }
  const at = name.search(LONE_SURROGATE);
  if (at === -1) return undefined;
  return new PluginError(
    'INVALID_ARGUMENT',
    `The name for plugin "${pluginName}" is not valid Unicode: it has an unpaired surrogate (\\u${name
      .charCodeAt(at)
      .toString(16)
      .toUpperCase()}) at position ${at}, which cannot be sent as UTF-8. Retype the name or remove that character.`,
  );
}

export function cancelled(pluginName: string): PluginError {
  return new PluginError('CANCELLED', `The Greet call to plugin "${pluginName}" was cancelled.`);
}

