// Property tests of the hand-picked wire codecs the node:http2 Greet uses (greet-wire.ts,
// health-wire.ts): for any text they write exactly the bytes the grpc-js path's protobufjs
// serializers write, and read back what those serializers wrote.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeGreeting, encodePerson } from '../../src/greeter/greet-wire';
import { decodeHealthCheckStatus, encodeHealthCheckRequest } from '../../src/host/health-wire';
import { GreeterService, HealthService } from '../../src/proto';
import { fuzzParameters } from '../fuzz/runs';

const text = fc.string({ unit: 'binary', maxLength: 200 });

test('Person: the same bytes as the protobufjs serializer, for any name', () => {
  fc.assert(
    fc.property(text, (name) => {
      assert.deepEqual(Buffer.from(encodePerson(name)), GreeterService.Greet.requestSerialize({ name }));
    }),
    fuzzParameters(),
  );
});

test('Greeting: reads what the protobufjs serializer wrote, for any message', () => {
  fc.assert(
    fc.property(text, (message) => {
      assert.equal(decodeGreeting(GreeterService.Greet.responseSerialize({ message })), message);
    }),
    fuzzParameters(),
  );
});

test('Greeting: fields it does not know are skipped, and the last "message" wins', () => {
  const unknownThenTwoMessages = Buffer.from([0x10, 0x96, 0x01, 0x0a, 0x01, 0x61, 0x1a, 0x00, 0x0a, 0x02, 0x68, 0x69]);
  assert.equal(decodeGreeting(unknownThenTwoMessages), 'hi');
  assert.equal(decodeGreeting(new Uint8Array(0)), '');
});

test('health check: the request for "plugin" and every serving status, as protobufjs has them', () => {
  assert.deepEqual(Buffer.from(encodeHealthCheckRequest('plugin')), HealthService.Check.requestSerialize({ service: 'plugin' }));
  for (const status of ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN']) {
    assert.equal(decodeHealthCheckStatus(HealthService.Check.responseSerialize({ status })), status);
  }
  assert.equal(decodeHealthCheckStatus(Buffer.from([0x08, 0x07])), '7', 'a status this host does not know is shown by number');
});
