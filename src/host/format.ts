// The one home for how the host words exits and spans of time, so the host, the
// manager and the UI never disagree ("2 s" here, "2000 ms" there).
import type { ExitInfo } from './types';

/** "exit code 1" / "signal SIGKILL". */
export function describeExit(info: ExitInfo): string {
  if (info.signal) return `signal ${info.signal}`;
  if (info.code !== null) return `exit code ${info.code}`;
  return 'exit status unknown';
}

/** "500 ms", "2 s", "1.5 s": a timeout or delay as configured. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** "minute", "3 minutes", "90 seconds": a crash-counting window, as in "crashed 5 times in the last …". */
export function formatWindow(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  return `${Math.round(ms / 1000)} seconds`;
}

/** "4 MB", "512 KB", "100 bytes": a size limit in words. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
