// What to do when a plugin crashes, kept apart from the supervisor as
// vscode-languageclient keeps its ErrorHandler apart from the client.

import type { PluginErrorCode } from '../host/errors';
import { formatWindow } from '../host/format';
import type { ManagerSettings } from './types';

/** The policy's answer to one crash. */
export type CrashAction =
  | { action: 'restart'; delayMs: number; crashesInWindow: number }
  | { action: 'fail'; message: string; crashesInWindow: number };

/** Tunables; the default limit (4 restarts, so the 5th crash in 3 minutes fails) is the language servers'. */
export interface RestartPolicyOptions {
  /** Automatic restarts allowed within the window; the next crash fails the plugin. 0 turns restarts off. */
  restartLimit: number;
  restartWindowMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Counts crashes in a sliding window. Restarts with a doubling delay up to `restartLimit`
 * times inside `restartWindowMs`; the crash after that gives up.
 */
export class RestartPolicy {
  private crashes: number[] = [];
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly opts: RestartPolicyOptions) {
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 10_000;
  }

  /** Records a crash at `now` (ms) and decides whether to restart the plugin named `name`. */
  onCrash(name: string, now: number): CrashAction {
    this.crashes = this.crashes.filter((t) => now - t <= this.opts.restartWindowMs);
    this.crashes.push(now);
    const n = this.crashes.length;
    if (n > this.opts.restartLimit) {
      const what =
        this.opts.restartLimit === 0
          ? `The ${name} plugin crashed and automatic restarts are off (restart limit ${this.opts.restartLimit}).`
          : `The ${name} plugin crashed ${n} times in the last ${formatWindow(this.opts.restartWindowMs)}. The plugin will not be restarted.`;
      return { action: 'fail', crashesInWindow: n, message: `${what} See its log for more information, fix the plugin, then restart it.` };
    }
    const delayMs = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (n - 1));
    return { action: 'restart', delayMs, crashesInWindow: n };
  }

  /** Forgets every crash; used when the user starts or restarts the plugin by hand. */
  reset(): void {
    this.crashes = [];
  }
}

/**
 * Start failures that mean "this configuration cannot work": the process never
 * completed the handshake, so restarting it would only loop.
 */
export const FATAL_START_CODES: ReadonlySet<PluginErrorCode> = new Set<PluginErrorCode>([
  'NOT_FOUND',
  'IS_DIRECTORY',
  'NOT_EXECUTABLE',
  'WRONG_ARCHITECTURE',
  'CHECKSUM_MISMATCH',
  'EXITED_BEFORE_HANDSHAKE',
  'HANDSHAKE_TIMEOUT',
  'MALFORMED_HANDSHAKE',
  'CORE_VERSION_MISMATCH',
  'APP_VERSION_MISMATCH',
  'UNSUPPORTED_PROTOCOL',
  'TLS_FAILURE',
  'HEALTH_FAILURE',
  'INVALID_OPTIONS',
]);

/** True when a start failure must not be retried automatically. */
export function isFatalStartError(code: PluginErrorCode): boolean {
  return FATAL_START_CODES.has(code);
}

/** Only a change of the restart knobs replaces the policy (and forgets its crash history). */
export function policyChanged(a: ManagerSettings, b: ManagerSettings): boolean {
  return (
    a.restartLimit !== b.restartLimit ||
    a.restartWindowMs !== b.restartWindowMs ||
    a.restartBaseDelayMs !== b.restartBaseDelayMs ||
    a.restartMaxDelayMs !== b.restartMaxDelayMs
  );
}

/** The policy the restart settings describe. */
export function newPolicy(s: ManagerSettings): RestartPolicy {
  return new RestartPolicy({
    restartLimit: s.restartLimit,
    restartWindowMs: s.restartWindowMs,
    baseDelayMs: s.restartBaseDelayMs,
    maxDelayMs: s.restartMaxDelayMs,
  });
}
