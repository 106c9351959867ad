// Settings entries with a handshake preset or a list of protocol versions, launched by the
// manager against real plugins: the plugin picks one of the versions offered, and the
// snapshot (the tree's tooltip) shows which.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../../src/explorer';
import { GO_GREETER, newManager, requireExecutable, testContext, testSettings, waitForState } from '../fixtures/manager/harness';
import { fixture, repoRoot } from '../helpers/plugins';
import * as path from 'node:path';

test('preset terraform: terraform-provider-time negotiates version 5 of 6 and 5; the explorer lists its provider', async (t) => {
  const provider = fixture('bin/third-party/terraform-provider-time');
  const { manager } = newManager(testSettings({ autoMTLSDefault: true }));
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'time', path: provider, handshake: { preset: 'terraform' } }], testContext());
  const s = await waitForState(manager, 'time', 'running', 30_000);
  assert.equal(s.info?.protocolVersion, 5);
  assert.deepEqual(s.offeredVersions, [6, 5]);
  assert.equal(s.info?.tls, true);
  const client = await manager.runningClient('time');
  const catalog = await loadCatalog(client);
  assert.deepEqual(catalog.services().map((x) => x.typeName), ['tfplugin5.Provider']);
});

test('protocolVersions [3, 2, 1]: the tutorial Go plugin (version 1 only) picks 1', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'go', path: go, handshake: { protocolVersions: [3, 2, 1] } }], testContext());
  const s = await waitForState(manager, 'go', 'running');
  assert.equal(s.info?.protocolVersion, 1);
  assert.equal((await manager.greet('go', 'versions')).message, 'hello versions');
});

test('protocolVersions the plugin does not speak: a start failure that names the versions', async (t) => {
  const go = requireExecutable(GO_GREETER, 'npm run build:go');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  manager.applyConfig([{ name: 'go', path: go, handshake: { protocolVersions: [3, 2] } }], testContext());
  const s = await waitForState(manager, 'go', 'failed');
  assert.match(s.lastError?.message ?? '', /speaks app protocol version 1, but the host offered 3, 2/);
  await assert.rejects(manager.runningClient('go'), /not running/);
});

test('protoFiles from settings reach the snapshot, resolved against importPaths', async (t) => {
  const plugin = fixture('bin/explorer-fixture');
  const { manager } = newManager(testSettings());
  t.after(() => manager.dispose());
  const protoDir = path.join(repoRoot, 'test/fixtures/explorer/proto');
  manager.applyConfig([{ name: 'fx', path: plugin, protoFiles: ['explorer_fixture.proto'], importPaths: [protoDir] }], testContext());
  const s = await waitForState(manager, 'fx', 'running');
  assert.deepEqual(s.protoSources, { protoFiles: ['explorer_fixture.proto'], importPaths: [protoDir] });
  const catalog = await loadCatalog(await manager.runningClient('fx'), s.protoSources);
  assert.equal(catalog.source.kind, 'protoFiles');
  assert.ok(catalog.services().length > 0);
});
