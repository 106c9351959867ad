// Lifecycle actions per plugin, and the manifest's tree-row menus agreeing with them: a row
// shows Start/Stop/Restart exactly when the command would act on that plugin.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginError } from '../../src/host/errors';
import type { PluginState } from '../../src/manager';
import { canRestart, canStart, canStop, pluginContextKeys, pluginContextValue } from '../../src/vscode/plugin-actions';
import { misconfigured, snapshot } from './vscode-snapshots';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const STATES: PluginState[] = ['stopped', 'starting', 'running', 'stopping', 'restarting', 'failed', 'disabled'];


/** The row menus (inline and context) that show `command`, as regular expressions on viewItem. */
function rowMenus(command: string): RegExp[] {
  return pkg.contributes.menus['view/item/context']
    .filter((e: { command: string }) => e.command === command)
    .map((e: { when: string }) => {
      const m = /viewItem =~ \/(.*)\/$/.exec(e.when);
      assert.ok(m, `${command}: when clause "${e.when}" does not test viewItem`);
      return new RegExp(m[1]!);
    });
}

test('a misconfigured plugin offers neither Start nor Restart', () => {
  assert.equal(pluginContextValue(misconfigured), 'plugin.misconfigured');
  assert.equal(canStart(misconfigured), false);
  assert.equal(canRestart(misconfigured), false);
  assert.equal(canStop(misconfigured), false);
  const crashed = snapshot({ state: 'failed', lastError: new PluginError('PLUGIN_EXITED', 'crashed') });
  assert.equal(pluginContextValue(crashed), 'plugin.failed');
  assert.equal(canStart(crashed), true);
  assert.equal(canRestart(crashed), true);
});

test('the inline row buttons appear exactly when the command applies', () => {
  const inline = (command: string) =>
    new RegExp(/viewItem =~ \/(.*)\/$/.exec(pkg.contributes.menus['view/item/context'].find((e: { command: string; group: string }) => e.command === command && e.group.startsWith('inline')).when)![1]!);
  const cases = [...STATES.map((state) => snapshot({ state })), misconfigured];
  for (const s of cases) {
    const value = pluginContextValue(s);
    assert.equal(inline('greeter.startPlugin').test(value), canStart(s), `Start on ${value}`);
    assert.equal(inline('greeter.stopPlugin').test(value), canStop(s), `Stop on ${value}`);
    for (const re of rowMenus('greeter.stopPlugin')) assert.equal(re.test(value), canStop(s), `Stop menu on ${value}`);
    for (const re of rowMenus('greeter.startPlugin')) assert.equal(re.test(value), canStart(s), `Start menu on ${value}`);
    for (const re of rowMenus('greeter.restartPlugin')) if (re.test(value)) assert.ok(canRestart(s), `Restart menu on ${value}`);
  }
});

test('rows with history carry .hasHistory; Clear History shows only on them, other menus are unaffected', () => {
  const record = { name: 'Ann', message: 'hello Ann', latencyMs: 1, at: new Date(0) };
  const [clear] = rowMenus('greeter.clearHistory');
  for (const s of [...STATES.map((state) => snapshot({ state })), misconfigured]) {
    const plain = pluginContextValue(s);
    const withHistory = pluginContextValue({ ...s, history: [record] });
    assert.equal(withHistory, `${plain}.hasHistory`);
    assert.equal(clear!.test(plain), false, `Clear History on ${plain}`);
    assert.equal(clear!.test(withHistory), true, `Clear History on ${withHistory}`);
    for (const command of ['greeter.startPlugin', 'greeter.stopPlugin', 'greeter.restartPlugin', 'greeter.greetWithPlugin']) {
      for (const re of rowMenus(command)) assert.equal(re.test(withHistory), re.test(plain), `${command} on ${withHistory}`);
    }
  }
});

test('palette keys: Start needs a startable plugin, Stop an active one (restarting counts)', () => {
  const keys = (...states: PluginState[]) => pluginContextKeys(states.map((state) => snapshot({ state })));
  assert.deepEqual(keys(), { hasPlugins: false, hasRunningPlugins: false, hasStoppedPlugins: false, hasActivePlugins: false, hasHistory: false });
  assert.equal(keys('running').hasStoppedPlugins, false, 'Start is hidden when everything runs');
  assert.equal(keys('restarting').hasActivePlugins, true, 'Stop shows for a plugin waiting to restart');
  assert.equal(keys('restarting').hasRunningPlugins, false);
  assert.equal(keys('stopped', 'running').hasStoppedPlugins, true);
  assert.equal(pluginContextKeys([misconfigured]).hasStoppedPlugins, false, 'a misconfigured plugin cannot be started');
  const palette = new Map(pkg.contributes.menus.commandPalette.map((e: { command: string; when: string }) => [e.command, e.when]));
  assert.equal(palette.get('greeter.startPlugin'), 'greeter.hasStoppedPlugins');
  assert.equal(palette.get('greeter.stopPlugin'), 'greeter.hasActivePlugins');
  assert.equal(palette.get('greeter.stopAll'), 'greeter.hasActivePlugins');
});
