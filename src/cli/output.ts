// The reader of our stdout may leave early (`greeter call ... | head -1`): every later write
// then fails with EPIPE. That ends the command as if the user had pressed Ctrl+C (a stream
// is cancelled, the plugin is stopped in order), but quietly and with status 0, as for any
// command whose reader had seen enough; without this, Node throws the write error and the
// CLI dies with a stack trace. Any other write error (a full disk, /dev/full) ends the
// command the same way, with one line on stderr and status 1.
const closed = new AbortController();

/** Aborted once stdout's reader has gone away, or stdout cannot be written. */
export const outputClosed: AbortSignal = closed.signal;

let writeFailed = false;

/** True once a write to stdout failed with something other than EPIPE (the exit status is then 1). */
export function outputFailed(): boolean {
  return writeFailed;
}

/** Installs the stdout and stderr error handlers. */
export function watchOutput(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && !writeFailed) {
      writeFailed = true;
      process.exitCode = 1;
      process.stderr.write(`greeter: cannot write the output: ${e.code ?? 'error'} (${e.message})\n`);
    }
    closed.abort();
  });
  // A closed stderr (`2>&1 | head -1`) leaves nowhere to report to; the command goes on.
  process.stderr.on('error', () => undefined);
}
