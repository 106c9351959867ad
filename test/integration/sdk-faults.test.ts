// A plugin author's mistakes on the Node SDK, seen from real hosts (go-plugin's own
// client, test/go-host, and ours): output before the handshake line, handlers that throw
// or reject, an exit that is not a Shutdown while a brokered server runs, misused options.
// The plugin is test/fixtures/plugins/sdk-faults.ts, one real process per case.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { greet } from '../../src/greeter';
import { startPlugin } from '../../src/host';
import { NODE_GREETER, REPO_ROOT, buildNodePlugins, pluginEnv, runToExit, startPluginProcess } from './sdk-harness';

const GO_HOST = path.join(REPO_ROOT, 'test/fixtures/bin/go-host');
const FAULTS = path.join(REPO_ROOT, 'test/fixtures/bin/sdk-faults');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-faults-'));

before(async () => {
  await buildNodePlugins([{ entry: 'test/fixtures/plugins/sdk-faults.ts', outfile: 'test/fixtures/bin/sdk-faults' }]);
  if (!fs.existsSync(GO_HOST)) throw new Error(`${GO_HOST} is missing: npm run build:go builds it (needs Go 1.24+)`);
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** go-plugin's host greeting once through the fixture with SDK_FAULT=fault (the host passes its environment on). */
function goHostGreets(fault: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = pluginEnv({ SDK_FAULT: fault });
  for (const key of Object.keys(env)) if (key.startsWith('PLUGIN_') || key === 'BASIC_PLUGIN') delete env[key];
  return new Promise((resolve, reject) => {
    execFile(GO_HOST, ['-plugin', FAULTS, 'Alice'], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}

/** A fresh, empty PLUGIN_UNIX_SOCKET_DIR. */
function socketDir(): string {
  return fs.mkdtempSync(path.join(scratch, 'sockets-'));
}

describe('Node SDK: what a plugin author gets wrong', () => {
  test('a line printed right after `void serve()` reaches the host over GRPCStdio instead of breaking the handshake', async () => {
    const result = await goHostGreets('stdout-first');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'hello Alice\n');
    assert.match(result.stderr, /^plugin loaded$/m, 'the line arrives through SyncStdout');
    assert.doesNotMatch(result.stderr, /Unrecognized remote plugin message/);
  });

  test('a handler that throws answers the call with its message, and the plugin logs it at ERROR', async () => {
    const result = await goHostGreets('throw');
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /code = Unknown desc = no greeting for Alice today/);
    assert.match(result.stderr, /\[ERROR\].*handler failed: .*error="no greeting for Alice today".*method=\/tutorial\.Greeter\/Greet|\[ERROR\].*handler failed: .*method=\/tutorial\.Greeter\/Greet.*error="no greeting for Alice today"/);
  });

  test('a service implemented as a class instance keeps its `this` (helpers and state)', async () => {
    const result = await goHostGreets('class-impl');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'hello Alice #1\n');
  });

  test('what a plugin writes after serve() failed in register still reaches stderr', async () => {
    const result = await runToExit(FAULTS, pluginEnv({ SDK_FAULT: 'register-throws' }));
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^serve failed: register broke$/m);
    assert.equal(result.stdout, '', 'no handshake line');
  });

  test('a handler that throws a gRPC status answers with that status', async () => {
    const result = await goHostGreets('throw-status');
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /code = NotFound desc = nobody called Alice here/);
  });

  test('an async handler that rejects answers the call and the plugin keeps serving', async () => {
    const client = await startPlugin({ path: FAULTS, env: { SDK_FAULT: 'reject' } });
    try {
      for (let i = 0; i < 2; i++) {
        await assert.rejects(greet(client, 'Bob'), /no greeting for Bob today \(async\)/);
      }
      assert.equal(client.isExited, false, 'an unhandled rejection would have ended the plugin');
    } finally {
      await client.stop();
    }
  });

  for (const how of ['code', 'SIGTERM'] as const) {
    test(`exiting ${how === 'code' ? 'with process.exit(3)' : 'on SIGTERM'} while a brokered server runs leaves no socket file`, async () => {
      const dir = socketDir();
      const plugin = await startPluginProcess(FAULTS, pluginEnv({ SDK_FAULT: 'broker-exit', SDK_EXIT: how, PLUGIN_UNIX_SOCKET_DIR: dir }));
      try {
        if (how === 'SIGTERM') {
          await waitFor(() => /^brokered /m.test(plugin.stderr()), 10_000, 'the brokered server');
          assert.equal(fs.readdirSync(dir).length, 2, 'the main and the brokered socket exist before the signal');
          plugin.child.kill('SIGTERM');
        }
        const exit = await plugin.exited;
        assert.deepEqual(exit, how === 'code' ? { code: 3, signal: null } : { code: null, signal: 'SIGTERM' }, plugin.stderr());
        assert.match(plugin.stderr(), /^brokered /m);
        assert.deepEqual(fs.readdirSync(dir), []);
      } finally {
        plugin.kill();
      }
    });
  }

  test('an unknown PLUGIN_UNIX_SOCKET_GROUP fails the start and leaves no socket file', async () => {
    const dir = socketDir();
    const result = await runToExit(NODE_GREETER, pluginEnv({ PLUGIN_UNIX_SOCKET_DIR: dir, PLUGIN_UNIX_SOCKET_GROUP: 'no-such-group-here' }));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /plugin init error.*failed to find gid from \\?"no-such-group-here\\?"/);
    assert.equal(result.stdout, '', 'no handshake line');
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('versions keyed by something other than a whole number is refused before any handshake line', async () => {
    const result = await runToExit(FAULTS, pluginEnv({ SDK_FAULT: 'bad-version' }));
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '', 'no handshake line (it would have said NaN)');
    assert.match(result.stderr, /versions has the key "v2"; app protocol versions are whole numbers from 1/);
  });

  test('a second serve() is refused with a clear error; the first keeps serving', async () => {
    const plugin = await startPluginProcess(FAULTS, pluginEnv({ SDK_FAULT: 'serve-twice' }));
    try {
      await waitFor(() => /second serve\(\)/.test(plugin.stderr()), 10_000, 'the second serve() to fail');
      assert.match(plugin.stderr(), /second serve\(\): serve\(\) was called a second time; a process serves one plugin/);
      assert.equal(plugin.handshakeLine.split('|').length, 6, plugin.handshakeLine);
      assert.equal(plugin.child.exitCode, null, 'still serving');
    } finally {
      plugin.kill();
    }
  });
});

async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
