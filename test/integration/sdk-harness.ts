// Shared helpers for the SDK integration tests: build the node-greeter executable,
// run it as a real process, read its handshake line, and talk to it with raw grpc-js
// (deliberately not src/host, so these tests check the SDK against the wire protocol).
import * as grpc from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const NODE_GREETER = path.join(REPO_ROOT, 'examples/node-greeter/bin/node-greeter');
export const TUTORIAL_COOKIE = { BASIC_PLUGIN: 'hello' };

/** Builds the node-greeter (and any extra entries) with scripts/build-node-plugins.mjs. */
export async function buildNodePlugins(extra: Array<{ entry: string; outfile: string }> = []): Promise<void> {
  const script = pathToFileURL(path.join(REPO_ROOT, 'scripts/build-node-plugins.mjs')).href;
  const mod = (await import(script)) as {
    buildPluginExecutables(plugins?: Array<{ entry: string; outfile: string }>): Promise<string[]>;
    DEFAULT_PLUGINS: Array<{ entry: string; outfile: string }>;
  };
  await mod.buildPluginExecutables([...mod.DEFAULT_PLUGINS, ...extra]);
}

/** A running plugin process with its first stdout line and everything it wrote to stderr. */
export interface RunningPlugin {
  child: ChildProcess;
  handshakeLine: string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

/** The environment a go-plugin host would add, over a clean copy of ours. */
export function pluginEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PLUGIN_PROTOCOL_VERSIONS: '1', PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '25000', ...TUTORIAL_COOKIE };
  for (const key of ['PLUGIN_CLIENT_CERT', 'PLUGIN_MULTIPLEX_GRPC', 'PLUGIN_UNIX_SOCKET_DIR']) delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs `file` and collects its output until it exits. */
export function runToExit(
  file: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 10_000,
  spawnOptions: { args?: string[]; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, spawnOptions.args ?? [], { env, cwd: spawnOptions.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `file` like a go-plugin host would and waits for its handshake line. */
export function startPluginProcess(
  file: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 10_000,
  spawnOptions: { args?: string[]; cwd?: string } = {},
): Promise<RunningPlugin> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, spawnOptions.args ?? [], { env, cwd: spawnOptions.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
      child.on('exit', (code, signal) => res({ code, signal })),
    );
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}; stderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no handshake line within ${timeoutMs} ms`), timeoutMs);
    child.on('error', (err) => fail(`spawn failed: ${err.message}`));
    child.on('exit', (code, signal) => fail(`plugin exited (${code ?? signal}) before its handshake`));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const newline = stdout.indexOf('\n');
      if (newline < 0 || settled) return;
      settled = true;
      clearTimeout(timer);
      const handshakeLine = stdout.slice(0, newline + 1);
      const [, , network, address] = handshakeLine.trim().split('|');
      resolve({
        child,
        handshakeLine,
        stderr: () => stderr,
        exited,
        kill: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          // A SIGKILLed plugin cannot remove its socket; the test must not leave it in the temp dir.
          if (network === 'unix' && address) rmSync(address, { force: true });
        },
      });
    });
  });
}

/** The handshake line's fields, split as go-plugin's client does. */
export function splitHandshake(line: string): string[] {
  return line.trim().split('|');
}

/** grpc-js target and options for a handshake's network/address, as a go-plugin host would dial. */
export function dialTarget(network: string, address: string): string {
  return network === 'unix' ? `unix:${address}` : address;
}

/** Client options that make TLS verify "localhost" whatever the target (PROTOCOL.md §4). */
export const TLS_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.ssl_target_name_override': 'localhost',
  'grpc.default_authority': 'localhost',
};

/** Unary call as a promise with a deadline. */
export function unary<Req, Res>(client: grpc.Client, method: string, request: Req, timeoutMs = 5_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, Function>)[method];
    fn.call(client, request, { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: Res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

/** PEM-wraps DER certificate bytes. */
export function certPemFromDer(der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
