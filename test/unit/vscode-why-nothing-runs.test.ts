// Greeter: Greet is always in the palette; when no plugin runs it says why and offers the
// action that fixes it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginError } from '../../src/host/errors';
import type { PluginSnapshot, PluginState } from '../../src/manager';
import { Commands } from '../../src/vscode/ids';
import { MANAGE_TRUST_COMMAND, whyNothingRuns } from '../../src/vscode/why-nothing-runs';
import { misconfigured, snapshot } from './vscode-snapshots';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

function plugin(name: string, state: PluginState, over: Partial<PluginSnapshot> = {}): PluginSnapshot {
  return snapshot({ name, state, entry: { name, path: `/bin/${name}` }, ...over });
}
const commands = (plugins: PluginSnapshot[], restricted = false) => whyNothingRuns(plugins, restricted)?.actions.map((a) => a.command);

test('Greeter: Greet is in the command palette whatever the plugins do', () => {
  const entry = pkg.contributes.menus.commandPalette.find((e: { command: string }) => e.command === Commands.greet);
  assert.ok(entry === undefined || entry.when === 'true', `palette when clause hides Greet: ${JSON.stringify(entry)}`);
});

test('a running plugin: nothing to explain', () => {
  assert.equal(whyNothingRuns([plugin('a', 'failed'), plugin('b', 'running')], true), undefined);
});

test('none configured: Add Plugin...', () => {
  const notice = whyNothingRuns([], false)!;
  assert.match(notice.message, /No greeter plugin is configured/);
  assert.deepEqual(commands([]), [Commands.addPlugin, Commands.openSettings]);
});

test('none configured because Restricted Mode holds back the workspace\'s plugins: Manage Workspace Trust', () => {
  const notice = whyNothingRuns([], true)!;
  assert.match(notice.message, /Restricted Mode/);
  assert.equal(notice.actions[0]!.command, MANAGE_TRUST_COMMAND);
  assert.equal(notice.actions[0]!.title, 'Manage Workspace Trust');
});

test('all stopped: Start All', () => {
  const notice = whyNothingRuns([plugin('a', 'stopped'), plugin('b', 'stopped')], false)!;
  assert.match(notice.message, /all are stopped/);
  assert.deepEqual(commands([plugin('a', 'stopped')]), [Commands.startAll]);
  assert.match(whyNothingRuns([plugin('a', 'stopped')], false)!.message, /"a" is stopped/);
});

test('failed: names the plugin and its error, Show Log for that plugin first', () => {
  const crashed = plugin('go', 'failed', { lastError: new PluginError('PLUGIN_EXITED', 'The go plugin crashed 5 times in 3 min.\nstderr: panic') });
  const notice = whyNothingRuns([plugin('ok', 'disabled'), crashed], false)!;
  assert.equal(notice.severity, 'warning');
  assert.match(notice.message, /"go" failed: The go plugin crashed 5 times in 3 min\.$/, 'first line of the error');
  assert.deepEqual(notice.actions[0], { title: 'Show Log', command: Commands.showLog, args: ['go'] });
  assert.ok(notice.actions.some((a) => a.command === Commands.startAll), 'a crashed plugin can be started again');
});

test('a misconfigured entry is fixed in settings, not by starting it', () => {
  assert.deepEqual(commands([misconfigured]), [Commands.openSettings]);
});

test('still starting: says so and shows its log', () => {
  const notice = whyNothingRuns([plugin('slow', 'starting'), plugin('b', 'failed')], false)!;
  assert.match(notice.message, /"slow" is still starting/);
  assert.deepEqual(notice.actions[0]!.args, ['slow']);
});

test('only disabled entries: Open Settings', () => {
  assert.match(whyNothingRuns([plugin('a', 'disabled')], false)!.message, /disabled in settings/);
  assert.deepEqual(commands([plugin('a', 'disabled')]), [Commands.openSettings]);
});

test('user plugins stopped while Restricted Mode holds back the workspace\'s: both fixes are offered', () => {
  const notice = whyNothingRuns([plugin('mine', 'stopped')], true)!;
  assert.match(notice.message, /Restricted Mode/);
  assert.deepEqual(notice.actions.map((a) => a.command), [Commands.startAll, MANAGE_TRUST_COMMAND]);
});

test('every action runs a command the extension contributes or VS Code\'s trust editor', () => {
  const contributed = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const cases: [PluginSnapshot[], boolean][] = [[[], false], [[], true], [[plugin('a', 'stopped')], true], [[plugin('a', 'failed')], false], [[misconfigured], true], [[plugin('a', 'starting')], false], [[plugin('a', 'disabled')], true]];
  for (const [plugins, restricted] of cases) {
    for (const a of whyNothingRuns(plugins, restricted)!.actions) assert.ok(contributed.has(a.command) || a.command === MANAGE_TRUST_COMMAND, a.command);
  }
});
