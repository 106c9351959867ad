// Which settings levels count, read through the same pure functions the extension uses
// (src/vscode/settings-values.ts); the configuration objects are plain data.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readManagerSettings, readPluginEntries, settingsTextDefinesPlugins, type InspectedValue, type SettingsSource } from '../../src/vscode/settings-values';

/** A configuration as VS Code's inspect() reports it: per-key values at each level. */
function settings(values: Record<string, InspectedValue<unknown>>): SettingsSource {
  return {
    inspect: <T>(key: string) => values[key] as InspectedValue<T> | undefined,
    // get() merges the levels as VS Code does: folder over workspace over user over default.
    get: <T>(key: string) => {
      const v = values[key];
      return (v?.workspaceFolderValue ?? v?.workspaceValue ?? v?.globalValue ?? v?.defaultValue) as T | undefined;
    },
  };
}

test('an untrusted workspace cannot turn off AutoMTLS for the user\'s plugins', () => {
  const config = settings({ autoMTLS: { defaultValue: true, workspaceValue: false } });
  assert.equal(readManagerSettings(config, false).autoMTLSDefault, true);
  assert.equal(readManagerSettings(config, true).autoMTLSDefault, false, 'a trusted workspace may');
  const userOff = settings({ autoMTLS: { defaultValue: true, globalValue: false, workspaceValue: true } });
  assert.equal(readManagerSettings(userOff, false).autoMTLSDefault, false, 'the user value applies when untrusted');
});

test('missing or malformed global settings fall back to the defaults', () => {
  const s = readManagerSettings(settings({ startTimeout: { globalValue: -1 }, restartLimit: { globalValue: 'x' } }), true);
  assert.deepEqual(s, { startTimeoutMs: 10_000, callTimeoutMs: 10_000, restartLimit: 4, restartWindowMs: 180_000, autoMTLSDefault: true });
  assert.equal(readManagerSettings(settings({ restartLimit: { globalValue: 0 } }), true).restartLimit, 0);
});

test('workspace plugin entries count only when trusted, and replace user entries of the same name', () => {
  const config = settings({
    plugins: {
      globalValue: [{ name: 'a', path: '/u/a' }, { name: 'b', path: '/u/b' }],
      workspaceValue: [{ name: 'b', path: '/w/b' }, { name: 'c', path: '/w/c' }],
    },
  });
  assert.deepEqual(readPluginEntries(config, false), [{ name: 'a', path: '/u/a' }, { name: 'b', path: '/u/b' }]);
  assert.deepEqual(readPluginEntries(config, true), [{ name: 'a', path: '/u/a' }, { name: 'b', path: '/w/b' }, { name: 'c', path: '/w/c' }]);
});

test('Restricted Mode notices plugins in a workspace settings file only when it sets some', () => {
  assert.equal(settingsTextDefinesPlugins(JSON.stringify({ 'greeter.plugins': [{ name: 'w', path: '/w' }] }, null, 2)), true);
  assert.equal(settingsTextDefinesPlugins('{\n  // a comment: "greeter.plugins": [1]\n  "editor.tabSize": 2\n}'), false);
  assert.equal(settingsTextDefinesPlugins('{ /* "greeter.plugins": [1] */ }'), false);
  assert.equal(settingsTextDefinesPlugins('{ "greeter.plugins": [ ] }'), false, 'an empty list holds nothing back');
  assert.equal(settingsTextDefinesPlugins('{ "settings": { "greeter.plugins": [{"name": "x", "path": "https://x"}] } }'), true, 'a .code-workspace file');
  assert.equal(settingsTextDefinesPlugins('{ "greeter.startTimeout": 5000 }'), false);
  assert.equal(settingsTextDefinesPlugins(''), false);
});
