// End-to-end, New Plugin: in code-server, from the packaged VSIX, Greeter: New Plugin...
// writes a TypeScript (then a Go) plugin into the workspace, builds it with the real
// toolchain (npm and the npm registry; go and the Go module proxy), adds it to the
// settings and starts it; Greet answers from it. Then the test edits the greeting as an
// author would and runs the project's rebuild command in a shell: the executable watcher
// restarts the plugin and the next Greet answers with the new text, with no click between.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eSuite } from '../../scripts/e2e/scenario';
import type { Workbench } from '../../scripts/e2e/workbench';
import { checkToolchain } from '../../src/scaffold';

const scenario = e2eSuite('new-plugin');

/** How each language is chosen, edited and rebuilt. */
const LANGUAGES = {
  typescript: { label: 'TypeScript', source: 'src/greeter.ts', from: "const GREETING = 'hello'", to: "const GREETING = 'howdy'", rebuild: ['npm', 'run', 'build'] },
  go: { label: 'Go', source: 'main.go', from: 'const greeting = "hello"', to: 'const greeting = "howdy"', rebuild: ['sh', './build.sh'] },
} as const;

/** Greets from the palette; the new plugin is the only one running, so Greet asks no plugin. */
async function greet(wb: Workbench, person: string, plugin: string, expect: string): Promise<string> {
  await wb.runCommand('Greeter: Greet');
  await wb.answerInputBox(person);
  return wb.waitForNotification(`${expect} — from ${plugin}`);
}

/** The pid in a row label "name, running · pid 123 · …". */
function pidIn(label: string): number {
  const m = /pid (\d+)/.exec(label);
  assert.ok(m, `no pid in "${label}"`);
  return Number(m[1]);
}

for (const [id, lang] of Object.entries(LANGUAGES)) {
  const name = `${id === 'typescript' ? 'ts' : id}-hello`;
  scenario(`N${id === 'typescript' ? 1 : 2}. New Plugin (${lang.label}) builds and starts a plugin; Greet answers; edit and rebuild change the answer`, { timeout: 420_000 }, async ({ wb, workspace }) => {
    const missing = await checkToolchain(id as 'typescript' | 'go');
    assert.equal(missing, undefined, `this scenario builds a real ${lang.label} plugin: ${missing?.message}`);

    await wb.runCommand('Greeter: New Plugin...');
    await wb.pick(lang.label);
    await wb.answerTitledInputBox('New Greeter Plugin (2/3)', name);
    await wb.pick('workspace'); // the workspace folder, first of the locations
    await wb.waitForNotification(`Creating greeter plugin "${name}"`, 15_000);
    await wb.screenshot(`N-${id}-1-building`);
    // npm install / go build against the registries: generous, CI machines are slow.
    await wb.waitForNotification(`Created greeter plugin "${name}"`, 300_000);
    const dir = join(workspace, name);
    const first = pidIn(await wb.waitForPluginRow(name, /^running · pid \d+/, 60_000));
    await wb.screenshot(`N-${id}-2-created-and-running`);

    assert.match(await greet(wb, 'Alice', name, 'hello Alice'), new RegExp(`^hello Alice — from ${name}`));

    // The author's loop: edit, build in a terminal, greet.
    const source = join(dir, lang.source);
    const text = readFileSync(source, 'utf8');
    assert.ok(text.includes(lang.from), `${source} has the greeting to edit`);
    writeFileSync(source, text.replace(lang.from, lang.to));
    execFileSync(lang.rebuild[0], lang.rebuild.slice(1), { cwd: dir, stdio: 'pipe' });
    // The rebuilt executable restarts the plugin by itself: the row shows a new process.
    await wb.waitForPluginRow(name, new RegExp(`^running · pid (?!${first}\\b)\\d+`), 30_000);
    assert.match(await greet(wb, 'Bob', name, 'howdy Bob'), new RegExp(`^howdy Bob — from ${name}`));
    await wb.screenshot(`N-${id}-3-rebuilt-greets-new-text`);
  });
}

scenario('N3. the Get Started walkthrough lists its four steps and its first step offers New Plugin...', { timeout: 120_000 }, async ({ wb }) => {
  await wb.runCommand('Welcome: Open Walkthrough...');
  await wb.pick('Get Started with Greeter Plugins');
  const titles = wb.page.locator('.getting-started-step .step-title');
  await titles.first().waitFor({ state: 'visible', timeout: 30_000 });
  assert.deepEqual((await titles.allInnerTexts()).map((t) => t.trim()), ['Create or add a plugin', 'Greet it', 'Look at its log', 'Explore its services']);
  const newPlugin = wb.page.locator('.getting-started-step.expanded .monaco-button', { hasText: 'New Plugin...' });
  await newPlugin.waitFor({ state: 'visible', timeout: 10_000 });
  await wb.screenshot('N3-walkthrough');
  // The step's button runs the command: its first question is the language.
  await newPlugin.click();
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'New Greeter Plugin (1/3)' }).waitFor({ state: 'visible', timeout: 10_000 });
  await wb.page.keyboard.press('Escape');
});
