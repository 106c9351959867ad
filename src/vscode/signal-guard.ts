// When a remote server (code-server, SSH, WSL) is stopped, its extension host may get
// SIGTERM/SIGHUP and die by Node's default action, which skips deactivate() and 'exit'
// handlers, so plugins in their own process groups would outlive it. Turning such a signal
// into process.exit() keeps the default outcome (the host exits) but runs the host's exit
// hook, which SIGKILLs every live plugin group.

const SIGNALS = ['SIGTERM', 'SIGHUP'] as const;
const EXIT_CODES: Record<(typeof SIGNALS)[number], number> = { SIGHUP: 129, SIGTERM: 143 };

/** Installs the handlers where nobody else handles the signal; returns an uninstaller. */
export function installSignalGuard(): { dispose(): void } {
  const installed: [NodeJS.Signals, () => void][] = [];
  for (const signal of SIGNALS) {
    // If the extension host already handles it, it decides how to shut down.
    if (process.listenerCount(signal) > 0) continue;
    const handler = () => process.exit(EXIT_CODES[signal]);
    process.on(signal, handler);
    installed.push([signal, handler]);
  }
  return {
    dispose() {
      for (const [signal, handler] of installed) process.off(signal, handler);
    },
  };
}
