// Greeting rows keep their ids when newer greetings arrive, and a new greeting never
// reopens a plugin row the user collapsed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GreetingRecord } from '../../src/manager';
import { GreetingExpansion, greetingRowIds } from '../../src/vscode/greeting-rows';

function greeting(at: number, name = 'Alice'): GreetingRecord {
  return { name, message: `hello ${name}`, latencyMs: 1, at: new Date(at) };
}

test('a new greeting changes no existing row id', () => {
  const older = [greeting(2000), greeting(1000)];
  const before = greetingRowIds('hello', older);
  const after = greetingRowIds('hello', [greeting(3000), ...older]);
  assert.deepEqual(after.slice(1), before, 'the older rows keep their ids');
  assert.equal(new Set(after).size, 3);
});

test('greetings in the same millisecond get distinct ids that survive newer ones', () => {
  const same = [greeting(1000, 'B'), greeting(1000, 'A')];
  const before = greetingRowIds('hello', same);
  assert.equal(new Set(before).size, 2, `distinct: ${before.join(', ')}`);
  const after = greetingRowIds('hello', [greeting(1000, 'C'), ...same]);
  assert.equal(new Set(after).size, 3);
  assert.deepEqual(after.slice(1), before);
});

test('ids name their plugin, so two plugins greeted at once do not clash', () => {
  const history = [greeting(1000)];
  assert.notEqual(greetingRowIds('a', history)[0], greetingRowIds('b', history)[0]);
});

test('the first greeting expands its row; later ones leave the row as the user left it', () => {
  const e = new GreetingExpansion();
  assert.equal(e.shouldExpand('hello', 0, 1), true, 'first greeting: show it');
  assert.equal(e.shouldExpand('hello', 1, 2), false, 'the row is already open');
  e.collapsed('hello');
  assert.equal(e.shouldExpand('hello', 2, 3), false);
  // History cleared, then a greeting: the user's collapse still holds.
  assert.equal(e.shouldExpand('hello', 0, 1), false, 'a row the user collapsed stays collapsed');
  e.expanded('hello');
  assert.equal(e.shouldExpand('hello', 0, 1), true);
});

test('a removed plugin is forgotten', () => {
  const e = new GreetingExpansion();
  e.collapsed('hello');
  e.retain(['other']);
  assert.equal(e.shouldExpand('hello', 0, 1), true);
});
