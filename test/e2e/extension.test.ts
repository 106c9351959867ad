// End-to-end in real VS Code (code-server + headless Chromium; GREETER_E2E_VSCODE picks
// the version, `npm run test:e2e -- --vscode latest|1.100`), from the packaged VSIX, with
// the Go and Node example plugins (examples/*/bin, staged into a private folder)
// configured in the user's settings on the (remote) machine, where machine-scoped
// settings live in code-server. Every scenario starts its own code-server from a fresh
// user-data folder (scripts/e2e/scenario.ts) and saves a screenshot under
// test-results/e2e-<version>/. `npm run test:e2e` builds and installs what it needs.

import assert from 'node:assert/strict';
import { isAlive } from '../../scripts/e2e/code-server';
import { e2eSuite, type ScenarioContext } from '../../scripts/e2e/scenario';
import type { Workbench } from '../../scripts/e2e/workbench';

const MISSING_PATH = '/nonexistent/greeter-plugins-e2e/greet';
const scenario = e2eSuite('ext');

/** Both example plugins, as `greeter.plugins` entries. */
function examplePlugins(plugins: ScenarioContext['plugins']): { name: string; path: string }[] {
  return [
    { name: 'go-greeter', path: plugins.go },
    { name: 'node-greeter', path: plugins.node },
  ];
}
const bothPlugins = (plugins: ScenarioContext['plugins']) => ({ 'greeter.plugins': examplePlugins(plugins) });

/** The pid in a row label "go-greeter, running · pid 123 · …". */
function pidIn(label: string): number {
  const m = /pid (\d+)/.exec(label);
  assert.ok(m, `no pid in "${label}"`);
  return Number(m[1]);
}

/**
 * Waits for both example plugins to run. Greet skips the plugin picker while only one
 * plugin runs, so a scenario that picks one must wait for both first.
 */
async function bothRunning(wb: Workbench): Promise<void> {
  await wb.waitForPluginRow('go-greeter', /^running/);
  await wb.waitForPluginRow('node-greeter', /^running/);
}

/** Greets through the command palette exactly as a user would (both plugins running). */
async function greetFromPalette(wb: Workbench, name: string, plugin: string): Promise<string> {
  await wb.runCommand('Greeter: Greet');
  await wb.answerInputBox(name);
  await wb.pick(plugin);
  return wb.waitForNotification(`hello ${name} — from ${plugin}`);
}

scenario('1. Greeter: Greet from the command palette shows "hello <name>" from the chosen plugin', { timeout: 120_000, remoteSettings: bothPlugins }, async ({ wb }) => {
  await wb.widenSideBar(520);
  await bothRunning(wb);

  await wb.runCommand('Greeter: Greet');
  assert.match(await wb.inputBoxMessage('', /cannot be empty/), /cannot be empty/, 'an empty name is refused with a message');
  await wb.answerInputBox('Alice');
  await wb.pick('go-greeter');
  const message = await wb.waitForNotification('hello Alice');
  assert.match(message, /^hello Alice — from go-greeter in [\d.]+ (ms|s)$/);
  await wb.screenshot('1-greet-notification');
});

scenario('2. the tree shows both plugins running and each greeting under its plugin; the name box remembers the last name', { timeout: 120_000, remoteSettings: bothPlugins }, async ({ wb, plugins }) => {
  await wb.widenSideBar(520);
  await bothRunning(wb);
  await greetFromPalette(wb, 'Alice', 'go-greeter');
  await wb.runCommand('Greeter: Greet');
  assert.equal(await wb.inputBoxValue(), 'Alice');
  await wb.answerInputBox('Bob');
  await wb.pick('node-greeter');
  await wb.waitForNotification('hello Bob — from node-greeter');
  await wb.waitForPluginRow('go-greeter', /^running · pid \d+ · [\d.]+ (ms|s)$/);
  await wb.waitForPluginRow('node-greeter', /^running · pid \d+ · [\d.]+ (ms|s)$/);
  await wb.waitForTreeRow('hello Bob');
  const rows = await wb.treeRowTexts();
  const at = (prefix: string) => rows.findIndex((r) => r.startsWith(prefix));
  assert.ok(at('go-greeter') >= 0 && at('node-greeter') >= 0, `rows: ${rows.join(' | ')}`);
  assert.equal(at('hello Alice'), at('go-greeter') + 1, `"hello Alice" is not the first row under go-greeter: ${rows.join(' | ')}`);
  assert.equal(at('hello Bob'), at('node-greeter') + 1, `"hello Bob" is not the first row under node-greeter: ${rows.join(' | ')}`);
  await wb.screenshot('2-tree-with-greetings');

  // The tooltip tells what the host negotiated; everything in it is escaped text.
  const tip = await wb.pluginTooltip('go-greeter', 'Transport');
  for (const field of ['Path', 'PID', 'Transport', 'TLS', 'Protocol version', 'Uptime', 'Greetings', 'Last latency']) {
    assert.ok(tip.includes(field), `tooltip lacks ${field}: ${tip}`);
  }
  assert.ok(tip.includes(plugins.go), `tooltip shows the path: ${tip}`);
  await wb.screenshot('2b-plugin-tooltip', true);
});

scenario('3. the plugin output channel shows a log line the plugin wrote', { timeout: 120_000, remoteSettings: bothPlugins }, async ({ wb }) => {
  await bothRunning(wb);
  await greetFromPalette(wb, 'Alice', 'go-greeter');
  await wb.clearNotifications();
  await wb.runCommand('Greeter: Show Log');
  await wb.pick('go-greeter');
  // The Go plugin logs `greeting name=Alice` through hclog (stderr, JSON) and prints
  // `greeted Alice` to stdout, which reaches us over GRPCStdio.
  const text = await wb.waitForOutputText(/\[greeter\] greeting[^\n]*name=Alice/);
  assert.match(text, /\[info\]/, 'hclog INFO lines keep their level');
  await wb.waitForOutputText(/\[stdout\] greeted Alice/);
  await wb.screenshot('3-plugin-output-channel');
});

scenario('4. a plugin killed from outside is shown restarting, runs again, and greets', { timeout: 120_000, remoteSettings: bothPlugins }, async ({ wb }) => {
  await bothRunning(wb);
  const before = pidIn(await wb.waitForPluginRow('go-greeter', /^running/));
  process.kill(before, 'SIGKILL');
  await wb.waitForPluginRow('go-greeter', /^restarting/, 10_000);
  await wb.screenshot('4a-plugin-restarting');
  const label = await wb.waitForPluginRow('go-greeter', /^running · pid (\d+)/, 30_000);
  assert.notEqual(pidIn(label), before, 'a new process runs');
  assert.equal(isAlive(before), false);
  const message = await greetFromPalette(wb, 'Carol', 'go-greeter');
  assert.match(message, /^hello Carol — from go-greeter/);
  await wb.screenshot('4b-restarted-plugin-greets');
});

scenario('5. a plugin whose path does not exist is failed, with a message naming the path', { timeout: 120_000, remoteSettings: bothPlugins }, async ({ wb, plugins, server }) => {
  await bothRunning(wb);
  await wb.replaceRemoteSettings({ 'greeter.plugins': [...examplePlugins(plugins), { name: 'missing', path: MISSING_PATH }] }, server.remoteSettingsFile);
  const label = await wb.waitForPluginRow('missing', /^failed: /, 30_000);
  assert.ok(label.includes(MISSING_PATH), `the row names the path: ${label}`);
  const notice = await wb.waitForNotification(MISSING_PATH);
  assert.ok(notice.includes('missing'), `the notification names the plugin: ${notice}`);
  // The other plugins were left alone by the settings change.
  await wb.waitForPluginRow('go-greeter', /^running/);
  await wb.waitForPluginRow('node-greeter', /^running/);
  await wb.page.locator('.monaco-workbench .statusbar-item[aria-label*="1 failed"]').first().waitFor({ timeout: 10_000 });
  await wb.screenshot('5-missing-path-failed');
});

scenario('7. the inline "Greet with This Plugin" button and the status bar item work', { timeout: 120_000, remoteSettings: bothPlugins }, async ({ wb }) => {
  await bothRunning(wb);
  const row = wb.page.locator('.monaco-list-row[aria-label^="node-greeter, "]').first();
  await row.hover();
  await row.locator('.action-label[aria-label="Greet with This Plugin"]').click();
  await wb.answerInputBox('Dave');
  assert.match(await wb.waitForNotification('hello Dave'), /^hello Dave — from node-greeter/);

  // The status bar item counts running plugins and brings the Plugins view back.
  await wb.waitForPluginRow('go-greeter', /^running/);
  await wb.runCommand('View: Show Explorer');
  await wb.page.locator('.statusbar-item[aria-label^="Greeter plugins: 2 of 2 running"]').first().click();
  await wb.page.locator('.pane:has(> .pane-header[aria-label="Plugins Section"]) .pane-body').waitFor({ state: 'visible', timeout: 10_000 });
  await wb.screenshot('7-inline-greet-and-status-bar');
});

scenario('8. Add Plugin... picks an executable and the new plugin runs', { timeout: 120_000, remoteSettings: bothPlugins }, async ({ wb, plugins }) => {
  await wb.waitForPluginRow('node-greeter', /^running/);
  await wb.runCommand('Greeter: Add Plugin...');
  await wb.chooseFile(plugins.node, 'Add Plugin');
  await wb.answerTitledInputBox('Add Greeter Plugin', 'added-node');
  await wb.waitForNotification('Added greeter plugin "added-node"');
  await wb.waitForPluginRow('added-node', /^running/, 30_000);
  await wb.screenshot('8-added-plugin-running');
});
