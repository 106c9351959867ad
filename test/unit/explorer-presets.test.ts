// Handshake presets: the values of each plugin family (checked against terraform-plugin-go
// and vault's sources, see src/explorer/presets.ts) and how explicit settings override them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyHandshakePreset, handshakePreset, HANDSHAKE_PRESET_NAMES, isExplorerError } from '../../src/explorer';

describe('handshake presets', () => {
  it('carry each family\'s cookie, versions (preferred first) and environment', () => {
    assert.deepEqual(HANDSHAKE_PRESET_NAMES, ['tutorial', 'terraform', 'vault']);
    assert.deepEqual(handshakePreset('tutorial'), {
      name: 'tutorial',
      handshake: { protocolVersion: 1, magicCookieKey: 'BASIC_PLUGIN', magicCookieValue: 'hello' },
      protocolVersions: [1],
      env: {},
    });
    assert.deepEqual(handshakePreset('terraform'), {
      name: 'terraform',
      handshake: {
        protocolVersion: 6,
        magicCookieKey: 'TF_PLUGIN_MAGIC_COOKIE',
        magicCookieValue: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2',
      },
      protocolVersions: [6, 5],
      env: {},
    });
    assert.deepEqual(handshakePreset('vault'), {
      name: 'vault',
      handshake: { protocolVersion: 5, magicCookieKey: 'VAULT_BACKEND_PLUGIN', magicCookieValue: '6669da05-b1c8-4f49-97d9-c8e5bed98e20' },
      protocolVersions: [5, 4, 3],
      env: { VAULT_PLUGIN_AUTOMTLS_ENABLED: 'true' },
    });
  });

  it('hands out copies: changing one does not change the preset', () => {
    const preset = handshakePreset('terraform');
    preset.protocolVersions.push(4);
    preset.handshake.magicCookieValue = 'x';
    assert.deepEqual(handshakePreset('terraform').protocolVersions, [6, 5]);
    assert.notEqual(handshakePreset('terraform').handshake.magicCookieValue, 'x');
  });

  it('an unknown preset is a typed error listing the valid names', () => {
    assert.throws(() => handshakePreset('consul', 'my-plugin'), (e) => {
      assert.ok(isExplorerError(e));
      assert.equal(e.code, 'UNKNOWN_PRESET');
      assert.equal(e.message, 'Plugin "my-plugin": there is no handshake preset "consul". Use one of tutorial, terraform, vault, or set the handshake values themselves.');
      return true;
    });
  });

  it('fills in launch options; explicit handshake fields, versions and environment win', () => {
    const vault = handshakePreset('vault');
    assert.deepEqual(applyHandshakePreset(vault, { path: '/p' }), {
      path: '/p',
      handshake: vault.handshake,
      protocolVersions: [5, 4, 3],
      env: { VAULT_PLUGIN_AUTOMTLS_ENABLED: 'true' },
    });
    const overridden = applyHandshakePreset(vault, {
      path: '/p',
      autoMTLS: false,
      handshake: { magicCookieValue: 'other', protocolVersion: undefined },
      env: { VAULT_PLUGIN_AUTOMTLS_ENABLED: 'false', EXTRA: '1' },
    });
    assert.equal(overridden.handshake?.magicCookieKey, 'VAULT_BACKEND_PLUGIN');
    assert.equal(overridden.handshake?.magicCookieValue, 'other');
    assert.equal(overridden.autoMTLS, false);
    assert.deepEqual(overridden.env, { VAULT_PLUGIN_AUTOMTLS_ENABLED: 'false', EXTRA: '1' });
    // Versions given explicitly replace the preset's list, and the first one is the handshake's.
    const versions = applyHandshakePreset(handshakePreset('terraform'), { path: '/p', protocolVersions: [5] });
    assert.deepEqual([versions.handshake?.protocolVersion, versions.protocolVersions], [5, [5]]);
    // A single explicit protocolVersion offers only that version.
    const single = applyHandshakePreset(handshakePreset('terraform'), { path: '/p', handshake: { protocolVersion: 6 } });
    assert.deepEqual([single.handshake?.protocolVersion, single.protocolVersions], [6, [6]]);
  });
});
