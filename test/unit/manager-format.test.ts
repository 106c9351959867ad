// The manager words the crash window and delays with the host's formatter (src/host/format.ts),
// the one home for formatting; the restart policy used its own copy before.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMs, formatWindow } from '../../src/host/format';
import { RestartPolicy } from '../../src/manager/restart-policy';

test('the crash window reads the same wherever the manager names it', () => {
  assert.equal(formatWindow(60_000), 'minute');
  assert.equal(formatWindow(180_000), '3 minutes');
  assert.equal(formatWindow(90_000), '90 seconds');
  // The policy's give-up message uses the shared wording (it used its own copy before).
  const policy = new RestartPolicy({ restartLimit: 0, restartWindowMs: 90_000 });
  const policyWithWindow = new RestartPolicy({ restartLimit: 1, restartWindowMs: 90_000 });
  policyWithWindow.onCrash('p', 0);
  const d = policyWithWindow.onCrash('p', 1);
  assert.match(d.action === 'fail' ? d.message : '', /crashed 2 times in the last 90 seconds\./);
  assert.equal(policy.onCrash('p', 0).action, 'fail');
});

test('delays and timeouts: milliseconds below a second, seconds above', () => {
  assert.equal(formatMs(50), '50 ms');
  assert.equal(formatMs(2000), '2 s');
  assert.equal(formatMs(1500), '1.5 s');
});
