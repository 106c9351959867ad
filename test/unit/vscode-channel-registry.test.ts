// Output channels exist only for configured plugins: late output of a removed plugin, or a
// Show Log from an old notification, never creates one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PluginChannelRegistry } from '../../src/vscode/channel-registry';

/** A channel that records what was written to it and whether it was disposed. */
class RecordingChannel {
  readonly lines: string[] = [];
  disposed = false;
  constructor(readonly name: string) {}
  dispose(): void {
    this.disposed = true;
  }
}

function registry() {
  const created: RecordingChannel[] = [];
  const r = new PluginChannelRegistry((name) => {
    const c = new RecordingChannel(name);
    created.push(c);
    return c;
  });
  return { r, created };
}

test('a configured plugin gets its channel on first output', () => {
  const { r, created } = registry();
  const write = r.attach('hello');
  assert.equal(created.length, 0, 'no output yet, no channel');
  write((c) => c.lines.push('one'));
  write((c) => c.lines.push('two'));
  assert.equal(created.length, 1);
  assert.deepEqual(created[0]!.lines, ['one', 'two']);
  assert.equal(r.channel('hello'), created[0]);
});

test('a plugin that was never configured gets no channel', () => {
  const { r, created } = registry();
  assert.equal(r.channel('ghost'), undefined);
  assert.equal(created.length, 0);
});

test('a removed plugin: its channel is disposed, and neither late output nor Show Log brings it back', () => {
  const { r, created } = registry();
  const write = r.attach('hello');
  write((c) => c.lines.push('before'));
  r.retain([]);
  assert.equal(created[0]!.disposed, true);
  write((c) => c.lines.push('late output while stopping'));
  assert.equal(r.channel('hello'), undefined, 'Show Log of a removed plugin');
  assert.equal(created.length, 1, 'no new channel was created');
  assert.deepEqual(r.names(), []);
});

test('a removed plugin that never wrote anything gets no channel afterwards', () => {
  const { r, created } = registry();
  const write = r.attach('quiet');
  r.retain(['other']);
  write((c) => c.lines.push('late'));
  assert.equal(r.channel('quiet'), undefined);
  assert.equal(created.length, 0);
});

test('re-adding a plugin gives it a fresh channel; the old sinks stay closed', () => {
  const { r, created } = registry();
  const old = r.attach('hello');
  old((c) => c.lines.push('first life'));
  r.retain([]);
  const fresh = r.attach('hello');
  old((c) => c.lines.push('old sink'));
  fresh((c) => c.lines.push('second life'));
  assert.equal(created.length, 2);
  assert.deepEqual(created[1]!.lines, ['second life']);
});

test('after dispose nothing is written and nothing created', () => {
  const { r, created } = registry();
  const write = r.attach('hello');
  r.dispose();
  write((c) => c.lines.push('late'));
  assert.equal(r.channel('hello'), undefined);
  assert.equal(created.length, 0);
});
