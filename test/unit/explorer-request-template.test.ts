// Request templates and JSON Schemas generated from descriptors (for a request editor):
// every template is a valid request, and the schema names each field, type and enum value.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toJson } from '@bufbuild/protobuf';
import { compileProtoFiles, parseRequestJson, requestJsonSchema, requestTemplate } from '../../src/explorer';
import { registryFromFiles } from '../../src/explorer/descriptor-set';

const registry = registryFromFiles(
  compileProtoFiles({ protoFiles: ['explorer_fixture.proto'], importPaths: [join(__dirname, '../fixtures/explorer/proto')] }),
);
const sample = registry.getMessage('explorer.fixture.Sample')!;

describe('request templates', () => {
  it('put every field at its default: 64-bit as strings, the first enum value, one member per oneof', () => {
    const template = requestTemplate(sample) as Record<string, unknown>;
    assert.equal(template.text, '');
    assert.equal(template.big, '0');
    assert.equal(template.small, 0);
    assert.equal(template.flag, false);
    assert.equal(template.color, 'COLOR_UNSPECIFIED');
    assert.deepEqual(template.tags, []);
    assert.deepEqual(template.counts, {});
    assert.equal(template.at, '1970-01-01T00:00:00Z');
    assert.equal(template.took, '0s');
    assert.deepEqual(template.extra, {});
    assert.ok('label' in template && !('number' in template), 'only the first member of the oneof');
    assert.equal(template.note, '', 'a proto3 optional field is its own, not a oneof');
    // The recursive child stops after a few levels.
    assert.deepEqual(((template.child as Record<string, unknown>).child as Record<string, unknown>).child, {});
  });

  it('every template of every message is a request the parser accepts', () => {
    for (const file of registry.files) {
      for (const message of file.messages) {
        const template = requestTemplate(message);
        const parsed = parseRequestJson(JSON.stringify(template), message, { plugin: 'p', method: 'm', registry });
        assert.ok(toJson(message, parsed, { registry }) !== undefined, message.typeName);
      }
    }
  });
});

describe('request JSON Schemas', () => {
  it('describe fields by JSON and proto name, types, enum values, and recursion by reference', () => {
    const schema = requestJsonSchema(registry.getMessage('explorer.fixture.CountRequest')!) as {
      $ref: string;
      definitions: Record<string, { properties: Record<string, unknown>; additionalProperties: boolean }>;
    };
    assert.equal(schema.$ref, '#/definitions/explorer.fixture.CountRequest');
    const count = schema.definitions['explorer.fixture.CountRequest'];
    assert.deepEqual(Object.keys(count.properties), ['count', 'intervalMs', 'interval_ms']);
    assert.equal(count.additionalProperties, false);

    const full = requestJsonSchema(sample) as { definitions: Record<string, { properties: Record<string, { anyOf: object[] }> }> };
    const props = full.definitions['explorer.fixture.Sample'].properties;
    assert.deepEqual(props.color.anyOf[0], { anyOf: [{ enum: ['COLOR_UNSPECIFIED', 'RED', 'GREEN'] }, { type: 'integer' }] });
    assert.deepEqual(props.child.anyOf[0], { $ref: '#/definitions/explorer.fixture.Sample' });
    assert.deepEqual(full.definitions['google.protobuf.Timestamp'], {
      type: 'string',
      format: 'date-time',
      description: 'RFC 3339, e.g. 2024-01-02T03:04:05Z',
    });
    assert.ok(full.definitions['explorer.fixture.Sample.Part'], 'map values are defined too');
  });
});
