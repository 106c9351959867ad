// Stop, exit detection, cancellation and reattach against real plugin processes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { isAlive, isPluginError, reattachPlugin, startPlugin, TUTORIAL_HANDSHAKE, type ReattachConfig } from '../../src/host';
import { assertGone, fixture, goGreeter, processesWithEnv, recordingSinks, repoRoot, waitFor } from '../helpers/plugins';
import { recordingSignals } from '../helpers/signals';
import { SpawnedPluginProcess } from '../../src/host/plugin-process';
import { tempDir } from '../helpers/temp';

describe('stop()', () => {
  it('is graceful through the controller, idempotent, and removes the socket directory', async () => {
    const client = await startPlugin({ path: goGreeter() });
    const socketDir = dirname(client.info.address);
    assert.ok(existsSync(socketDir));
    await Promise.all([client.stop(), client.stop()]);
    await client.stop();
    // Exit code 0, not SIGKILL: the plugin left because of the controller's Shutdown.
    assert.deepEqual(await client.exited, { code: 0, signal: null });
    assertGone(client.pid);
    assert.equal(existsSync(socketDir), false);
  });

  it('an exit after the handshake builds no start error (no stderr wait, no stack trace at every stop)', async (t) => {
    const built = t.mock.method(SpawnedPluginProcess.prototype, 'exitedEarlyError');
    const client = await startPlugin({ path: goGreeter() });
    await client.stop();
    await client.exited;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(built.mock.callCount(), 0);
  });

  it('kills a plugin that ignores Shutdown and SIGTERM after the 2 s grace', async () => {
    const recorded = recordingSinks();
    const client = await startPlugin({ path: fixture('bin/bare-grpc'), sinks: recorded.sinks });
    const started = Date.now();
    await client.stop();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1900 && elapsed < 10_000, `stop took ${elapsed} ms: it must wait out the 2 s grace, then kill`);
    assert.equal((await client.exited).signal, 'SIGKILL');
    assertGone(client.pid);
    assert.ok(recorded.lifecycle.some((l) => l.level === 'warn' && /killing it/.test(l.message)));
  });

  it('takes down what a wrapper script started too (the whole process group)', async () => {
    const pidFile = join(tempDir('greeter-wrapper-'), 'sleeper.pid');
    const client = await startPlugin({
      path: fixture('plugins/wrapper.sh'),
      env: { FIXTURE_PID_FILE: pidFile, FIXTURE_REAL_PLUGIN: goGreeter() },
    });
    assert.equal(await greet(client, 'Wrapped'), 'hello Wrapped');
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(isAlive(sleeper));
    await client.stop();
    assertGone(client.pid);
    await waitFor(() => !isAlive(sleeper), 'the wrapper\'s background child to die');
  });
});

describe('launch options', () => {
  function launchReport(path: string): Record<string, string> {
    return Object.fromEntries(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  }

  it('passes args, cwd, env merged over the host env, and go-plugin variables; exec is direct', async () => {
    const dir = tempDir('greeter-launch-');
    const out = join(dir, 'report');
    process.env.GREETER_TEST_HOST_VAR = 'from-host';
    try {
      const client = await startPlugin({
        path: fixture('plugins/report-launch.sh'),
        args: ['--flag', 'two words'],
        cwd: dir,
        // PLUGIN_MULTIPLEX_GRPC would make a Go plugin expect yamux; the host never passes it on.
        env: { FIXTURE_OUT: out, FIXTURE_REAL_PLUGIN: goGreeter(), FIXTURE_USER_VAR: 'from-settings', PLUGIN_MULTIPLEX_GRPC: 'true' },
        protocolVersions: [1, 3],
        autoMTLS: true,
      });
      await client.stop();
      const report = launchReport(out);
      assert.equal(report.args, '--flag two words');
      assert.equal(report.cwd, dir);
      assert.equal(report.host_var, 'from-host');
      assert.equal(report.user_var, 'from-settings');
      assert.equal(report.cookie, 'hello');
      assert.equal(report.versions, '1,3');
      assert.equal(report.ports, '10000-25000');
      assert.equal(report.socket_dir, dirname(client.info.address));
      assert.equal(report.client_cert, 'set');
      assert.equal(report.mux, 'unset');
    } finally {
      delete process.env.GREETER_TEST_HOST_VAR;
    }
  });

  it('skipHostEnv leaves the host environment out', async () => {
    const out = join(tempDir('greeter-launch-'), 'report');
    process.env.GREETER_TEST_HOST_VAR = 'from-host';
    try {
      const client = await startPlugin({
        path: fixture('plugins/report-launch.sh'),
        skipHostEnv: true,
        env: { FIXTURE_OUT: out, FIXTURE_REAL_PLUGIN: goGreeter() },
      });
      await client.stop();
      const report = launchReport(out);
      assert.equal(report.host_var, 'unset');
      assert.equal(report.cookie, 'hello');
      assert.equal(report.client_cert, '');
    } finally {
      delete process.env.GREETER_TEST_HOST_VAR;
    }
  });
});

describe('cancelling a start', () => {
  it('an aborted signal kills a plugin still in its handshake and rejects with STOPPED at once', async () => {
    const controller = new AbortController();
    const mark = `cancel-${process.pid}-${Date.now()}`;
    const starting = startPlugin({ path: fixture('plugins/silent.sh'), signal: controller.signal, env: { FIXTURE_MARK: mark } });
    await waitFor(() => processesWithEnv(`FIXTURE_MARK=${mark}`).length > 0, 'the plugin process to start');
    const abortedAt = Date.now();
    controller.abort();
    await assert.rejects(starting, (e: unknown) => isPluginError(e, 'STOPPED') && /while it was starting/.test(e.message));
    assert.ok(Date.now() - abortedAt < 30_000, 'the start ended with the abort, not its 60 s timeout');
    assert.deepEqual(processesWithEnv(`FIXTURE_MARK=${mark}`), []);
  });
});

describe('crashes', () => {
  it('a crashed plugin does not leave the children of its process group behind', async () => {
    const pidFile = join(tempDir('greeter-wrapper-'), 'sleeper.pid');
    const client = await startPlugin({
      path: fixture('plugins/wrapper.sh'),
      env: { FIXTURE_PID_FILE: pidFile, FIXTURE_REAL_PLUGIN: goGreeter() },
    });
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    process.kill(client.pid!, 'SIGKILL');
    await client.exited;
    await waitFor(() => !isAlive(sleeper), "the crashed wrapper's background child to die");
    await client.stop();
  });
});

describe('exit detection', () => {
  it('notices a kill -9 from outside, fails the pending call at once and emits exit', async () => {
    const client = await startPlugin({ path: fixture('bin/bare-grpc'), env: { FIXTURE_GREET_DELAY_MS: '10000' } });
    const exitEvent = new Promise((resolve) => client.once('exit', resolve));
    const pending = greet(client, 'Slow', { timeoutMs: 20_000 });
    const killedAt = Date.now();
    process.kill(client.pid!, 'SIGKILL');
    await assert.rejects(pending, (e: unknown) => isPluginError(e, 'PLUGIN_EXITED') && /signal SIGKILL/.test(e.message));
    // Behaviour, not speed: the call fails with the exit long before its 20 s deadline.
    assert.ok(Date.now() - killedAt < 10_000, 'the pending call failed with the exit, not its deadline');
    assert.deepEqual(await exitEvent, { code: null, signal: 'SIGKILL' });
    assert.equal(client.isExited, true);
    assert.equal(client.signal.aborted, true);
    await assert.rejects(greet(client, 'After'), (e: unknown) => isPluginError(e, 'PLUGIN_EXITED'));
    await client.stop();
  });
});

describe('greet() calls', () => {
  it('maps AbortSignal to gRPC cancel and deadlines to DEADLINE_EXCEEDED', async () => {
    const client = await startPlugin({ path: fixture('bin/bare-grpc'), env: { FIXTURE_GREET_DELAY_MS: '3000' } });
    try {
      const controller = new AbortController();
      const call = greet(client, 'Cancelled', { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(call, (e: unknown) => isPluginError(e, 'CANCELLED'));
      await assert.rejects(greet(client, 'Late', { timeoutMs: 100 }), (e: unknown) =>
        isPluginError(e, 'DEADLINE_EXCEEDED') && /within 100 ms/.test(e.message),
      );
    } finally {
      await client.stop();
    }
  });

  it('reports UNIMPLEMENTED for a plugin without the Greeter service', async () => {
    const client = await startPlugin({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'health' } });
    try {
      await assert.rejects(greet(client, 'x'), (e: unknown) => isPluginError(e, 'UNIMPLEMENTED') && /tutorial.Greeter\/Greet/.test(e.message));
    } finally {
      await client.stop();
    }
  });
});

/** The Go greeter started by hand, as under a debugger, for a host to reattach to. */
function startByHand(): ChildProcess {
  return spawn(goGreeter(), [], {
    env: { ...process.env, BASIC_PLUGIN: 'hello', PLUGIN_PROTOCOL_VERSIONS: '1', PLUGIN_UNIX_SOCKET_DIR: tempDir('plugin-dir') },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** What a reattach config takes from the handshake line of a plugin started by hand (all but the pid). */
async function servedAt(child: ChildProcess): Promise<Omit<ReattachConfig, 'pid'>> {
  const line = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
  const [, version, network, address] = line.trim().split('|');
  return { protocol: 'grpc', protocolVersion: Number(version), network: network as 'unix', address };
}

describe('reattach', () => {
  it('connects to a plugin someone else started, and in test mode never kills it', async () => {
    const child = startByHand();
    try {
      const served = await servedAt(child);
      const config = { ...served, pid: child.pid! };
      const borrowed = await reattachPlugin({ ...config, test: true }, { name: 'borrowed' });
      assert.equal(await greet(borrowed, 'Again'), 'hello Again');
      await borrowed.stop();
      assert.ok(isAlive(child.pid!), 'test-mode reattach must not kill the plugin');

      const owned = await reattachPlugin(config, { name: 'owned' });
      assert.equal(await greet(owned, 'Owned'), 'hello Owned');
      await owned.stop();
      assertGone(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a reattach config naming another live process (not the plugin) is refused, so stop() can never kill that process', async () => {
    const child = startByHand();
    const unrelated = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      const served = await servedAt(child);
      const { sent } = await recordingSignals(() =>
        assert.rejects(
          reattachPlugin({ ...served, pid: unrelated.pid! }, { name: 'wrong-pid' }),
          (e: unknown) => isPluginError(e, 'REATTACH_NOT_FOUND') && new RegExp(`pid ${unrelated.pid} is running but does not hold the plugin's socket`).test(e.message),
        ),
      );
      assert.deepEqual(sent, []);
      assert.ok(isAlive(unrelated.pid!) && isAlive(child.pid!));
    } finally {
      child.kill('SIGKILL');
      unrelated.kill('SIGKILL');
    }
  });

  it('after stop(), ping() says the plugin was stopped, and `exited` of a test-mode reattach settles once the process ends', async () => {
    const child = startByHand();
    try {
      const served = await servedAt(child);
      const borrowed = await reattachPlugin({ ...served, pid: child.pid!, test: true });
      await borrowed.stop();
      await assert.rejects(borrowed.ping(), (e: unknown) => isPluginError(e, 'STOPPED') && /was stopped/.test(e.message));
      child.kill('SIGKILL');
      const exit = await Promise.race([borrowed.exited, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000))]);
      assert.deepEqual(exit, { code: null, signal: null });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a failed reattach to a live pid signals nothing and reports nothing but debug lines', async () => {
    const recorded = recordingSinks();
    const { sent } = await recordingSignals(() =>
      assert.rejects(
        reattachPlugin(
          { protocol: 'grpc', protocolVersion: 1, network: 'unix', address: join(tmpdir(), 'nobody-listens'), pid: process.pid },
          { name: 'stale', sinks: recorded.sinks },
        ),
        (e: unknown) => isPluginError(e, 'REATTACH_NOT_FOUND') && /no go-plugin plugin answers/.test(e.message),
      ),
    );
    assert.deepEqual(sent, [], 'a process the host only borrowed was signalled');
    // The borrowed pid is this very process: a client still watching it would never see it exit
    // either, so what matters is that nothing claimed an exit or a stop.
    assert.deepEqual(recorded.lifecycle.filter((l) => l.level !== 'debug'), [], 'a client never returned reported something');
  });

  it('REATTACH_NOT_FOUND for a pid that is not running', async () => {
    await assert.rejects(
      reattachPlugin({ protocol: 'grpc', protocolVersion: TUTORIAL_HANDSHAKE.protocolVersion, network: 'unix', address: '/tmp/none', pid: 2 ** 22 + 7 }),
      (e: unknown) => isPluginError(e, 'REATTACH_NOT_FOUND') && /no process with pid/.test(e.message),
    );
  });
});

describe('host exit', () => {
  it('a host killed by SIGTERM, which it does not handle, still takes its plugin along', async () => {
    const script = `
      const { startPlugin } = require(${JSON.stringify(join(repoRoot, 'src/host'))});
      startPlugin({ path: ${JSON.stringify(goGreeter())} }).then((c) => { console.log(c.pid); setInterval(() => {}, 1000); });
    `;
    const host = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => host.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    assert.ok(isAlive(pid));
    host.kill('SIGTERM');
    const [, signal] = await new Promise<[number | null, string | null]>((resolve) => host.on('exit', (c, s) => resolve([c, s])));
    assert.equal(signal, 'SIGTERM', 'the host still dies of the signal');
    await waitFor(() => !isAlive(pid), `plugin ${pid} to be gone after its host was killed`, 3000);
  });

  it('a host process that exits without stopping its plugin still leaves no plugin behind', async () => {
    const script = `
      const { startPlugin } = require(${JSON.stringify(join(repoRoot, 'src/host'))});
      startPlugin({ path: ${JSON.stringify(goGreeter())} }).then((c) => { console.log(c.pid); process.exit(0); });
    `;
    const host = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    host.stdout!.on('data', (d) => (out += d));
    await new Promise((resolve) => host.on('exit', resolve));
    const pid = Number(out.trim());
    assert.ok(pid > 0, `host printed no pid: ${out}`);
    await waitFor(() => !isAlive(pid), `plugin ${pid} to be gone after its host exited`, 3000);
  });
});
