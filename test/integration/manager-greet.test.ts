// Greet through the manager: answers are recorded (count, latency, history of 10,
// newest first); failures are typed and not recorded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_GREETER, newManager, requireExecutable, testContext, testSettings, waitForState } from '../fixtures/manager/harness';

test('greet records count, latency and a history of the last 10; clearHistory empties it', async (t) => {
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'n', path: requireExecutable(NODE_GREETER, 'npm run build:node-plugins') }], testContext());
  await waitForState(manager, 'n', 'running');
  for (let i = 0; i < 12; i++) assert.equal((await manager.greet('n', `p${i}`)).message, `hello p${i}`);
  const s = manager.get('n')!;
  assert.equal(s.greetCount, 12);
  assert.equal(s.history.length, 10);
  assert.equal(s.history[0]!.name, 'p11');
  assert.equal(s.history[9]!.name, 'p2');
  assert.equal(s.lastLatencyMs, s.history[0]!.latencyMs);
  manager.clearHistory('n');
  assert.deepEqual(manager.get('n')!.history, []);
  assert.equal(manager.get('n')!.greetCount, 12, 'counters survive clearHistory');
});

test('greet failures are typed: cancelled call, stopped plugin, unknown plugin', async (t) => {
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'n', path: requireExecutable(NODE_GREETER, 'npm run build:node-plugins') }], testContext());
  await waitForState(manager, 'n', 'running');

  await assert.rejects(manager.greet('n', 'x', { signal: AbortSignal.abort() }), { code: 'CANCELLED' });
  await manager.stop('n');
  await assert.rejects(manager.greet('n', 'x'), (e: Error & { code?: string }) => e.code === 'UNAVAILABLE' && /not running \(it is stopped\)/.test(e.message));
  await assert.rejects(manager.greet('nobody', 'x'), { code: 'INVALID_OPTIONS' });
  assert.equal(manager.get('n')!.greetCount, 0);
});
