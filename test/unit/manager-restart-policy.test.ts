import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartPolicy, isFatalStartError } from '../../src/manager/restart-policy';

test('restarts with doubling backoff capped at the maximum', () => {
  const p = new RestartPolicy({ restartLimit: 100, restartWindowMs: 180_000 });
  const delays = Array.from({ length: 8 }, (_, i) => {
    const d = p.onCrash('hello', i);
    assert.equal(d.action, 'restart');
    return d.action === 'restart' ? d.delayMs : -1;
  });
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
});

test('with 4 restarts allowed, the 5th crash within 3 minutes fails with the language-server message', () => {
  const p = new RestartPolicy({ restartLimit: 4, restartWindowMs: 180_000 });
  for (let i = 0; i < 4; i++) assert.equal(p.onCrash('hello', i * 1000).action, 'restart');
  const d = p.onCrash('hello', 5000);
  assert.equal(d.action, 'fail');
  assert.equal(d.crashesInWindow, 5);
  assert.match(d.action === 'fail' ? d.message : '', /^The hello plugin crashed 5 times in the last 3 minutes\. The plugin will not be restarted\./);
});

test('crashes older than the window are forgotten', () => {
  const p = new RestartPolicy({ restartLimit: 4, restartWindowMs: 180_000 });
  for (let i = 0; i < 4; i++) p.onCrash('hello', i * 1000); // at 0, 1, 2 and 3 s
  const d = p.onCrash('hello', 181_500); // the crashes at 0 and 1 s are now more than 3 minutes old
  assert.equal(d.action, 'restart');
  assert.equal(d.crashesInWindow, 3);
});

test('reset() forgets every crash', () => {
  const p = new RestartPolicy({ restartLimit: 1, restartWindowMs: 1000, baseDelayMs: 10 });
  assert.deepEqual(p.onCrash('x', 0), { action: 'restart', delayMs: 10, crashesInWindow: 1 });
  p.reset();
  assert.deepEqual(p.onCrash('x', 1), { action: 'restart', delayMs: 10, crashesInWindow: 1 });
  assert.equal(p.onCrash('x', 2).action, 'fail');
});

test('failures before the handshake are fatal, crashes and call failures are not', () => {
  for (const code of ['NOT_FOUND', 'NOT_EXECUTABLE', 'EXITED_BEFORE_HANDSHAKE', 'HANDSHAKE_TIMEOUT', 'APP_VERSION_MISMATCH', 'TLS_FAILURE', 'HEALTH_FAILURE'] as const) {
    assert.equal(isFatalStartError(code), true, code);
  }
  for (const code of ['PLUGIN_EXITED', 'UNAVAILABLE', 'CONNECTION_FAILED', 'SPAWN_FAILED'] as const) {
    assert.equal(isFatalStartError(code), false, code);
  }
});

test('a limit of 0 means no automatic restart, with a message that says so; 1 allows one restart', () => {
  const off = new RestartPolicy({ restartLimit: 0, restartWindowMs: 180_000 }).onCrash('hello', 0);
  assert.equal(off.action, 'fail');
  assert.match(off.action === 'fail' ? off.message : '', /^The hello plugin crashed and automatic restarts are off/);
  const one = new RestartPolicy({ restartLimit: 1, restartWindowMs: 180_000 });
  assert.equal(one.onCrash('hello', 0).action, 'restart');
  const second = one.onCrash('hello', 1);
  assert.equal(second.action, 'fail');
  assert.match(second.action === 'fail' ? second.message : '', /^The hello plugin crashed 2 times in the last 3 minutes\./);
});
