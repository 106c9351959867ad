// A plugin that never completes its handshake is a configuration problem: it is
// marked failed at once with a message that says why, and never restart-looped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  GO_GREETER,
  delay,
  waitForExit,
  newManager,
  recordStates,
  requireExecutable,
  tempDir,
  testContext,
  testSettings,
  waitForState,
  writeExecutable,
} from '../fixtures/manager/harness';

test('a plugin that exits 1 before the handshake fails once, without a restart loop', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Counts its launches so a restart loop would show.
  const counter = path.join(dir, 'launches');
  const script = writeExecutable(dir, 'exit-early', `#!/bin/sh\necho x >> '${counter}'\necho "cannot open config file" >&2\nexit 1\n`);
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  const states = recordStates(manager, 'early');
  manager.applyConfig([{ name: 'early', path: script }], testContext());

  const failed = await waitForState(manager, 'early', 'failed');
  assert.equal(failed.lastError?.code, 'EXITED_BEFORE_HANDSHAKE');
  assert.equal(failed.configError, undefined);
  assert.equal(failed.crashCount, 0);
  await manager.settled();
  assert.equal(manager.get('early')!.restartAt, undefined, 'no restart is scheduled');
  assert.deepEqual(states, ['starting', 'failed']);
  assert.equal(fs.readFileSync(counter, 'utf8'), 'x\n');
  assert.equal(manager.get('early')!.state, 'failed');
});

test('the crash limit keeps the failure\'s own code and detail instead of replacing them', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Announces a socket nobody listens on and stays up: a connection failure, which is retried.
  const counter = path.join(dir, 'launches');
  const script = writeExecutable(
    dir,
    'no-listener',
    `#!/bin/sh\necho x >> '${counter}'\nprintf '1|1|unix|%s/never-bound|grpc|\\n' "$PLUGIN_UNIX_SOCKET_DIR"\nexec sleep 30\n`,
  );
  const { manager } = newManager(testSettings({ restartLimit: 1 }));
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'nl', path: script }], testContext());
  const first = await waitForState(manager, 'nl', 'restarting');
  assert.equal(first.lastError?.code, 'CONNECTION_FAILED');
  const failed = await waitForState(manager, 'nl', 'failed');
  assert.equal(failed.lastError?.code, 'CONNECTION_FAILED', 'the original code, not PLUGIN_EXITED');
  assert.match(failed.lastError?.detail ?? '', /never-bound/, 'the last failure\'s own detail is kept');
  assert.match(failed.lastError!.message, /^The nl plugin crashed 2 times in the last 3 minutes\. The plugin will not be restarted\..* Last failure: .*announced an address where nothing answers/s);
  assert.equal(failed.crashCount, 2);
  await manager.settled();
  assert.equal(manager.get('nl')!.restartAt, undefined, 'no restart is scheduled');
  assert.equal(fs.readFileSync(counter, 'utf8'), 'x\nx\n');
});

test('a host error (the temp directory is gone) fails at once with HOST_ERROR and its stack, never retried', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { manager, logs } = newManager(testSettings());
  t.after(() => manager.dispose());
  const states = recordStates(manager, 'h');
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = path.join(dir, 'deleted'); // the socket directory cannot be made: ENOENT
  try {
    manager.applyConfig([{ name: 'h', path: go }], testContext());
    const failed = await waitForState(manager, 'h', 'failed');
    await manager.settled();
    assert.equal(failed.lastError?.code, 'HOST_ERROR');
    assert.match(failed.lastError!.message, /ENOENT/);
    assert.equal(failed.crashCount, 0);
    assert.equal(manager.get('h')!.restartAt, undefined, 'no restart is scheduled');
    assert.deepEqual(states, ['starting', 'failed']);
    const logged = (logs.get('<manager>') ?? []).find((l) => l.includes('[HOST_ERROR]')) ?? '';
    assert.match(logged, /\n\s+at /, `logged with its stack: ${logged}`);
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  await manager.restart('h'); // the cause gone, a restart works
  assert.equal(manager.get('h')!.state, 'running');
});

test('a missing executable fails with a message naming the path', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const missing = path.join(dir, 'no-such-plugin');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'ghost', path: missing }], testContext());
  const failed = await waitForState(manager, 'ghost', 'failed');
  assert.equal(failed.lastError?.code, 'NOT_FOUND');
  assert.ok(failed.lastError!.message.includes(missing), failed.lastError!.message);
  assert.equal(failed.resolvedPath, missing);
});

test('the wrong magic cookie fails before the handshake, with no restart', async (t) => {
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  const states = recordStates(manager, 'cookie');
  manager.applyConfig(
    [{ name: 'cookie', path: requireExecutable(GO_GREETER, 'npm run build:go'), handshake: { magicCookieValue: 'wrong' } }],
    testContext(),
  );
  const failed = await waitForState(manager, 'cookie', 'failed');
  assert.equal(failed.lastError?.code, 'EXITED_BEFORE_HANDSHAKE');
  assert.deepEqual(states, ['starting', 'failed']);
});

test('configuration errors land on their plugin; the valid plugin still runs', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig(
    [
      { name: 'dup', path: go },
      { name: 'dup', path: go },
      { name: 'typo', path: '${workspaceFolder}/bin/greeter' }, // no folder open
      { name: 'vars', path: '${nope}/greeter' },
      { name: 'off', path: go, enabled: false },
      { name: 'good', path: '${env:GREETER_TEST_DIR}/greeter', env: { GREETING_FROM: '${userHome}' } },
      'not an entry',
    ],
    { ...testContext(), env: { GREETER_TEST_DIR: path.dirname(go) } },
  );
  assert.deepEqual(
    manager.list().map((s) => [s.name, s.name === 'good' ? 'launching' : s.state]),
    [['dup', 'failed'], ['typo', 'failed'], ['vars', 'failed'], ['off', 'disabled'], ['good', 'launching'], ['greeter.plugins[6]', 'failed']],
  );
  assert.match(manager.get('dup')!.configError!.message, /2 entries in greeter\.plugins use this name/);
  assert.match(manager.get('typo')!.configError!.message, /no workspace folder is open/);
  assert.match(manager.get('vars')!.configError!.message, /unknown variable \$\{nope\}/);
  assert.equal(manager.get('off')!.configError, undefined);
  const good = await waitForState(manager, 'good', 'running');
  assert.equal(good.resolvedPath, go);
  assert.equal((await manager.greet('good', 'Carol')).message, 'hello Carol');

  // Starting a misconfigured plugin changes nothing and does not throw (its row shows the
  // error); a disabled one is refused with what to change (manager-lifetime.test.ts).
  await manager.start('dup');
  await assert.rejects(manager.start('off'), /disabled in settings/);
  assert.equal(manager.get('dup')!.state, 'failed');
  assert.equal(manager.get('off')!.state, 'disabled');
  await assert.rejects(manager.start('nobody'), /There is no plugin named "nobody"/);
});

test('a plugin that never writes its handshake times out, fails without restart, and leaves no process', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pidFile = path.join(dir, 'pid');
  const script = writeExecutable(dir, 'silent', `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`);
  const { manager } = newManager(testSettings({ startTimeoutMs: 500 }));
  t.after(() => manager.dispose());
  const states = recordStates(manager, 'silent');
  manager.applyConfig([{ name: 'silent', path: script }], testContext());
  const failed = await waitForState(manager, 'silent', 'failed');
  assert.equal(failed.lastError?.code, 'HANDSHAKE_TIMEOUT');
  assert.deepEqual(states, ['starting', 'failed']);
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  assert.ok(await waitForExit(pid), 'the silent plugin was killed');
});

test('dispose() during a slow handshake resolves once that process is gone', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pidFile = path.join(dir, 'pid');
  const script = writeExecutable(dir, 'slow', `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`);
  const { manager } = newManager(testSettings({ startTimeoutMs: 1000 }));
  manager.applyConfig([{ name: 'slow', path: script }], testContext());
  await waitForState(manager, 'slow', 'starting');
  while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8') === '') await delay(10);
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  await manager.dispose();
  assert.ok(await waitForExit(pid), 'the slow plugin was killed');
  assert.equal(manager.get('slow')!.state, 'stopped');
});

test('configuration and start errors are written to the plugin\'s own log at error level, with detail', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = writeExecutable(dir, 'exit-early', '#!/bin/sh\necho "cannot open config file" >&2\nexit 1\n');
  const missing = path.join(dir, 'no-such-plugin');
  const { manager, logs } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'bad', path: '${nope}' }, { name: 'early', path: script }, { name: 'ghost', path: missing }], testContext());
  await waitForState(manager, 'early', 'failed');
  await waitForState(manager, 'ghost', 'failed');

  const bad = logs.get('bad') ?? [];
  assert.ok(bad.some((l) => l.startsWith('(error) ') && /unknown variable \$\{nope\}/.test(l)), bad.join('\n'));
  const early = logs.get('early') ?? [];
  assert.ok(early.some((l) => l.startsWith('(error) [EXITED_BEFORE_HANDSHAKE]') && l.includes('cannot open config file')), early.join('\n'));
  const ghost = logs.get('ghost') ?? [];
  assert.ok(ghost.some((l) => l.startsWith('(error) [NOT_FOUND]') && l.includes(missing)), ghost.join('\n'));
  assert.ok(!ghost.some((l) => /handshake/.test(l)), `a file that never started says nothing about a handshake: ${ghost.join('\n')}`);

  // Re-applying the same settings does not repeat the configuration error.
  manager.applyConfig([{ name: 'bad', path: '${nope}' }, { name: 'early', path: script }, { name: 'ghost', path: missing }], testContext());
  assert.equal((logs.get('bad') ?? []).filter((l) => l.startsWith('(error)')).length, 1);
});

test('a user Stop of a failed plugin clears its last error', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = writeExecutable(dir, 'exit-early', '#!/bin/sh\nexit 1\n');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'early', path: script }], testContext());
  assert.ok((await waitForState(manager, 'early', 'failed')).lastError);
  await manager.stop('early');
  const stopped = manager.get('early')!;
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.lastError, undefined);
});
