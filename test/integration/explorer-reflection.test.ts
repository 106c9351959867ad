// The explorer's descriptor sources against real plugins: gRPC reflection served by
// hashicorp/go-plugin (v1, and v1alpha only as older grpc-go), none at all (protoFiles),
// over plain and AutoMTLS connections, and the per-process cache.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { callMethod, forgetCatalog, isExplorerError, loadCatalog } from '../../src/explorer';
import { greet } from '../../src/greeter';
import { startPlugin } from '../../src/host';
import { fixture, goGreeter, repoRoot, withPlugin } from '../helpers/plugins';

const explorerFixture = () => fixture('bin/explorer-fixture');
const fixtureProtos = { protoFiles: ['explorer_fixture.proto'], importPaths: [join(repoRoot, 'test/fixtures/explorer/proto')] };

describe('explorer: reflection on the Go example plugin (hashicorp/go-plugin)', () => {
  for (const autoMTLS of [false, true]) {
    it(`lists tutorial.Greeter through reflection v1, AutoMTLS ${autoMTLS ? 'on' : 'off'}`, async () => {
      await withPlugin({ path: goGreeter(), autoMTLS }, async (plugin) => {
        assert.equal(plugin.info.tls, autoMTLS);
        const catalog = await loadCatalog(plugin);
        assert.deepEqual(catalog.source, { kind: 'reflection', version: 'v1' });
        assert.ok(catalog.serviceNames.includes('tutorial.Greeter'));
        // go-plugin's own services are served too, and hidden unless asked for.
        assert.ok(catalog.serviceNames.includes('plugin.GRPCController'));
        assert.deepEqual(catalog.services().map((s) => s.typeName), ['tutorial.Greeter']);
        assert.ok(catalog.services({ includeInternal: true }).some((s) => s.typeName === 'plugin.GRPCStdio'));
        const greetMethod = catalog.method('tutorial.Greeter/Greet');
        assert.equal(greetMethod.methodKind, 'unary');
        assert.equal(greetMethod.input.typeName, 'tutorial.Person');
        assert.equal(greetMethod.output.typeName, 'tutorial.Greeting');
      });
    });
  }

  it('a dynamic Greet returns what the static greet() returns, on the same connection', async () => {
    await withPlugin({ path: goGreeter(), autoMTLS: true }, async (plugin) => {
      const catalog = await loadCatalog(plugin);
      for (const name of ['Alice', 'Zoë ✓', '']) {
        const dynamic = await callMethod(plugin, catalog, 'tutorial.Greeter/Greet', JSON.stringify({ name }));
        assert.deepEqual(dynamic.messages, [{ message: await greet(plugin, name) }]);
        assert.equal(dynamic.kind, 'unary');
      }
    });
  });
});

describe('explorer: reflection versions and plugins without reflection', () => {
  it('falls back to v1alpha when the plugin answers only that (older grpc-go)', async () => {
    await withPlugin({ path: explorerFixture(), env: { FIXTURE_REFLECTION: 'v1alpha' } }, async (plugin) => {
      const catalog = await loadCatalog(plugin);
      assert.deepEqual(catalog.source, { kind: 'reflection', version: 'v1alpha' });
      assert.deepEqual(catalog.services().map((s) => s.typeName), ['explorer.fixture.Fixture']);
      const echo = await callMethod(plugin, catalog, 'explorer.fixture.Fixture/Echo', '{"text": "via v1alpha"}');
      assert.deepEqual(echo.messages, [{ text: 'via v1alpha' }]);
    });
  });

  it('says reflection is not served and points at protoFiles; with them the same calls work', async () => {
    await withPlugin({ path: explorerFixture(), env: { FIXTURE_REFLECTION: 'none' }, autoMTLS: true }, async (plugin) => {
      await assert.rejects(loadCatalog(plugin), (e) => {
        assert.ok(isExplorerError(e));
        assert.equal(e.code, 'REFLECTION_NOT_SERVED');
        assert.equal(e.plugin, 'explorer-fixture');
        assert.match(e.message, /Plugin "explorer-fixture" does not serve gRPC server reflection/);
        assert.match(e.message, /"protoFiles"/);
        return true;
      });
      const catalog = await loadCatalog(plugin, fixtureProtos);
      assert.equal(catalog.source.kind, 'protoFiles');
      const echo = await callMethod(plugin, catalog, 'explorer.fixture.Fixture/Echo', '{"big": "-9223372036854775808", "color": "RED"}');
      assert.deepEqual(echo.messages, [{ big: '-9223372036854775808', color: 'RED' }]);
    });
  });

  it('a plugin stuck in reflection fails the load at the deadline, with the timeout in the message', async () => {
    await withPlugin({ path: explorerFixture(), env: { FIXTURE_REFLECTION: 'stall' } }, async (plugin) => {
      // Repeated: the plugin's own deadline reset can arrive before grpc-js's timer (as CANCELLED).
      for (let i = 0; i < 5; i++) {
        await assert.rejects(loadCatalog(plugin, { timeoutMs: 150 }), (e) => {
          assert.ok(isExplorerError(e));
          assert.equal(e.code, 'REFLECTION_FAILED', e.message);
          assert.match(e.message, /Plugin "explorer-fixture" did not answer reflection within 150 ms/);
          return true;
        });
      }
    });
  });

  it('calls Greet on a Node plugin without reflection from proto/greeter.proto', async () => {
    await withPlugin({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'greeter,health' } }, async (plugin) => {
      await assert.rejects(loadCatalog(plugin), { code: 'REFLECTION_NOT_SERVED' });
      const catalog = await loadCatalog(plugin, { protoFiles: [join(repoRoot, 'proto/greeter.proto')] });
      const reply = await callMethod(plugin, catalog, 'tutorial.Greeter/Greet', '{"name": "Bo"}');
      assert.deepEqual(reply.messages, [{ message: 'hello Bo' }]);
    });
  });

  it('compiled .proto files describe the fixture exactly as its reflection does', async () => {
    await withPlugin({ path: explorerFixture() }, async (plugin) => {
      const fromReflection = await loadCatalog(plugin);
      const fromFiles = await loadCatalog(plugin, fixtureProtos);
      const shape = (catalog: typeof fromFiles) => {
        const service = catalog.service('explorer.fixture.Fixture');
        const messages = new Set<string>();
        const methods = service.methods.map((m) => {
          messages.add(m.input.typeName).add(m.output.typeName);
          return [m.name, m.methodKind, m.input.typeName, m.output.typeName];
        });
        const fields = [...messages, 'explorer.fixture.Tick', 'explorer.fixture.Sample.Part'].sort().map((name) => [
          name,
          catalog.registry
            .getMessage(name)!
            .fields.map((f) => [f.name, f.number, f.jsonName, f.fieldKind, f.oneof?.name ?? '', f.proto.proto3Optional, f.presence]),
        ]);
        return { methods, fields };
      };
      assert.deepEqual(shape(fromFiles), shape(fromReflection));
    });
  });

  it('a .proto file that does not compile is a typed error naming the file', async () => {
    await withPlugin({ path: explorerFixture() }, async (plugin) => {
      await assert.rejects(loadCatalog(plugin, { protoFiles: [join(repoRoot, 'test/fixtures/explorer/proto/missing.proto')] }), (e) => {
        assert.ok(isExplorerError(e));
        assert.equal(e.code, 'PROTO_FILES_INVALID');
        assert.match(e.message, /missing\.proto/);
        assert.match(e.message, /importPaths/);
        return true;
      });
    });
  });
});

describe('explorer: descriptor cache', () => {
  it('one caller cancelling stops only its own wait, not the load the others share', async () => {
    await withPlugin({ path: explorerFixture() }, async (plugin) => {
      const cancel = new AbortController();
      const impatient = loadCatalog(plugin, { signal: cancel.signal });
      const patient = loadCatalog(plugin);
      cancel.abort();
      await assert.rejects(impatient, (e) => isExplorerError(e) && e.code === 'CANCELLED' && /Loading the services of plugin "explorer-fixture" was cancelled/.test(e.message));
      assert.deepEqual((await patient).services().map((s) => s.typeName), ['explorer.fixture.Fixture']);
      assert.equal(loadCatalog(plugin), patient, 'the shared load stays cached');
    });
  });

  it('loads once per plugin process, asks a restarted plugin again, and refuses an exited one', async () => {
    const first = await startPlugin({ path: explorerFixture() });
    let catalog;
    try {
      const loading = loadCatalog(first);
      assert.equal(loadCatalog(first), loading, 'a second request shares the first load');
      catalog = await loading;
      forgetCatalog(first);
      assert.notEqual(loadCatalog(first), loading, 'forgetCatalog drops it');
      await loadCatalog(first);
    } finally {
      await first.stop();
    }
    await assert.rejects(loadCatalog(first), (e) => isExplorerError(e) && e.code === 'PLUGIN_NOT_RUNNING' && /explorer-fixture/.test(e.message));
    // The restarted plugin is a new process behind a new client: its catalog is its own.
    await withPlugin({ path: explorerFixture() }, async (second) => {
      const again = await loadCatalog(second);
      assert.notEqual(again, catalog);
      assert.deepEqual(again.serviceNames, catalog!.serviceNames);
    });
  });
});
