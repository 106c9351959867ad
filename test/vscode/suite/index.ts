// Runs inside desktop VS Code (launched by ../run.ts): the e2e flows through the API.
// User settings configure the Go and Node example plugins (written by run.ts).

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GreeterApi } from '../../../src/vscode/greeter-extension';
import type { GreetingRecord, PluginSnapshot } from '../../../src/manager';
import { readPluginEntries } from '../../../src/vscode/settings-values';
import { runAll, test } from './mini-runner';

const EXTENSION_ID = 'greeter-plugins.greeter-plugins';
const MISSING_PATH = '/nonexistent/greeter-plugins-vscode-test/greet';
let api: GreeterApi;

/** Resolves when `predicate` holds for the plugin's snapshot. */
function waitFor(name: string, predicate: (s: PluginSnapshot) => boolean, timeoutMs = 20_000): Promise<PluginSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = api.manager.get(name);
      if (s && predicate(s)) {
        sub.dispose();
        clearTimeout(timer);
        resolve(s);
      }
    };
    const sub = api.manager.onDidChange(check);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${name} did not reach the expected state; now ${JSON.stringify(api.manager.get(name)?.state)}`));
    }, timeoutMs);
    check();
  });
}

test('the extension activates and runs both plugins from user settings', async () => {
  const ext = vscode.extensions.getExtension<GreeterApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  api = await ext.activate();
  await waitFor('go-greeter', (s) => s.state === 'running');
  await waitFor('node-greeter', (s) => s.state === 'running');
});

test('Greeter: Greet answers "hello <name>" from the chosen plugin', async () => {
  const records = await vscode.commands.executeCommand<GreetingRecord[]>('greeter.greet', 'Alice', 'go-greeter');
  assert.equal(records?.[0]?.message, 'hello Alice');
});

test('the greeting is kept under the plugin (tree children come from history)', () => {
  assert.equal(api.manager.get('go-greeter')?.history[0]?.message, 'hello Alice');
});

test('Greet with All Plugins asks every running plugin', async () => {
  const records = await vscode.commands.executeCommand<GreetingRecord[]>('greeter.greetAll', 'Bob');
  assert.deepEqual(records?.map((r) => r.message), ['hello Bob', 'hello Bob']);
});

test('a plugin killed from outside restarts and greets again', async () => {
  const pid = api.manager.get('go-greeter')?.info?.pid;
  assert.ok(pid);
  process.kill(pid, 'SIGKILL');
  await waitFor('go-greeter', (s) => s.state === 'restarting' || (s.state === 'running' && s.info?.pid !== pid));
  const running = await waitFor('go-greeter', (s) => s.state === 'running' && s.info?.pid !== pid);
  assert.ok(running.crashCount >= 1);
  const records = await vscode.commands.executeCommand<GreetingRecord[]>('greeter.greetWithPlugin', 'go-greeter', 'Carol');
  assert.equal(records?.[0]?.message, 'hello Carol');
});

test('a plugin whose path does not exist is failed with a message naming the path', async () => {
  const config = vscode.workspace.getConfiguration('greeter');
  const current = config.inspect<unknown[]>('plugins')?.globalValue ?? [];
  await config.update('plugins', [...current, { name: 'missing', path: MISSING_PATH }], vscode.ConfigurationTarget.Global);
  const failed = await waitFor('missing', (s) => s.state === 'failed');
  const err = failed.configError ?? failed.lastError;
  assert.ok(err?.message.includes(MISSING_PATH), err?.message);
  await config.update('plugins', current, vscode.ConfigurationTarget.Global);
});

test('untrusted: only user-level entries are read', () => {
  const fake = {
    inspect: () => ({ key: 'greeter.plugins', globalValue: [{ name: 'u', path: '/u' }], workspaceValue: [{ name: 'w', path: '/w' }] }),
  } as unknown as vscode.WorkspaceConfiguration;
  assert.deepEqual(readPluginEntries(fake, false), [{ name: 'u', path: '/u' }]);
  assert.deepEqual(readPluginEntries(fake, true), [{ name: 'u', path: '/u' }, { name: 'w', path: '/w' }]);
});

/** Entry point @vscode/test-electron calls. */
export function run(): Promise<void> {
  return runAll();
}
