// What-if for the warm-latency and throughput gaps: the same Greet as src/greeter, but
// sent as a bare gRPC unary call on node:http2 instead of through grpc-js's call stack
// (interceptors, resolving/retrying/load-balancing calls, channelz). Both run against one
// Go plugin started by our host, alternating, and print latency and host CPU per call.
//   node --import tsx bench/experiments/greet-fast-path.ts [PLUGIN]
// Plain connections only (AutoMTLS would pass the same TLS options to http2.connect).
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { join } from 'node:path';
import { greet } from '../../src/greeter';
import { startPlugin, type PluginClient } from '../../src/host';
import { percentile } from '../stats';
import { exitOnHelp } from '../usage';

exitOnHelp(`Usage: node --import tsx bench/experiments/greet-fast-path.ts [PLUGIN]
  greet() on grpc-js against a bare unary call on node:http2, alternating (default PLUGIN: the tutorial's Go plugin).`);

/** gRPC length-prefixed message for tutorial.Person{name} (names shorter than 128 bytes). */
function encodePerson(name: string): Buffer {
  const text = Buffer.from(name);
  const frame = Buffer.alloc(7 + text.length);
  frame.writeUInt32BE(2 + text.length, 1);
  frame[5] = 0x0a; // field 1, length-delimited
  frame[6] = text.length;
  text.copy(frame, 7);
  return frame;
}

/** tutorial.Greeting{message} out of one length-prefixed message (short messages only). */
function decodeGreeting(frame: Buffer): string {
  return frame.length > 7 && frame[5] === 0x0a ? frame.subarray(7, 7 + frame[6]).toString() : '';
}

/** One unary Greet: POST with the gRPC headers, read the reply and the grpc-status trailer. */
function fastGreet(session: http2.ClientHttp2Session, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': '/tutorial.Greeter/Greet',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': '10S',
    });
    const chunks: Buffer[] = [];
    let status: string | undefined;
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('trailers', (trailers) => (status = String(trailers['grpc-status'])));
    stream.on('end', () => (status === '0' ? resolve(decodeGreeting(Buffer.concat(chunks))) : reject(new Error(`grpc-status ${status}`))));
    stream.on('error', reject);
    stream.end(encodePerson(name));
  });
}

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
  const session = http2.connect('http://localhost', { createConnection: () => net.connect(client.info.address) });
  try {
    const viaGrpcJs: Call = () => greet(client, 'Alice');
    const viaHttp2: Call = () => fastGreet(session, 'Alice');
    if ((await viaHttp2()) !== 'hello Alice') throw new Error('the fast path got a wrong answer');
    for (let round = 0; round < 2; round++) {
      await latency('greet() on grpc-js', viaGrpcJs);
      await latency('unary on node:http2', viaHttp2);
      for (const k of [1, 8, 64]) {
        await throughput('greet() on grpc-js', viaGrpcJs, k);
        await throughput('unary on node:http2', viaHttp2, k);
      }
    }
  } finally {
    session.close();
    await client.stop();
  }
}

void main();
