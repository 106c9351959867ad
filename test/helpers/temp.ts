// Temporary directories a test file creates are removed when the file's tests end,
// so the suite leaves nothing in the system's temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const created: string[] = [];

// Registered when a test file imports this module (top level, so it is the file's hook
// and not that of whichever test happens to create the first directory).
after(() => {
  for (const d of created) rmSync(d, { recursive: true, force: true });
});

/** mkdtemp in the system temp dir, removed after this test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
