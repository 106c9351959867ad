// Stdio forwarding without a host: 1 KiB chunks like go-plugin, bounded buffering,
// and the interception of process.stdout/stderr writes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StdioData } from '../../src/proto';
import { STDIO_BUFFER_LIMIT, StdioForwarder, toStdioChunks } from '../../src/sdk/stdio';

/** Opens StreamStdio with a minimal stand-in for grpc-js's writable call; returns what it receives. */
function drain(forwarder: StdioForwarder): StdioData[] {
  const received: StdioData[] = [];
  const call = { cancelled: false, write: (chunk: StdioData) => received.push(chunk), on: () => call, end: () => {} };
  (forwarder.implementation().StreamStdio as (c: unknown) => void)(call);
  return received;
}

describe('toStdioChunks', () => {
  test('splits into messages of at most 1 KiB', () => {
    const chunks = toStdioChunks('STDOUT', Buffer.alloc(2500, 'a'));
    assert.deepEqual(chunks.map((c) => c.data.length), [1024, 1024, 452]);
    assert.ok(chunks.every((c) => c.channel === 'STDOUT'));
  });
});

describe('StdioForwarder', () => {
  test('keeps output until the host connects, then hands it over in order', () => {
    const forwarder = new StdioForwarder();
    forwarder.push('STDOUT', Buffer.from('one\n'));
    forwarder.push('STDERR', Buffer.from('two\n'));
    const received = drain(forwarder);
    forwarder.push('STDOUT', Buffer.from('three\n'));
    assert.deepEqual(received.map((c) => [c.channel, c.data.toString()]), [['STDOUT', 'one\n'], ['STDERR', 'two\n'], ['STDOUT', 'three\n']]);
  });

  test('drops the oldest output beyond the buffer limit', () => {
    const forwarder = new StdioForwarder();
    forwarder.push('STDOUT', Buffer.alloc(STDIO_BUFFER_LIMIT, 'x'));
    forwarder.push('STDOUT', Buffer.from('newest'));
    const received = drain(forwarder);
    const total = received.reduce((n, c) => n + c.data.length, 0);
    assert.ok(total <= STDIO_BUFFER_LIMIT, `${total} bytes kept`);
    assert.equal(received.at(-1)!.data.toString(), 'newest');
  });

  test('captures process.stdout and process.stderr writes until released', async () => {
    const forwarder = new StdioForwarder();
    const received = drain(forwarder);
    forwarder.capture();
    let callbackRan = false;
    try {
      process.stdout.write('to stdout\n');
      process.stderr.write(Buffer.from('to stderr\n'), () => (callbackRan = true));
      console.log('via console %d', 42);
    } finally {
      forwarder.release();
    }
    await new Promise((resolve) => process.nextTick(resolve));
    assert.ok(callbackRan, 'write callbacks still run');
    assert.deepEqual(received.map((c) => [c.channel, c.data.toString()]), [
      ['STDOUT', 'to stdout\n'],
      ['STDERR', 'to stderr\n'],
      ['STDOUT', 'via console 42\n'],
    ]);
  });
});
