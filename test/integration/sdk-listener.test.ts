// Where the SDK listens: go-plugin's TCP rules (port range, busy ports, its error
// texts) checked on real sockets, the Unix socket group option, and a whole plugin
// served over TCP with AutoMTLS as it would be on Windows.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { after, describe, test } from 'node:test';
import { ControllerClient, GreeterClient, HealthClient, HealthService } from '../../src/proto';
import { generateCertificate } from '../../src/sdk';
import { bindPluginListener } from '../../src/sdk/listener';
import { REPO_ROOT, TLS_CHANNEL_OPTIONS, certPemFromDer, pluginEnv, splitHandshake, startPluginProcess, unary } from './sdk-harness';

const servers: grpc.Server[] = [];
after(() => {
  for (const server of servers) server.forceShutdown();
});

function newServer(): grpc.Server {
  const server = new grpc.Server();
  server.addService(HealthService, {
    Check: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { status: 'SERVING' }),
  });
  servers.push(server);
  return server;
}

/** Holds a free loopback port busy for the duration of a test. */
async function occupyPort(): Promise<{ port: number; release(): void }> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return { port: (blocker.address() as net.AddressInfo).port, release: () => blocker.close() };
}

describe('TCP listener (the Windows path)', () => {
  const insecure = grpc.ServerCredentials.createInsecure();

  test('skips a busy port and takes the next one in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT', async () => {
    const busy = await occupyPort();
    try {
      const env = { PLUGIN_MIN_PORT: String(busy.port), PLUGIN_MAX_PORT: String(busy.port + 20) };
      const bound = await bindPluginListener(newServer(), insecure, env, 'tcp');
      assert.equal(bound.network, 'tcp');
      const port = Number(/^127\.0\.0\.1:(\d+)$/.exec(bound.address)?.[1]);
      assert.ok(port > busy.port && port <= busy.port + 20, bound.address);
      const health = new HealthClient(bound.address, grpc.credentials.createInsecure());
      assert.deepEqual(await unary(health, 'Check', { service: 'plugin' }), { status: 'SERVING' });
      health.close();
    } finally {
      busy.release();
    }
  });

  test('fails with go-plugin\'s text when every port in the range is taken', async () => {
    const busy = await occupyPort();
    try {
      const env = { PLUGIN_MIN_PORT: String(busy.port), PLUGIN_MAX_PORT: String(busy.port) };
      await assert.rejects(bindPluginListener(newServer(), insecure, env, 'tcp'), {
        code: 'LISTEN_FAILED',
        message: "Couldn't bind plugin TCP listener",
      });
    } finally {
      busy.release();
    }
  });

  test('uses an ephemeral port when no range is given (0..0)', async () => {
    const bound = await bindPluginListener(newServer(), insecure, {}, 'tcp');
    assert.match(bound.address, /^127\.0\.0\.1:[1-9]\d*$/);
  });

  test('rejects an inverted range before binding anything', async () => {
    await assert.rejects(bindPluginListener(newServer(), insecure, { PLUGIN_MIN_PORT: '20', PLUGIN_MAX_PORT: '10' }, 'tcp'), {
      message: 'PLUGIN_MIN_PORT value of 20 is greater than PLUGIN_MAX_PORT value of 10',
    });
  });
});

describe('Unix socket listener', () => {
  test('gives the socket to PLUGIN_UNIX_SOCKET_GROUP with mode 0660 and removes it on cleanup', async () => {
    const gid = process.getgid!();
    const bound = await bindPluginListener(newServer(), grpc.ServerCredentials.createInsecure(), { PLUGIN_UNIX_SOCKET_GROUP: String(gid) }, 'unix');
    const stat = fs.statSync(bound.address);
    assert.ok(stat.isSocket());
    assert.equal(stat.mode & 0o777, 0o660);
    assert.equal(stat.gid, gid);
    bound.cleanup();
    assert.equal(fs.existsSync(bound.address), false);
  });
});

describe('a plugin served over TCP with AutoMTLS', () => {
  test('verifies as localhost through an IP target and shuts down on request', async () => {
    const host = await generateCertificate();
    // A real plugin process running the SDK from source, as a Windows plugin would listen.
    const code = `require('./src/sdk').serve({ network: 'tcp', register(server) {
      server.addService(require('./src/proto').GreeterService, { Greet: (c, cb) => cb(null, { message: 'hello ' + c.request.name }) });
    } });`;
    const plugin = await startPluginProcess(process.execPath, pluginEnv({ PLUGIN_CLIENT_CERT: host.certPem }), 20_000, {
      args: ['--import', 'tsx', '-e', code],
      cwd: REPO_ROOT,
    });
    const fields = splitHandshake(plugin.handshakeLine);
    try {
      assert.equal(fields[2], 'tcp');
      const port = Number(/^127\.0\.0\.1:(\d+)$/.exec(fields[3])?.[1]);
      assert.ok(port >= 10000 && port <= 25000, fields[3]);
      const creds = grpc.credentials.createSsl(
        Buffer.from(certPemFromDer(Buffer.from(fields[5], 'base64'))),
        Buffer.from(host.keyPem),
        Buffer.from(host.certPem),
      );
      const greeter = new GreeterClient(fields[3], creds, TLS_CHANNEL_OPTIONS);
      const controller = new ControllerClient(fields[3], creds, { ...TLS_CHANNEL_OPTIONS, channelOverride: greeter.getChannel() });
      assert.deepEqual(await unary(greeter, 'Greet', { name: 'Windows' }), { message: 'hello Windows' });
      await unary(controller, 'Shutdown', {}).catch(() => {});
      assert.equal((await plugin.exited).code, 0);
      greeter.close();
    } finally {
      plugin.kill();
    }
  });
});
