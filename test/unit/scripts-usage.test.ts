// The repository's scripts that take options print their usage on --help (exit 0, nothing
// done) and refuse an option they do not know (exit 2, with the usage) instead of
// ignoring it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SCRIPTS = [
  'scripts/run-tests.mjs',
  'scripts/demo.mjs',
  'scripts/e2e/install-code-server.mjs',
  'scripts/build-extension.mjs',
  'scripts/build-node-plugins.mjs',
  'scripts/gen-proto.mjs',
  'scripts/gen-sdk-reflection.mjs',
  'scripts/build-package.mjs',
  'scripts/build-scaffold.ts',
];

function run(script: string, arg: string) {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return spawnSync(process.execPath, [...loader, join(ROOT, script), arg], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}

test('every script under scripts/ that reads its arguments is checked here', () => {
  const readsArgs = readdirSync(join(ROOT, 'scripts'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(mjs|ts)$/.test(f) && !f.startsWith('lib/') && !f.startsWith('setup/'))
    .map((f) => `scripts/${f}`)
    .filter((f) => /process\.argv/.test(readFileSync(join(ROOT, f), 'utf8')));
  assert.deepEqual(readsArgs.filter((f) => !SCRIPTS.includes(f)), []);
});

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
