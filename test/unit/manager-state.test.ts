import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PLUGIN_STATE_TRANSITIONS, canTransition } from '../../src/manager/plugin-state';
import type { PluginState } from '../../src/manager/types';

const ALL: PluginState[] = ['stopped', 'starting', 'running', 'stopping', 'restarting', 'failed', 'disabled'];

test('every state has an entry and only names known states', () => {
  assert.deepEqual(Object.keys(PLUGIN_STATE_TRANSITIONS).sort(), [...ALL].sort());
  for (const targets of Object.values(PLUGIN_STATE_TRANSITIONS)) for (const t of targets) assert.ok(ALL.includes(t), t);
});

test('the life of a plugin: start, crash, restart, stop', () => {
  const path: PluginState[] = ['stopped', 'starting', 'running', 'restarting', 'starting', 'running', 'stopping', 'stopped'];
  for (let i = 1; i < path.length; i++) assert.ok(canTransition(path[i - 1]!, path[i]!), `${path[i - 1]} -> ${path[i]}`);
});

test('failure paths: handshake failure, crash limit, stop while restarting', () => {
  assert.ok(canTransition('starting', 'failed'));
  assert.ok(canTransition('running', 'failed'));
  assert.ok(canTransition('restarting', 'stopped'));
  assert.ok(canTransition('failed', 'starting'));
});

test('illegal moves are rejected', () => {
  assert.equal(canTransition('stopped', 'running'), false, 'must pass through starting');
  assert.equal(canTransition('stopping', 'running'), false);
  assert.equal(canTransition('disabled', 'running'), false);
  assert.equal(canTransition('running', 'starting'), false);
});

test('no state lists itself: staying put is not a transition', () => {
  for (const [from, targets] of Object.entries(PLUGIN_STATE_TRANSITIONS)) assert.ok(!targets.includes(from as PluginState), from);
});

test('a start cancelled by stop goes straight to stopped', () => {
  assert.ok(canTransition('starting', 'stopped'));
});
