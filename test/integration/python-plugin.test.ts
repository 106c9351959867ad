// The Python greeter plugin (examples/python-greeter) as a real process: first the
// wire protocol seen by a bare grpc-js client (cookie, handshake, services, AutoMTLS,
// lifecycle, reflection), then through the project's host API, as the extension uses it,
// and under hashicorp/go-plugin's own Go host, with and without AutoMTLS.
// Needs the repository's .venv with examples/python-greeter/requirements.txt (npm test
// creates it); its bin/ goes first on the plugin's PATH, so `#!/usr/bin/env python3` finds it.
import { after, describe, test } from 'node:test';
import * as protoLoader from '@grpc/proto-loader';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import {
  BrokerClient,
  ControllerClient,
  GreeterClient,
  HealthClient,
  StdioClient,
  type Greeting,
  type HealthCheckResponse,
  type StdioData,
} from '../../src/proto';
import { generateCertificate, toPem } from '../../src/host/certificate';
import { startPlugin, type PluginClient } from '../../src/host';
import { greet } from '../../src/greeter';
import { callMethod, loadCatalog } from '../../src/explorer';

const PLUGIN = path.resolve(__dirname, '../../examples/python-greeter/greeter.py');
const REQUIREMENTS = 'examples/python-greeter/requirements.txt';
const GO_HOST = path.resolve(__dirname, '../fixtures/bin/go-host');
const VENV_BIN = path.resolve(__dirname, '../../.venv/bin');
/** The plugin's PATH: the venv's python3 first. */
const PY_PATH = `${VENV_BIN}${path.delimiter}${process.env.PATH ?? ''}`;
const COOKIE = { BASIC_PLUGIN: 'hello', PLUGIN_PROTOCOL_VERSIONS: '1', PATH: PY_PATH };
const REFLECTION_PROTO = require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');
const NOT_A_PROGRAM =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';
const HCLOG_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$/;

/** A plugin process launched by hand, with its parsed handshake line. */
interface RawPlugin {
  child: ChildProcess;
  fields: string[];
  stderr: () => string;
  exit: Promise<[number | null, NodeJS.Signals | null]>;
}

const running = new Set<ChildProcess>();

/** Spawns the plugin like a go-plugin host would and waits for its handshake line. */
async function launchRaw(env: Record<string, string> = {}, command: string[] = [PLUGIN]): Promise<RawPlugin> {
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, ...COOKIE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  void exit.then(() => running.delete(child));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    exit.then(([code]) => {
      throw new Error(`plugin exited (${code}) before its handshake:\n${stderr}`);
    }),
  ]);
  // Keep draining stdout as a host does.
  child.stdout!.resume();
  return { child, fields: first.split('|'), stderr: () => stderr, exit };
}

function target(fields: string[]): string {
  return fields[2] === 'unix' ? `unix:${fields[3]}` : fields[3];
}

function unary<Res>(client: grpc.Client, method: string, request: object): Promise<Res> {
  return new Promise((resolve, reject) => {
    const call = (client as unknown as Record<string, Function>)[method].bind(client);
    call(request, { deadline: Date.now() + 5000 }, (err: grpc.ServiceError | null, res: Res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

/** Resolves once check() holds, polling briefly (for output that has no event of its own). */
async function waitFor(check: () => boolean, describe: () => string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until no process has this pid (reaped, or a zombie nobody waits for). */
async function waitForPidGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let alive = true;
    try {
      process.kill(pid, 0);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      alive = stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      alive = false;
    }
    if (!alive) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Why the venv can't run the plugin here, or undefined when it can. */
const pythonProblem = (() => {
  const probe = spawnSync(path.join(VENV_BIN, 'python3'), ['-c', 'import grpclib, google.protobuf, cryptography'], {
    encoding: 'utf8',
  });
  if (!probe.error && probe.status === 0) return undefined;
  return (
    `the Python plugin needs the repository's .venv with its packages: run \`npm test\` once (it creates .venv), or ` +
    `\`python3 -m venv .venv && .venv/bin/pip install -r ${REQUIREMENTS}\`\n` +
    (probe.error?.message ?? probe.stderr)
  );
})();

/** A test that fails with the install hint (never skips) when Python isn't ready. */
function pyTest(name: string, fn: () => Promise<void>): void {
  test(name, async () => {
    if (pythonProblem) assert.fail(pythonProblem);
    await fn();
  });
}

after(() => {
  for (const child of running) child.kill('SIGKILL');
});

describe('python greeter: go-plugin protocol', () => {
  pyTest('run without the cookie, it prints go-plugin\'s message on stderr and exits 1', async () => {
    const child = spawn(PLUGIN, [], { env: { PATH: PY_PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.equal(stderr, NOT_A_PROGRAM);
    assert.equal(stdout, '');
  });

  pyTest('handshake: six fields, unix socket in PLUGIN_UNIX_SOCKET_DIR, hclog JSON on stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pydir'));
    try {
      const plugin = await launchRaw({ PLUGIN_UNIX_SOCKET_DIR: dir, PLUGIN_PROTOCOL_VERSIONS: '3,1,x' });
      assert.equal(plugin.fields.length, 6);
      const [core, app, network, address, protocol, cert] = plugin.fields;
      assert.deepEqual([core, app, network, protocol, cert], ['1', '1', 'unix', 'grpc', '']);
      assert.equal(path.dirname(address), dir);
      assert.ok(existsSync(address), 'socket file exists');
      plugin.child.kill('SIGTERM');
      await plugin.exit;
      assert.ok(!existsSync(address), 'socket file removed at exit');
      const lines = plugin.stderr().trim().split('\n');
      assert.equal(lines[0], 'server sent invalid plugin version "x"');
      for (const line of lines.slice(1)) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        assert.match(String(entry['@timestamp']), HCLOG_TIMESTAMP, line);
        assert.ok(['trace', 'debug', 'info', 'warn', 'error'].includes(String(entry['@level'])), line);
        assert.equal(typeof entry['@message'], 'string', line);
      }
      assert.ok(lines.some((l) => l.includes('"plugin address"')), plugin.stderr());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  pyTest('version negotiation and the multiplexing answer', async () => {
    // No offered version matches: the plugin answers with its lowest and lets the host refuse.
    const mismatch = await launchRaw({ PLUGIN_PROTOCOL_VERSIONS: '2', PLUGIN_MULTIPLEX_GRPC: 'true' });
    assert.equal(mismatch.fields[1], '1');
    assert.equal(mismatch.fields[6], 'false', 'no yamux support, said explicitly');
    mismatch.child.kill('SIGTERM');
    await mismatch.exit;
  });

  pyTest('Greet, Health, StreamStdio, StartStream, then Shutdown exits 0', async () => {
    const plugin = await launchRaw();
    const creds = grpc.credentials.createInsecure();
    const addr = target(plugin.fields);
    const greeter = new GreeterClient(addr, creds);
    const health = new HealthClient(addr, creds);
    const stdio = new StdioClient(addr, creds);
    const broker = new BrokerClient(addr, creds);
    const controller = new ControllerClient(addr, creds);
    try {
      const stdout: Buffer[] = [];
      const stream = stdio.StreamStdio({}) as grpc.ClientReadableStream<StdioData>;
      stream.on('data', (d: StdioData) => stdout.push(d.data));
      stream.on('error', () => {});
      const brokerStream = broker.StartStream() as grpc.ClientDuplexStream<object, object>;
      let brokerEnded = false;
      brokerStream.on('data', () => assert.fail('the broker sends nothing unasked'));
      brokerStream.on('error', () => (brokerEnded = true));
      brokerStream.on('end', () => (brokerEnded = true));
      brokerStream.write({ service_id: 1, network: 'unix', address: '/nonexistent' });

      const reply = await unary<Greeting>(greeter, 'Greet', { name: 'Alice' });
      assert.equal(reply.message, 'hello Alice');
      const status = await unary<HealthCheckResponse>(health, 'Check', { service: 'plugin' });
      assert.equal(status.status, 'SERVING');

      assert.equal(brokerEnded, false, 'broker stream stays open');

      // Greet printed a line on stdout; Shutdown sends it through GRPCStdio before the stream ends.
      const stdioEnded = once(stream, 'end');
      await unary(controller, 'Shutdown', {}).catch(() => {});
      await stdioEnded;
      assert.equal(Buffer.concat(stdout).toString(), 'greeting Alice\n');
      const [code] = await plugin.exit;
      assert.equal(code, 0);
      assert.ok(!existsSync(plugin.fields[3]), 'socket file removed');
    } finally {
      for (const c of [greeter, health, stdio, broker, controller]) c.close();
    }
  });

  pyTest('SIGINT is ignored: the host owns shutdown', async () => {
    const plugin = await launchRaw();
    const greeter = new GreeterClient(target(plugin.fields), grpc.credentials.createInsecure());
    try {
      plugin.child.kill('SIGINT');
      await waitFor(() => plugin.stderr().includes('plugin received interrupt signal, ignoring'), plugin.stderr);
      const reply = await unary<Greeting>(greeter, 'Greet', { name: 'Bob' });
      assert.equal(reply.message, 'hello Bob');
      assert.equal(plugin.child.exitCode, null);
    } finally {
      greeter.close();
      plugin.child.kill('SIGTERM');
      await plugin.exit;
    }
  });

  pyTest('exits by itself when its parent (the host) dies', async () => {
    // A shell is the parent; it reports the plugin's pid on stderr and is then killed.
    const plugin = await launchRaw({}, ['sh', '-c', '"$0" & echo "pid=$!" >&2; wait', PLUGIN]);
    const pid = Number(/pid=(\d+)/.exec(plugin.stderr())?.[1]);
    assert.ok(pid > 0, plugin.stderr());
    plugin.child.kill('SIGKILL');
    await plugin.exit;
    await waitForPidGone(pid, 5000);
    assert.match(plugin.stderr(), /host process exited, shutting down/);
  });
});

describe('python greeter: AutoMTLS', () => {
  pyTest('with a P-256 host certificate it serves mutual TLS and pins the host', async () => {
    const host = await generateCertificate('P-256');
    const plugin = await launchRaw({ PLUGIN_CLIENT_CERT: host.certPem });
    const field = plugin.fields[5];
    assert.ok(field.length > 50, 'field 6 carries the plugin certificate');
    assert.ok(!field.endsWith('='), 'unpadded base64, as Go expects');
    const pluginPem = toPem('CERTIFICATE', Buffer.from(field, 'base64'));
    const addr = target(plugin.fields);
    const creds = grpc.credentials.createSsl(
      Buffer.from(pluginPem),
      Buffer.from(host.keyPem),
      Buffer.from(host.certPem),
    );
    const greeter = new GreeterClient(addr, creds);
    // Another certificate than the one in PLUGIN_CLIENT_CERT must be refused.
    const stranger = await generateCertificate('P-256');
    const impostor = new GreeterClient(
      addr,
      grpc.credentials.createSsl(Buffer.from(pluginPem), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem)),
    );
    try {
      const reply = await unary<Greeting>(greeter, 'Greet', { name: 'Alice' });
      assert.equal(reply.message, 'hello Alice');
      await assert.rejects(unary(impostor, 'Greet', { name: 'Mallory' }), /UNAVAILABLE/);
    } finally {
      greeter.close();
      impostor.close();
      plugin.child.kill('SIGTERM');
      await plugin.exit;
    }
  });

  pyTest('with a P-521 host certificate (what Go hosts send) it serves mutual TLS', async () => {
    // grpcio's BoringSSL cannot verify P-521; Python's ssl (OpenSSL), which grpclib uses, can.
    const host = await generateCertificate('P-521');
    const plugin = await launchRaw({ PLUGIN_CLIENT_CERT: host.certPem });
    const pluginPem = toPem('CERTIFICATE', Buffer.from(plugin.fields[5], 'base64'));
    const greeter = new GreeterClient(
      target(plugin.fields),
      grpc.credentials.createSsl(Buffer.from(pluginPem), Buffer.from(host.keyPem), Buffer.from(host.certPem)),
    );
    try {
      assert.equal((await unary<Greeting>(greeter, 'Greet', { name: 'Erin' })).message, 'hello Erin');
    } finally {
      greeter.close();
      plugin.child.kill('SIGTERM');
      await plugin.exit;
    }
  });

  pyTest('PLUGIN_CLIENT_CERT that is not a certificate: a clear error line and exit 1', async () => {
    const child = spawn(PLUGIN, [], {
      env: { ...process.env, ...COOKIE, PLUGIN_CLIENT_CERT: 'not a certificate' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.equal(stdout, '', 'no handshake line');
    const entry = JSON.parse(stderr.trim().split('\n').pop()!) as Record<string, string>;
    assert.equal(entry['@level'], 'error');
    assert.match(entry['@message'], /^AutoMTLS failed: PLUGIN_CLIENT_CERT is not a PEM certificate/);
  });
});

describe('python greeter: server reflection', () => {
  pyTest('lists its services, the Greeter among them, and describes greeter.proto', async () => {
    const plugin = await launchRaw();
    const loaded = grpc.loadPackageDefinition(protoLoader.loadSync(REFLECTION_PROTO, { keepCase: true })) as any;
    const client = new loaded.grpc.reflection.v1.ServerReflection(target(plugin.fields), grpc.credentials.createInsecure());
    try {
      const call = client.ServerReflectionInfo();
      const replies: any[] = [];
      const ended = new Promise<void>((resolve, reject) => {
        call.on('data', (r: unknown) => replies.push(r));
        call.on('end', resolve);
        call.on('error', reject);
      });
      call.write({ list_services: '' });
      call.write({ file_containing_symbol: 'tutorial.Greeter' });
      call.end();
      await ended;
      const names = replies[0].list_services_response.service.map((s: { name: string }) => s.name).sort();
      for (const name of ['grpc.health.v1.Health', 'plugin.GRPCBroker', 'plugin.GRPCController', 'plugin.GRPCStdio', 'tutorial.Greeter']) {
        assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
      }
      const files = replies[1].file_descriptor_response.file_descriptor_proto as Buffer[];
      assert.ok(files.some((f) => f.toString('latin1').includes('greeter.proto')), 'greeter.proto is described');
    } finally {
      client.close();
      plugin.child.kill('SIGTERM');
      await plugin.exit;
    }
  });
});

describe('python greeter: through the explorer', () => {
  for (const autoMTLS of [false, true]) {
    pyTest(`reflection lists tutorial.Greeter; a dynamic Greet equals greet(), AutoMTLS ${autoMTLS ? 'on' : 'off'}`, async () => {
      const client = await startPlugin({ path: PLUGIN, env: { PATH: PY_PATH }, autoMTLS });
      try {
        assert.equal(client.info.tls, autoMTLS);
        const catalog = await loadCatalog(client);
        assert.equal(catalog.source.kind, 'reflection');
        assert.deepEqual(catalog.services().map((s) => s.typeName), ['tutorial.Greeter']);
        for (const name of ['Alice', 'Zoë ✓', '']) {
          const dynamic = await callMethod(client, catalog, 'tutorial.Greeter/Greet', JSON.stringify({ name }));
          assert.deepEqual(dynamic.messages, [{ message: await greet(client, name) }]);
        }
      } finally {
        await client.stop();
      }
    });
  }
});

describe('python greeter: through the host API', () => {
  pyTest('startPlugin, greet, ping, stop leaves no process', async () => {
    const client: PluginClient = await startPlugin({ path: PLUGIN, env: { PATH: PY_PATH } });
    const pid = client.info.pid!;
    try {
      assert.equal(client.info.network, 'unix');
      assert.equal(client.info.protocolVersion, 1);
      assert.equal(await greet(client, 'Alice'), 'hello Alice');
      await client.ping();
    } finally {
      await client.stop();
    }
    assert.equal(client.isExited, true);
    const exit = await client.exited;
    assert.equal(exit.code, 0, 'exited through the controller, not SIGKILL');
    await waitForPidGone(pid, 1000);
  });

  pyTest('stdout after the handshake reaches the stdout sink', async () => {
    const chunks: Buffer[] = [];
    let resolveSeen!: () => void;
    const seen = new Promise<void>((r) => (resolveSeen = r));
    const client = await startPlugin({
      path: PLUGIN,
      env: { PATH: PY_PATH },
      sinks: {
        stdout: (chunk) => {
          chunks.push(chunk);
          if (Buffer.concat(chunks).toString().includes('greeting Carol')) resolveSeen();
        },
      },
    });
    try {
      assert.equal(await greet(client, 'Carol'), 'hello Carol');
      await seen;
    } finally {
      await client.stop();
    }
  });

  pyTest('autoMTLS through the host', async () => {
    const client = await startPlugin({ path: PLUGIN, autoMTLS: true, env: { PATH: PY_PATH } });
    try {
      assert.equal(client.info.tls, true, client.info.tlsFallbackReason);
      assert.equal(await greet(client, 'Dave'), 'hello Dave');
      await client.ping();
    } finally {
      await client.stop();
    }
  });
});

describe("python greeter: go-plugin's own Go host", () => {
  /** Runs test/fixtures/bin/go-host (hashicorp/go-plugin's Client) against the Python plugin. */
  async function goHost(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    if (!existsSync(GO_HOST)) {
      throw new Error(`${GO_HOST} is missing: build it with \`bash scripts/build-go.sh\``);
    }
    try {
      const { stdout, stderr } = await promisify(execFile)(GO_HOST, ['-plugin', PLUGIN, ...args], {
        timeout: 20_000,
        env: { ...process.env, PATH: PY_PATH },
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  pyTest('greets, relays stdio and logs, and shuts the plugin down gracefully', async () => {
    // go-plugin does not wait for GRPCStdio before Kill; the host waits for the two lines.
    const run = await goHost(['-n', '2', '-await-stdout-lines', '2', 'Alice']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'hello Alice\nhello Alice\n');
    // hclog lines from the plugin were parsed (not raw), stdout came over GRPCStdio.
    // go-plugin puts a JSON log line's fields in a Go map, so their order varies from run to run.
    const greetLine = /\[DEBUG\] go-host\.greeter\.py: greet called: (.*)/.exec(run.stderr);
    assert.ok(greetLine, run.stderr);
    assert.match(greetLine[1], /(^| )@module=greeter( |$)/);
    assert.match(greetLine[1], /(^| )name=Alice( |$)/);
    assert.match(run.stderr, /received data: channel=STDOUT/);
    assert.doesNotMatch(run.stderr, /plugin failed to exit gracefully/);
  });

  pyTest('with AutoMTLS (a P-521 host certificate) it greets, relays stdio and shuts down gracefully', async () => {
    const run = await goHost(['-automtls', '-n', '2', '-await-stdout-lines', '2', 'Alice']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'hello Alice\nhello Alice\n');
    assert.match(run.stderr, /\[DEBUG\] go-host\.greeter\.py: configuring server automatic mTLS/);
    assert.match(run.stderr, /received data: channel=STDOUT/);
    assert.doesNotMatch(run.stderr, /plugin failed to exit gracefully/);
    assert.doesNotMatch(run.stderr, /\[(WARN|ERROR)\]/);
  });
});
