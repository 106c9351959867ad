// A plugin's own handler that throws, or returns a promise that rejects, answers its call
// with that error and logs it. Without this, grpc-js answers a throw with a bare
// "Unknown error" (the message is lost on both sides) and a rejected promise is an
// unhandled rejection that ends the whole plugin.
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from './logger';

type Handler = (...args: unknown[]) => unknown;

/** What the call is answered with: the error itself when it carries a gRPC code, else UNKNOWN with its message. */
function asServiceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (thrown && typeof thrown === 'object' && typeof (thrown as { code?: unknown }).code === 'number') return thrown as Error;
  return new Error(String(thrown));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Wraps one handler; `answer` ends the call with an error unless it has already ended. */
function guard(method: string, handler: Handler, owner: object, logger: Logger, withCallback: boolean): Handler {
  // Called on the plugin's own implementation object, as grpc-js would: a class instance keeps its `this`.
  return function guarded(call: unknown, callback?: unknown) {
    let answered = false;
    const cb = withCallback
      ? (...args: unknown[]) => {
          answered = true;
          (callback as Handler)(...args);
        }
      : undefined;
    const fail = (thrown: unknown) => {
      const error = asServiceError(thrown);
      const details = (error as { details?: unknown }).details;
      logger.error('handler failed', { method, error: error.message || (typeof details === 'string' ? details : String(thrown)) });
      if (cb) {
        if (!answered) cb(error);
        return;
      }
      const stream = call as { destroyed?: boolean; writableEnded?: boolean; emit(event: 'error', err: Error): boolean };
      // grpc-js ends a server stream with the status of an 'error' it emits.
      if (!stream.destroyed && !stream.writableEnded) stream.emit('error', error);
    };
    try {
      const result = withCallback ? handler.call(owner, call, cb) : handler.call(owner, call);
      if (isThenable(result)) result.then(undefined, fail);
      return result;
    } catch (thrown) {
      fail(thrown);
      return undefined;
    }
  };
}

/** `implementation` with every method of `definition` guarded (looked up by name, then original name, as grpc-js does). */
export function guardHandlers(
  definition: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  logger: Logger,
): grpc.UntypedServiceImplementation {
  const guarded: grpc.UntypedServiceImplementation = { ...implementation };
  for (const [name, method] of Object.entries(definition)) {
    const withCallback = !method.responseStream; // unary and client streaming answer through a callback
    for (const key of [name, method.originalName]) {
      const handler = key === undefined ? undefined : (implementation as Record<string, unknown>)[key];
      if (typeof handler === 'function') {
        (guarded as Record<string, unknown>)[key!] = guard(method.path, handler as Handler, implementation, logger, withCallback);
      }
    }
  }
  return guarded;
}
