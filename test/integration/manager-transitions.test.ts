// Drives one plugin through many real scenarios and checks every state change the
// supervisor reported against the transition table (the harness also fails any test
// that saw a forbidden one). Real Go plugin processes, killed and rebuilt for real.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canTransition } from '../../src/manager';
import {
  GO_GREETER,
  newManager,
  replaceExecutable,
  requireExecutable,
  tempDir,
  testContext,
  testSettings,
  transitions,
  waitForPlugin,
  waitForState,
  writeExecutable,
} from '../fixtures/manager/harness';

test('start, crash, restart, rebuild, misconfigure, disable, cancel and give up: every move is in the table', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const exe = path.join(dir, 'greeter');
  replaceExecutable(go, exe);
  const silent = writeExecutable(dir, 'silent', '#!/bin/sh\nexec sleep 30\n');
  const { manager } = newManager(testSettings({ restartLimit: 1, startTimeoutMs: 30_000 }));
  t.after(() => manager.dispose());
  const from = transitions.length;
  const apply = (entry: object) => manager.applyConfig([{ name: 'p', ...entry }], testContext());

  apply({ path: exe });
  let pid = (await waitForState(manager, 'p', 'running')).info!.pid!;
  process.kill(pid, 'SIGKILL'); // crash -> restarting -> running
  pid = (await waitForPlugin(manager, 'p', (s) => s.state === 'running' && s.info?.pid !== pid, 'running again')).info!.pid!;
  await manager.restart('p');
  replaceExecutable(go, exe); // rebuild -> stopping -> stopped -> starting -> running
  await waitForPlugin(manager, 'p', (s) => s.state === 'running' && s.info?.pid !== pid, 'restarted after the rebuild');
  apply({ path: '${nope}/greeter' }); // configuration error while running
  await manager.settled();
  assert.equal(manager.get('p')!.state, 'failed');
  apply({ path: exe, enabled: false }); // failed -> stopped -> disabled
  await manager.settled();
  apply({ path: exe }); // disabled -> stopped -> starting -> running
  await manager.settled();
  apply({ path: silent }); // a start that never completes ...
  await waitForState(manager, 'p', 'starting');
  await manager.stop('p'); // ... cancelled: starting -> stopped
  apply({ path: exe, args: ['x'] });
  await manager.start('p');
  for (let crash = 1; crash <= 2; crash++) {
    pid = (await waitForState(manager, 'p', 'running')).info!.pid!;
    process.kill(pid, 'SIGKILL');
    if (crash === 1) await waitForPlugin(manager, 'p', (s) => s.state === 'running' && s.info?.pid !== pid, 'restarted');
  }
  await waitForState(manager, 'p', 'failed'); // the crash limit
  await manager.stop('p'); // failed -> stopped
  await manager.dispose();

  const seen = transitions.slice(from).filter((l) => l.startsWith('p: '));
  const edges = new Set(seen.map((l) => l.slice(3)));
  const bad = [...edges].filter((e) => {
    const [a, b] = e.split(' -> ') as [never, never];
    return !canTransition(a, b);
  });
  assert.deepEqual(bad, []);
  for (const e of [
    'stopped -> starting', 'starting -> running', 'running -> restarting', 'restarting -> starting', 'running -> stopping',
    'stopping -> stopped', 'stopped -> failed', 'stopped -> disabled', 'disabled -> stopped', 'starting -> stopped',
    'running -> failed', 'failed -> stopped',
  ]) {
    assert.ok(edges.has(e), `scenario did not exercise ${e}; saw ${[...edges].join(', ')}`);
  }
});
