// Sinks are the caller's code: one that throws must cost only its own output, never the
// host's bookkeeping (an exit that is never seen, a socket directory left behind).
import type { LogEntry, LogLevel, PluginSinks } from './types';

/** Wraps each sink so that an exception in it is swallowed (and reported once on lifecycle). */
export function guardSinks(sinks: PluginSinks = {}): PluginSinks {
  let reported = false;
  const report = (which: string, e: unknown) => {
    if (reported || which === 'lifecycle') return;
    reported = true;
    call('lifecycle', () => sinks.lifecycle?.('error', `the ${which} sink threw (${(e as Error)?.message ?? e}); its output is dropped`));
  };
  const call = (which: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      report(which, e);
    }
  };
  return {
    log: sinks.log && ((entry: LogEntry) => call('log', () => sinks.log!(entry))),
    stdout: sinks.stdout && ((chunk: Buffer) => call('stdout', () => sinks.stdout!(chunk))),
    stderr: sinks.stderr && ((chunk: Buffer) => call('stderr', () => sinks.stderr!(chunk))),
    lifecycle: sinks.lifecycle && ((level: LogLevel, message: string) => call('lifecycle', () => sinks.lifecycle!(level, message))),
  };
}
