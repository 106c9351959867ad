// A real Vault plugin nobody here wrote: hashicorp's vault-plugin-secrets-kv v0.24.0 (built
// by scripts/build-explorer-plugins.sh). The vault preset offers versions 5, 4 and 3 and sets
// VAULT_PLUGIN_AUTOMTLS_ENABLED as Vault's own host does; the explorer lists its pb.Backend.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyHandshakePreset, callMethod, handshakePreset, loadCatalog } from '../../src/explorer';
import { startPlugin } from '../../src/host';
import { fixture } from '../helpers/plugins';

const kv = () => fixture('bin/third-party/vault-plugin-secrets-kv');

for (const autoMTLS of [false, true]) {
  describe(`vault-plugin-secrets-kv v0.24.0, preset vault, AutoMTLS ${autoMTLS ? 'on' : 'off'}`, () => {
    it('negotiates version 5, lists pb.Backend and answers MultiplexingSupport', async () => {
      const plugin = await startPlugin(applyHandshakePreset(handshakePreset('vault'), { path: kv(), autoMTLS }));
      try {
        assert.equal(plugin.info.protocolVersion, 5);
        assert.equal(plugin.info.tls, autoMTLS);
        const catalog = await loadCatalog(plugin);
        const services = catalog.services().map((s) => s.typeName);
        assert.ok(services.includes('pb.Backend'), services.join(', '));
        assert.ok(catalog.service('pb.Backend').methods.some((m) => m.name === 'HandleRequest'));
        const outcome = await callMethod(plugin, catalog, 'pluginutil.multiplexing.PluginMultiplexing/MultiplexingSupport', '{}');
        assert.deepEqual(outcome.messages, [{ supported: true }]);
      } finally {
        await plugin.stop();
      }
    });
  });
}

describe('vault-plugin-secrets-kv with the cookie but without the preset\'s environment', () => {
  it('fails its own TLS set-up: VAULT_PLUGIN_AUTOMTLS_ENABLED is what the preset adds', async () => {
    const { handshake } = handshakePreset('vault');
    await assert.rejects(startPlugin({ path: kv(), handshake, protocolVersions: [5, 4, 3], autoMTLS: true }), (e: Error) => {
      assert.match(e.message, /exited before completing the go-plugin handshake/);
      assert.match(String((e as Error & { detail?: string }).detail ?? '') + e.message, /wrapping token/);
      return true;
    });
  });
});
