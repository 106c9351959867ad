// The files the SDK's reflection serves: made whole from what proto-loader synthesises
// from a JSON descriptor (relative type names, no imports, no json_name), and the
// embedded reflection protos kept current with the installed @grpc/reflection.
import * as protoLoader from '@grpc/proto-loader';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { closure, decodeFiles, filesOfDefinition, jsonNameOf, linkImports, serviceNameOf } from '../../src/sdk/reflection-files';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';
// @ts-expect-error: a build script in plain JavaScript, without declarations.
import { buildReflectionSource, OUT } from '../../scripts/gen-sdk-reflection.mjs';

const repoRoot = join(__dirname, '../..');

test('the embedded reflection protos are what the installed @grpc/reflection ships (else: node scripts/gen-sdk-reflection.mjs)', () => {
  assert.equal(readFileSync(join(repoRoot, OUT), 'utf8'), buildReflectionSource());
});

test("json_name follows protoc's rule", () => {
  assert.deepEqual(
    ['message', 'file_by_filename', 'a__b', 'x_1y', 'trailing_', '_lead'].map(jsonNameOf),
    ['message', 'fileByFilename', 'aB', 'x1y', 'trailing', 'Lead'],
  );
});

const json = {
  nested: {
    shop: {
      nested: {
        Store: { methods: { Buy: { requestType: 'Order', responseType: 'common.Receipt' } } },
        Order: {
          fields: { line_item: { type: 'Item', id: 1 }, at: { type: 'google.protobuf.Timestamp', id: 2 } },
          nested: { Item: { fields: { sku: { type: 'string', id: 1 } } } },
        },
      },
    },
    common: { nested: { Receipt: { fields: { total_cents: { type: 'int64', id: 1 } } } } },
    google: { nested: { protobuf: { nested: { Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } } } } } },
  },
};

test('linkImports qualifies every type name, adds the imports and fills json_name; closure sends just what a service needs', () => {
  const definition = protoLoader.fromJSON(json as never)['shop.Store'] as never;
  assert.equal(serviceNameOf(definition), 'shop.Store');
  const files = decodeFiles(filesOfDefinition(definition));
  assert.deepEqual([...files.keys()].sort(), ['common.proto', 'google/protobuf/timestamp.proto', 'shop.proto']);
  linkImports(files);
  const shop = files.get('shop.proto')!;
  assert.deepEqual([...shop.dependency].sort(), ['common.proto', 'google/protobuf/timestamp.proto']);
  const order = shop.messageType!.find((m) => m.name === 'Order')!;
  assert.deepEqual(
    order.field!.map((f) => [f.name, f.typeName, f.jsonName]),
    [['line_item', '.shop.Order.Item', 'lineItem'], ['at', '.google.protobuf.Timestamp', 'at']],
  );
  const buy = shop.service![0]!.method![0]!;
  assert.deepEqual([buy.inputType, buy.outputType], ['.shop.Order', '.common.Receipt']);
  assert.deepEqual(files.get('common.proto')!.dependency, []);

  const sent = closure(files, ['common.proto']).map((bytes) => (FileDescriptorProto.decode(bytes) as unknown as { name: string }).name);
  assert.deepEqual(sent, ['common.proto']);
  assert.equal(closure(files, ['shop.proto']).length, 3);
});

test('the first file of a name wins, so one source describes each file', () => {
  const first = FileDescriptorProto.encode({ name: 'a.proto', package: 'first' }).finish();
  const second = FileDescriptorProto.encode({ name: 'a.proto', package: 'second' }).finish();
  assert.equal(decodeFiles([first, second]).get('a.proto')!.package, 'first');
});
