// `npm run fuzz`: the property tests of test/unit/fuzz-*.test.ts with at least 100,000
// generated inputs per property (FUZZ_RUNS to change it), one file at a time.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = process.env.FUZZ_RUNS ?? '100000';
const files = readdirSync(join(root, 'test', 'unit')).filter((f) => /^fuzz-.*\.test\.ts$/.test(f)).sort().map((f) => join('test', 'unit', f));
if (files.length === 0) {
  console.error('no test/unit/fuzz-*.test.ts files found');
  process.exit(1);
}
console.log(`fuzzing ${files.length} files with ${runs} inputs per property`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs },
});
process.exit(result.status ?? 1);
