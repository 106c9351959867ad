// Where a plugin's process may not be launched, and what the user is told instead: after or
// during the manager's dispose() (the extension deactivating), while a removed plugin of the
// same name is still stopping, and for a plugin its settings disable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../../src/host';
import {
  GO_GREETER,
  countingPlugin,
  newManager,
  requireExecutable,
  slowToExitPlugin,
  tempDir,
  testContext,
  testSettings,
  waitForState,
} from '../fixtures/manager/harness';

function setup(t: { after: (fn: () => unknown) => void }) {
  const dir = tempDir();
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const { manager, logs } = newManager(testSettings());
  t.after(async () => {
    await manager.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dir, go, manager, logs };
}

const SHUT_DOWN = /plugin manager has shut down \(the extension is deactivating\)/;

test('after dispose(), Start, Restart, Start All, Restart All and Greet are refused and launch nothing', async (t) => {
  const { dir, go, manager } = setup(t);
  const plugin = countingPlugin(dir, go);
  manager.applyConfig([{ name: 'p', path: plugin.script }], testContext());
  const running = await waitForState(manager, 'p', 'running');
  await manager.dispose();
  assert.equal(isAlive(running.info!.pid!), false);

  await assert.rejects(manager.start('p'), SHUT_DOWN);
  await assert.rejects(manager.restart('p'), SHUT_DOWN);
  await assert.rejects(manager.startAll(), SHUT_DOWN);
  await assert.rejects(manager.restartAll(), SHUT_DOWN);
  await assert.rejects(manager.greet('p', 'Alice'), SHUT_DOWN);
  await manager.settled();
  assert.equal(plugin.launches(), 1, 'launched once, before dispose()');
  assert.equal(manager.get('p')?.state, 'stopped');
});

test('a Restart asked while dispose() waits for a slow plugin to exit is refused and launches nothing', async (t) => {
  const { dir, go, manager } = setup(t);
  const slow = slowToExitPlugin(dir, go);
  const plugin = countingPlugin(dir, go);
  manager.applyConfig([{ name: 'slow', path: slow.script }, { name: 'p', path: plugin.script }], testContext());
  await waitForState(manager, 'slow', 'running');
  await waitForState(manager, 'p', 'running');

  const disposing = manager.dispose();
  await waitForState(manager, 'slow', 'stopping'); // held open by its wrapper until released
  await assert.rejects(manager.restart('p'), SHUT_DOWN);
  slow.release();
  await disposing;

  assert.equal(plugin.launches(), 1);
  for (const pid of plugin.pids()) assert.equal(isAlive(pid), false, `pid ${pid} outlived dispose()`);
});

test('a plugin removed from the settings and added back at once starts only after its old process is gone', async (t) => {
  const { dir, go, manager } = setup(t);
  const pids = path.join(dir, 'pids');
  const overlaps = path.join(dir, 'overlaps');
  // Notes any earlier launch still alive when a new one begins; takes 300 ms to exit after
  // the greeter does, like a plugin that flushes state on the way out.
  const script = path.join(dir, 'exclusive');
  fs.writeFileSync(
    script,
    `#!/bin/sh\nfor p in $(cat '${pids}' 2>/dev/null); do kill -0 "$p" 2>/dev/null && echo "$p" >> '${overlaps}'; done\n` +
      `echo $$ >> '${pids}'\n'${go}' "$@"\nsleep 0.3\n`,
    { mode: 0o755 },
  );
  const entry = { name: 'p', path: script };
  manager.applyConfig([entry], testContext());
  await waitForState(manager, 'p', 'running');

  manager.applyConfig([], testContext()); // removed (an undo in settings.json, a settings sync) ...
  manager.applyConfig([entry], testContext()); // ... and back
  await manager.settled();

  const s = manager.get('p')!;
  assert.equal(s.state, 'running', `left ${s.state}: ${s.lastError?.message}`);
  assert.equal(fs.readFileSync(pids, 'utf8').trim().split('\n').length, 2, 'launched twice');
  assert.equal(fs.existsSync(overlaps) ? fs.readFileSync(overlaps, 'utf8') : '', '', 'the second launch began while the first process was alive');
});

test('Start and Restart of a disabled plugin are refused with what to change; Start All leaves it alone', async (t) => {
  const { dir, go, manager } = setup(t);
  const plugin = countingPlugin(dir, go);
  manager.applyConfig([{ name: 'off', path: plugin.script, enabled: false }, { name: 'on', path: go }], testContext());
  await waitForState(manager, 'on', 'running');
  assert.equal(manager.get('off')?.state, 'disabled');

  const disabled = /The off plugin is disabled in settings \("enabled": false in greeter\.plugins\); set "enabled" to true to start it\.$/;
  await assert.rejects(manager.start('off'), disabled);
  await assert.rejects(manager.restart('off'), disabled);
  await assert.rejects(manager.greet('off', 'Alice'), disabled);
  await manager.startAll();
  await manager.restartAll();
  await manager.settled();
  assert.equal(plugin.launches(), 0);
  assert.equal(manager.get('off')?.state, 'disabled');
  assert.equal(manager.get('on')?.state, 'running');
});
