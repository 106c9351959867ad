// Our side of the benchmark: the Node host (src/host + src/greeter) used as a library in
// one long-lived process, as the extension uses it. Answers the requests of
// bench/protocol.ts, one JSON line each; bench/go-host does the same with go-plugin.
// Run bundled (bench/bin/ours-peer.js) with --expose-gc so memory figures exclude garbage.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { applyHandshakePreset, callMethod, handshakePreset, loadCatalog } from '../src/explorer';
import { greet } from '../src/greeter';
import { startPlugin, type PluginClient, type PluginSinks } from '../src/host';
import { CALL_TIMEOUT_MS, type PeerRequest } from './protocol';

/** A connected plugin together with the phase times of its launch (ms after the start request). */
interface Started {
  client: PluginClient;
  handshakeMs: number;
  connectedMs: number;
  firstGreetMs: number;
  /** Until the host logs "starting" right before spawn: option checks, executable checks, socket dir. */
  preSpawnMs: number;
}

/**
 * Milliseconds the event loop spent blocked inside child_process.spawn (libuv forks the
 * whole host process, so this grows with its resident memory). Measured by wrapping the
 * module's export, which the host calls through at run time.
 */
let spawnBlockedMs = 0;
const childProcess = require('node:child_process') as typeof import('node:child_process');
const originalSpawn = childProcess.spawn;
(childProcess as { spawn: unknown }).spawn = function timedSpawn(this: unknown, ...args: unknown[]) {
  const t0 = performance.now();
  try {
    return (originalSpawn as (...a: unknown[]) => unknown).apply(this, args);
  } finally {
    spawnBlockedMs += performance.now() - t0;
  }
};

/** Bytes of plugin output received; the sinks only count, like the Go peer's writers. */
let forwardedBytes = 0;

/** Sinks that only count the plugin's output, like the Go peer's writers. */
const countingSinks = (lifecycle: PluginSinks['lifecycle'] = () => undefined): PluginSinks => ({
  log: (entry) => void (forwardedBytes += entry.raw.length),
  stdout: (chunk) => void (forwardedBytes += chunk.length),
  stderr: (chunk) => void (forwardedBytes += chunk.length),
  lifecycle,
});

/** startPlugin + one Greet, with the handshake moment taken from the host's lifecycle log. */
async function startGreeter(plugin: string, autoMTLS: boolean, env?: Record<string, string>): Promise<Started> {
  const t0 = performance.now();
  let handshakeMs = NaN;
  let preSpawnMs = NaN;
  const sinks = countingSinks((_level, message) => {
    // startPlugin logs "starting <command>" right before spawn, "plugin started" right after the handshake.
    if (message.startsWith('starting ')) preSpawnMs = performance.now() - t0;
    else if (message.startsWith('plugin started')) handshakeMs = performance.now() - t0;
  });
  const client = await startPlugin({ path: plugin, autoMTLS, env, sinks, startTimeoutMs: 20_000 });
  const connectedMs = performance.now() - t0;
  try {
    await greetChecked(client);
  } catch (e) {
    await client.stop();
    throw e;
  }
  return { client, handshakeMs, connectedMs, preSpawnMs, firstGreetMs: performance.now() - t0 };
}

async function greetChecked(client: PluginClient): Promise<void> {
  const message = await greet(client, 'Alice', { timeoutMs: CALL_TIMEOUT_MS });
  if (message !== 'hello Alice') throw new Error(`Greet answered "${message}", want "hello Alice"`);
}

async function stopTimed(client: PluginClient): Promise<number> {
  const t0 = performance.now();
  await client.stop();
  return performance.now() - t0;
}

async function measureCold(plugin: string, autoMTLS: boolean) {
  const blockedBefore = spawnBlockedMs;
  const s = await startGreeter(plugin, autoMTLS);
  const { handshakeMs, connectedMs, firstGreetMs, preSpawnMs } = s;
  return { handshakeMs, connectedMs, firstGreetMs, preSpawnMs, spawnBlockedMs: spawnBlockedMs - blockedBefore, stopMs: await stopTimed(s.client) };
}

/** Exec to the handshake line with no host library at all. */
async function measureFloor(plugin: string, clientCertPem?: string) {
  const dir = await mkdtemp(join(tmpdir(), 'plugin-dir'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BASIC_PLUGIN: 'hello',
      PLUGIN_PROTOCOL_VERSIONS: '1',
      PLUGIN_MIN_PORT: '10000',
      PLUGIN_MAX_PORT: '25000',
      PLUGIN_UNIX_SOCKET_DIR: dir,
    };
    if (clientCertPem) env.PLUGIN_CLIENT_CERT = clientCertPem;
    const t0 = performance.now();
    const child = spawn(plugin, [], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const handshakeMs = await new Promise<number>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(performance.now() - t0);
      });
      child.once('error', reject);
      child.once('exit', () => reject(new Error(`${plugin} exited before its handshake line`)));
    });
    child.kill('SIGKILL');
    await exited;
    return { handshakeMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureWarm(plugin: string, autoMTLS: boolean, calls: number, warmup: number) {
  const s = await startGreeter(plugin, autoMTLS);
  try {
    for (let i = 0; i < warmup; i++) await greetChecked(s.client);
    const latenciesUs = new Array<number>(calls);
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await greetChecked(s.client);
      latenciesUs[i] = (performance.now() - t0) * 1000;
    }
    return { latenciesUs, cpuPerCallUs: cpuMicros(cpu0) / calls };
  } finally {
    await s.client.stop();
  }
}

/** inFlight concurrent callers on one connection for durationMs, after a warm-up of a quarter of that. */
async function measureThroughput(plugin: string, autoMTLS: boolean, inFlight: number, durationMs: number) {
  const s = await startGreeter(plugin, autoMTLS);
  try {
    await greetLoop(s.client, inFlight, durationMs / 4);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const calls = await greetLoop(s.client, inFlight, durationMs);
    const elapsedMs = performance.now() - t0;
    return { calls, elapsedMs, perSecond: calls / (elapsedMs / 1000), cpuPerCallUs: cpuMicros(cpu0) / calls };
  } finally {
    await s.client.stop();
  }
}

async function greetLoop(client: PluginClient, inFlight: number, durationMs: number): Promise<number> {
  const end = performance.now() + durationMs;
  let calls = 0;
  const caller = async () => {
    while (performance.now() < end) {
      await greetChecked(client);
      calls++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, caller));
  return calls;
}

async function measureStop(plugin: string, autoMTLS: boolean, env?: Record<string, string>) {
  const s = await startGreeter(plugin, autoMTLS, env);
  return { stopMs: await stopTimed(s.client) };
}

/** count plugins started at once: time until all answered, host memory per plugin, time to stop all. */
async function measureScale(plugin: string, autoMTLS: boolean, count: number) {
  const before = settledResidentBytes();
  const t0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: count }, () => startGreeter(plugin, autoMTLS)));
  const allAnsweredMs = performance.now() - t0;
  const after = settledResidentBytes();
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const t1 = performance.now();
  await Promise.all(started.map((s) => s.client.stop()));
  const stopAllMs = performance.now() - t1;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { allAnsweredMs, rssBeforeBytes: before, rssAfterBytes: after, perPluginBytes: (after - before) / count, stopAllMs };
}

/**
 * The explorer's first look at a freshly started plugin: from the started, health-checked
 * client to its service list (reflection stream opened, services listed, their files and
 * dependencies fetched, descriptor registry built), as the Services node and `greeter list` do.
 */
async function measureExplorerList(plugin: string) {
  const client = await startPlugin({ path: plugin, autoMTLS: false, sinks: countingSinks(), startTimeoutMs: 20_000 });
  try {
    const t0 = performance.now();
    const catalog = await loadCatalog(client);
    const services = catalog.services().map((s) => s.typeName);
    const listMs = performance.now() - t0;
    if (!services.includes('tutorial.Greeter')) throw new Error(`reflection listed ${services.join(', ') || 'nothing'}, want tutorial.Greeter`);
    return { listMs, services };
  } finally {
    await client.stop();
  }
}

/**
 * Greet through the explorer (request JSON text in, proto3 JSON out, as the CLI and the request
 * editor send it) against the static greet(), on one connection, alternating which goes first.
 */
async function measureExplorerGreet(plugin: string, calls: number, warmup: number) {
  const client = await startPlugin({ path: plugin, autoMTLS: false, sinks: countingSinks(), startTimeoutMs: 20_000 });
  try {
    const catalog = await loadCatalog(client);
    const request = JSON.stringify({ name: 'Alice' });
    const dynamicGreet = async () => {
      const outcome = await callMethod(client, catalog, 'tutorial.Greeter/Greet', request, { timeoutMs: CALL_TIMEOUT_MS });
      const message = (outcome.messages[0] as { message?: string } | undefined)?.message;
      if (message !== 'hello Alice') throw new Error(`dynamic Greet answered ${JSON.stringify(outcome.messages)}, want hello Alice`);
    };
    for (let i = 0; i < warmup; i++) {
      await dynamicGreet();
      await greetChecked(client);
    }
    const dynamicUs = new Array<number>(calls);
    const staticUs = new Array<number>(calls);
    const timeUs = async (call: () => Promise<void>) => {
      const t0 = performance.now();
      await call();
      return (performance.now() - t0) * 1000;
    };
    for (let i = 0; i < calls; i++) {
      if (i % 2 === 0) {
        dynamicUs[i] = await timeUs(dynamicGreet);
        staticUs[i] = await timeUs(() => greetChecked(client));
      } else {
        staticUs[i] = await timeUs(() => greetChecked(client));
        dynamicUs[i] = await timeUs(dynamicGreet);
      }
    }
    return { dynamicUs, staticUs };
  } finally {
    await client.stop();
  }
}

/** terraform-provider-time from nothing to its GetSchema answer: launch (preset terraform), reflection, the call. */
async function measureExplorerTerraform(plugin: string) {
  const t0 = performance.now();
  const client = await startPlugin({
    ...applyHandshakePreset(handshakePreset('terraform'), { path: plugin, autoMTLS: false }),
    sinks: countingSinks(),
    startTimeoutMs: 20_000,
  });
  try {
    const t1 = performance.now();
    const catalog = await loadCatalog(client);
    const t2 = performance.now();
    const outcome = await callMethod(client, catalog, 'tfplugin5.Provider/GetSchema', '{}', { timeoutMs: CALL_TIMEOUT_MS });
    const t3 = performance.now();
    const schema = outcome.messages[0] as { resourceSchemas?: Record<string, unknown> } | undefined;
    if (!schema?.resourceSchemas?.time_static) throw new Error(`GetSchema answered without time_static: ${JSON.stringify(outcome.messages).slice(0, 300)}`);
    return { launchMs: t1 - t0, catalogMs: t2 - t1, getSchemaMs: t3 - t2, totalMs: t3 - t0, responseJsonBytes: JSON.stringify(schema).length };
  } finally {
    await client.stop();
  }
}

/** User + system CPU microseconds since `since` (all threads of this process). */
function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/** Resident set after full collections, so garbage does not count (needs --expose-gc). */
function settledResidentBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('ours-peer needs node --expose-gc for memory figures');
  gc();
  gc();
  return process.memoryUsage.rss();
}

async function handle(req: PeerRequest): Promise<object> {
  switch (req.op) {
    case 'cold':
      return measureCold(req.plugin, req.autoMTLS);
    case 'floor':
      return measureFloor(req.plugin, req.clientCertPem);
    case 'warm':
      return measureWarm(req.plugin, req.autoMTLS, req.calls, req.warmup);
    case 'throughput':
      return measureThroughput(req.plugin, req.autoMTLS, req.inFlight, req.durationMs);
    case 'stop':
      return measureStop(req.plugin, req.autoMTLS, req.env);
    case 'scale':
      return measureScale(req.plugin, req.autoMTLS, req.count);
    case 'explorerList':
      return measureExplorerList(req.plugin);
    case 'explorerGreet':
      return measureExplorerGreet(req.plugin, req.calls, req.warmup);
    case 'explorerTerraform':
      return measureExplorerTerraform(req.plugin);
    case 'memory':
      return { rssBytes: process.memoryUsage.rss(), forwardedBytes };
    default:
      throw new Error(`unknown op "${(req as { op: string }).op}"`);
  }
}

/** Answers requests one at a time, in order, until "quit" or the end of stdin. */
async function serve(): Promise<void> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const req = JSON.parse(line) as PeerRequest;
    if (req.op === 'quit') {
      process.stdout.write(JSON.stringify({ ok: true }) + '\n');
      break;
    }
    let answer: object;
    try {
      answer = { ok: true, ...(await handle(req)) };
    } catch (e) {
      answer = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
}

void serve().then(
  () => process.stdout.write('', () => process.exit(0)),
  (e: unknown) => {
    process.stderr.write(`ours-peer: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
