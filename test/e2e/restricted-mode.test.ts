// End-to-end, Restricted Mode: with workspace trust on (no --disable-workspace-trust), a
// plugin configured only in the workspace's .vscode/settings.json is not launched, and the
// Plugins view's welcome content says why. Trusting the workspace then launches it.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eSuite } from '../../scripts/e2e/scenario';

const scenario = e2eSuite('trust');

scenario(
  '6. in an untrusted workspace a plugin from workspace settings is not launched and the welcome view says why',
  {
    timeout: 120_000,
    disableWorkspaceTrust: false,
    prepareWorkspace: (workspace, plugins) => {
      mkdirSync(join(workspace, '.vscode'), { recursive: true });
      writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'greeter.plugins': [{ name: 'workspace-go', path: plugins.go }] }, null, 2));
    },
  },
  async ({ wb, pluginPids }) => {
    // The welcome content needs the extension's greeter.ready context key: it has activated
    // and applied its settings by the time this text shows.
    const welcome = await wb.welcomeText();
    assert.match(welcome, /Restricted Mode/);
    assert.match(welcome, /not launched/);
    assert.deepEqual(await wb.treeRowTexts(), [], 'no plugin row in Restricted Mode');
    assert.deepEqual(pluginPids(), [], 'the workspace plugin must not run before the workspace is trusted');
    await wb.screenshot('6-restricted-mode-welcome');

    // Trusting the workspace re-reads the settings and launches the plugin.
    await wb.runCommand('Workspaces: Manage Workspace Trust');
    await wb.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ }).first().click();
    await wb.waitForPluginRow('workspace-go', /^running/, 30_000);
    assert.equal(pluginPids().length, 1, 'the plugin runs once trusted');
  },
);
