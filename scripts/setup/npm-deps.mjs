// node_modules from the lockfile: `npm ci` when node_modules is missing or older than
// package-lock.json and does not match it. Uses only Node built-ins: it runs before
// anything imports a package.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runStep } from './run.mjs';

/**
 * Why node_modules must be reinstalled, or undefined when it matches the lockfile.
 * npm writes node_modules/.package-lock.json (the "hidden lockfile") on every install;
 * when it is older than package-lock.json the two are compared package by package, so
 * a lockfile merely touched (a checkout, an unrelated edit) costs no reinstall.
 */
export function nodeModulesProblem(root) {
  const lockFile = join(root, 'package-lock.json');
  const hiddenFile = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hiddenFile)) return 'node_modules is missing';
  if (statSync(hiddenFile).mtimeMs >= statSync(lockFile).mtimeMs) return undefined;
  const wanted = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(hiddenFile, 'utf8')).packages ?? {};
  for (const [path, meta] of Object.entries(wanted)) {
    if (path === '' || path.startsWith('node_modules/') === false) continue;
    const have = installed[path];
    // Optional packages for other platforms (esbuild's binaries) are never installed.
    if (!have) {
      if (!meta.optional) return `node_modules lacks ${path.slice('node_modules/'.length)} (package-lock.json is newer)`;
      continue;
    }
    if (have.version !== meta.version) return `node_modules has ${path.slice('node_modules/'.length)} ${have.version}, package-lock.json wants ${meta.version}`;
  }
  for (const path of Object.keys(installed)) {
    if (!(path in wanted)) return `node_modules has ${path.slice('node_modules/'.length)}, which package-lock.json no longer lists`;
  }
  return undefined;
}

/** Runs `npm ci` when node_modules does not match package-lock.json. */
export function ensureNodeModules(root) {
  const problem = nodeModulesProblem(root);
  if (!problem) return;
  runStep(`npm ci (${problem})`, 'npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
}
