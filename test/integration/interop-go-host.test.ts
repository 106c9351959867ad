// Interop, Go host -> Node plugin: go-plugin's own client (test/go-host, built with
// hashicorp/go-plugin) launches the node-greeter built on our SDK and greets through it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { NODE_GREETER, REPO_ROOT, buildNodePlugins, pluginEnv } from './sdk-harness';

const GO_HOST = path.join(REPO_ROOT, 'test/fixtures/bin/go-host');

interface HostRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (never rejects on a non-zero exit; the test judges). */
function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000): Promise<HostRun> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`${file} ${args.join(' ')} failed to run: ${err.message}\n${stderr}`));
        return;
      }
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}

/** The go-plugin host runs with a clean environment: no cookie, no plugin variables of ours. */
function hostEnv(): NodeJS.ProcessEnv {
  const env = pluginEnv();
  for (const key of Object.keys(env)) if (key.startsWith('PLUGIN_') || key === 'BASIC_PLUGIN') delete env[key];
  return env;
}

before(async () => {
  await buildNodePlugins();
  // Go's build cache makes this quick when nothing changed.
  const built = await run('bash', [path.join(REPO_ROOT, 'scripts/build-go.sh')], process.env, 300_000);
  if (built.code !== 0 || !fs.existsSync(GO_HOST)) {
    throw new Error(
      `cannot build the go-plugin reference host (npm run build:go, exit ${built.code}); ` +
        `this interop test needs Go 1.24+ and the Go module proxy.\n${built.stderr}`,
    );
  }
});

describe('go-plugin host launching the Node SDK greeter', () => {
  test('greets over a plain unix socket', async () => {
    const result = await run(GO_HOST, ['-plugin', NODE_GREETER, 'Alice'], hostEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'hello Alice\n');
  });

  test('greets with AutoMTLS', async () => {
    const result = await run(GO_HOST, ['-plugin', NODE_GREETER, '-automtls', 'Alice'], hostEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'hello Alice\n');
    assert.match(result.stderr, /configuring server automatic mTLS/);
  });

  test('parses our hclog lines at their level, receives stdout over GRPCStdio, and shuts the plugin down gracefully', async () => {
    const result = await run(
      GO_HOST,
      ['-plugin', NODE_GREETER, '-automtls', '-n', '3', '-await-stdout-lines', '3', 'Alice'],
      hostEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'hello Alice\n'.repeat(3));
    // A JSON line go-plugin could not parse (e.g. a 3-digit timestamp) would be logged raw at DEBUG.
    assert.match(result.stderr, /\[INFO\] +go-host\.node-greeter: greet called: .*name=Alice/);
    assert.equal(result.stderr.match(/^greeting Alice$/gm)?.length, 3, 'three stdout lines forwarded via GRPCStdio');
    assert.doesNotMatch(result.stderr, /plugin failed to exit gracefully/);
    assert.doesNotMatch(result.stderr, /\[(WARN|ERROR)\]/);
  });
});
