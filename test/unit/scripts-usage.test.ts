// The repository's scripts that take options print their usage on --help (exit 0, nothing
// done) and refuse an option they do not know (exit 2, with the usage) instead of
// ignoring it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SCRIPTS = [
  'scripts/run-tests.mjs',
  'scripts/demo.mjs',
  'scripts/e2e/install-code-server.mjs',
  'scripts/build-extension.mjs',
  'scripts/build-node-plugins.mjs',
  'scripts/gen-proto.mjs',
];

function run(script: string, arg: string) {
  return spawnSync(process.execPath, [join(ROOT, script), arg], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}

for (const script of SCRIPTS) {
  test(`${script} --help prints its usage and exits 0`, () => {
    const result = run(script, '--help');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Usage: /);
    assert.ok(result.stdout.split('\n').length > 2, `the usage explains the options:\n${result.stdout}`);
  });

  test(`${script} refuses an unknown option with its usage (exit 2)`, () => {
    const result = run(script, '--no-such-option');
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /unknown argument "--no-such-option"[\s\S]*Usage: /);
  });
}
