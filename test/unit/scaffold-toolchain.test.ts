// The toolchain check runs the real commands on a PATH the test controls: an empty
// folder (nothing installed) or small stand-in executables that misbehave as an old or
// incomplete install does.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkToolchain } from '../../src/scaffold';
import { parseVersion } from '../../src/scaffold/toolchain';

const root = mkdtempSync(join(tmpdir(), 'greeter-scaffold-toolchain-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A PATH holding only the given shell scripts (and /bin for sh itself). */
function pathWith(scripts: Record<string, string>): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(root, 'bin-'));
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return { PATH: dir };
}

test('versions are read from what each tool prints', () => {
  assert.deepEqual(parseVersion('go1.26.8'), [1, 26]);
  assert.deepEqual(parseVersion('v20.19.9'), [20, 19]);
  assert.deepEqual(parseVersion('Python 3.11.2'), [3, 11]);
  assert.equal(parseVersion('no version'), undefined);
});

test('nothing installed: each language names the tool and what to install', async () => {
  const empty = mkdtempSync(join(root, 'empty-'));
  mkdirSync(empty, { recursive: true });
  const env = { PATH: empty };
  const go = await checkToolchain('go', { env });
  assert.equal(go?.tool, 'go');
  assert.match(go!.message, /`go` is not on the PATH\. Install Go 1\.24 or newer \(https:\/\/go\.dev\/dl\/\)/);
  const ts = await checkToolchain('typescript', { env });
  assert.equal(ts?.tool, 'node');
  assert.match(ts!.message, /`node` is not on the PATH\. Install Node\.js 18 or newer with npm/);
  const py = await checkToolchain('python', { env });
  assert.equal(py?.tool, 'python3');
  assert.match(py!.message, /`python3` is not on the PATH\. Install Python 3\.10 or newer/);
});

test('node without npm is reported as npm missing', async () => {
  const ts = await checkToolchain('typescript', { env: pathWith({ node: 'echo v20.19.0' }) });
  assert.equal(ts?.tool, 'npm');
  assert.match(ts!.message, /`npm` is not on the PATH/);
});

test('too old a Go or Python says which version was found and which is needed', async () => {
  const go = await checkToolchain('go', { env: pathWith({ go: 'echo go1.19.3' }) });
  assert.match(go!.message, /^Go 1\.19 is too old for the template\. Install Go 1\.24 or newer/);
  const py = await checkToolchain('python', { env: pathWith({ python3: 'echo Python 3.8.10' }) });
  assert.match(py!.message, /^Python 3\.8 is too old for the template/);
});

test('a Python without venv/ensurepip (Debian without python3-venv) asks for python3-venv', async () => {
  // Answers --version; fails the import check as Debian's python3 without python3-venv does.
  const py = await checkToolchain('python', {
    env: pathWith({ python3: 'if [ "$1" = --version ]; then echo Python 3.11.2; exit 0; fi\necho "ModuleNotFoundError: No module named ensurepip" >&2; exit 1' }),
  });
  assert.equal(py?.tool, 'python3-venv');
  assert.match(py!.message, /sudo apt install python3-venv/);
});

test('a working toolchain passes', async () => {
  assert.equal(await checkToolchain('go', { env: pathWith({ go: 'echo go1.24.0' }) }), undefined);
  assert.equal(await checkToolchain('typescript', { env: pathWith({ node: 'echo v20.1.0', npm: 'echo 10.8.2' }) }), undefined);
  assert.equal(
    await checkToolchain('python', { env: pathWith({ python3: 'if [ "$1" = --version ]; then echo Python 3.12.1; fi; exit 0' }) }),
    undefined,
  );
});
