// The Node SDK's gRPC server reflection, proven on the bundled single-file plugins (each
// copied alone into an empty directory, so no node_modules and no .proto file is near:
// @grpc/reflection's own addToServer() would fail there, grpc/grpc-node#2659). The client
// is the explorer library: its reflection client (v1, then v1alpha) and its dynamic calls.
import { create, fromBinary, toBinary, type Message } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { callMethod, isExplorerError, loadCatalog } from '../../src/explorer';
import { registryFromFiles } from '../../src/explorer/descriptor-set';
import { internalProtos } from '../../src/explorer/internal-protos';
import { greet } from '../../src/greeter';
import type { PluginClient } from '../../src/host';
import { recordingSinks, withPlugin } from '../helpers/plugins';
import { NODE_GREETER, REPO_ROOT, buildNodePlugins } from './sdk-harness';

const INTERNAL = ['grpc.health.v1.Health', 'plugin.GRPCBroker', 'plugin.GRPCController', 'plugin.GRPCStdio'];
const REFLECTION = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'];

let lonely: string; // A directory holding only the copied executables.
let nodeGreeter: string;
let demoPlugin: string;

before(async () => {
  lonely = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-reflection-'));
  const demoBuilt = path.join(lonely, 'build', 'sdk-reflection-plugin');
  await buildNodePlugins([{ entry: 'test/integration/sdk-reflection-plugin.ts', outfile: demoBuilt }]);
  nodeGreeter = path.join(lonely, 'node-greeter');
  demoPlugin = path.join(lonely, 'sdk-reflection-plugin');
  fs.copyFileSync(NODE_GREETER, nodeGreeter);
  fs.copyFileSync(demoBuilt, demoPlugin);
  fs.rmSync(path.join(lonely, 'build'), { recursive: true });
  assert.deepEqual(fs.readdirSync(lonely).sort(), ['node-greeter', 'sdk-reflection-plugin']);
  assert.ok(!lonely.startsWith(REPO_ROOT), 'the copies must be outside the repository (no node_modules above them)');
});

after(() => {
  if (lonely) fs.rmSync(lonely, { recursive: true, force: true });
});

/** One request on a fresh grpc.reflection.v1alpha stream, with the explorer's messages, from a grpc-js client. */
async function askV1alpha(plugin: PluginClient, kind: 'listServices' | 'fileContainingSymbol', value: string) {
  const { request, response } = internalProtos();
  const call = plugin.makeClient<grpc.Client>(grpc.Client).makeBidiStreamRequest<Message, Message>(
    '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
    (m) => Buffer.from(toBinary(request, m)),
    (b) => fromBinary(response, b),
    new grpc.Metadata(),
    { deadline: Date.now() + 10_000 },
  );
  try {
    const answer = new Promise<Message>((resolve, reject) => {
      call.once('data', resolve);
      call.once('error', reject);
    });
    call.write(create(request, { messageRequest: { case: kind, value } } as never));
    const reply = (await answer) as unknown as { messageResponse: { case: string; value: Record<string, unknown> } };
    return reply.messageResponse;
  } finally {
    call.end();
    call.cancel();
  }
}

describe('SDK reflection in the bundled node-greeter', () => {
  for (const autoMTLS of [false, true]) {
    test(`v1 lists tutorial.Greeter and go-plugin's services; dynamic Greet equals greet(), AutoMTLS ${autoMTLS ? 'on' : 'off'}`, async () => {
      await withPlugin({ path: nodeGreeter, autoMTLS }, async (plugin) => {
        assert.equal(plugin.info.tls, autoMTLS);
        const catalog = await loadCatalog(plugin);
        assert.deepEqual(catalog.source, { kind: 'reflection', version: 'v1' });
        assert.deepEqual([...catalog.serviceNames].sort(), [...INTERNAL, ...REFLECTION, 'tutorial.Greeter'].sort());
        assert.deepEqual(catalog.services().map((s) => s.typeName), ['tutorial.Greeter']);
        const kinds = Object.fromEntries(
          catalog.services({ includeInternal: true }).flatMap((s) => s.methods.map((m) => [`${s.typeName}/${m.name}`, `${m.methodKind} ${m.input.typeName} -> ${m.output.typeName}`])),
        );
        assert.deepEqual(kinds, {
          'tutorial.Greeter/Greet': 'unary tutorial.Person -> tutorial.Greeting',
          'grpc.health.v1.Health/Check': 'unary grpc.health.v1.HealthCheckRequest -> grpc.health.v1.HealthCheckResponse',
          'plugin.GRPCController/Shutdown': 'unary plugin.Empty -> plugin.Empty',
          'plugin.GRPCStdio/StreamStdio': 'server_streaming google.protobuf.Empty -> plugin.StdioData',
          'plugin.GRPCBroker/StartStream': 'bidi_streaming plugin.ConnInfo -> plugin.ConnInfo',
          'grpc.reflection.v1.ServerReflection/ServerReflectionInfo':
            'bidi_streaming grpc.reflection.v1.ServerReflectionRequest -> grpc.reflection.v1.ServerReflectionResponse',
          'grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo':
            'bidi_streaming grpc.reflection.v1alpha.ServerReflectionRequest -> grpc.reflection.v1alpha.ServerReflectionResponse',
        });
        // Empty is one file under its real name, so a plugin's own import of it is the same file.
        assert.equal(catalog.registry.getMessage('google.protobuf.Empty')!.file.proto.name, 'google/protobuf/empty.proto');
        for (const name of ['Alice', 'Zoë ✓', '']) {
          const dynamic = await callMethod(plugin, catalog, 'tutorial.Greeter/Greet', JSON.stringify({ name }));
          assert.deepEqual(dynamic.messages, [{ message: await greet(plugin, name) }]);
        }
        const health = await callMethod(plugin, catalog, 'grpc.health.v1.Health/Check', '{"service": "plugin"}');
        assert.deepEqual(health.messages, [{ status: 'SERVING' }]);
      });
    });

    test(`v1alpha lists tutorial.Greeter and sends the files that define it, AutoMTLS ${autoMTLS ? 'on' : 'off'}`, async () => {
      await withPlugin({ path: nodeGreeter, autoMTLS }, async (plugin) => {
        const listed = await askV1alpha(plugin, 'listServices', '*');
        assert.equal(listed.case, 'listServicesResponse');
        const names = (listed.value.service as { name: string }[]).map((s) => s.name);
        assert.ok(names.includes('tutorial.Greeter'), `v1alpha lists ${names.join(', ')}`);
        const files = await askV1alpha(plugin, 'fileContainingSymbol', 'tutorial.Greeter');
        assert.equal(files.case, 'fileDescriptorResponse');
        const registry = registryFromFiles(
          (files.value.fileDescriptorProto as Uint8Array[]).map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes)),
        );
        const greetMethod = registry.getService('tutorial.Greeter')!.methods[0]!;
        assert.equal(greetMethod.name, 'Greet');
        assert.equal(greetMethod.input.typeName, 'tutorial.Person');
        assert.deepEqual(greetMethod.input.fields.map((f) => [f.name, f.jsonName]), [['name', 'name']]);
        const unknown = await askV1alpha(plugin, 'fileContainingSymbol', 'no.such.Symbol');
        assert.equal(unknown.case, 'errorResponse');
        assert.equal(unknown.value.errorCode, grpc.status.NOT_FOUND);
      });
    });
  }
});

describe('SDK reflection of services an author registers', () => {
  test('serve({ services }) with a descriptor and register() with a proto-loader definition are described; one with neither is served and named in a warning', async () => {
    const recorded = recordingSinks();
    await withPlugin({ path: demoPlugin, autoMTLS: true, sinks: recorded.sinks }, async (plugin) => {
      const catalog = await loadCatalog(plugin);
      assert.deepEqual(catalog.services().map((s) => s.typeName).sort(), ['demo.Echo', 'tutorial.Greeter']);
      assert.ok(!catalog.serviceNames.includes('secret.Hidden'));
      const said = await callMethod(plugin, catalog, 'demo.Echo/Say', '{"upperText": "quiet"}');
      assert.deepEqual(said.messages, [{ upperText: 'QUIET' }]);
      const greeted = await callMethod(plugin, catalog, 'tutorial.Greeter/Greet', '{"name": "Bo"}');
      assert.deepEqual(greeted.messages, [{ message: 'hello Bo' }]);
      const warning = recorded.logs.find((e) => /reflection does not describe this service/.test(e.message));
      assert.ok(warning, `a warning about secret.Hidden: ${recorded.logs.map((e) => e.message).join(' | ')}`);
      assert.equal(warning.level, 'warn');
      assert.equal(warning.fields.service, 'secret.Hidden');
      assert.match(warning.message, /descriptor/);
    });
  });

  test('serve({ reflection: false }) serves none, and the explorer says so', async () => {
    await withPlugin({ path: demoPlugin, env: { FIXTURE_REFLECTION: 'off' } }, async (plugin) => {
      await assert.rejects(loadCatalog(plugin), (e) => isExplorerError(e) && e.code === 'REFLECTION_NOT_SERVED');
    });
  });
});
