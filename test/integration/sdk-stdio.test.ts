// The SDK's StdioForwarder behind a real grpc-js server and client: bounded buffering
// before the host connects, and interception of process.stdout/stderr writes.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StdioClient, StdioService, type StdioData } from '../../src/proto';
import { bindPluginListener, type BoundAddress } from '../../src/sdk/listener';
import { STDIO_BUFFER_LIMIT, StdioForwarder } from '../../src/sdk/stdio';
import { waitFor } from '../helpers/plugins';
import { dialTarget } from './sdk-harness';

let forwarder: StdioForwarder;
let server: grpc.Server;
let bound: BoundAddress;
let client: InstanceType<typeof StdioClient>;

before(async () => {
  forwarder = new StdioForwarder();
  server = new grpc.Server();
  server.addService(StdioService, forwarder.implementation());
  bound = await bindPluginListener(server, grpc.ServerCredentials.createInsecure(), {});
  client = new StdioClient(dialTarget(bound.network, bound.address), grpc.credentials.createInsecure());
});

after(() => {
  client.close();
  server.forceShutdown();
  bound.cleanup();
});

/** Opens StreamStdio like a host and collects chunks until the one `isLast` accepts. */
function receive(isLast: (chunk: StdioData) => boolean): Promise<StdioData[]> {
  const stream = client.StreamStdio({});
  const chunks: StdioData[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stopped after ${chunks.length} chunks`)), 5_000);
    stream.on('error', (err: grpc.ServiceError) => (err.code === grpc.status.CANCELLED ? undefined : reject(err)));
    stream.on('data', (chunk: StdioData) => {
      chunks.push(chunk);
      if (isLast(chunk)) {
        clearTimeout(timer);
        stream.cancel();
        resolve(chunks);
      }
    });
  });
}

describe('StdioForwarder over gRPC', () => {
  test('keeps only the newest 1 MiB written before the host connects', async () => {
    forwarder.push('STDOUT', Buffer.alloc(STDIO_BUFFER_LIMIT, 'x'));
    forwarder.push('STDERR', Buffer.from('newest'));
    const chunks = await receive((c) => c.data.toString() === 'newest');
    const total = chunks.reduce((n, c) => n + c.data.length, 0);
    assert.ok(total <= STDIO_BUFFER_LIMIT, `${total} bytes kept`);
    assert.ok(chunks.every((c) => c.data.length <= 1024));
    assert.deepEqual([chunks.at(-1)!.channel, chunks.at(-1)!.data.toString()], ['STDERR', 'newest']);
    // The next test's writes must not go to this cancelled stream: wait until the server saw the cancel.
    await waitFor(() => forwarder['stream'] === undefined, 'the server to notice the cancelled stream');
  });

  test('forwards process.stdout, process.stderr and console writes while capturing', async () => {
    const receiving = receive((c) => c.data.toString().startsWith('via console'));
    await new Promise((resolve) => setTimeout(resolve, 50)); // Let the stream open; writes before it are buffered anyway.
    let callbackRan = false;
    forwarder.capture();
    try {
      process.stdout.write('to stdout\n');
      process.stderr.write(Buffer.from('to stderr\n'), () => (callbackRan = true));
      console.log('via console %d', 42);
    } finally {
      forwarder.release();
    }
    const chunks = await receiving;
    assert.ok(callbackRan, 'write callbacks still run');
    assert.deepEqual(chunks.map((c) => [c.channel, c.data.toString()]), [
      ['STDOUT', 'to stdout\n'],
      ['STDERR', 'to stderr\n'],
      ['STDOUT', 'via console 42\n'],
    ]);
  });
});
