// End to end in real VS Code (code-server + headless Chromium, as extension.test.ts): the
// plugin explorer against a plugin nobody here wrote, hashicorp's terraform-provider-time
// v0.14.2 (built by `npm run build:plugins`, scripts/build-explorer-plugins.sh), configured
// with only its path and `handshake.preset: "terraform"`. Services expanded from the tree,
// GetSchema called from its row, Send with Ctrl+Enter, the response beside the request;
// then a request with a misspelt field: the schema warns in Problems and the call's error
// names the field. Screenshots under test-results/e2e-<version>/.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before } from 'node:test';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/e2e/code-server';
import { e2eSuite } from '../../scripts/e2e/scenario';
import type { Workbench } from '../../scripts/e2e/workbench';

const PROVIDER = join(ROOT, 'test', 'fixtures', 'bin', 'third-party', 'terraform-provider-time');
const scenario = e2eSuite('explorer');

const timeProvider = () => {
  assert.ok(existsSync(PROVIDER), `${PROVIDER} is missing: run \`npm run build:plugins\` (scripts/build-explorer-plugins.sh builds it with go install)`);
  return { 'greeter.plugins': [{ name: 'time', path: PROVIDER, handshake: { preset: 'terraform' } }] };
};

const SIDEBAR_ROW = '.part.sidebar .monaco-list-row';

/** Clicks the tree row whose text starts with `label` (a collapsed row expands). */
async function clickRow(page: Page, label: string, index = 0): Promise<void> {
  const row = page.locator(SIDEBAR_ROW).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).nth(index);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}

/** Uses the editor's find widget: whether `text` occurs in the active editor (virtualised lines are searched too). */
async function editorContains(page: Page, text: string): Promise<string> {
  await page.keyboard.press('ControlOrMeta+F');
  const input = page.locator('.editor-instance .find-widget.visible textarea, .editor-instance .find-widget.visible input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  const count = page.locator('.editor-instance .find-widget.visible .matchesCount');
  await page.waitForFunction(
    (sel) => /\d+ of \d+|No results/.test(document.querySelector(sel)?.textContent ?? ''),
    '.editor-instance .find-widget.visible .matchesCount',
    { timeout: 10_000 },
  );
  return (await count.textContent()) ?? '';
}

/** The text of the focused editor, through the clipboard (the model, not just the visible lines). */
async function focusedEditorText(wb: Workbench): Promise<string> {
  await wb.page.keyboard.press('ControlOrMeta+A');
  await wb.page.keyboard.press('ControlOrMeta+C');
  return wb.page.evaluate(() => navigator.clipboard.readText());
}

/** A plugin row's hover; the hover is asked for again (mouse away and back) if the first one does not show. */
async function tooltipOf(wb: Workbench, plugin: string, expect: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await wb.pluginTooltip(plugin, expect);
    } catch (err) {
      if (attempt === 3) throw err;
      await wb.page.mouse.move(800, 450);
    }
  }
}

/** Waits for an editor tab whose label starts with `label`, and returns it. */
async function waitForTab(page: Page, label: string, timeoutMs = 30_000) {
  const tab = page.locator('.tabs-container .tab', { hasText: label }).first();
  await tab.waitFor({ state: 'visible', timeout: timeoutMs });
  return tab;
}

scenario('1. preset terraform: Services → tfplugin5.Provider → GetSchema called from the tree; the response shows time_static', { timeout: 180_000, remoteSettings: timeProvider }, async ({ wb }) => {
  const page = wb.page;
  await wb.widenSideBar(520);
  await wb.waitForPluginRow('time', /^running/);
  const tip = await tooltipOf(wb, 'time', 'Protocol version');
  assert.match(tip, /Protocol version 5 \(chosen from 6, 5\)/, tip);
  assert.match(tip, /Handshake preset terraform/, tip);

  await clickRow(page, 'time');
  await clickRow(page, 'Services');
  await wb.waitForTreeRow('tfplugin5.Provider', 30_000);
  const rows = await wb.treeRowTexts();
  assert.ok(!rows.some((r) => r.startsWith('plugin.GRPCController') || r.startsWith('grpc.health')), `internal services are hidden: ${rows.join(' | ')}`);
  await clickRow(page, 'tfplugin5.Provider');
  await wb.waitForTreeRow('GetSchema');
  await wb.screenshot('explorer-1-services');

  // The inline Call Method... button on the method's row.
  const method = page.locator(SIDEBAR_ROW, { hasText: 'GetSchema' }).first();
  await method.hover();
  await method.locator('.action-label[aria-label^="Call Method"]').click();
  await waitForTab(page, 'GetSchema.request.json');
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('ControlOrMeta+Enter');

  await waitForTab(page, 'GetSchema.response', 60_000);
  // Focus the response (beside the request) and search it.
  await page.locator('.tabs-container .tab', { hasText: 'GetSchema.response' }).first().click();
  const header = await page.locator('.editor-group-container.active .view-lines').first().innerText();
  assert.match(header.replace(/\u00a0/g, ' '), /tfplugin5\.Provider\/GetSchema · plugin time[\s\S]*Status: OK/, header);
  const found = await editorContains(page, 'time_static');
  assert.match(found, /^\d+ of \d+$/, `time_static in the response: ${found}`);
  await wb.screenshot('explorer-2-getschema-response');
});

scenario('2. a misspelt field: the schema warns in Problems and the error names the field', { timeout: 180_000, remoteSettings: timeProvider }, async ({ wb }) => {
  const page = wb.page;
  await wb.waitForPluginRow('time', /^running/);
  await wb.runCommand('Greeter: Call Method...');
  await wb.pick('tfplugin5.Provider/ValidateResourceTypeConfig');
  await waitForTab(page, 'ValidateResourceTypeConfig.request.json');
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  const template = await focusedEditorText(wb);
  assert.match(template, /"\$schema": "file:\/\/.*ValidateResourceTypeConfig\.schema\.json"/, template);
  assert.match(template, /"typeName": ""/, template);
  await page.evaluate((text) => navigator.clipboard.writeText(text), template.replace('"typeName": ""', '"typeNmae": "time_static"'));
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');

  // The JSON language features validate against the generated schema.
  await page.keyboard.press('ControlOrMeta+Shift+M');
  const problems = page.locator('.markers-panel .monaco-list-row', { hasText: 'typeNmae' }).first();
  await problems.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await problems.innerText(), /typeNmae.*not allowed/s);

  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('ControlOrMeta+Enter');
  const error = await wb.waitForNotification('typeNmae', 30_000);
  assert.match(error, /typeNmae/);
  assert.match(error, /typeName/, `the error lists the valid fields: ${error}`);
  await wb.screenshot('explorer-3-typo-warning-and-error');
});

// A Node SDK plugin without reflection (test/fixtures/explorer-vscode), described by its
// .proto through the protoFiles setting.
const BIG_PLUGIN = join(ROOT, 'test', 'fixtures', 'bin', 'big-plugin');
const BIG_PROTO = join(ROOT, 'test', 'fixtures', 'explorer-vscode', 'big.proto');
before(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-node-plugins.mjs'), `test/fixtures/explorer-vscode/big-plugin.ts=${BIG_PLUGIN}`], { cwd: ROOT, stdio: 'inherit' });
});
const bigPlugin = () => ({ 'greeter.plugins': [{ name: 'big', path: BIG_PLUGIN, protoFiles: [BIG_PROTO] }] });

/**
 * Opens the request editor of `spec` from the palette and makes each `[from, to]`
 * replacement in it, in one paste, checked by reading the editor back (a read right after
 * a paste can see the old or an empty text, so it is retried rather than trusted).
 */
async function openRequest(wb: Workbench, spec: string, ...replacements: [string, string][]): Promise<void> {
  await wb.runCommand('Greeter: Call Method...');
  await wb.pick(spec);
  await waitForTab(wb.page, `${spec.split('/')[1]}.request.json`);
  await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  const original = await focusedEditorText(wb);
  let wanted = original;
  for (const [from, to] of replacements) {
    assert.ok(wanted.includes(from), `"${from}" is not in the request template:\n${original}`);
    wanted = wanted.replace(from, to);
  }
  for (let attempt = 1; ; attempt++) {
    await wb.page.evaluate((t) => navigator.clipboard.writeText(t), wanted);
    await wb.page.keyboard.press('ControlOrMeta+A');
    await wb.page.keyboard.press('ControlOrMeta+V');
    const now = await focusedEditorText(wb);
    if (replacements.every(([, to]) => now.includes(to))) return;
    assert.ok(attempt < 5, `the request editor does not hold the edited request after ${attempt} pastes:\n${now}`);
  }
}

/** The lines the active editor group shows (Monaco renders spaces as no-break spaces). */
async function activeEditorLines(page: Page): Promise<string> {
  return ((await page.locator('.editor-group-container.active .view-lines').first().innerText()) ?? '').replace(/\u00a0/g, ' ');
}

scenario('3. a 10 MB response opens as plain text and the workbench keeps answering', { timeout: 180_000, remoteSettings: bigPlugin }, async ({ wb }) => {
  const page = wb.page;
  await wb.waitForPluginRow('big', /^running/);
  await openRequest(wb, 'bigtest.Big/Get', ['"megabytes": 0', '"megabytes": 10']);
  await page.keyboard.press('ControlOrMeta+Enter');
  const tab = await waitForTab(page, 'Get.response', 60_000);
  await tab.click();
  await page.waitForFunction(() => /Status: OK/.test((document.querySelector('.editor-group-container.active .view-lines') as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ') ?? ''), undefined, { timeout: 60_000 });
  assert.match(await activeEditorLines(page), /bigtest\.Big\/Get · plugin big/);
  // Large responses skip JSON colouring and folding.
  await page.locator('.statusbar-item', { hasText: 'Plain Text' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  // The workbench still answers: the palette opens and runs a command.
  await wb.runCommand('Greeter: Call Method...');
  await wb.pick('bigtest.Big/Get');
  await waitForTab(page, 'Get.request.json');
  await wb.screenshot('explorer-4-10mb-response');
});

scenario('4. a plugin stopped during a call ends the call with a clear message', { timeout: 180_000, remoteSettings: bigPlugin }, async ({ wb }) => {
  const page = wb.page;
  await wb.waitForPluginRow('big', /^running/);
  await openRequest(wb, 'bigtest.Big/Hold', ['"megabytes": 0', '"megabytes": 1']);
  await page.keyboard.press('ControlOrMeta+Enter');
  await page.locator('.notifications-toasts .notification-list-item', { hasText: 'bigtest.Big/Hold' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await wb.runCommand('Greeter: Stop Plugin');
  const message = await wb.waitForNotification('was stopped', 30_000);
  assert.match(message, /Plugin "big" was stopped\. Start it again to use it\./);
  const tab = await waitForTab(page, 'Hold.response', 30_000);
  await tab.click();
  const lines = await activeEditorLines(page);
  assert.match(lines, /Status: PLUGIN_NOT_RUNNING/, lines);
  await wb.screenshot('explorer-5-stopped-during-call');
});

// The explorer's Go test plugin (reflection, every method kind; scripts/build-explorer-plugins.sh).
const FIXTURE = join(ROOT, 'test', 'fixtures', 'bin', 'explorer-fixture');
const fixturePlugin = () => {
  assert.ok(existsSync(FIXTURE), `${FIXTURE} is missing: run \`npm run build:plugins\``);
  return { 'greeter.plugins': [{ name: 'fixture', path: FIXTURE }] };
};

scenario('5. a server stream grows in the response with a running count, and Cancel ends it', { timeout: 180_000, remoteSettings: fixturePlugin }, async ({ wb }) => {
  const page = wb.page;
  await wb.waitForPluginRow('fixture', /^running/);
  // 100,000 messages, 100 ms apart: still streaming when Cancel is clicked.
  await openRequest(wb, 'explorer.fixture.Fixture/Count', ['"count": 0', '"count": 100000'], ['"intervalMs": 0', '"intervalMs": 100']);
  await page.keyboard.press('ControlOrMeta+Enter');
  const progress = page.locator('.notifications-toasts .notification-list-item', { hasText: /streaming… \d+ messages?/ }).first();
  await progress.waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForFunction(() => {
    const text = Array.from(document.querySelectorAll('.editor-group-container .view-lines')).map((e) => (e as HTMLElement).innerText.replace(/\u00a0/g, ' ')).join('\n');
    const m = /Status: streaming… · .* · (\d+) messages/.exec(text);
    return m && Number(m[1]) >= 3;
  }, undefined, { timeout: 30_000 });
  await wb.screenshot('explorer-6-stream-running');
  await progress.hover();
  await progress.locator('.monaco-button, .action-label', { hasText: 'Cancel' }).first().click();
  await page.waitForFunction(() => {
    const text = Array.from(document.querySelectorAll('.editor-group-container .view-lines')).map((e) => (e as HTMLElement).innerText.replace(/\u00a0/g, ' ')).join('\n');
    return /Status: CANCELLED · .* · \d+ messages/.test(text);
  }, undefined, { timeout: 30_000 });
  await wb.screenshot('explorer-7-stream-cancelled');
});

scenario('6. a plugin without reflection shows the error as a row that opens the settings; internal services on request', {
  timeout: 180_000,
  remoteSettings: () => ({
    'greeter.explorer.showInternalServices': true,
    'greeter.plugins': [
      { name: 'noreflect', path: FIXTURE, env: { FIXTURE_REFLECTION: 'none' } },
      { name: 'fixture', path: FIXTURE },
    ],
  }),
}, async ({ wb }) => {
  const page = wb.page;
  await wb.widenSideBar(520);
  await wb.waitForPluginRow('noreflect', /^running/);
  await wb.waitForPluginRow('fixture', /^running/);
  await clickRow(page, 'noreflect');
  await clickRow(page, 'Services');
  await wb.waitForTreeRow('Plugin "noreflect" does not serve gRPC server reflection', 30_000);
  await clickRow(page, 'fixture');
  await clickRow(page, 'Services', 1);
  await wb.waitForTreeRow('plugin.GRPCController', 30_000);
  const rows = await wb.treeRowTexts();
  assert.ok(rows.some((r) => r.startsWith('explorer.fixture.Fixture')), rows.join(' | '));
  assert.ok(rows.some((r) => r.startsWith('grpc.health.v1.Health')), rows.join(' | '));
  await wb.screenshot('explorer-8-no-reflection-and-internal-services');
  // The error row's action: the settings, where protoFiles go.
  await page.locator(SIDEBAR_ROW, { hasText: 'does not serve gRPC server reflection' }).first().click();
  // 1.100 opens it as a tab, 1.139 as a modal editor: the settings editor itself is the check.
  await page.locator('.settings-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
});
