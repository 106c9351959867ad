// The gRPC message framing of the host's node:http2 client (src/host/grpc-framing.ts): any
// body, cut into chunks anywhere, reads back as the messages written; a large message is
// copied once, not once per chunk; go-plugin's own messages (plugin-wire.ts) round-trip
// through the protobufjs serializers grpc-js uses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { frame, MessageReader } from '../../src/host/grpc-framing';
import { decodeConnInfo, decodeStdioData, encodeConnInfo } from '../../src/host/plugin-wire';
import { BrokerService, StdioService } from '../../src/proto';
import { fuzzParameters } from '../fuzz/runs';

/** Cuts `body` at the given fractions (sorted, deduplicated offsets). */
function cut(body: Buffer, fractions: number[]): Buffer[] {
  const offsets = [...new Set(fractions.map((f) => Math.floor(f * body.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const offset of [...offsets, body.length]) {
    if (offset > from) chunks.push(body.subarray(from, offset));
    from = Math.max(from, offset);
  }
  return chunks;
}

test('any messages, cut into chunks anywhere, read back whole and in order, with nothing left over', () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
      (messages, fractions) => {
        const reader = new MessageReader();
        const read: Buffer[] = [];
        for (const chunk of cut(Buffer.concat(messages.map(frame)), fractions)) {
          const out = reader.push(chunk);
          assert.ok(Array.isArray(out), String(out));
          read.push(...out.map((m) => Buffer.from(m)));
        }
        assert.deepEqual(read, messages.map((m) => Buffer.from(m)));
        assert.equal(reader.leftover(), undefined);
      },
    ),
    fuzzParameters(),
  );
});

test('a 5 MB message in 16 KB chunks is copied about once, not once per chunk', (t) => {
  const message = Buffer.alloc(5 << 20, 7);
  const chunks = cut(frame(message), Array.from({ length: 320 }, (_, i) => (i + 1) / 321));
  let copied = 0;
  const concat = Buffer.concat;
  t.mock.method(Buffer, 'concat', (list: readonly Uint8Array[], length?: number) => {
    copied += length ?? list.reduce((sum, b) => sum + b.length, 0);
    return concat(list, length);
  });
  const reader = new MessageReader();
  const read = chunks.flatMap((chunk) => reader.push(chunk) as Uint8Array[]);
  assert.equal(read.length, 1);
  assert.equal(read[0].length, message.length);
  assert.ok(copied <= 2 * message.length, `copied ${copied} bytes for a ${message.length}-byte message`);
});

test('a compressed message, a cut header and a cut body are reported', () => {
  assert.match(String(new MessageReader().push(Buffer.from([1, 0, 0, 0, 1, 9]))), /compressed/);
  const header = new MessageReader();
  header.push(Buffer.from([0, 0, 0]));
  assert.match(String(header.leftover()), /truncated message header/);
  const body = new MessageReader();
  body.push(frame(Buffer.from('hello')).subarray(0, 7));
  assert.match(String(body.leftover()), /length \(5\) does not match its body \(2 bytes\)/);
});

const connInfo = fc.record({
  service_id: fc.nat({ max: 0xffffffff }),
  network: fc.string({ maxLength: 20 }),
  address: fc.string({ maxLength: 60 }),
  knock: fc.option(fc.record({ knock: fc.boolean(), ack: fc.boolean(), error: fc.string({ maxLength: 20 }) }), { nil: null }),
}).map((info) => ({ ...info, knock: info.knock && { ...info.knock } })); // plain objects, as both codecs make

test('ConnInfo: what we write, protobufjs reads; what protobufjs writes, we read', () => {
  const { requestSerialize, requestDeserialize } = BrokerService.StartStream;
  fc.assert(
    fc.property(connInfo, (info) => {
      assert.deepEqual(requestDeserialize(Buffer.from(encodeConnInfo(info))), info);
      assert.deepEqual(decodeConnInfo(requestSerialize(info)), info);
    }),
    fuzzParameters(),
  );
});

test('StdioData: what protobufjs writes, we read', () => {
  const { responseSerialize } = StdioService.StreamStdio;
  fc.assert(
    fc.property(fc.constantFrom('INVALID', 'STDOUT', 'STDERR'), fc.uint8Array({ maxLength: 200 }), (channel, data) => {
      assert.deepEqual(decodeStdioData(responseSerialize({ channel, data: Buffer.from(data) })), { channel, data: Buffer.from(data) });
    }),
    fuzzParameters(),
  );
});
