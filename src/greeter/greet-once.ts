// greetOnce: start a plugin, greet once, stop it: what `greeter greet` does, on the host's
// one-shot path (host/one-shot.ts: node:http2, no grpc-js), with the same checks and
// messages as startPlugin() + greet() + stop().
import { basename } from 'node:path';
import { isDeadlineCancel } from '../host/call-deadline';
import type { CallFailure } from '../host/grpc-status';
import { runOnce } from '../host/one-shot';
import type { LaunchOptions } from '../host/types';
import { cancelled, greetCallError, nameProblem } from './greet-errors';

/** Used when the caller gives no timeout: a Greet is a tiny call. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

const GREET = '/tutorial.Greeter/Greet';

/** Per-call options of greetOnce(); the launch options (path, handshake, timeouts, signal) are its first argument. */
export interface GreetOnceOptions {
  /** The Greet call's timeout (default 10 s). */
  timeoutMs?: number;
}

/** Starts the plugin, returns its greeting for `personName`, and has stopped it by then; throws a PluginError. */
export async function greetOnce(options: LaunchOptions, personName: string, greetOptions: GreetOnceOptions = {}): Promise<string> {
  const badName = nameProblem(options.name ?? basename(options.path ?? ''), personName);
  if (badName) throw badName;
  const timeoutMs = greetOptions.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const signal = options.signal;
  return runOnce(options, async (plugin) => {
    // Loaded by now: runOnce has loaded @bufbuild/protobuf's wire codec with its client.
    const { decodeGreeting, encodePerson } = require('./greet-wire') as typeof import('./greet-wire');
    const deadline = Date.now() + timeoutMs;
    try {
      return decodeGreeting(await plugin.channel.call(GREET, encodePerson(personName), { deadline, signal }));
    } catch (e) {
      const failure = e as CallFailure;
      if (signal?.aborted && !isDeadlineCancel(failure.code, deadline)) throw cancelled(plugin.name);
      throw (await plugin.exitError(failure)) ?? greetCallError(plugin.name, failure, timeoutMs, deadline, signal);
    }
  });
}
