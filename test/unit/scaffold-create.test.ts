// New Plugin without the UI, on small stand-in templates and toolchains: the order of the
// checks (nothing is written before they pass), how templates are rendered and written
// (never over an existing file), and builds that fail or are cancelled.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { isAlive } from '../../src/host';
import { createPlugin, isScaffoldError, type PluginLanguage } from '../../src/scaffold';
import { GO_TEMPLATE_MODULE, goModForTemplate } from '../../src/scaffold/assets';
import { fillPlaceholders, renderProject, writeProject } from '../../src/scaffold/render';
import { waitFor } from '../helpers/plugins';

const root = mkdtempSync(join(tmpdir(), 'greeter-scaffold-create-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** An assets folder whose `language` template has these files (mode 755 for `*.sh`). */
function assetsWith(language: PluginLanguage, files: Record<string, string>): string {
  const assets = mkdtempSync(join(root, 'assets-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = join(assets, 'templates', language, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (rel.endsWith('.sh')) chmodSync(file, 0o755);
  }
  return assets;
}

/** A PATH with a stand-in `go` that passes the toolchain check, plus the system's sh. */
function envWithGo(): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(root, 'bin-'));
  writeFileSync(join(bin, 'go'), '#!/bin/sh\necho go1.24.0\n');
  chmodSync(join(bin, 'go'), 0o755);
  return { PATH: `${bin}:/usr/bin:/bin` };
}

const BUILDS_EXECUTABLE = 'set -e\nmkdir -p bin\nprintf "#!/bin/sh\\n" > bin/{{name}}\nchmod 755 bin/{{name}}\necho "built {{name}}"\n';

test('placeholders: {{name}} and {{executable}} are filled, unknown ones left alone', () => {
  assert.equal(fillPlaceholders('{{name}} at {{executable}} {{other}}', { name: 'p', executable: '/x/bin/p' }), 'p at /x/bin/p {{other}}');
  // In a settings example the path is a JSON string: quotes and backslashes escaped.
  const entry = fillPlaceholders('{ "name": {{name:json}}, "path": {{executable:json}} }', { name: 'p', executable: 'C:\\Users\\me\\say "hi"\\p' });
  assert.deepEqual(JSON.parse(entry), { name: 'p', path: 'C:\\Users\\me\\say "hi"\\p' });
  // A fixed module path: a plugin named "plugin", "time" or "vendor" must not clash with the standard library.
  assert.equal(goModForTemplate('// c\nmodule github.com/a/b\n\ngo 1.24.0\n'), '// c\nmodule greeter-plugin.local/plugin\n\ngo 1.24.0\n');
  assert.match(readFileSync(join(__dirname, '../../src/scaffold/templates/go/main.go'), 'utf8'), new RegExp(`"${GO_TEMPLATE_MODULE}/api"`), 'main.go imports the template module\'s api package');
  assert.throws(() => goModForTemplate('go 1.24.0\n'), /no module line/);
});

test('rendering renames gitignore to .gitignore, drops .tmpl, keeps archives byte for byte and scripts executable', () => {
  const assets = assetsWith('typescript', {
    'gitignore': '/bin/\n',
    'src/main.ts.tmpl': "const name = '{{name}}';\n",
    'vendor/sdk.tgz': '{{name}} stays',
    'build.sh': 'echo {{name}}\n',
  });
  const files = renderProject(assets, 'typescript', { name: 'demo', executable: '/p/bin/demo' });
  assert.deepEqual(files.map((f) => [f.path, f.content.toString(), f.executable]), [
    ['build.sh', 'echo demo\n', true],
    ['.gitignore', '/bin/\n', false],
    ['src/main.ts', "const name = 'demo';\n", false],
    ['vendor/sdk.tgz', '{{name}} stays', false],
  ]);
  assert.throws(() => renderProject(assets, 'go', { name: 'demo', executable: '/x' }), (e) => isScaffoldError(e, 'TEMPLATES_MISSING') && /npm run build:scaffold/.test(e.message));
});

test('writing never touches a folder that has files, and never overwrites', () => {
  const dir = join(root, 'occupied');
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.go'), 'mine');
  assert.throws(() => writeProject(dir, [{ path: 'main.go', content: Buffer.from('template'), executable: false }]), (e) => isScaffoldError(e, 'FOLDER_NOT_EMPTY'));
  assert.equal(readFileSync(join(dir, 'main.go'), 'utf8'), 'mine');
  const fresh = join(root, 'fresh');
  writeProject(fresh, [{ path: 'a/b.sh', content: Buffer.from('x'), executable: true }]);
  assert.equal(statSync(join(fresh, 'a/b.sh')).mode & 0o777, 0o755);
});

test('a missing toolchain is reported before anything is written', async () => {
  const assets = assetsWith('go', { 'build.sh': BUILDS_EXECUTABLE });
  const empty = mkdtempSync(join(root, 'nothing-installed-'));
  await assert.rejects(
    createPlugin({ language: 'go', name: 'nogo', parentDir: root, assetsDir: assets }, { env: { PATH: empty } }),
    (e) => isScaffoldError(e, 'TOOLCHAIN_MISSING') && /Install Go 1\.24 or newer/.test(e.message),
  );
  assert.equal(existsSync(join(root, 'nogo')), false, 'no project folder was created');
});

test('a bad name or a taken folder is refused before the toolchain is even asked', async () => {
  const assets = assetsWith('go', { 'build.sh': BUILDS_EXECUTABLE });
  const env = { PATH: mkdtempSync(join(root, 'nothing-installed-')) };
  await assert.rejects(createPlugin({ language: 'go', name: 'Bad Name', parentDir: root, assetsDir: assets }, { env }), (e) => isScaffoldError(e, 'INVALID_NAME'));
  await assert.rejects(
    createPlugin({ language: 'go', name: 'taken', parentDir: root, assetsDir: assets, taken: new Set(['taken']) }, { env }),
    (e) => isScaffoldError(e, 'INVALID_NAME') && /already configured/.test(e.message),
  );
  mkdirSync(join(root, 'busy'));
  writeFileSync(join(root, 'busy', 'x'), '');
  await assert.rejects(createPlugin({ language: 'go', name: 'busy', parentDir: root, assetsDir: assets }, { env }), (e) => isScaffoldError(e, 'FOLDER_NOT_EMPTY'));
  assert.deepEqual(readdirSync(join(root, 'busy')), ['x']);
});

test('a good build returns the executable; its output streams with the command first', async () => {
  const assets = assetsWith('go', { 'build.sh': BUILDS_EXECUTABLE, 'main.go': 'package main // {{name}}\n' });
  const output: string[] = [];
  const plugin = await createPlugin({ language: 'go', name: 'good', parentDir: root, assetsDir: assets }, { env: envWithGo(), onOutput: (t) => output.push(t) });
  assert.deepEqual(plugin, { name: 'good', dir: join(root, 'good'), executable: join(root, 'good', 'bin', 'good') });
  assert.equal(readFileSync(join(root, 'good', 'main.go'), 'utf8'), 'package main // good\n');
  assert.equal(output.join(''), '$ sh ./build.sh\nbuilt good\n');
});

test('a failing build rejects with BUILD_FAILED naming the command and exit code; its output is kept', async () => {
  const assets = assetsWith('go', { 'build.sh': 'echo "main.go:3: syntax error" >&2\nexit 2\n' });
  const output: string[] = [];
  await assert.rejects(
    createPlugin({ language: 'go', name: 'broken', parentDir: root, assetsDir: assets }, { env: envWithGo(), onOutput: (t) => output.push(t) }),
    (e) => isScaffoldError(e, 'BUILD_FAILED') && e.message.includes('`sh ./build.sh` failed') && e.message.includes('exit code 2'),
  );
  assert.match(output.join(''), /main\.go:3: syntax error/);
});

test('a build that exits 0 without an executable is a failed build too', async () => {
  const assets = assetsWith('go', { 'build.sh': 'echo nothing built\n' });
  await assert.rejects(
    createPlugin({ language: 'go', name: 'empty', parentDir: root, assetsDir: assets }, { env: envWithGo() }),
    (e) => isScaffoldError(e, 'BUILD_FAILED') && e.message.includes(join(root, 'empty', 'bin', 'empty')),
  );
});

// Without the process-group kill the build would run its full 600 s: the timeout separates the two.
test('cancelling ends the build and every process it started', { timeout: 30_000 }, async () => {
  const assets = assetsWith('go', { 'build.sh': 'sleep 600 &\necho "child $!"\nwait\n' });
  const abort = new AbortController();
  let child: number | undefined;
  const created = createPlugin(
    { language: 'go', name: 'cancelled', parentDir: root, assetsDir: assets },
    {
      env: envWithGo(),
      signal: abort.signal,
      onOutput: (t) => {
        const m = /child (\d+)/.exec(t);
        if (m) {
          child = Number(m[1]);
          abort.abort();
        }
      },
    },
  );
  await assert.rejects(created, (e) => isScaffoldError(e, 'BUILD_CANCELLED'));
  assert.ok(child, 'the build started its child');
  await waitFor(() => !isAlive(child!), `the build's child ${child} to end`);
});
