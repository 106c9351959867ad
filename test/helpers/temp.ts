// Temporary directories a test file creates are removed when the file's tests end,
// so the suite leaves nothing in the system's temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const created: string[] = [];
let hooked = false;

/** mkdtemp in the system temp dir, removed after this test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  if (!hooked) {
    hooked = true;
    after(() => {
      for (const d of created) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}
