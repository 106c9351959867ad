// Stops against processes that cannot die: plugins held in uninterruptible sleep by the
// kernel's freezer (Shutdown unanswered, SIGKILL pending). With the default stop bound,
// dispose() (what deactivate awaits) returns after about one bound, not one per plugin,
// names each process it left, and once the kernel lets them go nothing is left.
// 2 plugins in `npm test`; 10 with RELIABILITY_LONG=1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DEFAULT_STOP_TIMEOUT_MS } from '../../src/manager';
import { freezeProcess, type FrozenProcess } from '../fixtures/manager/freezer';
import {
  GO_GREETER,
  newManager,
  requireExecutable,
  tempDir,
  testContext,
  testSettings,
  waitForExit,
  waitForState,
  waitUntil,
} from '../fixtures/manager/harness';

const STUCK = process.env.RELIABILITY_LONG === '1' ? 10 : 2;

test(`dispose() with ${STUCK} plugins stuck in uninterruptible sleep is bounded and leaves nothing once they are released`, { timeout: 120_000 }, async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const privateTmp = tempDir('greeter-stuck-tmp-');
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = privateTmp;
  const frozen: FrozenProcess[] = [];
  t.after(() => {
    for (const f of frozen) f.thaw();
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    fs.rmSync(privateTmp, { recursive: true, force: true });
  });
  const settings = testSettings();
  delete settings.stopTimeoutMs; // the shipped bound
  const { manager, logs } = newManager(settings);
  t.after(() => manager.dispose());
  const names = Array.from({ length: STUCK }, (_, i) => `stuck${i}`);
  manager.applyConfig([...names.map((name) => ({ name, path: go })), { name: 'healthy', path: go }], testContext());
  const pids = await Promise.all(names.map(async (n) => (await waitForState(manager, n, 'running')).info!.pid!));
  const healthy = (await waitForState(manager, 'healthy', 'running')).info!.pid!;
  for (const pid of pids) frozen.push(await freezeProcess(pid));

  const t0 = Date.now();
  await manager.dispose();
  const took = Date.now() - t0;
  assert.deepEqual(manager.list().map((s) => s.state), [...names, 'healthy'].map(() => 'stopped'));
  assert.ok(await waitForExit(healthy, 5000), 'the healthy plugin is gone');
  for (const [i, pid] of pids.entries()) {
    assert.ok((logs.get(names[i]!) ?? []).some((l) => l.includes(`pid ${pid}, state D (uninterruptible sleep)`)), `the log names pid ${pid}`);
  }

  const t1 = Date.now();
  for (const f of frozen) f.thaw();
  for (const pid of pids) assert.ok(await waitForExit(pid, 10_000), `pid ${pid} ended after the thaw`);
  // The host's stop goes on in the background after the bound and removes each socket directory.
  await waitUntil(() => fs.readdirSync(privateTmp).length === 0, `no socket directory is left (left: ${fs.readdirSync(privateTmp).join(', ')})`, 15_000);
  t.diagnostic(
    `${STUCK} stuck plugins + 1 healthy: dispose() took ${took} ms (bound ${DEFAULT_STOP_TIMEOUT_MS} ms); ` +
      `after the thaw every process and directory was gone within ${Date.now() - t1} ms`,
  );
});
