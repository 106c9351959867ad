// Defect 2 of issue 7: a user Stop is remembered, and nothing else stops a plugin. A
// settings change or a rebuild that arrives while the plugin is stopping for another
// reason (a rebuild, an earlier save) leaves it running with the newest entry; one that
// arrives after a user Stop leaves it stopped. The plugin's stop is held open by a real
// wrapper process until the test releases it, so "while stopping" is not a race.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  GO_GREETER,
  newManager,
  recordStates,
  replaceExecutable,
  requireExecutable,
  slowToExitPlugin,
  tempDir,
  testContext,
  testSettings,
  waitUntil,
  waitForState,
} from '../fixtures/manager/harness';

function setup(t: { after: (fn: () => unknown) => void }) {
  const dir = tempDir();
  const plugin = slowToExitPlugin(dir, requireExecutable(GO_GREETER, 'npm run build:go'));
  const { manager, logs } = newManager(testSettings());
  t.after(async () => {
    plugin.release();
    await manager.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const entry = (env?: Record<string, string>) => [{ name: 'p', path: plugin.script, ...(env ? { env } : {}) }];
  return { dir, plugin, manager, logs, entry };
}

test('a settings change during a rebuild\'s stop leaves the plugin running with the new entry', async (t) => {
  const { plugin, manager, entry } = setup(t);
  manager.applyConfig(entry(), testContext());
  const first = await waitForState(manager, 'p', 'running');

  replaceExecutable(plugin.script, plugin.script); // a rebuild: new file in place
  await waitForState(manager, 'p', 'stopping'); // held open by the wrapper
  manager.applyConfig(entry({ GREETER_CHANGED: '1' }), testContext());
  plugin.release();
  await manager.settled();

  const s = manager.get('p')!;
  assert.equal(s.state, 'running', `the plugin was left ${s.state}`);
  assert.notEqual(s.info?.pid, first.info?.pid);
  assert.equal(s.entry.env?.GREETER_CHANGED, '1');
  assert.equal(plugin.launches(), 2, 'one new process, started with the new entry');
  assert.equal((await manager.greet('p', 'Eve')).message, 'hello Eve');
});

test('two quick saves against a plugin slow to exit leave it running with the last entry', async (t) => {
  const { plugin, manager, entry } = setup(t);
  manager.applyConfig(entry(), testContext());
  await waitForState(manager, 'p', 'running');

  manager.applyConfig(entry({ SAVE: '1' }), testContext());
  await waitForState(manager, 'p', 'stopping');
  manager.applyConfig(entry({ SAVE: '2' }), testContext());
  plugin.release();
  await manager.settled();

  const s = manager.get('p')!;
  assert.equal(s.state, 'running', `the plugin was left ${s.state}`);
  assert.equal(s.entry.env?.SAVE, '2');
  assert.equal(plugin.launches(), 2);
});

test('a user Stop is remembered: a changed entry and a rebuild leave the plugin stopped', async (t) => {
  const { plugin, manager, entry, logs } = setup(t);
  plugin.release();
  manager.applyConfig(entry(), testContext());
  await waitForState(manager, 'p', 'running');
  await manager.stop('p');

  manager.applyConfig(entry({ GREETER_CHANGED: '1' }), testContext());
  await manager.settled();
  assert.equal(manager.get('p')!.state, 'stopped');

  replaceExecutable(plugin.script, plugin.script);
  await waitUntil(() => (logs.get('p') ?? []).some((l) => /changed on disk; not restarting the plugin: it was stopped/.test(l)), 'the plugin is told of the rebuild');
  await manager.settled();
  assert.equal(manager.get('p')!.state, 'stopped');
  assert.equal(plugin.launches(), 1, 'no process was started after the user\'s Stop');

  // The user's Start is what brings it back, with the newest entry.
  await manager.start('p');
  assert.equal(manager.get('p')!.state, 'running');
  assert.equal(manager.get('p')!.entry.env?.GREETER_CHANGED, '1');
});

test('a user Stop during a settings restart wins over that restart', async (t) => {
  const { plugin, manager, entry } = setup(t);
  manager.applyConfig(entry(), testContext());
  await waitForState(manager, 'p', 'running');
  const states = recordStates(manager, 'p');

  manager.applyConfig(entry({ GREETER_CHANGED: '1' }), testContext());
  await waitForState(manager, 'p', 'stopping');
  const stopped = manager.stop('p');
  plugin.release();
  await stopped;
  await manager.settled();
  assert.equal(manager.get('p')!.state, 'stopped');
  assert.deepEqual(states, ['stopping', 'stopped']);
  assert.equal(plugin.launches(), 1);
});

test('disabling in settings stops the plugin and enabling starts it again, even after a user Stop', async (t) => {
  const { plugin, manager, entry } = setup(t);
  plugin.release();
  manager.applyConfig(entry(), testContext());
  await waitForState(manager, 'p', 'running');
  await manager.stop('p');
  manager.applyConfig([{ ...entry()[0]!, enabled: false }], testContext());
  await manager.settled();
  assert.equal(manager.get('p')!.state, 'disabled');
  manager.applyConfig(entry(), testContext());
  await manager.settled();
  assert.equal(manager.get('p')!.state, 'running');
  assert.equal(plugin.launches(), 2);
});
