// Runs one set-up command with its output shown, and stops with a message naming it when it fails.
import { spawnSync } from 'node:child_process';

/** Runs a command (stdio inherited); exits the process with its status when it fails. */
export function runStep(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    console.error(`✖ ${label} failed (${why})`);
    process.exit(result.status || 1);
  }
}

/** Whether a command runs and exits 0 (output ignored). */
export function succeeds(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'ignore', ...options });
  return !result.error && result.status === 0;
}
