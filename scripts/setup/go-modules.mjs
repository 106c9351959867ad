// Downloads the modules of every Go module in the repository (the go-plugin example, the
// reference Go hosts, fixtures) once; a stamp over their go.mod/go.sum and the Go version
// makes later runs skip it.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fingerprint, isStamped, writeStamp } from './stamp.mjs';
import { runStep } from './run.mjs';

/** Folders holding a go.mod, below the repository's source folders. */
export function goModuleDirs(root) {
  const found = [];
  const walk = (dir, depth) => {
    if (existsSync(join(dir, 'go.mod'))) found.push(dir);
    if (depth === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules' && entry.name !== 'bin') walk(join(dir, entry.name), depth - 1);
    }
  };
  for (const top of ['examples', 'test', 'bench']) if (existsSync(join(root, top))) walk(join(root, top), 4);
  return found.sort();
}

/** The `go version` line, or undefined when Go is not installed. */
function goVersion() {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  return result.error || result.status !== 0 ? undefined : result.stdout.trim();
}

export function ensureGoModules(root) {
  const version = goVersion();
  if (!version) {
    console.error('✖ Go is not installed (no `go` on PATH): install Go 1.24 or newer from https://go.dev/dl/ and run the command again.');
    process.exit(1);
  }
  const dirs = goModuleDirs(root);
  const want = fingerprint({ strings: [version], files: dirs.flatMap((d) => [join(d, 'go.mod'), join(d, 'go.sum')]) });
  const stampFile = join(root, '.cache', 'setup', 'go-modules.sha256');
  if (isStamped(stampFile, want)) return;
  for (const dir of dirs) runStep(`download Go modules (${dir.slice(root.length + 1)})`, 'go', ['mod', 'download'], { cwd: dir });
  writeStamp(stampFile, want);
}
