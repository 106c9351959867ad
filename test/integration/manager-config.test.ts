// Settings changes are applied as a diff, a rebuilt executable restarts its
// plugin, and dispose() leaves no process behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  GO_GREETER,
  NODE_GREETER,
  isAlive,
  newManager,
  replaceExecutable,
  requireExecutable,
  tempDir,
  testContext,
  testSettings,
  waitForPlugin,
  waitForState,
} from '../fixtures/manager/harness';

test('applyConfig starts added, stops removed and restarts only changed plugins', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const node = requireExecutable(NODE_GREETER, 'npm run build:node-plugins');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  let listChanges = 0;
  manager.onDidChange((s) => {
    if (s === undefined) listChanges++;
  });

  manager.applyConfig([{ name: 'a', path: go }, { name: 'b', path: node }], testContext());
  assert.equal(listChanges, 1);
  const a1 = (await waitForState(manager, 'a', 'running')).info!.pid!;
  const b1 = (await waitForState(manager, 'b', 'running')).info!.pid!;

  // a unchanged (same resolved path written differently), b changed, c added.
  manager.applyConfig(
    [
      { name: 'a', path: `${path.dirname(go)}/./${path.basename(go)}` },
      { name: 'b', path: node, env: { GREETER_CHANGED: '1' } },
      { name: 'c', path: go },
    ],
    testContext(),
  );
  assert.equal(listChanges, 2);
  const b2 = (await waitForPlugin(manager, 'b', (s) => s.state === 'running' && s.info?.pid !== b1, 'running again')).info!.pid!;
  const c1 = (await waitForState(manager, 'c', 'running')).info!.pid!;
  assert.equal(manager.get('a')!.info!.pid, a1, 'unchanged plugin keeps its process');
  assert.equal(isAlive(b1), false, 'the old process of a changed plugin is gone');
  assert.notEqual(b2, b1);
  assert.equal(manager.get('b')!.entry.env?.GREETER_CHANGED, '1');

  // Remove c and disable a.
  manager.applyConfig([{ name: 'a', path: go, enabled: false }, { name: 'b', path: node, env: { GREETER_CHANGED: '1' } }], testContext());
  assert.equal(listChanges, 3);
  assert.deepEqual(manager.list().map((s) => s.name), ['a', 'b']);
  assert.equal(manager.get('c'), undefined);
  await waitForState(manager, 'a', 'disabled');
  assert.equal(isAlive(a1), false);
  assert.equal(manager.get('b')!.info!.pid, b2, 'b did not change this time');

  // Enable a again: a fresh process.
  manager.applyConfig([{ name: 'a', path: go }, { name: 'b', path: node, env: { GREETER_CHANGED: '1' } }], testContext());
  const a2 = (await waitForState(manager, 'a', 'running')).info!.pid!;
  assert.notEqual(a2, a1);
  await manager.dispose(); // waits for c's stop too
  assert.equal(isAlive(c1), false);
});

test('a rebuilt executable restarts its plugin with a new process', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'greeter');
  replaceExecutable(go, target);

  const { manager, logs } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'dev', path: 'greeter' }], testContext(dir)); // relative to the workspace folder
  const first = await waitForState(manager, 'dev', 'running');
  assert.equal(first.resolvedPath, target);
  const pid1 = first.info!.pid!;

  replaceExecutable(go, target); // what `go build -o` does: a new file in place of the old one
  const second = await waitForPlugin(manager, 'dev', (s) => s.state === 'running' && s.info?.pid !== pid1, 'restarted');
  assert.equal(isAlive(pid1), false);
  assert.equal((await manager.greet('dev', 'Dana')).message, 'hello Dana');
  assert.ok(logs.get('dev')!.some((l) => /changed on disk; restarting/.test(l)));
  assert.notEqual(second.info!.pid, pid1);
});

test('a plugin that failed because its executable was missing starts once it is built', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'greeter');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'later', path: target }], testContext());
  await waitForState(manager, 'later', 'failed');
  replaceExecutable(go, target);
  await waitForState(manager, 'later', 'running');
});

test('a plugin whose folder does not exist yet starts once the folder and the executable are built', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'out', 'bin', 'greeter'); // configured before the first build
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'later', path: target }], testContext());
  await waitForState(manager, 'later', 'failed');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  replaceExecutable(go, target);
  await waitForState(manager, 'later', 'running');
});

test('a rebuild that deletes and recreates the folder (rm -rf bin && build) still restarts the plugin, every time', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'bin');
  const target = path.join(bin, 'greeter');
  fs.mkdirSync(bin);
  replaceExecutable(go, target);
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'dev', path: target }], testContext());
  let pid = (await waitForState(manager, 'dev', 'running')).info!.pid!;
  for (let build = 1; build <= 2; build++) {
    fs.rmSync(bin, { recursive: true });
    fs.mkdirSync(bin);
    replaceExecutable(go, target);
    const previous = pid;
    pid = (await waitForPlugin(manager, 'dev', (s) => s.state === 'running' && s.info?.pid !== previous, `restarted after build ${build}`)).info!.pid!;
    assert.equal(isAlive(previous), false);
  }
});

test('a rebuild is noticed while another file beside the executable is written all the time (a log)', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'greeter');
  replaceExecutable(go, target);
  const { manager } = newManager(testSettings()); // debounce 100 ms
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'dev', path: target }], testContext());
  const first = (await waitForState(manager, 'dev', 'running')).info!.pid!;
  const log = setInterval(() => fs.appendFileSync(path.join(dir, 'plugin.log'), 'line\n'), 10); // much faster than the debounce
  t.after(() => clearInterval(log));
  replaceExecutable(go, target);
  await waitForPlugin(manager, 'dev', (s) => s.state === 'running' && s.info?.pid !== first, 'restarted');
  clearInterval(log);
});

test('a plugin configured through a symlink restarts when the link\'s target is rebuilt', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const built = path.join(dir, 'my-plugin', 'dist', 'plugin');
  const link = path.join(dir, 'node_modules', '.bin', 'my-plugin'); // what npm links
  fs.mkdirSync(path.dirname(built), { recursive: true });
  fs.mkdirSync(path.dirname(link), { recursive: true });
  replaceExecutable(go, built);
  fs.symlinkSync(path.relative(path.dirname(link), built), link);
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'linked', path: link }], testContext());
  const first = (await waitForState(manager, 'linked', 'running')).info!.pid!;
  replaceExecutable(go, built); // the target is rebuilt; the link does not change
  await waitForPlugin(manager, 'linked', (s) => s.state === 'running' && s.info?.pid !== first, 'restarted');
  assert.equal(isAlive(first), false);
});

test('dispose() stops every plugin and resolves only when every process is gone', async () => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const node = requireExecutable(NODE_GREETER, 'npm run build:node-plugins');
  const { manager } = newManager(testSettings());
  manager.applyConfig(
    [
      { name: 'go', path: go, autoMTLS: true },
      { name: 'node', path: node },
      { name: 'go2', path: go },
    ],
    testContext(),
  );
  const pids = await Promise.all(['go', 'node', 'go2'].map(async (n) => (await waitForState(manager, n, 'running')).info!.pid!));
  assert.ok(pids.every(isAlive));
  await manager.dispose();
  assert.deepEqual(pids.filter(isAlive), [], 'no plugin process is left');
  assert.deepEqual(manager.list().map((s) => s.state), ['stopped', 'stopped', 'stopped']);
  manager.applyConfig([{ name: 'late', path: go }], testContext()); // ignored after dispose
  assert.equal(manager.get('late'), undefined);
});

test('stop and start of one plugin are serialized: rapid clicks never leave two processes', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'p', path: go }], testContext());
  const pids = new Set<number>();
  manager.onDidChange((s) => {
    if (s?.info?.pid) pids.add(s.info.pid);
  });
  await Promise.all([manager.restart('p'), manager.start('p'), manager.stop('p'), manager.start('p'), manager.restart('p')]);
  const s = manager.get('p')!;
  assert.equal(s.state, 'running');
  assert.deepEqual([...pids].filter(isAlive), [s.info!.pid], 'exactly one live process');
  await manager.stop('p');
  assert.equal(manager.get('p')!.state, 'stopped');
  assert.equal(isAlive(s.info!.pid!), false);
});

test('a settings change emits a snapshot only for plugins whose snapshot changed', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  const entries = (runPath: string) => [
    { name: 'run', path: runPath },
    { name: 'off', path: go, enabled: false },
    { name: 'bad', path: '${nope}/greeter' },
  ];
  manager.applyConfig(entries(go), testContext());
  const pid = (await waitForState(manager, 'run', 'running')).info!.pid;
  const events: string[] = [];
  manager.onDidChange((s) => events.push(s?.name ?? '<list>'));

  // Typing "30000" into the start timeout field: one settings change per keystroke.
  for (const typed of [3, 30, 300, 3000, 30000]) {
    manager.applyConfig(entries(go), testContext(), testSettings({ startTimeoutMs: typed, callTimeoutMs: typed, restartLimit: typed % 7 }));
  }
  await manager.settled();
  assert.deepEqual(events, [], 'nothing any plugin shows changed');

  // The same executable spelled differently: only that row's entry text changed; same process.
  manager.applyConfig(entries(`${path.dirname(go)}/./${path.basename(go)}`), testContext());
  await manager.settled();
  assert.deepEqual(events, ['run']);
  assert.equal(manager.get('run')!.info!.pid, pid);
});
