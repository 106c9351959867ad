// .proto files compiled at run time (`--proto`, "protoFiles") keep each file's own rules:
// a proto2 file's required fields, defaults and explicit presence, a field's [json_name];
// and request JSON is held to proto3 JSON's rules where they are strict.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toBinary } from '@bufbuild/protobuf';
import { callMethod, compileProtoFiles, isExplorerError, parseRequestJson, PluginCatalog, toProtoSyntax } from '../../src/explorer';
import { registryFromFiles } from '../../src/explorer/descriptor-set';
import type { PluginClient } from '../../src/host';

const files = compileProtoFiles({ protoFiles: ['modern.proto'], importPaths: [join(__dirname, '../fixtures/explorer/proto2')] });
const catalog = new PluginCatalog('p', registryFromFiles(files), ['modern.v3.Modernity'], { kind: 'protoFiles', files: ['modern.proto'] });
const legacy = catalog.registry.getMessage('legacy.v2.Legacy')!;
const modern = catalog.registry.getMessage('modern.v3.Modern')!;
const context = (method: string) => ({ plugin: 'p', method, registry: catalog.jsonRegistry });

function rejects(text: string, pattern: RegExp): void {
  assert.throws(() => parseRequestJson(text, modern, context('modern.v3.Modernity/X')), (e: unknown) => isExplorerError(e) && pattern.test(e.message));
}

describe('.proto files compiled at run time', () => {
  it('a proto2 file stays proto2: required label, its defaults, and a field set to its zero value is sent', () => {
    const file = files.find((f) => f.package === 'legacy.v2')!;
    assert.equal(file.syntax, 'proto2');
    assert.deepEqual(file.messageType[0].field.map((f) => [f.name, f.label, f.defaultValue]), [['id', 2, ''], ['name', 1, 'x'], ['kind', 1, 'TWO']]);
    assert.equal(files.find((f) => f.package === 'modern.v3')!.syntax, 'proto3');
    // kind ZERO differs from the default TWO, and presence is explicit: it must go on the wire (18 00).
    const request = parseRequestJson('{"id": 1, "kind": "ZERO"}', legacy, context('modern.v3.Modernity/Legacy'));
    assert.deepEqual([...toBinary(legacy, request)], [0x08, 0x01, 0x18, 0x00]);
  });

  it('a field\'s [json_name] is its JSON key, as protoc and reflection have it', () => {
    assert.equal(modern.fields.find((f) => f.name === 'json_name_override')!.jsonName, 'custom');
    assert.equal(parseRequestJson('{"custom": "x"}', modern, context('modern.v3.Modernity/X')).$typeName, 'modern.v3.Modern');
  });

  it('a request without a proto2 required field is refused before anything is sent, naming the field', async () => {
    const plugin = { name: 'p' } as unknown as PluginClient; // never reached: nothing may be sent
    await assert.rejects(callMethod(plugin, catalog, 'modern.v3.Modernity/Legacy', '{"name": "n"}'), (e: unknown) =>
      isExplorerError(e) && e.code === 'WRONG_VALUE_TYPE' && /legacy\.v2\.Legacy\.id.*required field not set.*Add the field to the request JSON/.test(e.message),
    );
  });

  it('request JSON follows proto3 JSON: repeated keys, hex and padded float strings refused; integral strings and NullValue lists accepted', () => {
    rejects('{"text": "a", "text": "b"}', /has the key "text" twice in one object \(again at line 1, column 15\)/);
    rejects('{"ratio": "0x10"}', /must be a number \(double\)/);
    rejects('{"ratio": " 1"}', /must be a number \(double\)/);
    rejects('{"small": "1.5"}', /must be an integer \(int32/);
    assert.equal((parseRequestJson('{"small": "1e3", "ratio": "2.5e-1"}', modern, context('m')) as unknown as { small: number }).small, 1000);
    assert.deepEqual((parseRequestJson('{"nulls": [null, "NULL_VALUE"]}', modern, context('m')) as unknown as { nulls: number[] }).nulls, [0, 0]);
  });

  it('an extension is written as proto3 JSON writes it, "[full.name]"', () => {
    const request = parseRequestJson('{"id": 1, "[legacy.v2.note]": "hi"}', legacy, context('modern.v3.Modernity/Legacy'));
    assert.deepEqual([...toBinary(legacy, request)], [0x08, 0x01, 0xa2, 0x06, 0x02, 0x68, 0x69]); // field 100, "hi"
    assert.throws(() => parseRequestJson('{"id": 1, "[legacy.v2.nope]": 1}', legacy, context('m')), /unknown field "\[legacy\.v2\.nope\]"/);
  });

  it('an Any may hold a well-known type the plugin\'s files never import', () => {
    const request = parseRequestJson('{"payload": {"@type": "type.googleapis.com/google.protobuf.FieldMask", "value": "a.b"}}', modern, context('m'));
    assert.equal((request as unknown as { payload: { typeUrl: string } }).payload.typeUrl, 'type.googleapis.com/google.protobuf.FieldMask');
  });
});

describe('describe of compiled .proto files', () => {
  it('prints proto2 labels and defaults, a custom json_name and enum aliases, as a .proto file would have them', () => {
    assert.equal(
      toProtoSyntax(legacy),
      '// legacy.v2.Legacy\nmessage Legacy {\n  required int32 id = 1;\n  optional string name = 2 [default = "x"];\n  optional legacy.v2.Kind kind = 3 [default = TWO];\n}\n',
    );
    assert.match(toProtoSyntax(modern), /^  string json_name_override = 1 \[json_name = "custom"\];$/m);
    assert.match(toProtoSyntax(modern), /^  int32 small = 5;$/m);
    assert.equal(toProtoSyntax(catalog.registry.getEnum('modern.v3.Mood')!), '// modern.v3.Mood\nenum Mood {\n  option allow_alias = true;\n  CALM = 0;\n  QUIET = 0;\n}\n');
  });
});
