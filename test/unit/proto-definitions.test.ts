// src/proto builds its grpc-js definitions with protobufjs alone (proto-loader's descriptor
// encoding cost every process 20–40 ms at start). These pin what the services must keep:
// proto-loader's wire bytes and message shapes, its descriptors for reflection, and that
// loading src/proto does not build them.
import * as protoLoader from '@grpc/proto-loader';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { serviceDefinition } from '../../src/proto';
import { protoDescriptorJson } from '../../src/proto/descriptors.generated';

const SERVICES = ['tutorial.Greeter', 'grpc.health.v1.Health', 'plugin.GRPCController', 'plugin.GRPCStdio', 'plugin.GRPCBroker'];

const loaderDefinition = () =>
  protoLoader.fromJSON(protoDescriptorJson as unknown as Record<string, unknown>, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });

/** Every message the five services carry, filled, half filled and empty. */
const SAMPLES: Record<string, unknown>[] = [
  {},
  { name: 'Alice' },
  { message: 'hello Alice' },
  { service: 'plugin' },
  { status: 'SERVING' },
  { status: 3 },
  { channel: 'STDERR', data: Buffer.from('line\n') },
  { service_id: 7, network: 'unix', address: '/tmp/x/plugin1', knock: { knock: true, ack: false, error: '' } },
  { service_id: 3 },
];

type Method = Record<string, unknown> & {
  requestSerialize(v: unknown): Buffer;
  requestDeserialize(b: Buffer): Record<string, unknown>;
  responseSerialize(v: unknown): Buffer;
  responseDeserialize(b: Buffer): Record<string, unknown>;
};

test("every service has proto-loader's methods, paths, wire bytes and decoded shapes (enums as names, bytes as Buffer, defaults filled)", () => {
  const loader = loaderDefinition();
  for (const name of SERVICES) {
    const expected = loader[name] as unknown as Record<string, Method>;
    const actual = serviceDefinition(name) as unknown as Record<string, Method>;
    assert.deepEqual(Object.keys(actual), Object.keys(expected), name);
    for (const [methodName, want] of Object.entries(expected)) {
      const got = actual[methodName];
      for (const key of ['path', 'requestStream', 'responseStream', 'originalName']) assert.equal(got[key], want[key], `${name}.${methodName}.${key}`);
      for (const sample of SAMPLES) {
        for (const side of ['request', 'response'] as const) {
          const bytes = got[`${side}Serialize`](sample);
          assert.deepEqual(Buffer.from(bytes), Buffer.from(want[`${side}Serialize`](sample)), `${name}.${methodName} ${side} bytes`);
          const decoded = got[`${side}Deserialize`](bytes);
          assert.deepEqual(decoded, want[`${side}Deserialize`](bytes), `${name}.${methodName} ${side} shape`);
          if ('data' in decoded) assert.ok(Buffer.isBuffer(decoded.data), 'bytes fields decode as Buffer');
        }
      }
      assert.throws(() => got.requestSerialize([]), /expected object with .* structure, got array instead/);
    }
  }
});

test("requestType and responseType still carry proto-loader's descriptors (the SDK's reflection reads them)", () => {
  const loader = loaderDefinition();
  for (const name of SERVICES) {
    const expected = loader[name] as unknown as Record<string, Method>;
    for (const [methodName, method] of Object.entries(serviceDefinition(name) as unknown as Record<string, Method>)) {
      const want = expected[methodName];
      assert.deepEqual(method.options, want.options, `${name}.${methodName}.options`);
      for (const key of ['requestType', 'responseType']) {
        const [got, exp] = [method[key], want[key]] as Record<string, unknown>[];
        for (const field of ['format', 'type', 'fileDescriptorProtos']) assert.deepEqual(got[field], exp[field], `${name}.${methodName}.${key}.${field}`);
      }
    }
  }
});

test('an unknown or non-service name is refused with the service name in the message', () => {
  assert.throws(() => serviceDefinition('tutorial.Nope'), /no gRPC service tutorial\.Nope in the embedded protos/);
  assert.throws(() => serviceDefinition('tutorial.Person'), /no gRPC service tutorial\.Person/);
});

test('loading src/proto and making its clients does not load @grpc/proto-loader (its descriptors are built on first read only)', () => {
  const script =
    "require('./src/proto');" +
    "const loaded = Object.keys(require.cache).filter((f) => f.includes('@grpc/proto-loader'));" +
    'process.stdout.write(JSON.stringify(loaded));';
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '../..'), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), []);
});
