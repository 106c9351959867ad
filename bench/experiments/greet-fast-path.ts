// The warm Greet on the host's own connection (greet(): node:http2, src/host/plugin-channel.ts)
// against the same call through a grpc-js stub on the same plugin (client.makeClient(),
// grpc-js's call stack: interceptors, resolving/retrying/load-balancing calls, channelz),
// which is what greet() was until the host moved off grpc-js. Both run against one Go
// plugin started by our host, alternating, and print latency and host CPU per call.
//   node --import tsx bench/experiments/greet-fast-path.ts [PLUGIN]
import { join } from 'node:path';
import { greet } from '../../src/greeter';
import { startPlugin, type PluginClient } from '../../src/host';
import { GreeterClient } from '../../src/proto';
import { percentile } from '../stats';
import { exitOnHelp } from '../usage';

exitOnHelp(`Usage: node --import tsx bench/experiments/greet-fast-path.ts [PLUGIN]
  greet() (node:http2) against a grpc-js stub on the same plugin, alternating (default PLUGIN: the tutorial's Go plugin).`);

type GreeterStub = { Greet(req: { name: string }, opts: { deadline: number }, cb: (e: Error | null, r?: { message: string }) => void): void };

type Call = () => Promise<string>;

async function latency(label: string, call: Call, calls = 5000): Promise<void> {
  for (let i = 0; i < 1000; i++) await call(); // JIT warm-up
  const samples: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await call();
    samples.push((performance.now() - t0) * 1000);
  }
  const cpu = process.cpuUsage(cpu0);
  const p = (q: number) => percentile(samples, q).toFixed(0);
  console.log(`${label.padEnd(22)} sequential   p50 ${p(50)} µs  p95 ${p(95)} µs  p99 ${p(99)} µs  CPU ${((cpu.user + cpu.system) / calls).toFixed(0)} µs/call`);
}

async function throughput(label: string, call: Call, inFlight: number, ms = 1500): Promise<void> {
  const end = performance.now() + ms;
  let calls = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await call();
        calls++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`${label.padEnd(22)} ${String(inFlight).padStart(2)} in flight  ${(calls / elapsed).toFixed(0).padStart(6)} greets/s  CPU ${((cpu.user + cpu.system) / calls).toFixed(0)} µs/call`);
}

async function main(): Promise<void> {
  const path = process.argv[2] ?? join(__dirname, '../../examples/go-greeter/bin/greeter');
  const client: PluginClient = await startPlugin({ path, sinks: { log: () => undefined, stdout: () => undefined } });
  const stub = client.makeClient(GreeterClient) as unknown as GreeterStub;
  try {
    const viaGrpcJs: Call = () =>
      new Promise((resolve, reject) => stub.Greet({ name: 'Alice' }, { deadline: Date.now() + 10_000 }, (e, r) => (e ? reject(e) : resolve(r?.message ?? ''))));
    const viaHttp2: Call = () => greet(client, 'Alice');
    if ((await viaGrpcJs()) !== 'hello Alice' || (await viaHttp2()) !== 'hello Alice') throw new Error('a wrong answer');
    for (let round = 0; round < 2; round++) {
      await latency('grpc-js stub', viaGrpcJs);
      await latency('greet() on node:http2', viaHttp2);
      for (const k of [1, 8, 64]) {
        await throughput('grpc-js stub', viaGrpcJs, k);
        await throughput('greet() on node:http2', viaHttp2, k);
      }
    }
  } finally {
    await client.stop();
  }
}

void main();
