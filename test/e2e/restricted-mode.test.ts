// End-to-end, Restricted Mode: with workspace trust on (no --disable-workspace-trust), a
// plugin configured only in the workspace's .vscode/settings.json is not launched, and the
// Plugins view's welcome content says why. Trusting the workspace then launches it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPrerequisites, CodeServer, executableOf, installExtension, makeTempRoot, removeTree, stageExamplePlugins } from '../../scripts/e2e/code-server';
import { Workbench } from '../../scripts/e2e/workbench';

let root: string;
let server: CodeServer;
let wb: Workbench;
let goPlugin: string;

before(async () => {
  checkPrerequisites();
  root = makeTempRoot('trust');
  const extensionsDir = installExtension(root);
  goPlugin = stageExamplePlugins(root).go;
  const workspace = join(root, 'untrusted-project');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'greeter.plugins': [{ name: 'workspace-go', path: goPlugin }] }, null, 2));
  server = await CodeServer.start({ workspace, extensionsDir, disableWorkspaceTrust: false }, root);
  wb = await Workbench.open(server.url);
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
  if (server) {
    const plugins = goPluginPids();
    const forced = await server.stop();
    assert.deepEqual(forced.filter((pid) => plugins.includes(pid)), [], 'plugin processes outlived code-server');
  }
  if (root) removeTree(root);
}, { timeout: 60_000 });

/** Plugin processes below this code-server. */
function goPluginPids(): number[] {
  return server.descendants().filter((pid) => (executableOf(pid) ?? '').includes(goPlugin));
}

test('6. in an untrusted workspace a plugin from workspace settings is not launched and the welcome view says why', { timeout: 90_000 }, async () => {
  try {
    await wb.showGreeterView();
    // The welcome content needs the extension's greeter.ready context key: it has activated
    // and applied its settings by the time this text shows.
    const welcome = await wb.welcomeText();
    assert.match(welcome, /Restricted Mode/);
    assert.match(welcome, /not launched/);
    assert.deepEqual(await wb.treeRowTexts(), [], 'no plugin row in Restricted Mode');
    assert.deepEqual(goPluginPids(), [], 'the workspace plugin must not run before the workspace is trusted');
    await wb.screenshot('6-restricted-mode-welcome');

    // Trusting the workspace re-reads the settings and launches the plugin.
    await wb.runCommand('Workspaces: Manage Workspace Trust');
    await wb.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ }).first().click();
    await wb.waitForPluginRow('workspace-go', /^running/, 30_000);
    assert.equal(goPluginPids().length, 1, 'the plugin runs once trusted');
  } catch (err) {
    await wb?.screenshot('FAILED-6').catch(() => undefined);
    console.error(`--- extension logs ---\n${server?.extensionHostLog()}`);
    throw err;
  }
});
