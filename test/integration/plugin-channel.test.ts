// The node:http2 client (src/host/plugin-channel.ts) against real HTTP/2 servers on
// real unix sockets that answer the way broken or unusual gRPC servers do: each failure
// must come back with the status grpc-js would report, and every call must settle.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as http2 from 'node:http2';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Status, type CallFailure } from '../../src/host/grpc-status';
import { PluginChannel } from '../../src/host/plugin-channel';
import { tempDir } from '../helpers/temp';

const dir = tempDir('plugin-channel-');
const servers: http2.Http2Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** An HTTP/2 server on a fresh unix socket; `onStream` gets each stream as it opens. */
async function listen(onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void): Promise<string> {
  const path = join(dir, `s${servers.length}`);
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    onStream(stream, headers);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

/** A server whose `handle` answers each stream once its request body has been read. */
function serve(handle: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, body: Buffer) => void): Promise<string> {
  return listen((stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => handle(stream, headers, Buffer.concat(chunks)));
  });
}

function framed(message: Buffer, flag = 0): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out[0] = flag;
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

async function callFails(path: string, expected: { code: number; details?: RegExp }, options: { deadlineMs?: number; signal?: AbortSignal } = {}) {
  const channel = new PluginChannel('unix', path);
  try {
    await assert.rejects(channel.call('/pkg.Svc/Method', Buffer.from('req'), { deadline: Date.now() + (options.deadlineMs ?? 5000), signal: options.signal }), (e: unknown) => {
      const failure = e as CallFailure;
      assert.equal(failure.code, expected.code, `got ${failure.code} ${failure.details}`);
      if (expected.details) assert.match(failure.details, expected.details);
      return true;
    });
  } finally {
    channel.close();
  }
}

describe('PluginChannel', () => {
  it('sends one framed message with gRPC headers and returns the reply', async () => {
    let seen: { headers: http2.IncomingHttpHeaders; body: Buffer } | undefined;
    const path = await serve((stream, headers, body) => {
      seen = { headers, body };
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(framed(Buffer.from('reply')));
    });
    const channel = new PluginChannel('unix', path);
    try {
      const reply = await channel.call('/pkg.Svc/Method', Buffer.from('request'), { deadline: Date.now() + 5000 });
      assert.equal(Buffer.from(reply).toString(), 'reply');
    } finally {
      channel.close();
    }
    assert.equal(seen?.headers[':path'], '/pkg.Svc/Method');
    assert.equal(seen?.headers[':authority'], 'localhost');
    assert.equal(seen?.headers['content-type'], 'application/grpc');
    assert.equal(seen?.headers.te, 'trailers');
    assert.match(String(seen?.headers['grpc-timeout']), /^\d{1,8}m$/);
    assert.deepEqual(seen?.body, framed(Buffer.from('request')));
  });

  it('a trailers-only error carries its code and the percent-decoded message', async () => {
    const path = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '3', 'grpc-message': 'bad %C3%A9 name%' }, { endStream: true });
    });
    await callFails(path, { code: Status.INVALID_ARGUMENT, details: /^bad é name%$/ });
  });

  it('a response that is not gRPC maps its HTTP status as the gRPC spec says (404 is UNIMPLEMENTED)', async () => {
    const path = await serve((stream) => {
      stream.respond({ ':status': 404, 'content-type': 'text/plain' });
      stream.end('not found');
    });
    await callFails(path, { code: Status.UNIMPLEMENTED, details: /HTTP status code 404/ });
  });

  it('a compressed reply the call did not ask for is INTERNAL', async () => {
    const path = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(framed(Buffer.from('x'), 1));
    });
    await callFails(path, { code: Status.INTERNAL, details: /compressed/ });
  });

  it('a reply whose length prefix does not match its body is INTERNAL', async () => {
    const path = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(framed(Buffer.from('reply')).subarray(0, 7));
    });
    await callFails(path, { code: Status.INTERNAL, details: /does not match/ });
  });

  it('a server that resets the stream with CANCEL is CANCELLED (a go-plugin server enforcing the deadline)', async () => {
    const path = await serve((stream) => stream.close(http2.constants.NGHTTP2_CANCEL));
    await callFails(path, { code: Status.CANCELLED });
  });

  it('a server that never answers fails with DEADLINE_EXCEEDED at the deadline, and the stream is reset', async () => {
    let reset: Promise<boolean> | undefined;
    const path = await serve((stream) => {
      reset = new Promise((resolve) => stream.on('close', () => resolve(stream.aborted)));
    });
    const started = Date.now();
    await callFails(path, { code: Status.DEADLINE_EXCEEDED }, { deadlineMs: 200 });
    assert.ok(Date.now() - started >= 195, 'failed before the deadline');
    assert.equal(await reset, true, 'the server saw the stream end normally, not reset');
  });

  it('aborting the signal cancels the call', async () => {
    const path = await serve(() => undefined);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    await callFails(path, { code: Status.CANCELLED, details: /Cancelled on client/ }, { signal: abort.signal });
  });

  it('nothing listening at the address is UNAVAILABLE', async () => {
    await callFails(join(dir, 'nobody-here'), { code: Status.UNAVAILABLE, details: /ENOENT/ });
  });

  it('a server that closes the connection mid-call is UNAVAILABLE', async () => {
    const path = await serve((stream) => stream.session?.destroy());
    await callFails(path, { code: Status.UNAVAILABLE });
  });

  it('a unary reply with two messages is UNIMPLEMENTED, as grpc-js reports it', async () => {
    const path = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.concat([framed(Buffer.from('one')), framed(Buffer.from('two'))]));
    });
    await callFails(path, { code: Status.UNIMPLEMENTED, details: /Too many responses received/ });
  });

  it('OK without a message, and a stream ended without any status, get grpc-js\'s codes', async () => {
    const okEmpty = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '0' }, { endStream: true });
    });
    await callFails(okEmpty, { code: Status.UNIMPLEMENTED, details: /^No message received$/ });
    const noStatus = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.end(framed(Buffer.from('reply')));
    });
    await callFails(noStatus, { code: Status.INTERNAL, details: /Call ended without gRPC status/ });
  });

  it('a deadline beyond 8 digits of milliseconds is sent in a larger unit, and one already past sends nothing', async () => {
    const seen: (string | undefined)[] = [];
    const path = await serve((stream, headers) => {
      seen.push(headers['grpc-timeout'] as string | undefined);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(framed(Buffer.from('reply')));
    });
    const channel = new PluginChannel('unix', path);
    try {
      await channel.call('/pkg.Svc/Method', Buffer.from('x'), { deadline: Date.now() + 72 * 3_600_000 });
      assert.match(String(seen[0]), /^2592\d\dS$/);
      await assert.rejects(channel.call('/pkg.Svc/Method', Buffer.from('x'), { deadline: Date.now() - 1 }), (e: CallFailure) => e.code === Status.DEADLINE_EXCEEDED);
      await channel.call('/pkg.Svc/Method', Buffer.from('x'), { deadline: Date.now() + 5000 });
      assert.equal(seen.length, 2, 'the call whose deadline had passed reached the server');
    } finally {
      channel.close();
    }
  });

  it('requests a server answered without reading do not use up the connection (node:http2 counts them against its session memory)', async () => {
    // A plugin that answers before reading, as grpc-js servers do for a method they lack.
    const path = await listen((stream, headers) => {
      if (headers[':path'] === '/pkg.Svc/Nope') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'nope' }, { endStream: true });
        return;
      }
      stream.resume();
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(framed(Buffer.from('ok')));
      });
    });
    const channel = new PluginChannel('unix', path);
    try {
      for (let i = 0; i < 4; i++) {
        await assert.rejects(channel.call('/pkg.Svc/Nope', Buffer.alloc(3 << 20), { deadline: Date.now() + 10_000 }), (e: CallFailure) => e.code === Status.UNIMPLEMENTED);
      }
      const reply = await channel.call('/pkg.Svc/Echo', Buffer.from('small'), { deadline: Date.now() + 10_000 });
      assert.equal(Buffer.from(reply).toString(), 'ok');
    } finally {
      channel.close();
    }
  });
});

describe('PluginChannel streams', () => {
  /** Runs a streaming call to completion: the replies and how it ended. */
  function collect(channel: PluginChannel, requests: Buffer[]): Promise<{ replies: string[]; failure?: CallFailure }> {
    return new Promise((resolve) => {
      const replies: string[] = [];
      const call = channel.stream('/pkg.Svc/Stream', {
        onMessage: (m) => replies.push(Buffer.from(m).toString()),
        onEnd: (failure) => resolve({ replies, failure }),
      });
      for (const r of requests) call.write(r);
      call.end();
    });
  }

  it('reads every message of a server stream, however the body is cut into chunks, then the OK status', async () => {
    const body = Buffer.concat(['a', 'bb', '', 'x'.repeat(70_000)].map((m) => framed(Buffer.from(m))));
    const path = await serve(async (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      // Cuts inside a header and inside a message, written as separate DATA frames.
      for (const [from, to] of [[0, 3], [3, 8], [8, 14], [14, 20_000], [20_000, body.length]]) {
        stream.write(body.subarray(from, to));
        await new Promise((r) => setImmediate(r));
      }
      stream.end();
    });
    const channel = new PluginChannel('unix', path);
    try {
      const { replies, failure } = await collect(channel, [Buffer.from('go')]);
      assert.equal(failure, undefined);
      assert.deepEqual(replies.map((r) => r.length), [1, 2, 0, 70_000]);
    } finally {
      channel.close();
    }
  });

  it('both ways: each request is answered on the same stream while it stays open', async () => {
    const path = await listen((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.on('data', (chunk: Buffer) => stream.write(framed(Buffer.from(`echo ${chunk.subarray(5).toString()}`))));
      stream.on('end', () => stream.end());
    });
    const channel = new PluginChannel('unix', path);
    try {
      const replies: string[] = [];
      let ended: ((failure?: CallFailure) => void) | undefined;
      const done = new Promise<CallFailure | undefined>((resolve) => (ended = resolve));
      const call = channel.stream('/pkg.Svc/Both', { onMessage: (m) => replies.push(Buffer.from(m).toString()), onEnd: (f) => ended!(f) });
      for (const word of ['one', 'two']) {
        const before = replies.length;
        call.write(Buffer.from(word));
        while (replies.length === before) await new Promise((r) => setTimeout(r, 5));
      }
      call.end();
      assert.equal(await done, undefined);
      assert.deepEqual(replies, ['echo one', 'echo two']);
    } finally {
      channel.close();
    }
  });

  it('a server that ends a call we have not half-closed ends it for both sides: a grpc-js server\'s graceful stop does not wait on us', async () => {
    // grpc-js's server (the Node SDK's) keeps a stream open until the client half-closes it too.
    const server = new grpc.Server();
    const identity = (b: Buffer) => b;
    const both = { path: '/pkg.Svc/Both', requestStream: true, responseStream: true, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity };
    server.addService({ Both: both } as grpc.ServiceDefinition, {
      Both: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
        call.write(Buffer.from('bye'));
        call.end();
      },
    });
    const path = join(dir, `grpc-js-${servers.length}`);
    await new Promise<void>((resolve, reject) => server.bindAsync(`unix:${path}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
    const channel = new PluginChannel('unix', path);
    try {
      const ended = await Promise.race([
        new Promise<{ replies: string[]; failure?: CallFailure }>((resolve) => {
          const replies: string[] = [];
          channel.stream('/pkg.Svc/Both', { onMessage: (m) => replies.push(Buffer.from(m).toString()), onEnd: (failure) => resolve({ replies, failure }) });
        }),
        new Promise((resolve) => setTimeout(() => resolve('the call did not end within 2 s'), 2000)),
      ]);
      assert.deepEqual(ended, { replies: ['bye'], failure: undefined });
      const stopped = await Promise.race([
        new Promise((resolve) => server.tryShutdown(() => resolve('stopped'))),
        new Promise((resolve) => setTimeout(() => resolve('still waiting for the client after 2 s'), 2000)),
      ]);
      assert.equal(stopped, 'stopped');
    } finally {
      channel.close();
      server.forceShutdown();
    }
  });

  it('a stream that ends with an error status reports it after the messages before it', async () => {
    const path = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '9', 'grpc-message': 'no more' }));
      stream.end(framed(Buffer.from('first')));
    });
    const channel = new PluginChannel('unix', path);
    try {
      const { replies, failure } = await collect(channel, []);
      assert.deepEqual(replies, ['first']);
      assert.equal(failure?.code, Status.FAILED_PRECONDITION);
      assert.equal(failure?.details, 'no more');
    } finally {
      channel.close();
    }
  });

  it('nothing is reported after the end: a handler that cancels on the first of five messages in one DATA frame sees no more', async () => {
    const path = await listen((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.write(Buffer.concat([1, 2, 3, 4, 5].map((i) => framed(Buffer.from(`m${i}`)))));
    });
    const channel = new PluginChannel('unix', path);
    try {
      const events = await new Promise<string[]>((resolve) => {
        const seen: string[] = [];
        const call = channel.stream('/pkg.Svc/Stream', {
          onMessage: (m) => {
            seen.push(Buffer.from(m).toString());
            call.cancel();
          },
          onEnd: (failure) => {
            seen.push(`end ${failure?.code}`);
            setTimeout(() => resolve(seen), 100);
          },
        });
        call.end();
      });
      assert.deepEqual(events, ['m1', `end ${Status.CANCELLED}`]);
    } finally {
      channel.close();
    }
  });

  it('a message handler that throws ends the call with INTERNAL and resets the stream', async () => {
    let reset: Promise<boolean> | undefined;
    const path = await serve((stream) => {
      reset = new Promise((resolve) => stream.on('close', () => resolve(stream.aborted)));
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.write(framed(Buffer.from('boom')));
    });
    const channel = new PluginChannel('unix', path);
    try {
      const failure = await new Promise<CallFailure | undefined>((resolve) => {
        const call = channel.stream('/pkg.Svc/Stream', {
          onMessage: () => {
            throw new Error('bad message');
          },
          onEnd: resolve,
        });
        call.end();
      });
      assert.equal(failure?.code, Status.INTERNAL);
      assert.match(failure?.details ?? '', /handling a reply failed: bad message/);
      assert.equal(await reset, true);
    } finally {
      channel.close();
    }
  });

  it('a call on a closed channel ends with UNAVAILABLE, and cancel() after the end reports nothing more', async () => {
    const path = await serve(() => undefined);
    const channel = new PluginChannel('unix', path);
    channel.close();
    const ends: (CallFailure | undefined)[] = [];
    await new Promise<void>((resolve) => {
      const call = channel.stream('/pkg.Svc/Stream', {
        onEnd: (f) => {
          ends.push(f);
          call.cancel();
          resolve();
        },
      });
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(ends.length, 1);
    assert.equal(ends[0]?.code, Status.UNAVAILABLE);
  });
});
