// The explorer's vscode-free parts: tree rows from a catalog (internal services hidden,
// icons and tooltips per kind), request files (paths, template, schema, body) and the
// response document's text, on descriptors compiled from the fixture's .proto.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileProtoFiles, PluginCatalog } from '../../src/explorer';
import { registryFromFiles } from '../../src/explorer/descriptor-set';
import { METHOD_KIND_ICONS, methodTooltipText, serviceRows } from '../../src/vscode/explorer/explorer-model';
import { initialRequestText, requestBody, requestFilePaths, requestFileSchema, requestTargetOf } from '../../src/vscode/explorer/request-document';
import { LARGE_RESPONSE_CHARS, ResponseRecord, formatMetadata } from '../../src/vscode/explorer/response-format';

const registry = registryFromFiles(
  compileProtoFiles({ protoFiles: ['explorer_fixture.proto'], importPaths: [join(__dirname, '../fixtures/explorer/proto')] }),
);
const names = ['explorer.fixture.Fixture', 'plugin.GRPCController', 'grpc.health.v1.Health'];
const catalog = new PluginCatalog('fx', registry, names, { kind: 'reflection', version: 'v1' });
const sample = registry.getMessage('explorer.fixture.Sample')!;

describe('explorer tree model', () => {
  it('lists the plugin\'s services and hides go-plugin\'s own unless asked', () => {
    assert.deepEqual(serviceRows(catalog, false).map((s) => s.service), ['explorer.fixture.Fixture']);
    // Internal services without descriptors in this registry are left out; only named ones with descriptors show.
    const all = serviceRows(catalog, true);
    assert.equal(all[0]!.internal, false);
  });

  it('every method has its kind, a codicon per kind and a tooltip with request and response types', () => {
    const methods = serviceRows(catalog, false)[0]!.methods;
    const kinds = Object.fromEntries(methods.map((m) => [m.method, m.kind]));
    assert.deepEqual(kinds, { Echo: 'unary', Count: 'server_streaming', Fail: 'unary', Headers: 'unary', Upload: 'client_streaming', Chat: 'bidi_streaming' });
    assert.equal(new Set(Object.values(METHOD_KIND_ICONS)).size, 4, 'one icon per kind');
    const count = methods.find((m) => m.method === 'Count')!;
    assert.equal(count.spec, 'explorer.fixture.Fixture/Count');
    const tip = methodTooltipText(count);
    assert.match(tip, /rpc Count\(explorer\.fixture\.CountRequest\) returns \(stream explorer\.fixture\.Tick\)/);
    assert.match(tip, /Request: explorer\.fixture\.CountRequest/);
    assert.match(tip, /Response: explorer\.fixture\.Tick/);
    assert.match(methodTooltipText(methods.find((m) => m.method === 'Chat')!), /Only unary and server-streaming/);
  });
});

describe('request files', () => {
  const root = '/store/requests';
  it('one file per plugin and method, and back (names with odd characters too)', () => {
    const target = { plugin: 'my plugin/..', spec: 'pkg.Svc/Do' };
    const { request, schema } = requestFilePaths(root, target);
    assert.ok(request.startsWith(`${root}/`) && request.endsWith('Do.request.json'), request);
    assert.ok(schema.endsWith('Do.schema.json'));
    assert.equal(request.split('/').length, root.split('/').length + 3, 'no path segment escapes');
    assert.deepEqual(requestTargetOf(root, request), target);
    assert.equal(requestTargetOf(root, schema), undefined);
    assert.equal(requestTargetOf(root, '/elsewhere/a/b/c.request.json'), undefined);
  });

  it('the template has every field at its default and links the schema', () => {
    const text = initialRequestText(sample, 'file:///store/x.schema.json');
    const value = JSON.parse(text);
    assert.equal(value.$schema, 'file:///store/x.schema.json');
    assert.equal(value.text, '');
    assert.equal(value.big, '0');
    assert.equal(value.color, 'COLOR_UNSPECIFIED', 'the first enum value');
    assert.deepEqual(value.tags, []);
  });

  it('the schema allows "$schema" and the fields, and rejects other names', () => {
    const schema = requestFileSchema(sample) as any;
    assert.equal(schema.additionalProperties, false);
    assert.ok(schema.properties.$schema);
    assert.ok(schema.properties.text && schema.properties.intervalMs === undefined);
    assert.ok(schema.definitions['explorer.fixture.Sample'], 'nested references still resolve');
    assert.deepEqual(schema.properties.color.anyOf[0].anyOf[0].enum, ['COLOR_UNSPECIFIED', 'RED', 'GREEN']);
  });

  it('the body drops "$schema"; text that is not JSON goes through as text (for line and column)', () => {
    assert.deepEqual(requestBody('{"$schema": "x", "text": "a"}'), { text: 'a' });
    assert.equal(requestBody('{"text": '), '{"text": ');
    assert.deepEqual(requestBody('[1]'), [1]);
  });
});

describe('response document text', () => {
  it('a unary answer: status, duration, headers, trailers, then the JSON', () => {
    const r = new ResponseRecord('fx', 'explorer.fixture.Fixture/Echo', false);
    r.headers = { 'x-h': ['1'] };
    r.add({ text: 'hi' });
    r.state = 'ok';
    r.durationMs = 12.4;
    r.trailers = {};
    const text = r.render();
    assert.equal(text, '// explorer.fixture.Fixture/Echo · plugin fx\n// Status: OK · 12 ms\n// Headers: x-h: 1\n// Trailers: none\n\n{\n  "text": "hi"\n}\n');
  });

  it('a stream counts its messages as they arrive, and says when it was cancelled', () => {
    const r = new ResponseRecord('fx', 'explorer.fixture.Fixture/Count', true);
    assert.match(r.render(), /Status: streaming… · \d+ ms · 0 messages/);
    r.add({ index: 1 });
    r.add({ index: 2 });
    assert.match(r.render(), /· 2 messages\n/);
    assert.match(r.render(), /\n\[\n\/\/ message 1\n\{\n {2}"index": 1\n\},\n\/\/ message 2\n\{\n {2}"index": 2\n\}\n\]\n$/);
    // Every moment's text is one JSON array once the // comments are dropped.
    assert.deepEqual(JSON.parse(r.render().replace(/^\/\/.*$/gm, '')), [{ index: 1 }, { index: 2 }]);
    r.state = 'cancelled';
    r.error = 'The call explorer.fixture.Fixture/Count to plugin "fx" was cancelled.';
    assert.match(r.render(), /Status: CANCELLED .* 2 messages\n\/\/ The call .* was cancelled\./);
  });

  it('a 10 MB message is rendered once and marked large (the document opens as plain text)', () => {
    const r = new ResponseRecord('fx', 'explorer.fixture.Fixture/Echo', false);
    r.add({ text: 'x'.repeat(10 * 1024 * 1024) });
    r.state = 'ok';
    assert.ok(r.large && r.size > LARGE_RESPONSE_CHARS);
    assert.ok(r.render().length > 10 * 1024 * 1024);
  });

  it('metadata on one line, none when empty', () => {
    assert.equal(formatMetadata({}), 'none');
    assert.equal(formatMetadata({ a: ['1', '2'], b: ['x\ny'] }), 'a: 1, 2; b: x y');
  });
});
