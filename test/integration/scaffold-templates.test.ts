// New Plugin's three templates, for real: assemble the assets as the VSIX ships them
// (scripts/build-scaffold.ts), write each project into a temp folder, build it with its
// real toolchain (go and the Go module proxy, npm and the npm registry, python3 and PyPI),
// greet it through the host, then edit the greeting, rebuild as the README says and check
// that the executable watcher sees the new build and the new process answers the new text.
// Needs go, npm and python3 (with venv) on PATH and the registries; missing ones fail
// the test with the message New Plugin itself would show.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { startPlugin, type PluginClient } from '../../src/host';
import { ExecutableWatcher } from '../../src/manager';
import { assembleScaffoldAssets } from '../../src/scaffold/assets';
import { checkToolchain, createPlugin, languageInfo, type PluginLanguage } from '../../src/scaffold';
import { assertGone, repoRoot } from '../helpers/plugins';

let root: string;
let assets: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'greeter-scaffold-'));
  assets = join(root, 'assets');
  await assembleScaffoldAssets(repoRoot, assets);
}, { timeout: 120_000 });

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** How the test changes each template's greeting from "hello" to "howdy", as an author would. */
const EDITS: Record<PluginLanguage, { from: RegExp; to: string; rebuild: [string, string[]] }> = {
  go: { from: /const greeting = "hello"/, to: 'const greeting = "howdy"', rebuild: ['sh', ['./build.sh']] },
  typescript: { from: /const GREETING = 'hello'/, to: "const GREETING = 'howdy'", rebuild: ['npm', ['run', 'build']] },
  python: { from: /f"hello \{/, to: 'f"howdy {', rebuild: ['sh', ['./build.sh']] },
};

/**
 * Resolves when `file` is replaced by a new build (the manager restarts plugins on this).
 * The deadline also keeps the event loop alive: the watcher itself does not.
 */
function nextBuild(file: string, timeoutMs = 30_000): { changed: Promise<void>; close: () => void } {
  let close = () => {};
  const changed = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`the executable watcher saw no new build of ${file} within ${timeoutMs} ms`)), timeoutMs);
    const watcher = new ExecutableWatcher(file, () => {
      clearTimeout(deadline);
      resolve();
    }, 100);
    assert.ok(watcher.watching, `watching ${file}`);
    close = () => {
      clearTimeout(deadline);
      watcher.close();
    };
  });
  return { changed, close };
}

async function greetOnce(executable: string, name: string): Promise<string> {
  const client: PluginClient = await startPlugin({ path: executable, name: 'scaffolded', autoMTLS: true, startTimeoutMs: 30_000 });
  try {
    return await greet(client, name);
  } finally {
    await client.stop();
    assertGone(client.pid);
  }
}

for (const language of ['go', 'typescript', 'python'] as const) {
  describe(`New Plugin, ${languageInfo(language).label} template`, () => {
    it('writes a project that builds, greets through the host, and greets with the new text after edit and rebuild', { timeout: 300_000 }, async () => {
      const missing = await checkToolchain(language);
      assert.equal(missing, undefined, `this test builds a real ${language} plugin: ${missing?.message}`);

      const output: string[] = [];
      const name = `my-${language}`;
      const plugin = await createPlugin({ language, name, parentDir: root, assetsDir: assets }, { onOutput: (t) => output.push(t) });
      assert.equal(plugin.dir, join(root, name));
      assert.equal(plugin.executable, join(root, name, 'bin', name));
      assert.ok(statSync(plugin.executable).mode & 0o100, 'the executable is executable');
      const readme = readFileSync(join(plugin.dir, 'README.md'), 'utf8');
      assert.ok(readme.includes(`"path": "${plugin.executable}"`), 'the README shows the settings entry');
      assert.ok(!/\{\{\w+\}\}/.test(readme), 'no placeholder is left');
      if (language === 'typescript') {
        // One self-contained file: no node_modules needed beside it.
        assert.match(readFileSync(plugin.executable, 'utf8').slice(0, 40), /^#!\/usr\/bin\/env node\n/);
        execFileSync('npm', ['run', '--silent', 'typecheck'], { cwd: plugin.dir, stdio: 'pipe' });
      }

      assert.equal(await greetOnce(plugin.executable, 'Alice'), 'hello Alice', output.join(''));

      const edit = EDITS[language];
      const source = join(plugin.dir, languageInfo(language).sourceFile);
      const text = readFileSync(source, 'utf8');
      assert.match(text, edit.from, `${source} has the greeting to edit`);
      const watch = nextBuild(plugin.executable);
      try {
        writeFileSync(source, text.replace(edit.from, edit.to));
        const [command, args] = edit.rebuild;
        execFileSync(command, args, { cwd: plugin.dir, stdio: 'pipe' });
        await watch.changed;
      } finally {
        watch.close();
      }
      assert.equal(await greetOnce(plugin.executable, 'Bob'), 'howdy Bob');
    });
  });
}

describe('New Plugin, where authors put projects', () => {
  it('a Go plugin named after a standard-library package ("plugin"), in a folder under a go.work, builds and greets', { timeout: 300_000 }, async () => {
    const missing = await checkToolchain('go');
    assert.equal(missing, undefined, `this test builds a real Go plugin: ${missing?.message}`);
    const workspace = join(root, 'go-workspace');
    mkdirSync(workspace);
    execFileSync('go', ['work', 'init'], { cwd: workspace, stdio: 'pipe' }); // a go.work listing no module
    const plugin = await createPlugin({ language: 'go', name: 'plugin', parentDir: workspace, assetsDir: assets });
    assert.equal(await greetOnce(plugin.executable, 'Carol'), 'hello Carol');
  });

  it('the Python build.sh makes again a virtual environment a cancelled build left without pip', { timeout: 300_000 }, async () => {
    const missing = await checkToolchain('python');
    assert.equal(missing, undefined, `this test builds a real Python plugin: ${missing?.message}`);
    const plugin = await createPlugin({ language: 'python', name: 'venv-repair', parentDir: root, assetsDir: assets });
    rmSync(join(plugin.dir, '.venv'), { recursive: true, force: true });
    execFileSync('python3', ['-m', 'venv', '--without-pip', '.venv'], { cwd: plugin.dir, stdio: 'pipe' }); // what a cancel leaves
    execFileSync('sh', ['./build.sh'], { cwd: plugin.dir, stdio: 'pipe' });
    assert.equal(await greetOnce(plugin.executable, 'Dora'), 'hello Dora');
  });
});
