// Where the explorer's time goes (issue 8's bench rows, section 7): the first reflection
// listing after a start split into its round trips and the registry build, and the per-call
// work a dynamic Greet adds over the static greet() (request JSON, catalog lookup, binary
// and proto3 JSON conversion), measured in-process without the network.
//   node --import tsx bench/experiments/explorer-phases.ts [--terraform] [REPETITIONS]
import { create, fromBinary, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import { getNodeValue, parseTree } from 'jsonc-parser/lib/esm/main.js';
import { applyHandshakePreset, handshakePreset, loadCatalog, parseRequestJson, requestFromValue } from '../../src/explorer';
import { registryFromFiles } from '../../src/explorer/descriptor-set';
import { ReflectionSession } from '../../src/explorer/reflection';
import { startPlugin, type LaunchOptions } from '../../src/host';
import { GO_PLUGIN, TERRAFORM_PROVIDER } from '../paths';
import { percentile } from '../stats';
import { exitOnHelp } from '../usage';

exitOnHelp(`Usage: node --import tsx bench/experiments/explorer-phases.ts [--terraform] [REPETITIONS]
  Phases of the first reflection listing after a start (default: the Go example plugin, 20 starts;
  --terraform: terraform-provider-time with the terraform preset), then, for the Go plugin, the
  in-process cost of what a dynamic Greet does besides the network (20,000 times each).`);

const terraform = process.argv.includes('--terraform');
const reps = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
const silent = { log: () => undefined, stdout: () => undefined, stderr: () => undefined, lifecycle: () => undefined };
const launchOptions = (): LaunchOptions =>
  terraform
    ? { ...applyHandshakePreset(handshakePreset('terraform'), { path: TERRAFORM_PROVIDER, autoMTLS: false }), sinks: silent }
    : { path: GO_PLUGIN, autoMTLS: false, sinks: silent };

const ms = (values: number[]) => `p50 ${percentile(values, 50).toFixed(2)} ms, p95 ${percentile(values, 95).toFixed(2)} ms`;

/** The steps of the explorer's reflection load (src/explorer/catalog.ts, fromReflection), each timed. */
async function listingPhases(): Promise<void> {
  const phases: Record<string, number[]> = { 'open stream + list services (1st round trip)': [], 'files of each service (round trips)': [], 'missing dependencies (round trips)': [], 'descriptor registry build': [], total: [] };
  let roundTrips = 0;
  for (let i = 0; i <= reps; i++) {
    const plugin = await startPlugin(launchOptions());
    try {
      const t0 = performance.now();
      const { session, services } = await ReflectionSession.open(plugin, { timeoutMs: 10_000 });
      const t1 = performance.now();
      const files = new Map<string, { name: string; package: string; dependency: string[]; service: { name: string }[] }>();
      const known = (name: string) => [...files.values()].some((f) => f.service.some((s) => (f.package ? `${f.package}.${s.name}` : s.name) === name));
      let trips = 1;
      for (const service of services) {
        if (known(service)) continue;
        const answer = await session.fileContainingSymbol(service);
        trips++;
        for (const file of answer.files ?? []) files.set(file.name, file);
      }
      const t2 = performance.now();
      for (;;) {
        const missing = [...new Set([...files.values()].flatMap((f) => f.dependency.filter((d) => !files.has(d))))];
        if (!missing.length) break;
        for (const name of missing) {
          const answer = await session.fileByFilename(name);
          trips++;
          for (const file of answer.files ?? []) files.set(file.name, file);
        }
      }
      const t3 = performance.now();
      registryFromFiles(files.values() as never);
      const t4 = performance.now();
      session.close();
      if (i === 0) continue; // the first start warms the code paths, as the benchmark's untimed round does
      roundTrips = trips;
      const values = [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0];
      Object.values(phases).forEach((list, k) => list.push(values[k]));
    } finally {
      await plugin.stop();
    }
  }
  console.log(`${terraform ? 'terraform-provider-time' : 'Go example plugin'}: first reflection listing after start, ${reps} starts, ${roundTrips} round trips (the catalog skips services whose file came already)`);
  for (const [name, values] of Object.entries(phases)) console.log(`  ${name.padEnd(46)} ${ms(values)}`);
}

/** What a dynamic Greet computes besides the call: each step alone, in a loop, µs per call. */
async function dynamicCallWork(): Promise<void> {
  const plugin = await startPlugin(launchOptions());
  try {
    const catalog = await loadCatalog(plugin);
    const method = catalog.method('tutorial.Greeter/Greet');
    const context = { plugin: plugin.name, method: 'tutorial.Greeter/Greet', registry: catalog.registry };
    const request = parseRequestJson('{"name":"Alice"}', method.input, context);
    const replyBytes = toBinary(method.output, create(method.output, { message: 'hello Alice' } as never));
    const steps: [string, () => unknown][] = [
      ['catalog.method lookup', () => catalog.method('tutorial.Greeter/Greet')],
      ['parseRequestJson (jsonc tree, field checks, fromJson)', () => parseRequestJson('{"name":"Alice"}', method.input, context)],
      ['  of which jsonc-parser parseTree + getNodeValue', () => getNodeValue(parseTree('{"name":"Alice"}', [], { disallowComments: true })!)],
      ['  of which requestFromValue (field checks + fromJson)', () => requestFromValue({ name: 'Alice' }, method.input, context)],
      ['  of which fromJson alone', () => fromJson(method.input, { name: 'Alice' }, { registry: catalog.registry })],
      ['toBinary (request)', () => toBinary(method.input, request)],
      ['fromBinary + toJson (reply)', () => toJson(method.output, fromBinary(method.output, replyBytes), { registry: catalog.registry })],
    ];
    const n = 20_000;
    console.log(`Go example plugin: in-process work of one dynamic Greet, ${n} times each`);
    for (const [name, step] of steps) {
      for (let i = 0; i < 2000; i++) step();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) step();
      console.log(`  ${name.padEnd(56)} ${(((performance.now() - t0) * 1000) / n).toFixed(2)} µs`);
    }
  } finally {
    await plugin.stop();
  }
}

async function main(): Promise<void> {
  await listingPhases();
  if (!terraform) await dynamicCallWork();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
