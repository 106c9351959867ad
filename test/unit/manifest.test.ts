// Checks the extension manifest for the mistakes VS Code does not report: a restricted
// setting id that does not exist restricts nothing, a menu entry for an unknown command
// silently disappears, a missing icon file breaks the activity bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, ContextKeys, VIEW_ID } from '../../src/vscode/ids';
import { ExplorerCommands, REQUEST_EDITOR_CONTEXT_KEY } from '../../src/vscode/explorer/explorer-ids';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;
const settingIds = new Set(Object.keys(contributes.configuration.properties));
const commandIds = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
const viewIds = new Set<string>(Object.values(contributes.views).flat().map((v: any) => v.id));

/** Settings that name an executable, its arguments, environment or working directory. */
const EXECUTION_SETTINGS = ['greeter.plugins'];

test('every restrictedConfigurations id exists in contributes.configuration', () => {
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(restricted.length > 0);
  for (const id of restricted) assert.ok(settingIds.has(id), `restricted setting ${id} is not contributed`);
});

test('every setting that runs something is restricted and machine-overridable', () => {
  const restricted = new Set(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations);
  for (const id of EXECUTION_SETTINGS) {
    assert.ok(restricted.has(id), `${id} must be in restrictedConfigurations`);
    assert.equal(contributes.configuration.properties[id].scope, 'machine-overridable');
  }
  const entry = contributes.configuration.properties['greeter.plugins'].items.properties;
  for (const key of ['path', 'args', 'env', 'cwd']) assert.ok(entry[key], `greeter.plugins entries must describe ${key}`);
});

test('settings that weaken how plugins are launched are restricted too', () => {
  const restricted = new Set(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations);
  assert.ok(restricted.has('greeter.autoMTLS'), 'an untrusted workspace must not turn off mutual TLS');
});

test('the plugins schema accepts the tutorial entry and needs nothing else', () => {
  const items = contributes.configuration.properties['greeter.plugins'].items;
  assert.deepEqual(items.required, ['name', 'path']);
  const hs = items.properties.handshake.properties;
  assert.equal(hs.protocolVersion.default, 1);
  assert.equal(hs.magicCookieKey.default, 'BASIC_PLUGIN');
  assert.equal(hs.magicCookieValue.default, 'hello');
});

test('every global setting has a default and a description', () => {
  for (const id of ['greeter.startTimeout', 'greeter.callTimeout', 'greeter.restartLimit', 'greeter.autoMTLS']) {
    const s = contributes.configuration.properties[id];
    assert.ok(s, `${id} missing`);
    assert.notEqual(s.default, undefined, `${id} has no default`);
    assert.ok(s.markdownDescription || s.description, `${id} has no description`);
  }
});

test('every command referenced by a menu or welcome view exists', () => {
  for (const [menu, entries] of Object.entries<any[]>(contributes.menus)) {
    for (const e of entries) assert.ok(commandIds.has(e.command), `${menu} references unknown command ${e.command}`);
  }
  for (const w of contributes.viewsWelcome) {
    assert.ok(viewIds.has(w.view), `viewsWelcome for unknown view ${w.view}`);
    for (const [, id] of w.contents.matchAll(/\(command:([\w.]+)/g)) {
      if (id.startsWith('greeter.')) assert.ok(commandIds.has(id), `welcome view links unknown command ${id}`);
    }
  }
});

test('menu when clauses name only the Plugins view', () => {
  for (const menu of ['view/title', 'view/item/context']) {
    for (const e of contributes.menus[menu]) {
      const views = [...e.when.matchAll(/view == ([\w.]+)/g)].map((m) => m[1]);
      assert.ok(views.length > 0, `${menu} entry ${e.command} has no view clause`);
      for (const v of views) assert.ok(viewIds.has(v), `${menu} entry ${e.command} names unknown view ${v}`);
    }
  }
});

test('every command has the Greeter category, and inline or title actions have icons', () => {
  const byId = new Map(contributes.commands.map((c: any) => [c.command, c]));
  for (const c of contributes.commands) assert.equal(c.category, 'Greeter', `${c.command} category`);
  const shown = [...contributes.menus['view/title'].filter((e: any) => e.group.startsWith('navigation')),
    ...contributes.menus['view/item/context'].filter((e: any) => e.group.startsWith('inline'))];
  for (const e of shown) assert.ok((byId.get(e.command) as any).icon, `${e.command} is shown as a button but has no icon`);
});

test('commands that need a tree item are hidden from the palette', () => {
  const palette = new Map(contributes.menus.commandPalette.map((e: any) => [e.command, e.when]));
  assert.equal(palette.get('greeter.greetWithPlugin'), 'false');
  assert.equal(palette.get('greeter.reloadServices'), 'false');
  assert.equal(palette.get('greeter.openExplorerSettings'), 'false');
});

test('manifest basics: engine, kind, entry point, activation, icons', () => {
  assert.equal(pkg.name, 'greeter-plugins');
  assert.ok(pkg.publisher);
  assert.equal(pkg.license, 'MIT');
  assert.match(pkg.engines.vscode, /^\^1\.\d+\.\d+$/);
  assert.equal(pkg.engines.vscode, `^${pkg.devDependencies['@types/vscode']}`, '@types/vscode must match engines.vscode');
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.equal(pkg.main, './dist/extension.js');
  assert.ok(!pkg.activationEvents.includes('*'), 'never activate on *');
  assert.ok(existsSync(join(root, pkg.icon)), `${pkg.icon} missing`);
  for (const c of contributes.viewsContainers.activitybar) assert.ok(existsSync(join(root, c.icon)), `${c.icon} missing`);
});

test('the code registers exactly the contributed commands and view', () => {
  assert.deepEqual([...commandIds].sort(), [...Object.values(Commands), ...Object.values(ExplorerCommands)].sort());
  assert.ok(viewIds.has(VIEW_ID));
});

test('when clauses use only context keys the code sets or VS Code defines', () => {
  const ours = new Set<string>([...Object.values(ContextKeys), REQUEST_EDITOR_CONTEXT_KEY]);
  const builtIn = new Set(['view', 'viewItem', 'isWorkspaceTrusted', 'editorTextFocus', 'false', 'true']);
  const clauses = [
    ...Object.values<any[]>(contributes.menus).flat().map((e) => e.when ?? ''),
    ...contributes.keybindings.map((k: any) => k.when ?? ''),
    ...contributes.viewsWelcome.map((w: any) => w.when ?? ''),
  ];
  for (const clause of clauses) {
    const keys = clause.replace(/\/[^/]*\//g, '').match(/[A-Za-z][\w.]*/g) ?? [];
    for (const key of keys) {
      if (key.startsWith(`${VIEW_ID.split('.')[0]}.`) && !viewIds.has(key)) assert.ok(ours.has(key), `unknown context key ${key} in "${clause}"`);
      else if (!key.includes('.')) assert.ok(builtIn.has(key), `unknown context key ${key} in "${clause}"`);
    }
  }
});

test('plugin entry fields: cwd is non-empty and says what happens when unset; path lists every variable', () => {
  const entry = contributes.configuration.properties['greeter.plugins'].items.properties;
  assert.equal(entry.cwd.minLength, 1);
  assert.doesNotMatch(entry.cwd.markdownDescription, /Defaults to the first workspace folder/, 'the code does not default cwd to a folder');
  for (const v of ['${workspaceFolder}', '${workspaceFolder:NAME}', '${workspaceFolderBasename}', '${userHome}', '${env:NAME}']) {
    assert.ok(entry.path.markdownDescription.includes(v), `path description lacks ${v}`);
  }
});
