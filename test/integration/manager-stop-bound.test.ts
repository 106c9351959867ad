// Defect 6 of issue 7: a stop is bounded. A plugin process held in uninterruptible sleep
// (the kernel's freezer: Shutdown is never answered and SIGKILL stays pending) must not
// block that plugin's queue, the manager's dispose() or the extension's deactivate. The
// supervisor gives up after stopTimeoutMs, says what it left behind, and moves on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freezeProcess, type FrozenProcess } from '../fixtures/manager/freezer';
import {
  GO_GREETER,
  isAlive,
  newManager,
  requireExecutable,
  testContext,
  testSettings,
  waitForExit,
  waitForState,
} from '../fixtures/manager/harness';

test('a process stuck in uninterruptible sleep blocks neither the plugin\'s next start nor dispose()', { timeout: 60_000 }, async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const { manager, logs } = newManager(testSettings({ stopTimeoutMs: 1000 }));
  const frozen: FrozenProcess[] = [];
  t.after(async () => {
    for (const f of frozen) f.thaw();
    await manager.dispose();
  });
  manager.applyConfig([{ name: 'stuck', path: go }, { name: 'other', path: go }], testContext());
  const pid1 = (await waitForState(manager, 'stuck', 'running')).info!.pid!;
  const other = (await waitForState(manager, 'other', 'running')).info!.pid!;

  frozen.push(await freezeProcess(pid1));
  await manager.stop('stuck'); // unbounded, this never returns: the process cannot exit
  assert.equal(manager.get('stuck')!.state, 'stopped');
  assert.ok(isAlive(pid1), 'the frozen process is still there (the kernel holds it)');
  const said = (logs.get('stuck') ?? []).find((l) => /did not exit within 1 s of Stop/.test(l)) ?? '';
  assert.match(said, new RegExp(`pid ${pid1}, state D \\(uninterruptible sleep\\)`), (logs.get('stuck') ?? []).join('\n'));
  assert.ok((logs.get('<manager>') ?? []).some((l) => l.startsWith('warn:') && l.includes(`pid ${pid1}`)));

  // The plugin's queue is free: it starts again at once, with a new process.
  await manager.start('stuck');
  const pid2 = manager.get('stuck')!.info!.pid!;
  assert.notEqual(pid2, pid1);
  assert.equal((await manager.greet('stuck', 'Zed')).message, 'hello Zed');

  // dispose() (what deactivate awaits) is bounded too, and still stops the healthy plugin.
  frozen.push(await freezeProcess(pid2));
  await manager.dispose();
  assert.deepEqual(manager.list().map((s) => s.state), ['stopped', 'stopped']);
  assert.ok(await waitForExit(other, 5000), 'the healthy plugin was stopped');

  // Once the kernel lets them go, the pending SIGKILL ends both; nothing is left.
  for (const f of frozen) f.thaw();
  assert.ok(await waitForExit(pid1, 5000), `pid ${pid1} ended after the thaw`);
  assert.ok(await waitForExit(pid2, 5000), `pid ${pid2} ended after the thaw`);
});
