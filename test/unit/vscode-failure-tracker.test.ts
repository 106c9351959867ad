// One notification per failure, the log revealed once per plugin, and never for a
// configuration error (its fix is in settings).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PluginError } from '../../src/host/errors';
import { FailureTracker } from '../../src/vscode/failure-tracker';
import { misconfigured, snapshot } from './vscode-snapshots';

const handshakeTimeout = snapshot({ state: 'failed', lastError: new PluginError('HANDSHAKE_TIMEOUT', 'The hello plugin did not answer in 10 s.') });
const crashLimit = snapshot({ state: 'failed', lastError: new PluginError('PLUGIN_EXITED', 'The hello plugin crashed 5 times.') });

test('one notification per failure, however many snapshots repeat it', () => {
  const t = new FailureTracker();
  const first = t.observe(handshakeTimeout);
  assert.equal(first?.message, 'The hello plugin did not answer in 10 s.');
  assert.equal(first?.misconfigured, false);
  assert.equal(t.observe(handshakeTimeout), undefined, 'same failure again: nothing new');
  assert.equal(t.observe({ ...handshakeTimeout, greetCount: 1 }), undefined);
  // It recovers, then fails again: that is a new failure.
  assert.equal(t.observe(snapshot({ state: 'starting' })), undefined);
  assert.ok(t.observe(handshakeTimeout));
  // A different failure without leaving 'failed' is announced too.
  assert.ok(t.observe(crashLimit));
});

test('the log is revealed on the first hard failure only, and not for configuration errors', () => {
  const t = new FailureTracker();
  assert.equal(t.observe(misconfigured)?.revealLog, false);
  assert.equal(t.observe(misconfigured), undefined);
  assert.equal(t.observe(handshakeTimeout)?.revealLog, true);
  t.observe(snapshot({ state: 'running' }));
  const again = t.observe(crashLimit);
  assert.ok(again, 'announced');
  assert.equal(again.revealLog, false, 'revealed once per plugin');
  assert.equal(t.observe(snapshot({ name: 'other', state: 'failed', lastError: crashLimit.lastError }))?.revealLog, true);
});

test('a configuration error offers settings, and a removed plugin is forgotten', () => {
  const t = new FailureTracker();
  const notice = t.observe(misconfigured)!;
  assert.equal(notice.misconfigured, true);
  assert.match(notice.logLine, /^plugin hello failed: \[INVALID_OPTIONS\] /);
  t.observe(handshakeTimeout);
  t.retain([]);
  const readded = t.observe(handshakeTimeout);
  assert.equal(readded?.revealLog, true, 'a re-added plugin counts as new');
});
