// The reader of our stdout may leave early (`greeter call ... | head -1`): every later write
// then fails with EPIPE. That ends the command as if the user had pressed Ctrl+C (a stream
// is cancelled, the plugin is stopped in order), but quietly and with status 0, as for any
// command whose reader had seen enough; without this, Node throws the write error and the
// CLI dies with a stack trace.
const closed = new AbortController();

/** Aborted once stdout's reader has gone away. */
export const outputClosed: AbortSignal = closed.signal;

/** Installs the stdout error handler; other write errors stay fatal. */
export function watchOutput(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed.abort();
  });
}
