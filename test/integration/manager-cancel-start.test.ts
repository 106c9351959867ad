// Stop, restart, a settings change or dispose while a plugin is still starting cancel
// that start at once: the process is killed, nothing waits out the handshake timeout,
// and the plugin never passes through 'failed' (which would notify the user).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  GO_GREETER,
  countingPlugin,
  delay,
  newManager,
  recordStates,
  requireExecutable,
  tempDir,
  testContext,
  testSettings,
  waitForExit,
  waitForState,
  writeExecutable,
} from '../fixtures/manager/harness';

/** A plugin that never writes its handshake; its pid lands in `pidFile`. */
function silentPlugin(dir: string): { script: string; pid: () => Promise<number> } {
  const pidFile = path.join(dir, 'pid');
  const script = writeExecutable(dir, 'silent', `#!/bin/sh\necho $$ > '${pidFile}.tmp' && mv '${pidFile}.tmp' '${pidFile}'\nexec sleep 30\n`);
  return {
    script,
    pid: async () => {
      while (!fs.existsSync(pidFile)) await delay(10);
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      fs.rmSync(pidFile);
      return pid;
    },
  };
}

test('stop() during starting is prompt, kills the process and never shows failed', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const plugin = silentPlugin(dir);
  const { manager } = newManager(testSettings({ startTimeoutMs: 30_000 }));
  t.after(() => manager.dispose());
  const states = recordStates(manager, 'slow');
  manager.applyConfig([{ name: 'slow', path: plugin.script }], testContext());
  const pid = await plugin.pid();

  const t0 = Date.now();
  await manager.stop('slow');
  const took = Date.now() - t0;
  assert.ok(took < 10_000, `stop took ${took} ms; it must not wait for the 30 s handshake timeout`);
  assert.deepEqual(states, ['starting', 'stopped']);
  assert.equal(manager.get('slow')!.lastError, undefined);
  assert.ok(await waitForExit(pid), 'the starting process was killed');
});

test('restart() and a settings change during starting go straight to the next start', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const plugin = silentPlugin(dir);
  const { manager } = newManager(testSettings({ startTimeoutMs: 30_000 }));
  t.after(() => manager.dispose());
  const states = recordStates(manager, 'slow');
  manager.applyConfig([{ name: 'slow', path: plugin.script }], testContext());
  const first = await plugin.pid();

  const restarted = manager.restart('slow');
  const second = await plugin.pid();
  await assert.doesNotReject(waitForExit(first).then((gone) => assert.ok(gone, 'the first start was killed')));
  assert.equal(manager.get('slow')!.state, 'starting');

  // The entry changes to a working plugin: the silent start is cancelled and the new one runs.
  const t0 = Date.now();
  manager.applyConfig([{ name: 'slow', path: requireExecutable(GO_GREETER, 'npm run build:go') }], testContext());
  await restarted;
  await waitForState(manager, 'slow', 'running');
  assert.ok(Date.now() - t0 < 10_000, 'the new start did not wait out the old handshake timeout');
  assert.ok(await waitForExit(second), 'the second start was killed');
  assert.ok(!states.includes('failed'), `states: ${states.join(' -> ')}`);
  assert.equal(manager.get('slow')!.lastError, undefined);
});

test('dispose() during starting is prompt', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const plugin = silentPlugin(dir);
  const { manager } = newManager(testSettings({ startTimeoutMs: 30_000 }));
  const states = recordStates(manager, 'slow');
  manager.applyConfig([{ name: 'slow', path: plugin.script }], testContext());
  const pid = await plugin.pid();
  const t0 = Date.now();
  await manager.dispose();
  assert.ok(Date.now() - t0 < 10_000, `dispose took ${Date.now() - t0} ms`);
  assert.deepEqual(states, ['starting', 'stopped']);
  assert.ok(await waitForExit(pid));
});

test('stop() while a restart is still stopping wins: no new process, no failed state', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Runs the real Go greeter the first time, then never answers: a new start would hang.
  const marker = path.join(dir, 'launched-once');
  const launches = path.join(dir, 'launches');
  const script = writeExecutable(
    dir,
    'once',
    `#!/bin/sh\necho x >> '${launches}'\nif [ ! -e '${marker}' ]; then touch '${marker}'; exec '${requireExecutable(GO_GREETER, 'npm run build:go')}'; fi\nexec sleep 30\n`,
  );
  const { manager } = newManager(testSettings({ startTimeoutMs: 30_000 }));
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'once', path: script }], testContext());
  await waitForState(manager, 'once', 'running');
  const states = recordStates(manager, 'once');

  const t0 = Date.now();
  const restarted = manager.restart('once');
  await manager.stop('once');
  await restarted; // its start half was skipped, so it is done too
  const took = Date.now() - t0;
  assert.ok(took < 10_000, `stop took ${took} ms; the restart's start half must be skipped`);
  assert.equal(manager.get('once')!.state, 'stopped');
  assert.ok(!states.includes('failed') && !states.includes('starting'), `states: ${states.join(' -> ')}`);
  assert.equal(fs.readFileSync(launches, 'utf8').trim().split('\n').length, 1, 'no second process was launched');
});

test('a changed start timeout restarts nothing, and a changed entry leaves a user-stopped plugin stopped', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const plugin = countingPlugin(dir, requireExecutable(GO_GREETER, 'npm run build:go'));
  const { manager } = newManager(testSettings({ startTimeoutMs: 30_000 }));
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'g', path: plugin.script }], testContext());
  const pid = (await waitForState(manager, 'g', 'running')).info!.pid;
  const states = recordStates(manager, 'g');

  manager.applyConfig([{ name: 'g', path: plugin.script }], testContext(), testSettings({ startTimeoutMs: 31_000 }));
  await manager.settled();
  assert.deepEqual(states, [], 'a new start timeout alone changed nothing');
  assert.equal(manager.get('g')!.info?.pid, pid);
  assert.equal(plugin.launches(), 1);

  await manager.stop('g');
  manager.applyConfig([{ name: 'g', path: plugin.script, args: ['--changed'] }], testContext(), testSettings({ startTimeoutMs: 31_000 }));
  await manager.settled();
  assert.equal(manager.get('g')!.state, 'stopped', `states: ${states.join(' -> ')}`);
  assert.equal(plugin.launches(), 1, 'the user\'s Stop is remembered: no new process');
});
