// Paths of the real plugin executables the tests launch, and small helpers around them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAlive, startPlugin, type LaunchOptions, type LogEntry, type LogLevel, type PluginClient, type PluginSinks } from '../../src/host';

export const repoRoot = resolve(__dirname, '../..');

/** Fails with the command that builds the file, instead of an obscure ENOENT later. */
export function built(relativePath: string, buildCommand = 'npm run build:plugins'): string {
  const path = join(repoRoot, relativePath);
  if (!existsSync(path)) throw new Error(`${relativePath} is missing; run "${buildCommand}" first (npm test does).`);
  return path;
}

export const goGreeter = () => built('examples/go-greeter/bin/greeter');
export const nodeGreeter = () => built('examples/node-greeter/bin/node-greeter');
export const goHost = () => built('test/fixtures/bin/go-host');
export const fixture = (name: string) => built(`test/fixtures/${name}`);

/** Sinks that remember everything a plugin said. */
export function recordingSinks() {
  const logs: LogEntry[] = [];
  const lifecycle: { level: LogLevel; message: string }[] = [];
  let stdout = '';
  let stderr = '';
  const sinks: PluginSinks = {
    log: (e) => logs.push(e),
    stdout: (c) => (stdout += c.toString()),
    stderr: (c) => (stderr += c.toString()),
    lifecycle: (level, message) => lifecycle.push({ level, message }),
  };
  return {
    sinks,
    logs,
    lifecycle,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** Polls until predicate holds; fails with `what` after timeoutMs. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asserts that no process with this pid exists any more. */
export function assertGone(pid: number | undefined, what = 'plugin process'): void {
  assert.ok(pid, `${what} has no pid`);
  assert.equal(isAlive(pid), false, `${what} ${pid} is still running`);
}

/** Pids of live processes whose environment contains `entry` (e.g. a per-test marker). */
export function processesWithEnv(entry: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0];
      if (environ.includes(entry) && state !== 'Z') pids.push(Number(name));
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return pids;
}

/** Starts a plugin, runs `body` with it, and stops it whatever `body` does. */
export async function withPlugin<T>(options: LaunchOptions, body: (plugin: PluginClient) => Promise<T>): Promise<T> {
  const plugin = await startPlugin(options);
  try {
    return await body(plugin);
  } finally {
    await plugin.stop();
  }
}
