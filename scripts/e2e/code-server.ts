// Runs code-server (VS Code's server, extension host and web UI; the version is chosen by
// vscode-version.ts) for the e2e suite: a private user-data and extensions folder per
// instance, the packaged VSIX installed, user settings written before start, and a stop
// that leaves no process behind.
// Recipe: ../shared/E2E.md. Install: scripts/e2e/install-code-server.mjs (npm test does it).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerCommand, selectedVersion } from './vscode-version';

/** Repository root. */
export const ROOT = join(__dirname, '..', '..');
/** The code-server under test and the environment that runs it on its Node. */
const CODE_SERVER = codeServerCommand();
/** What `npm run package` produces; the suite always tests this file. */
export const VSIX = join(ROOT, 'dist', 'greeter-plugins.vsix');
/** The example plugins the suite configures (npm run build:go, npm run build:node-plugins). */
export const GO_PLUGIN = join(ROOT, 'examples', 'go-greeter', 'bin', 'greeter');
export const NODE_PLUGIN = join(ROOT, 'examples', 'node-greeter', 'bin', 'node-greeter');
/** Screenshots land here, one folder per VS Code version (kept as CI artifacts). */
export const RESULTS_DIR = join(ROOT, 'test-results', `e2e-${selectedVersion()}`);

/** Settings that keep the workbench quiet and deterministic for screenshots. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
  'workbench.colorTheme': 'Default Dark Modern',
  'window.zoomLevel': 0,
  // VS Code 1.10x+ opens a Chat panel in the secondary side bar by default; keep it closed
  // so screenshots show the extension (older versions ignore unknown settings).
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
};

/** Throws a message saying exactly what to run when something the suite needs is missing. */
export function checkPrerequisites(): void {
  const missing: string[] = [];
  if (!existsSync(CODE_SERVER.bin)) missing.push(`${CODE_SERVER.label} is not installed (${CODE_SERVER.bin}): run node scripts/e2e/install-code-server.mjs --vscode ${selectedVersion()}`);
  if (!existsSync(chromiumPath())) missing.push(`Chromium is missing (${chromiumPath()}): apt-get install -y chromium`);
  if (!existsSync(VSIX)) missing.push(`the packaged extension is missing (${VSIX}): run npm run package`);
  if (!existsSync(GO_PLUGIN)) missing.push(`the Go example plugin is missing (${GO_PLUGIN}): run npm run build:go`);
  if (!existsSync(NODE_PLUGIN)) missing.push(`the Node example plugin is missing (${NODE_PLUGIN}): run npm run build:node-plugins`);
  if (missing.length) throw new Error(`The e2e suite cannot run:\n- ${missing.join('\n- ')}`);
}

/** Debian's Chromium unless CHROMIUM_PATH says otherwise. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** How to run one instance. */
export interface CodeServerOptions {
  /** Merged into the quiet defaults and written to `User/settings.json`. */
  userSettings?: Record<string, unknown>;
  /**
   * Written to `Machine/settings.json`: the user's settings on the remote machine. code-server
   * is a remote window, where VS Code ignores `machine`/`machine-overridable` settings from
   * the local user settings (they name local paths), so `greeter.plugins` lives here.
   */
  remoteSettings?: Record<string, unknown>;
  /** The folder to open. */
  workspace: string;
  /** False leaves workspace trust on (Restricted Mode test). Default true. */
  disableWorkspaceTrust?: boolean;
  /** A folder with the VSIX already installed, shared between instances. */
  extensionsDir: string;
}

/** Installs the VSIX into a fresh extensions folder; returns that folder. */
export function installExtension(root: string): string {
  const extensionsDir = join(root, 'extensions');
  const dataDir = join(root, 'install-data');
  mkdirSync(extensionsDir, { recursive: true });
  const result = spawnSync(CODE_SERVER.bin, ['--extensions-dir', extensionsDir, '--user-data-dir', dataDir, '--install-extension', VSIX], {
    encoding: 'utf8',
    env: CODE_SERVER.env,
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`installing ${VSIX} into code-server failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  const installed = readdirSync(extensionsDir).filter((d) => d.startsWith('greeter-plugins.greeter-plugins'));
  if (installed.length !== 1) throw new Error(`expected the extension in ${extensionsDir}, found: ${readdirSync(extensionsDir).join(', ')}`);
  return extensionsDir;
}

/**
 * Copies the built example plugins into the test's folder. Other suites rebuild the
 * originals while this one runs (the executable watcher would then restart them
 * mid-scenario); the copies are the same executables, left alone.
 */
export function stageExamplePlugins(root: string): { go: string; node: string } {
  const dir = join(root, 'plugins');
  mkdirSync(dir, { recursive: true });
  const stage = (from: string, name: string) => {
    const to = join(dir, name);
    copyFileSync(from, to);
    chmodSync(to, 0o755);
    return to;
  };
  return { go: stage(GO_PLUGIN, 'greeter'), node: stage(NODE_PLUGIN, 'node-greeter') };
}

/** A temporary folder for one test file, removed by the caller. */
export function makeTempRoot(label: string): string {
  return mkdtempSync(join(tmpdir(), `greeter-e2e-${label}-`));
}

/** A running code-server. */
export class CodeServer {
  private constructor(
    readonly url: string,
    readonly dataDir: string,
    readonly workspace: string,
    private readonly child: ChildProcess,
    private readonly output: string[],
  ) {}

  /** Starts code-server and waits until it answers HTTP. */
  static async start(opts: CodeServerOptions, root: string): Promise<CodeServer> {
    const dataDir = mkdtempSync(join(root, 'data-'));
    writeSettings(join(dataDir, 'User'), { ...QUIET_SETTINGS, ...opts.userSettings });
    writeSettings(join(dataDir, 'Machine'), opts.remoteSettings ?? {}); // = remoteSettingsFile
    const port = await freePort();
    const args = [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--extensions-dir', opts.extensionsDir,
      '--user-data-dir', dataDir,
      ...(opts.disableWorkspaceTrust === false ? [] : ['--disable-workspace-trust']),
      opts.workspace,
    ];
    const child = spawn(CODE_SERVER.bin, args, {
      detached: true, // own process group, so stop() can signal it with everything under it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...CODE_SERVER.env, XDG_CONFIG_HOME: join(dataDir, 'config') },
    });
    const output: string[] = [];
    const keep = (b: Buffer) => {
      output.push(b.toString());
      if (output.length > 400) output.splice(0, output.length - 400);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const server = new CodeServer(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`, dataDir, opts.workspace, child, output);
    await server.waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The remote (machine) user settings file ("Preferences: Open Remote Settings (JSON)"). */
  get remoteSettingsFile(): string {
    return join(this.dataDir, 'Machine', 'settings.json');
  }

  /** What code-server printed (for failure messages). */
  log(): string {
    return this.output.join('');
  }

  /** The extension host's log files, for failure messages. */
  extensionHostLog(): string {
    const logs = join(this.dataDir, 'logs');
    if (!existsSync(logs)) return '';
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/exthost|Greeter/.test(p)) found.push(`== ${p}\n${readFileSync(p, 'utf8').slice(-4000)}`);
      }
    };
    walk(logs);
    return found.join('\n');
  }

  /** Every process below code-server (extension host, plugins, ...), by pid. */
  descendants(): number[] {
    return descendantsOf(this.pid);
  }

  private async waitForHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`code-server exited with ${this.child.exitCode}:\n${this.log()}`);
      try {
        const res = await fetch(url);
        if (res.ok) return;
        lastError = new Error(`HTTP ${res.status}`);
      } catch (err) {
        lastError = err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms (${String(lastError)}):\n${this.log()}`);
  }

  /**
   * Stops code-server: SIGTERM to its process group (the extension host then stops the
   * plugins), then SIGKILL to whatever of its process tree is still there, by pid.
   * Resolves, when none of those processes is left, with the pids that had to be killed.
   */
  async stop(): Promise<number[]> {
    const tree = [this.pid, ...this.descendants()];
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try { process.kill(-this.pid, 'SIGTERM'); } catch { /* already gone */ }
      await Promise.race([new Promise((r) => this.child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
    }
    // Plugins run in their own process groups, so they are signalled one by one.
    const deadline = Date.now() + 5000;
    for (;;) {
      const alive = tree.filter(isAlive);
      if (alive.length === 0) return [];
      if (Date.now() > deadline) {
        for (const pid of alive) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
        await new Promise((r) => setTimeout(r, 200));
        return alive;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function writeSettings(dir: string, settings: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Whether a pid is a live process (zombies count as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The pids of every process below `root`, from /proc. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch { /* exited meanwhile */ }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** The executable path of a process, or undefined when it is gone. */
export function executableOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2).join(' ');
  } catch {
    return undefined;
  }
}

/** Removes a temporary folder tree, ignoring what is already gone. */
export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
