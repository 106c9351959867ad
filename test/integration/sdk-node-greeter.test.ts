// The node-greeter example, built into a single executable, run as a real process
// and spoken to over raw grpc-js exactly as a go-plugin host would.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ControllerClient, GreeterClient, HealthClient, StdioClient, type StdioData } from '../../src/proto';
import { generateCertificate } from '../../src/sdk';
import {
  NODE_GREETER,
  TLS_CHANNEL_OPTIONS,
  buildNodePlugins,
  certPemFromDer,
  dialTarget,
  pluginEnv,
  runToExit,
  splitHandshake,
  startPluginProcess,
  unary,
  type RunningPlugin,
} from './sdk-harness';

const NOT_A_PLUGIN =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';

const HCLOG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

const running: RunningPlugin[] = [];
async function start(env: NodeJS.ProcessEnv): Promise<RunningPlugin> {
  const plugin = await startPluginProcess(NODE_GREETER, env);
  running.push(plugin);
  return plugin;
}

before(async () => {
  await buildNodePlugins();
});

after(() => {
  for (const plugin of running) plugin.kill();
});

describe('node-greeter without the magic cookie', () => {
  test('prints go-plugin\'s exact message on stderr and exits 1', async () => {
    const result = await runToExit(NODE_GREETER, pluginEnv({ BASIC_PLUGIN: undefined }));
    assert.equal(result.code, 1);
    assert.equal(result.stderr, NOT_A_PLUGIN);
    assert.equal(result.stdout, '');
  });

  test('treats a wrong cookie value the same way', async () => {
    const result = await runToExit(NODE_GREETER, pluginEnv({ BASIC_PLUGIN: 'goodbye' }));
    assert.equal(result.code, 1);
    assert.equal(result.stderr, NOT_A_PLUGIN);
    assert.equal(result.stdout, '');
  });
});

describe('node-greeter with the host environment', () => {
  test('serves health, greeter, stdio and controller over the unix socket it announces', async () => {
    const plugin = await start(pluginEnv());
    const fields = splitHandshake(plugin.handshakeLine);
    assert.deepEqual(fields.slice(0, 3), ['1', '1', 'unix']);
    assert.equal(fields[4], 'grpc');
    assert.equal(fields[5], '', 'no certificate without PLUGIN_CLIENT_CERT');
    assert.equal(fields.length, 6, 'no 7th field unless PLUGIN_MULTIPLEX_GRPC is set');
    const socketPath = fields[3];
    assert.equal(path.dirname(socketPath), os.tmpdir());
    assert.match(path.basename(socketPath), /^plugin\d+$/);
    assert.ok(fs.statSync(socketPath).isSocket());

    const target = dialTarget(fields[2], socketPath);
    const creds = grpc.credentials.createInsecure();
    const health = new HealthClient(target, creds);
    const greeter = new GreeterClient(target, creds, { channelOverride: health.getChannel() });
    const stdio = new StdioClient(target, creds, { channelOverride: health.getChannel() });
    const controller = new ControllerClient(target, creds, { channelOverride: health.getChannel() });
    try {
      assert.deepEqual(await unary(health, 'Check', { service: 'plugin' }), { status: 'SERVING' });

      // Stdio first, as a go-plugin host does; then one greet must arrive as one STDOUT line.
      const stream = stdio.StreamStdio({});
      const received: StdioData[] = [];
      const gotLine = new Promise<void>((resolve) =>
        stream.on('data', (chunk: StdioData) => {
          received.push(chunk);
          if (Buffer.concat(received.map((c) => c.data)).toString().includes('\n')) resolve();
        }),
      );
      stream.on('error', () => {}); // Cancelled when the plugin shuts down.

      assert.deepEqual(await unary(greeter, 'Greet', { name: 'Alice' }), { message: 'hello Alice' });
      await gotLine;
      assert.equal(received[0].channel, 'STDOUT');
      assert.equal(Buffer.concat(received.map((c) => c.data)).toString(), 'greeting Alice\n');

      const started = Date.now();
      await unary(controller, 'Shutdown', {}).catch(() => {}); // The reply may race the exit, as in Go.
      const exit = await plugin.exited;
      assert.equal(exit.code, 0);
      assert.ok(Date.now() - started < 5000, `exited ${Date.now() - started} ms after Shutdown`);
      assert.equal(fs.existsSync(socketPath), false, 'the socket file is removed on exit');
    } finally {
      health.close();
    }

    // Every stderr line is hclog JSON with string @-fields and a six-digit timestamp.
    const lines = plugin.stderr().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) {
      for (const key of ['@level', '@message', '@timestamp']) assert.equal(typeof line[key], 'string', `${key} in ${JSON.stringify(line)}`);
      assert.match(line['@timestamp'] as string, HCLOG_TIMESTAMP);
    }
    const greet = lines.find((line) => line['@message'] === 'greet called');
    assert.ok(greet, `no "greet called" log line in ${plugin.stderr()}`);
    assert.equal(greet['@level'], 'info');
    assert.equal(greet['@module'], 'greeter');
    assert.equal(greet.name, 'Alice');
    assert.ok(lines.some((line) => line['@message'] === 'plugin address' && line.address === socketPath));
  });

  test('buffers stdout written before the host opens StreamStdio', async () => {
    const plugin = await start(pluginEnv());
    const [, , network, address] = splitHandshake(plugin.handshakeLine);
    const target = dialTarget(network, address);
    const greeter = new GreeterClient(target, grpc.credentials.createInsecure());
    const stdio = new StdioClient(target, grpc.credentials.createInsecure(), { channelOverride: greeter.getChannel() });
    try {
      await unary(greeter, 'Greet', { name: 'Early' });
      const stream = stdio.StreamStdio({});
      stream.on('error', () => {});
      const first = await new Promise<StdioData>((resolve) => stream.once('data', resolve));
      assert.equal(first.channel, 'STDOUT');
      assert.equal(first.data.toString(), 'greeting Early\n');
      stream.cancel();
    } finally {
      greeter.close();
      plugin.kill();
    }
  });

  test('honours PLUGIN_UNIX_SOCKET_DIR, answers |false to PLUGIN_MULTIPLEX_GRPC, falls back to its lowest version', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-sock-'));
    try {
      const plugin = await start(
        pluginEnv({ PLUGIN_UNIX_SOCKET_DIR: dir, PLUGIN_MULTIPLEX_GRPC: 'true', PLUGIN_PROTOCOL_VERSIONS: '7,x,3' }),
      );
      const fields = splitHandshake(plugin.handshakeLine);
      assert.equal(fields[1], '1', 'the plugin answers its lowest version when none is offered');
      assert.equal(path.dirname(fields[3]), dir);
      assert.equal(fields[6], 'false');
      assert.equal(fields.length, 7);
      plugin.kill();
      await plugin.exited;
      assert.match(plugin.stderr(), /server sent invalid plugin version "x"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('ignores SIGINT', async () => {
    const plugin = await start(pluginEnv());
    const [, , network, address] = splitHandshake(plugin.handshakeLine);
    const health = new HealthClient(dialTarget(network, address), grpc.credentials.createInsecure());
    try {
      plugin.child.kill('SIGINT');
      // The trace line proves the signal arrived and was handled, not lost.
      await waitFor(() => plugin.stderr().includes('plugin received interrupt signal, ignoring'), 3_000).catch((err: Error) => {
        throw new Error(`${err.message}; exit ${plugin.child.exitCode ?? plugin.child.signalCode}; stderr: ${plugin.stderr()}`);
      });
      assert.deepEqual(await unary(health, 'Check', { service: 'plugin' }), { status: 'SERVING' });
      assert.equal(plugin.child.exitCode, null);
    } finally {
      health.close();
      plugin.kill();
    }
  });

  test('exits when its parent process dies', async () => {
    // A shell starts the plugin in the background, reports its pid, and exits once the
    // plugin has shaken hands (we then write a line to the shell): the plugin is orphaned.
    const script = `"${NODE_GREETER}" & echo "pid=$!"; read line`;
    const shell = await new Promise<{ pid: number; done: Promise<void> }>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', script], { env: pluginEnv(), stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      const done = new Promise<void>((res) => child.on('exit', () => res()));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const pid = /pid=(\d+)/.exec(out);
        if (pid && /\|grpc\|/.test(out)) {
          child.stdin.end('go\n');
          resolve({ pid: Number(pid[1]), done });
        }
      });
      child.on('error', reject);
    });
    await shell.done;
    // The orphan is reaped by pid 1 whenever it gets to it; a zombie has already exited.
    const alive = (pid: number) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync('/proc/self/stat')) return false;
      }
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      await waitFor(() => !alive(shell.pid), 5_000);
    } finally {
      if (alive(shell.pid)) process.kill(shell.pid, 'SIGKILL');
    }
  });
});

describe('node-greeter with AutoMTLS', () => {
  test('answers with an unpadded P-521 certificate for localhost and requires the host certificate', async () => {
    const host = await generateCertificate();
    const plugin = await start(pluginEnv({ PLUGIN_CLIENT_CERT: host.certPem }));
    const fields = splitHandshake(plugin.handshakeLine);
    const field6 = fields[5];
    assert.ok(field6.length > 50, 'go-plugin ignores a cert field of 50 characters or fewer');
    assert.doesNotMatch(field6, /=/, 'Go decodes field 6 with RawStdEncoding: no padding');
    const pluginCertPem = certPemFromDer(Buffer.from(field6, 'base64'));
    const cert = new crypto.X509Certificate(pluginCertPem);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.equal(cert.ca, true);

    const target = dialTarget(fields[2], fields[3]);
    const good = new GreeterClient(
      target,
      grpc.credentials.createSsl(Buffer.from(pluginCertPem), Buffer.from(host.keyPem), Buffer.from(host.certPem)),
      TLS_CHANNEL_OPTIONS,
    );
    const stranger = await generateCertificate();
    const wrongClientCert = new GreeterClient(
      target,
      grpc.credentials.createSsl(Buffer.from(pluginCertPem), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem)),
      TLS_CHANNEL_OPTIONS,
    );
    const plaintext = new GreeterClient(target, grpc.credentials.createInsecure());
    try {
      assert.deepEqual(await unary(good, 'Greet', { name: 'Alice' }), { message: 'hello Alice' });
      await assert.rejects(unary(wrongClientCert, 'Greet', { name: 'Mallory' }, 3_000), { code: grpc.status.UNAVAILABLE });
      await assert.rejects(unary(plaintext, 'Greet', { name: 'Eve' }, 3_000), { code: grpc.status.UNAVAILABLE });
    } finally {
      good.close();
      wrongClientCert.close();
      plaintext.close();
      plugin.kill();
    }
  });

  test('exits 1 with go-plugin\'s log message when PLUGIN_CLIENT_CERT is not a certificate', async () => {
    const result = await runToExit(NODE_GREETER, pluginEnv({ PLUGIN_CLIENT_CERT: 'not a pem' }));
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /client cert provided but failed to parse/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
