// scripts/setup/system-packages.mjs: a user who is not root and lacks a system package
// gets the exact apt line to run, and the command stops (nothing half set up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SETUP = join(__dirname, '..', '..', 'scripts', 'setup');
const MODULE = pathToFileURL(join(SETUP, 'system-packages.mjs')).href;

test('not root and Chromium missing (ripgrep present): prints the apt-get line for exactly the missing package and exits 1', () => {
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}; // nobody, when the tests run as root
  // A copy nobody can read: the checkout may sit in a folder only its owner can enter.
  const copy = mkdtempSync(join(tmpdir(), 'greeter-setup-'));
  chmodSync(copy, 0o755);
  cpSync(SETUP, copy, { recursive: true });
  const module = pathToFileURL(join(copy, 'system-packages.mjs')).href;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(module)}).then((m) => { m.ensureSystemPackages(['chromium', 'ripgrep']); console.log('went on'); })`], {
    encoding: 'utf8',
    cwd: '/',
    env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    ...asUser,
  });
  rmSync(copy, { recursive: true, force: true });
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.doesNotMatch(result.stdout, /went on/);
  assert.match(result.stderr, /missing system packages: chromium \(the browser the end-to-end tests drive\)/);
  assert.match(result.stderr, /^ {4}sudo apt-get update && sudo apt-get install -y chromium$/m);
});

test('nothing missing: returns without running apt', () => {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(MODULE)}).then((m) => { m.ensureSystemPackages([]); console.log('went on'); })`], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'went on\n');
});
