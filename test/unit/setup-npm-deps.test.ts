// scripts/setup/npm-deps.mjs decides whether `npm test`/`npm start` must run `npm ci`
// first: node_modules missing, or older than package-lock.json and different from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type NpmDeps = { nodeModulesProblem(root: string): string | undefined };
const load = async (): Promise<NpmDeps> => (await import(pathToFileURL(join(__dirname, '..', '..', 'scripts', 'setup', 'npm-deps.mjs')).href)) as NpmDeps;

const LOCK = {
  packages: {
    '': { name: 'x' },
    'node_modules/a': { version: '1.0.0' },
    'node_modules/@esbuild/darwin-arm64': { version: '0.1.0', optional: true },
  },
};

/** A project folder with this lockfile and (optionally) this hidden lockfile, `age` seconds older. */
function project(hidden: object | undefined, hiddenAgeSeconds: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'greeter-npm-deps-'));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(LOCK));
  if (hidden) {
    mkdirSync(join(dir, 'node_modules'));
    const file = join(dir, 'node_modules', '.package-lock.json');
    writeFileSync(file, JSON.stringify(hidden));
    const t = Date.now() / 1000 - hiddenAgeSeconds;
    utimesSync(file, t, t);
  }
  return dir;
}

const installed = { packages: { '': { name: 'x' }, 'node_modules/a': { version: '1.0.0' } } };

test('a missing node_modules needs npm ci', async () => {
  const dir = project(undefined, 0);
  try {
    assert.equal((await load()).nodeModulesProblem(dir), 'node_modules is missing');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('node_modules newer than the lockfile is current', async () => {
  const dir = project({ packages: { 'node_modules/a': { version: '0.0.1' } } }, -60);
  try {
    assert.equal((await load()).nodeModulesProblem(dir), undefined);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('an older node_modules that matches the lockfile (a touched lockfile) is current; other platforms\' optional packages are not expected', async () => {
  const dir = project(installed, 60);
  try {
    assert.equal((await load()).nodeModulesProblem(dir), undefined);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('an older node_modules with another version, a missing or an extra package needs npm ci, and says which', async () => {
  const cases: [object, RegExp][] = [
    [{ packages: { 'node_modules/a': { version: '0.9.0' } } }, /has a 0\.9\.0, package-lock\.json wants 1\.0\.0/],
    [{ packages: {} }, /lacks a/],
    [{ packages: { ...installed.packages, 'node_modules/b': { version: '1.0.0' } } }, /has b, which package-lock\.json no longer lists/],
  ];
  for (const [hidden, message] of cases) {
    const dir = project(hidden, 60);
    try {
      assert.match((await load()).nodeModulesProblem(dir) ?? '', message);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }
});
