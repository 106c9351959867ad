import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubstitutionError, resolvePath, substituteVariables, workspaceSubstitutionContext } from '../../src/manager/substitute';
import { resolvePluginConfig } from '../../src/manager/plugin-config';
import { validatePluginEntry } from '../../src/manager/validate';
import { DEFAULT_MANAGER_SETTINGS, type SubstitutionContext } from '../../src/manager/types';

const ctx: SubstitutionContext = {
  workspaceFolders: ['/work/proj', '/work/other'],
  userHome: '/home/ann',
  env: { GOPATH: '/home/ann/go', EMPTY: '' },
};
const noFolder: SubstitutionContext = { ...ctx, workspaceFolders: [] };

test('expands every supported variable', () => {
  assert.equal(substituteVariables('${workspaceFolder}/bin/greet', ctx), '/work/proj/bin/greet');
  assert.equal(substituteVariables('${workspaceFolderBasename}', ctx), 'proj');
  assert.equal(substituteVariables('${workspaceFolder:other}/x', ctx), '/work/other/x');
  assert.equal(substituteVariables('${userHome}/.local', ctx), '/home/ann/.local');
  assert.equal(substituteVariables('${env:GOPATH}/bin/greeter', ctx), '/home/ann/go/bin/greeter');
  assert.equal(substituteVariables('a${env:UNSET}b', ctx), 'ab');
  assert.equal(substituteVariables('~/bin/greet', ctx), '/home/ann/bin/greet');
  assert.equal(substituteVariables('~', ctx), '/home/ann');
  assert.equal(substituteVariables('x~/y', ctx), 'x~/y', 'only a leading ~ expands');
});

test('unknown variables and missing folders are errors', () => {
  assert.throws(() => substituteVariables('${workspaceRoot}/x', ctx), (e: unknown) => e instanceof SubstitutionError && /unknown variable \$\{workspaceRoot\}/.test(e.message));
  assert.throws(() => substituteVariables('${workspaceFolder}/x', noFolder), /no workspace folder is open/);
  assert.throws(() => substituteVariables('${workspaceFolder:nope}', ctx), /not open/);
});

test('relative paths resolve against the first workspace folder, and fail without one', () => {
  assert.equal(resolvePath('bin/greet', ctx), '/work/proj/bin/greet');
  assert.equal(resolvePath('/abs/../greet', ctx), '/greet');
  assert.throws(() => resolvePath('bin/greet', noFolder), /relative path "bin\/greet".*no workspace folder/);
});

test('resolvePluginConfig fills the tutorial defaults and substitutes path, args, cwd and env', () => {
  const v = validatePluginEntry(
    { name: 'hello', path: '${workspaceFolder}/greet', args: ['--home=~', '${userHome}'], cwd: 'sub', env: { P: '${env:GOPATH}' } },
    0,
  );
  const c = resolvePluginConfig(v, ctx, { ...DEFAULT_MANAGER_SETTINGS, autoMTLSDefault: true, startTimeoutMs: 1234 });
  assert.equal(c.configError, undefined);
  assert.equal(c.resolvedPath, '/work/proj/greet');
  assert.deepEqual(c.launch?.args, ['--home=~', '/home/ann']);
  assert.equal(c.launch?.cwd, '/work/proj/sub');
  assert.deepEqual(c.launch?.env, { P: '/home/ann/go' });
  assert.deepEqual(c.launch?.handshake, { protocolVersion: 1, magicCookieKey: 'BASIC_PLUGIN', magicCookieValue: 'hello' });
  assert.equal(c.launch?.autoMTLS, true);
  // The start timeout is read at each start, so changing it is not a configuration change.
  assert.equal(c.launch?.startTimeoutMs, undefined);
  assert.equal(c.enabled, true);
});

test('a substitution failure is a configuration error naming plugin and field', () => {
  const v = validatePluginEntry({ name: 'p', path: '/x', env: { A: '${nope}' } }, 0);
  const c = resolvePluginConfig(v, ctx, DEFAULT_MANAGER_SETTINGS);
  assert.equal(c.configError?.code, 'INVALID_OPTIONS');
  assert.match(c.configError!.message, /Plugin "p": in "env\.A", unknown variable \$\{nope\}/);
  const rel = resolvePluginConfig(validatePluginEntry({ name: 'r', path: 'bin/x' }, 0), noFolder, DEFAULT_MANAGER_SETTINGS);
  assert.match(rel.configError!.message, /Plugin "r": in "path", the relative path/);
});

test('fingerprints change only when the resolved launch changes', () => {
  const a = resolvePluginConfig(validatePluginEntry({ name: 'p', path: '${workspaceFolder}/x' }, 0), ctx, DEFAULT_MANAGER_SETTINGS);
  const b = resolvePluginConfig(validatePluginEntry({ name: 'p', path: '/work/proj/x' }, 0), ctx, DEFAULT_MANAGER_SETTINGS);
  const c = resolvePluginConfig(validatePluginEntry({ name: 'p', path: '/work/proj/x', args: ['-v'] }, 0), ctx, DEFAULT_MANAGER_SETTINGS);
  const d = resolvePluginConfig(validatePluginEntry({ name: 'p', path: '/work/proj/x', enabled: false }, 0), ctx, DEFAULT_MANAGER_SETTINGS);
  assert.equal(a.fingerprint, b.fingerprint);
  assert.notEqual(b.fingerprint, c.fingerprint);
  assert.notEqual(b.fingerprint, d.fingerprint);
});

test('in an untrusted workspace, folder variables, relative paths and cwd are errors that ask for trust', () => {
  const untrusted = workspaceSubstitutionContext(['/work/proj', '/work/other'], false, '/home/ann', {});
  assert.deepEqual(untrusted.workspaceFolders, [], 'the untrusted folders are not handed out');
  for (const value of ['${workspaceFolder}/greet', '${workspaceFolderBasename}', '${workspaceFolder:other}/x']) {
    assert.throws(() => substituteVariables(value, untrusted), /needs a trusted workspace/, value);
  }
  assert.throws(() => resolvePath('bin/greet', untrusted), /relative path "bin\/greet" needs a trusted workspace/);
  const settings = DEFAULT_MANAGER_SETTINGS;
  const cwd = resolvePluginConfig(validatePluginEntry({ name: 'c', path: '/usr/bin/greet', cwd: 'sub' }, 0), untrusted, settings);
  assert.match(cwd.configError!.message, /Plugin "c": in "cwd", the relative path "sub" needs a trusted workspace/);
  const abs = resolvePluginConfig(validatePluginEntry({ name: 'a', path: '~/bin/greet', cwd: '/tmp' }, 0), untrusted, settings);
  assert.equal(abs.configError, undefined, 'absolute and home paths still work');
  assert.equal(abs.resolvedPath, '/home/ann/bin/greet');

  const trusted = workspaceSubstitutionContext(['/work/proj'], true, '/home/ann', {});
  assert.equal(substituteVariables('${workspaceFolder}/greet', trusted), '/work/proj/greet');
});
