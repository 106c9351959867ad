// `npm start`: the demo a new user can try at once. Builds the extension and the example
// plugins, packages the VSIX, installs it into code-server (VS Code in the browser), opens
// demo/ (whose settings configure the Go and Node example plugins) and prints the URL.
// Ctrl+C stops code-server and, through the extension's deactivate(), the plugins.
//   PORT=8080 npm start      (default port 8080; HOST defaults to 127.0.0.1)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8080);
const codeServer = join(root, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
const demoData = join(root, '.vscode-test', 'demo');
const workspace = join(root, 'demo');

/** Runs one build step, stopping the demo with its name when it fails. */
function step(label, command, args) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const haveGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
if (haveGo) step('build the Go example plugin', 'npm', ['run', '--silent', 'build:go']);
else console.warn('\n! Go is not installed: the go-greeter plugin will show as failed (install Go 1.24+ and run npm run build:go).');
step('build the Node example plugin', 'npm', ['run', '--silent', 'build:node-plugins']);
step('build and package the extension', 'npm', ['run', '--silent', 'package']);
step('install code-server (once, cached in .vscode-test/)', 'bash', [join(root, 'scripts', 'e2e', 'install-code-server.sh')]);

const extensionsDir = join(demoData, 'extensions');
const userDataDir = join(demoData, 'user-data');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
const settingsFile = join(userDataDir, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  writeFileSync(settingsFile, JSON.stringify({ 'workbench.startupEditor': 'readme', 'telemetry.telemetryLevel': 'off', 'workbench.colorTheme': 'Default Dark Modern', 'git.openRepositoryInParentFolders': 'never' }, null, 2));
}
step('install the extension into code-server', codeServer, [
  '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force', '--install-extension', join(root, 'dist', 'greeter-plugins.vsix'),
]);

const child = spawn(codeServer, [
  '--auth', 'none',
  '--bind-addr', `${host}:${port}`,
  '--disable-telemetry',
  '--disable-update-check',
  '--disable-workspace-trust', // the demo folder is this repository's own
  '--extensions-dir', extensionsDir,
  '--user-data-dir', userDataDir,
  workspace,
], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], detached: true, env: { ...process.env, XDG_CONFIG_HOME: join(demoData, 'config') } });

const url = `http://${host}:${port}/?folder=${encodeURIComponent(workspace)}`;
waitForServer(`http://${host}:${port}/healthz`).then(() => {
  console.log(`\n✔ Greeter Plugins demo is running.\n\n    Open ${url}\n\n  Then open the Greeter view in the activity bar, or press F1 and run "Greeter: Greet".\n  Press Ctrl+C to stop.\n`);
}, (err) => console.error(`code-server did not come up: ${err.message}`));

/** Stops code-server's process group (the extension host stops the plugins on the way). */
function stop() {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

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
