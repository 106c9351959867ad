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
  t.observe(snapshot({ state: 'running' }));
  assert.equal(t.observe(crashLimit)?.revealLog, true, 'it ran, then crashed for good');
  t.observe(snapshot({ state: 'running' }));
  const again = t.observe(crashLimit);
  assert.ok(again, 'announced');
  assert.equal(again.revealLog, false, 'revealed once per plugin');
  t.observe(snapshot({ name: 'other', state: 'running' }));
  assert.equal(t.observe(snapshot({ name: 'other', state: 'failed', lastError: crashLimit.lastError }))?.revealLog, true);
});

test('a plugin that never ran does not open the panel (start-up, a missing path): the notification offers the log', () => {
  const t = new FailureTracker();
  const notFound = snapshot({ state: 'failed', lastError: new PluginError('NOT_FOUND', 'The plugin "hello" was not found at /nonexistent/greet.') });
  t.observe(snapshot({ state: 'starting' }));
  const notice = t.observe(notFound);
  assert.ok(notice, 'the failure is announced');
  assert.equal(notice.revealLog, false, 'no panel opens by itself');
  assert.equal(notice.misconfigured, false, 'Restart and Show Log are offered');
  // A handshake timeout at start-up is the same: nothing ran that could have logged.
  assert.equal(t.observe(snapshot({ name: 'slow', state: 'starting' })), undefined);
  assert.equal(t.observe({ ...handshakeTimeout, name: 'slow' })?.revealLog, false);
});

test('a configuration error offers settings, and a removed plugin is forgotten', () => {
  const t = new FailureTracker();
  const notice = t.observe(misconfigured)!;
  assert.equal(notice.misconfigured, true);
  assert.match(notice.logLine, /^plugin hello failed: \[INVALID_OPTIONS\] /);
  t.observe(snapshot({ state: 'running' }));
  t.observe(handshakeTimeout);
  t.retain([]);
  t.observe(snapshot({ state: 'running' }));
  const readded = t.observe(handshakeTimeout);
  assert.equal(readded?.revealLog, true, 'a re-added plugin counts as new');
});
