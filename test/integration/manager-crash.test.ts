// A plugin killed from outside is restarted with backoff, and given up on after
// the crash limit. Real Go and Node plugin processes, killed with SIGKILL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  GO_GREETER,
  NODE_GREETER,
  isAlive,
  newManager,
  recordStates,
  requireExecutable,
  testContext,
  testSettings,
  waitForState,
  countingPlugin,
  tempDir,
} from '../fixtures/manager/harness';

const plugins = [
  { label: 'Go (hashicorp/go-plugin, AutoMTLS)', path: () => requireExecutable(GO_GREETER, 'npm run build:go'), autoMTLS: true },
  { label: 'Node SDK', path: () => requireExecutable(NODE_GREETER, 'npm run build:node-plugins'), autoMTLS: false },
];

for (const p of plugins) {
  test(`${p.label}: kill -9 from outside -> restarting -> running again, and Greet works`, async (t) => {
    const { manager } = newManager(testSettings());
    t.after(() => manager.dispose());
    const states = recordStates(manager, 'hello');
    manager.applyConfig([{ name: 'hello', path: p.path(), autoMTLS: p.autoMTLS }], testContext());

    const first = await waitForState(manager, 'hello', 'running');
    assert.equal(first.info?.tls, p.autoMTLS);
    assert.equal((await manager.greet('hello', 'Alice')).message, 'hello Alice');
    const pid1 = first.info!.pid!;

    process.kill(pid1, 'SIGKILL');
    const restarting = await waitForState(manager, 'hello', 'restarting');
    assert.ok(restarting.restartAt instanceof Date, 'restartAt is set while restarting');
    assert.equal(restarting.crashCount, 1);
    assert.equal(restarting.lastError?.code, 'PLUGIN_EXITED');
    assert.match(restarting.lastError!.message, /SIGKILL/);

    const second = await waitForState(manager, 'hello', 'running');
    assert.notEqual(second.info!.pid, pid1);
    assert.equal(isAlive(pid1), false);
    const record = await manager.greet('hello', 'Bob');
    assert.equal(record.message, 'hello Bob');
    assert.equal(record.name, 'Bob');

    const snap = manager.get('hello')!;
    assert.equal(snap.greetCount, 2);
    assert.equal(snap.lastLatencyMs, record.latencyMs, 'the snapshot shows the last call\'s round trip');
    assert.deepEqual(snap.history.map((h) => h.name), ['Bob', 'Alice'], 'history is newest first');
    assert.deepEqual(states, ['starting', 'running', 'restarting', 'starting', 'running']);
  });
}

test('the crash limit marks the plugin failed and stops restarting it', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const plugin = countingPlugin(dir, requireExecutable(GO_GREETER, 'npm run build:go'));
  const { manager } = newManager(testSettings({ restartLimit: 2, restartWindowMs: 60_000 }));
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'crashy', path: plugin.script }], testContext());

  const pids: number[] = [];
  for (let crash = 1; crash <= 3; crash++) {
    const running = await waitForState(manager, 'crashy', 'running');
    pids.push(running.info!.pid!);
    process.kill(running.info!.pid!, 'SIGKILL');
    if (crash < 3) await waitForState(manager, 'crashy', 'restarting');
  }
  const failed = await waitForState(manager, 'crashy', 'failed');
  assert.equal(failed.crashCount, 3);
  assert.equal(failed.lastError?.code, 'PLUGIN_EXITED');
  assert.match(failed.lastError!.message, /^The crashy plugin crashed 3 times in the last minute\. The plugin will not be restarted\..* Last failure: The crashy plugin exited unexpectedly \(signal SIGKILL, pid \d+\)/);
  assert.equal(new Set(pids).size, 3);

  // Nothing restarts it: no restart is scheduled, and no process was launched after the third.
  await manager.settled();
  assert.equal(manager.get('crashy')!.state, 'failed');
  assert.equal(manager.get('crashy')!.restartAt, undefined);
  assert.equal(plugin.launches(), 3);
  assert.ok(pids.every((pid) => !isAlive(pid)));
  await assert.rejects(manager.greet('crashy', 'x'), (e: Error & { code?: string }) => e.code === 'UNAVAILABLE' && /crashed 3 times/.test(e.message));

  // A manual restart starts from scratch.
  await manager.restart('crashy');
  const again = manager.get('crashy')!;
  assert.equal(again.state, 'running');
  assert.equal(again.crashCount, 0);
});
