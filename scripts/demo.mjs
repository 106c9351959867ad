// `npm start`: the demo a new user can try at once, as the first command on a fresh clone.
// Sets up what is missing (npm ci, Go modules, code-server, apt packages when root), builds
// the extension and the example plugins, packages the VSIX, installs it into code-server
// (VS Code in the browser), opens demo/ (whose settings configure the Go and Node example
// plugins) and prints the URL. Ctrl+C, SIGTERM, SIGHUP, or the terminal (parent) going
// away stops code-server and every plugin below it. Only Node built-ins are imported.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './setup/npm-deps.mjs';
import { ensureGoModules } from './setup/go-modules.mjs';
import { runStep, succeeds } from './setup/run.mjs';
import { ensureCodeServer, VERSIONS } from './e2e/install-code-server.mjs';
import { descendantsOf, isAlive } from './lib/process-tree.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `Usage: npm start [-- [--vscode ${Object.keys(VERSIONS).join('|')}] [--port N] [--host ADDR] [--data-dir DIR] [--no-build]]

  --vscode    which VS Code (code-server) to run (default: 1.100)
  --port      port to serve on (default: $PORT or 8080)
  --host      address to bind (default: $HOST or 127.0.0.1)
  --data-dir  code-server's user data and extensions (default: .vscode-test/demo)
  --no-build  use the built plugins and dist/greeter-plugins.vsix as they are
  --help      this text

Stops code-server and the plugins on Ctrl+C, SIGTERM, SIGHUP, and when its parent exits.`;

function parseArgs(argv) {
  const opts = { vscode: '1.100', port: Number(process.env.PORT ?? 8080), host: process.env.HOST ?? '127.0.0.1', dataDir: join(root, '.vscode-test', 'demo'), build: true };
  const value = (i) => argv[i + 1] ?? usageError(`${argv[i]} needs a value`);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--vscode') opts.vscode = value(i++);
    else if (arg === '--port') opts.port = Number(value(i++));
    else if (arg === '--host') opts.host = value(i++);
    else if (arg === '--data-dir') opts.dataDir = resolve(value(i++));
    else if (arg === '--no-build') opts.build = false;
    else usageError(`unknown argument "${arg}"`);
  }
  if (!(opts.vscode in VERSIONS)) usageError(`unknown VS Code version "${opts.vscode}"`);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usageError(`invalid port "${opts.port}"`);
  return opts;
}

function usageError(message) {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const workspace = join(root, 'demo');

ensureNodeModules(root);
const haveGo = succeeds('go', ['version']);
if (haveGo) ensureGoModules(root);
else console.warn('\n! Go is not installed: the go-greeter plugin will show as failed (install Go 1.24+ from https://go.dev/dl/, then run npm start again).');
const codeServer = ensureCodeServer(opts.vscode);
if (opts.build) {
  if (haveGo) runStep('build the Go example plugin', 'npm', ['run', '--silent', 'build:go'], { cwd: root });
  runStep('build the Node example plugin', 'npm', ['run', '--silent', 'build:node-plugins'], { cwd: root });
  runStep('build and package the extension', 'npm', ['run', '--silent', 'package'], { cwd: root });
}

// code-server's bin starts with `#!/usr/bin/env node`; the newest needs its own Node first on PATH.
const env = { ...process.env, XDG_CONFIG_HOME: join(opts.dataDir, 'config') };
if (codeServer.nodeBin) env.PATH = `${codeServer.nodeBin}:${process.env.PATH}`;
const extensionsDir = join(opts.dataDir, 'extensions');
const userDataDir = join(opts.dataDir, 'user-data');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
const settingsFile = join(userDataDir, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  writeFileSync(settingsFile, JSON.stringify({ 'workbench.startupEditor': 'readme', 'telemetry.telemetryLevel': 'off', 'workbench.colorTheme': 'Default Dark Modern', 'git.openRepositoryInParentFolders': 'never' }, null, 2));
}
runStep('install the extension into code-server', codeServer.bin, [
  '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force', '--install-extension', join(root, 'dist', 'greeter-plugins.vsix'),
], { cwd: root, env });

// A closed terminal makes writes fail (EIO/EPIPE); that must not crash the shutdown.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

const child = spawn(codeServer.bin, [
  '--auth', 'none',
  '--bind-addr', `${opts.host}:${opts.port}`,
  '--disable-telemetry',
  '--disable-update-check',
  '--disable-workspace-trust', // the demo folder is this repository's own
  '--extensions-dir', extensionsDir,
  '--user-data-dir', userDataDir,
  workspace,
], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], detached: true, env });
// detached: its own process group, so stop() reaches code-server and everything it started
// in that group with one signal; plugins (own groups) are then waited for by pid.

const url = `http://${opts.host}:${opts.port}/?folder=${encodeURIComponent(workspace)}`;
waitForServer(`http://${opts.host}:${opts.port}/healthz`).then(() => {
  console.log(`\n✔ Greeter Plugins demo is running (VS Code ${codeServer.spec.vscode}).\n\n    Open ${url}\n\n  Then open the Greeter view in the activity bar, or press F1 and run "Greeter: Greet".\n  Press Ctrl+C to stop.\n`);
}, (err) => console.error(`code-server did not come up: ${err.message}`));

let stopping = false;
/**
 * Stops code-server and every process below it: SIGTERM to its process group (the
 * extension host then stops the plugins), a wait until none of the processes seen below
 * it is left, then SIGKILL by pid for whatever is still there after 10 s.
 */
async function stop(reason) {
  if (stopping) return;
  stopping = true;
  console.log(`\nstopping the demo (${reason})`);
  const tree = [child.pid, ...descendantsOf(child.pid)];
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const deadline = Date.now() + 10_000;
  while (tree.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const left = tree.filter(isAlive);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  if (left.length) console.error(`killed ${left.length} process(es) that outlived code-server: ${left.join(', ')}`);
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal));
// A parent that dies without signalling us (its terminal closed, it was killed) leaves us
// re-parented: stop then too, so no code-server is left serving with nobody to stop it.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(`parent process ${parent} exited`);
}, 500).unref();
child.on('exit', (code, signal) => {
  if (!stopping) process.exit(code ?? (signal ? 1 : 0));
});

async function waitForServer(healthUrl, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(healthUrl)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer from ${healthUrl} within ${timeoutMs} ms`);
}
