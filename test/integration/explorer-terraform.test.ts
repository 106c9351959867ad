// A real go-plugin plugin nobody here wrote: hashicorp's terraform-provider-time v0.14.2
// (built by scripts/build-explorer-plugins.sh with `go install`). With the terraform
// preset the host negotiates protocol 5 with it, and the explorer lists and calls its
// tfplugin5.Provider through the reflection go-plugin serves, with and without AutoMTLS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { applyHandshakePreset, callMethod, handshakePreset, loadCatalog, parseRequestJson, requestTemplate } from '../../src/explorer';
import { startPlugin } from '../../src/host';
import { built, fixture } from '../helpers/plugins';

const provider = () => fixture('bin/third-party/terraform-provider-time');

for (const autoMTLS of [false, true]) {
  describe(`terraform-provider-time v0.14.2, preset terraform, AutoMTLS ${autoMTLS ? 'on' : 'off'}`, () => {
    it('lists tfplugin5.Provider and GetSchema returns a schema with time_static', async () => {
      const plugin = await startPlugin(applyHandshakePreset(handshakePreset('terraform'), { path: provider(), autoMTLS }));
      try {
        assert.equal(plugin.info.protocolVersion, 5, 'the provider speaks protocol 5 of the 6 and 5 offered');
        assert.equal(plugin.info.tls, autoMTLS);
        const catalog = await loadCatalog(plugin);
        assert.deepEqual(catalog.services().map((s) => s.typeName), ['tfplugin5.Provider']);
        const getSchema = catalog.method('tfplugin5.Provider/GetSchema');
        assert.equal(getSchema.methodKind, 'unary');
        const outcome = await callMethod(plugin, catalog, 'tfplugin5.Provider/GetSchema', '{}');
        const schema = outcome.messages[0] as { resourceSchemas: Record<string, { block: { attributes: { name: string }[] } }> };
        assert.ok(schema.resourceSchemas.time_static, `time_static in ${Object.keys(schema.resourceSchemas).join(', ')}`);
        assert.ok(schema.resourceSchemas.time_static.block.attributes.some((a) => a.name === 'rfc3339'));
        // A request editor's template of every method's input is a request the explorer accepts.
        for (const method of catalog.service('tfplugin5.Provider').methods) {
          const context = { plugin: plugin.name, method: method.name, registry: catalog.registry };
          parseRequestJson(JSON.stringify(requestTemplate(method.input)), method.input, context);
        }
      } finally {
        await plugin.stop();
      }
    });

    it('the CLI lists and calls it with --preset terraform', () => {
      const cli = built('dist/cli.js', 'npm run build');
      const tls = autoMTLS ? ['--auto-mtls'] : [];
      const list = spawnSync(cli, ['list', '--plugin', provider(), '--preset', 'terraform', ...tls], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(list.status, 0, list.stderr);
      assert.match(list.stdout, /^tfplugin5\.Provider\n/);
      assert.match(list.stdout, /\n {2}GetSchema +unary +tfplugin5\.GetProviderSchema\.Request -> tfplugin5\.GetProviderSchema\.Response\n/);
      const call = spawnSync(cli, ['call', '--plugin', provider(), '--preset', 'terraform', ...tls, 'tfplugin5.Provider/GetSchema', '{}'], {
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      assert.equal(call.status, 0, call.stderr);
      assert.ok('time_static' in JSON.parse(call.stdout).resourceSchemas);
    });
  });
}

describe('terraform-provider-time with explicit versions', () => {
  it('--protocol-versions overrides the preset\'s list; the cookie alone with 6,5 works too', () => {
    const cli = built('dist/cli.js', 'npm run build');
    const only6 = spawnSync(cli, ['list', '--plugin', provider(), '--preset', 'terraform', '--protocol-versions', '6'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(only6.status, 1);
    assert.match(only6.stderr, /speaks app protocol version 5, but the host offered 6/);
    const cookie = `TF_PLUGIN_MAGIC_COOKIE=${handshakePreset('terraform').handshake.magicCookieValue}`;
    const explicit = spawnSync(cli, ['list', '--plugin', provider(), '--cookie', cookie, '--protocol-versions', '6,5'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(explicit.status, 0, explicit.stderr);
    assert.match(explicit.stdout, /^tfplugin5\.Provider\n/);
  });
});

describe('terraform-provider-time with greet\'s own commands', () => {
  it('inspect --preset terraform completes the handshake on protocol 5', () => {
    const r = spawnSync(built('dist/cli.js', 'npm run build'), ['inspect', '--json', '--auto-mtls', '--preset', 'terraform', '--plugin', provider()], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const details = JSON.parse(r.stdout);
    assert.equal(details.appProtocolVersion, 5);
    assert.equal(details.tls, true);
  });
});

describe('terraform-provider-time without the preset', () => {
  it('refuses the tutorial cookie, so the preset is what makes it work', async () => {
    await assert.rejects(startPlugin({ path: provider(), startTimeoutMs: 20_000 }), (e: Error & { code?: string }) => {
      assert.match(e.message, /Plugin "terraform-provider-time" refused to start .*magic cookie does not match/);
      return true;
    });
  });
});
