// Request JSON against descriptors compiled from the fixture's .proto with protobufjs:
// positions, paths and the canonical mapping, without a plugin process (the same errors
// through a real plugin are in test/integration/explorer-calls.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toJson } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { compileProtoFiles, isExplorerError, parseRequestJson } from '../../src/explorer';
import { registryFromFiles } from '../../src/explorer/descriptor-set';
import { positionAt } from '../../src/explorer/request-json';

const registry = registryFromFiles(
  compileProtoFiles({ protoFiles: ['explorer_fixture.proto'], importPaths: [join(__dirname, '../fixtures/explorer/proto')] }),
);
const sample = registry.getMessage('explorer.fixture.Sample')!;
const context = { plugin: 'p', method: 'explorer.fixture.Fixture/Echo', registry };

describe('explorer request JSON', () => {
  it('compiles the fixture with protoc\'s JSON names and fully qualified types', () => {
    const count = registry.getMessage('explorer.fixture.CountRequest')!;
    assert.deepEqual(count.fields.map((f) => f.jsonName), ['count', 'intervalMs']);
    const extra = sample.fields.find((f) => f.name === 'extra')!;
    assert.equal(extra.fieldKind === 'message' && extra.message.typeName, 'google.protobuf.Struct');
    assert.equal(registry.getService('explorer.fixture.Fixture')!.methods.find((m) => m.name === 'Fail')!.output.typeName, 'google.protobuf.Empty');
  });

  it('an empty request is the empty message', () => {
    assert.deepEqual(toJson(sample, parseRequestJson('  \n', sample, context)), {});
  });

  it('positions are 1-based line and column', () => {
    assert.deepEqual(positionAt('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(positionAt('ab\ncd', 4), { line: 2, column: 2 });
    assert.deepEqual(positionAt('ab\n', 3), { line: 2, column: 1 });
  });

  it('reports where the JSON breaks: trailing commas, comments and truncation are errors', () => {
    for (const [text, line, column] of [
      ['{"text": "a",}', 1, 14],
      ['{\n  // note\n  "text": "a"\n}', 2, 3],
      ['{"text": "a"', 1, 13],
      ['[1', 1, 3],
    ] as const) {
      assert.throws(() => parseRequestJson(text, sample, context), (e) => {
        assert.ok(isExplorerError(e));
        assert.equal(e.code, 'REQUEST_JSON_SYNTAX', text);
        assert.deepEqual(e.details.position, { line, column }, text);
        return true;
      });
    }
  });

  it('a top-level value that is not an object is the wrong type at $', () => {
    assert.throws(() => parseRequestJson('[]', sample, context), (e) => isExplorerError(e) && e.code === 'WRONG_VALUE_TYPE' && e.details.path === '$');
  });

  it('any int64 survives exactly, written as a string or (when safe) a number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const json = toJson(sample, parseRequestJson(JSON.stringify({ big: n.toString() }), sample, context)) as { big?: string };
        assert.equal(json.big ?? '0', n.toString());
        if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) {
          const fromNumber = toJson(sample, parseRequestJson(`{"big": ${n}}`, sample, context)) as { big?: string };
          assert.equal(fromNumber.big ?? '0', n.toString());
        }
      }),
    );
  });

  it('an out-of-range value the walk lets through is reported by the library, as a wrong value', () => {
    assert.throws(() => parseRequestJson('{"small": 4294967296}', sample, context), (e) => {
      assert.ok(isExplorerError(e));
      assert.equal(e.code, 'WRONG_VALUE_TYPE');
      assert.match(e.message, /small/);
      return true;
    });
  });
});
