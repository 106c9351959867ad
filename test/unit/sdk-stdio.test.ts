// Stdio chunking: go-plugin sends plugin output in messages of at most 1 KiB.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toStdioChunks } from '../../src/sdk/stdio';

describe('toStdioChunks', () => {
  test('splits into messages of at most 1 KiB', () => {
    const chunks = toStdioChunks('STDOUT', Buffer.alloc(2500, 'a'));
    assert.deepEqual(chunks.map((c) => c.data.length), [1024, 1024, 452]);
    assert.ok(chunks.every((c) => c.channel === 'STDOUT'));
  });

  test('sends nothing for an empty write', () => {
    assert.deepEqual(toStdioChunks('STDERR', Buffer.alloc(0)), []);
  });
});
