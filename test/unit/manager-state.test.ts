// The state machine's checker, and properties of the transition table that a careless
// edit would break (a state no plugin can leave, a process that runs without starting).
// That the supervisor only makes allowed moves is checked by every manager integration
// test: the harness fails a test on any change reported with allowed: false.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PLUGIN_STATE_TRANSITIONS, PluginStateMachine, type StateChange } from '../../src/manager/plugin-state';
import type { PluginState } from '../../src/manager/types';

const ALL = Object.keys(PLUGIN_STATE_TRANSITIONS) as PluginState[];

test('a forbidden move is reported as not allowed; a legal one as allowed; staying put is not reported', () => {
  const seen: StateChange[] = [];
  const m = new PluginStateMachine((c) => seen.push(c));
  assert.equal(m.moveTo('stopped'), false);
  assert.deepEqual(seen, []);
  m.moveTo('starting');
  m.moveTo('stopping'); // starting -> stopping is not in the table: a cancelled start goes to stopped
  assert.deepEqual(seen, [
    { from: 'stopped', to: 'starting', allowed: true },
    { from: 'starting', to: 'stopping', allowed: false },
  ]);
  assert.equal(m.state, 'stopping', 'the state still says what the supervisor did');
});

test('the table names only known states and never a state itself', () => {
  for (const [from, targets] of Object.entries(PLUGIN_STATE_TRANSITIONS)) {
    for (const to of targets) assert.ok(ALL.includes(to), `${from} -> ${to}`);
    assert.ok(!targets.includes(from as PluginState), from);
  }
});

test('every state is reachable from stopped, and stopped from every state (no trap)', () => {
  const reach = (from: PluginState): Set<PluginState> => {
    const seen = new Set<PluginState>([from]);
    const todo = [from];
    while (todo.length) for (const next of PLUGIN_STATE_TRANSITIONS[todo.pop()!]) if (!seen.has(next)) seen.add(next), todo.push(next);
    return seen;
  };
  assert.deepEqual([...reach('stopped')].sort(), [...ALL].sort());
  for (const s of ALL) assert.ok(reach(s).has('stopped'), `${s} cannot get back to stopped`);
});

test('a process runs only after a start, and only a running process is stopped', () => {
  const into = (to: PluginState) => ALL.filter((from) => PLUGIN_STATE_TRANSITIONS[from].includes(to));
  assert.deepEqual(into('running'), ['starting']);
  assert.deepEqual(into('stopping'), ['running']);
  assert.deepEqual(into('restarting').sort(), ['running', 'starting']);
});
