// Many settings reloads in a row, many landing while plugins are still starting or
// stopping: each plugin ends in the state the last settings and the user's Stop ask for,
// no process and no socket directory is left, and no state change leaves the table
// (the harness fails the test on one). 20 reloads in `npm test`; 200 with RELIABILITY_LONG=1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  GO_GREETER,
  NODE_GREETER,
  countingPlugin,
  isAlive,
  newManager,
  requireExecutable,
  tempDir,
  testContext,
  testSettings,
  waitForExit,
  waitForState,
} from '../fixtures/manager/harness';

const RELOADS = process.env.RELIABILITY_LONG === '1' ? 200 : 20;

test(`${RELOADS} settings reloads leave the right final states, no process and no directory`, { timeout: 30 * 60_000 }, async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const node = requireExecutable(NODE_GREETER, 'npm run build:node-plugins');
  const dir = tempDir('greeter-reloads-');
  // Socket directories go to a private temp dir, so anything left behind is ours to see.
  const privateTmp = tempDir('greeter-reloads-tmp-');
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = privateTmp;
  t.after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(privateTmp, { recursive: true, force: true });
  });
  const plugins = {
    a: countingPlugin(dir, go, 'a'),
    b: countingPlugin(dir, node, 'b'),
    c: countingPlugin(dir, go, 'c'),
    e: countingPlugin(dir, go, 'e'),
  };
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());

  /** Reload i: a's entry changes each time, b toggles enabled, c comes and goes, d is misconfigured, e changes but was stopped by the user. */
  const entries = (i: number) => [
    { name: 'a', path: plugins.a.script, env: { ROUND: String(i) } },
    { name: 'b', path: plugins.b.script, enabled: i % 4 !== 1 },
    ...(i % 5 === 2 ? [] : [{ name: 'c', path: plugins.c.script }]),
    { name: 'd', path: '${nope}/greeter' },
    { name: 'e', path: plugins.e.script, env: { ROUND: String(i) } },
  ];
  manager.applyConfig(entries(0), testContext());
  await waitForState(manager, 'e', 'running');
  await manager.stop('e'); // the user's Stop, to be remembered through every reload

  const t0 = Date.now();
  for (let i = 1; i <= RELOADS; i++) {
    manager.applyConfig(entries(i), testContext(), testSettings({ startTimeoutMs: 10_000 + i }));
    // The next reload lands on quiet plugins, on a stopping, on a starting, or wherever they are.
    if (i % 4 === 0) await manager.settled();
    else if (i % 4 === 1) await waitForState(manager, 'a', 'stopping');
    else if (i % 4 === 2) await waitForState(manager, 'a', 'starting');
    else await new Promise((r) => setImmediate(r));
  }
  const final = entries(RELOADS + 4); // b enabled, c present
  manager.applyConfig(final, testContext());
  await manager.settled();
  const took = Date.now() - t0;

  const state = (n: string) => manager.get(n)?.state;
  assert.equal(state('a'), 'running');
  assert.equal(manager.get('a')!.entry.env?.ROUND, String(RELOADS + 4), 'a runs the last entry');
  assert.equal(state('b'), 'running');
  assert.equal(state('c'), 'running');
  assert.equal(state('d'), 'failed');
  assert.match(manager.get('d')!.configError!.message, /unknown variable/);
  assert.equal(state('e'), 'stopped', 'the user\'s Stop is remembered');
  assert.equal(plugins.e.pids().length, 1, 'e was never started again');
  for (const n of ['a', 'b', 'c']) assert.match((await manager.greet(n, 'Ivy')).message, /Ivy/);

  // Exactly one live process per running plugin.
  const all = Object.values(plugins).flatMap((p) => p.pids());
  const live = all.filter(isAlive).sort();
  const running = ['a', 'b', 'c'].map((n) => manager.get(n)!.info!.pid!).sort();
  assert.deepEqual(live, running);

  await manager.dispose();
  for (const pid of all) assert.ok(await waitForExit(pid, 5000), `pid ${pid} is gone`);
  assert.deepEqual(fs.readdirSync(privateTmp), [], 'no socket directory is left');
  t.diagnostic(`${RELOADS} reloads: ${took} ms; ${all.length} processes launched (a ${plugins.a.pids().length}, b ${plugins.b.pids().length}, c ${plugins.c.pids().length}, e ${plugins.e.pids().length}); 0 left; 0 directories left`);
});
