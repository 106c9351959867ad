// Settings entries with handshake presets, protocol version lists and .proto files:
// validation names the field, and the resolved launch puts the preset underneath the
// entry's own values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolvePluginConfig } from '../../src/manager/plugin-config';
import { validatePluginEntry } from '../../src/manager/validate';
import { DEFAULT_MANAGER_SETTINGS, type SubstitutionContext } from '../../src/manager/types';

const ctx: SubstitutionContext = { workspaceFolders: ['/work/proj'], userHome: '/home/ann', env: { PROTO: '/opt/protos' } };
const resolve = (entry: unknown) => resolvePluginConfig(validatePluginEntry(entry, 0), ctx, DEFAULT_MANAGER_SETTINGS);

test('preset terraform: its cookie and versions 6 and 5', () => {
  const c = resolve({ name: 'tf', path: '/bin/tf', handshake: { preset: 'terraform' } });
  assert.equal(c.configError, undefined);
  assert.equal(c.launch?.handshake?.magicCookieKey, 'TF_PLUGIN_MAGIC_COOKIE');
  assert.equal(c.launch?.handshake?.magicCookieValue, 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2');
  assert.deepEqual(c.launch?.protocolVersions, [6, 5]);
  assert.equal(c.launch?.handshake?.protocolVersion, 6);
});

test('preset vault: versions 5, 4, 3 and its AutoMTLS variable; the entry env wins', () => {
  const c = resolve({ name: 'kv', path: '/bin/kv', env: { VAULT_PLUGIN_AUTOMTLS_ENABLED: 'false', X: '${env:PROTO}' }, handshake: { preset: 'vault' } });
  assert.deepEqual(c.launch?.protocolVersions, [5, 4, 3]);
  assert.equal(c.launch?.handshake?.magicCookieKey, 'VAULT_BACKEND_PLUGIN');
  assert.deepEqual(c.launch?.env, { VAULT_PLUGIN_AUTOMTLS_ENABLED: 'false', X: '/opt/protos' });
});

test('explicit handshake fields override the preset', () => {
  const c = resolve({ name: 'tf', path: '/bin/tf', handshake: { preset: 'terraform', magicCookieValue: 'mine', protocolVersions: [5] } });
  assert.equal(c.launch?.handshake?.magicCookieKey, 'TF_PLUGIN_MAGIC_COOKIE');
  assert.equal(c.launch?.handshake?.magicCookieValue, 'mine');
  assert.equal(c.launch?.handshake?.protocolVersion, 5);
  assert.equal(c.launch?.protocolVersions, undefined, 'one version is the handshake version itself');
  const single = resolve({ name: 'tf', path: '/bin/tf', handshake: { preset: 'terraform', protocolVersion: 5 } });
  assert.equal(single.launch?.handshake?.protocolVersion, 5);
  assert.equal(single.launch?.protocolVersions, undefined);
});

test('no preset is the tutorial, unchanged; protocolVersions alone offers several', () => {
  const c = resolve({ name: 'hello', path: '/bin/greeter' });
  assert.deepEqual(c.launch?.handshake, { protocolVersion: 1, magicCookieKey: 'BASIC_PLUGIN', magicCookieValue: 'hello' });
  assert.equal(c.launch?.protocolVersions, undefined);
  assert.deepEqual(c.launch?.env, {});
  const several = resolve({ name: 'hello', path: '/bin/greeter', handshake: { protocolVersions: [3, 2, 1] } });
  assert.deepEqual(several.launch?.protocolVersions, [3, 2, 1]);
  assert.equal(several.launch?.handshake?.protocolVersion, 3);
  assert.equal(several.launch?.handshake?.magicCookieKey, 'BASIC_PLUGIN');
});

test('protoFiles and importPaths are substituted like paths; with importPaths a relative file stays relative', () => {
  const c = resolve({ name: 'p', path: '/bin/p', protoFiles: ['api/a.proto', '${env:PROTO}/b.proto'], importPaths: ['${workspaceFolder}/proto', 'third_party'] });
  assert.deepEqual(c.protoSources, { protoFiles: ['api/a.proto', '/opt/protos/b.proto'], importPaths: ['/work/proj/proto', '/work/proj/third_party'] });
  const bare = resolve({ name: 'p', path: '/bin/p', protoFiles: ['api/a.proto'] });
  assert.deepEqual(bare.protoSources, { protoFiles: ['/work/proj/api/a.proto'], importPaths: [] });
  assert.equal(resolve({ name: 'p', path: '/bin/p' }).protoSources, undefined);
  const bad = resolve({ name: 'p', path: '/bin/p', protoFiles: ['${nope}/a.proto'] });
  assert.match(bad.configError?.message ?? '', /protoFiles/);
});

test('changing protoFiles does not change the launch fingerprint (no restart)', () => {
  const a = resolve({ name: 'p', path: '/bin/p' });
  const b = resolve({ name: 'p', path: '/bin/p', protoFiles: ['/x.proto'] });
  assert.equal(a.fingerprint, b.fingerprint);
});

const bad: Array<[string, unknown, RegExp]> = [
  ['unknown preset', { preset: 'consul' }, /"handshake\.preset" must be one of "tutorial", "terraform", "vault", got the string "consul"/],
  ['preset not a string', { preset: 5 }, /"handshake\.preset" must be one of/],
  ['empty version list', { protocolVersions: [] }, /"handshake\.protocolVersions" must be a non-empty array of positive whole numbers/],
  ['version not a number', { protocolVersions: [5, '4'] }, /"handshake\.protocolVersions" must be/],
  ['version zero', { protocolVersions: [0] }, /"handshake\.protocolVersions" must be/],
  ['version twice', { protocolVersions: [5, 5] }, /lists a version twice \(5, 5\)/],
  ['unknown handshake field', { presets: 'vault' }, /unknown field "handshake\.presets"; allowed are preset, protocolVersion, protocolVersions/],
];
for (const [what, handshake, message] of bad) {
  test(`handshake: ${what} is a clear error`, () => {
    const r = validatePluginEntry({ name: 'p', path: '/bin/p', handshake }, 2);
    assert.match(r.error?.message ?? '', message);
    assert.match(r.error?.message ?? '', /Plugin "p" \(greeter\.plugins\[2\]\)/);
  });
}

test('protoFiles and importPaths must be arrays of non-empty strings', () => {
  assert.match(validatePluginEntry({ name: 'p', path: '/p', protoFiles: 'a.proto' }, 0).error?.message ?? '', /"protoFiles" must be an array of non-empty paths, got the string "a\.proto"/);
  assert.match(validatePluginEntry({ name: 'p', path: '/p', importPaths: ['ok', ''] }, 0).error?.message ?? '', /"importPaths" must be an array of non-empty paths, got an array with a non-string or empty item/);
  assert.equal(validatePluginEntry({ name: 'p', path: '/p', protoFiles: ['a.proto'], importPaths: ['x'] }, 0).error, undefined);
});
