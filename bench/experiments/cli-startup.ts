// Where the CLI's whole-process time goes (issue 10, goal: `greeter greet` ≤ 100 ms on
// Node 22 and 24). Bundles a ladder of entry points the way the CLI is bundled, each adding
// one layer, and runs each in fresh processes on every Node of the benchmark, interleaved:
//   boot         `node` with an empty script
//   http2        + require('node:http2') (loads tls, net, ... : what grpc-js needs of Node)
//   grpc-js      + @grpc/grpc-js
//   protos       + src/proto (proto-loader builds every service and its descriptors)
//   protos without descriptors (what-if): grpc-js + the same protos through protobufjs alone
//   host         + src/host and src/greeter (everything `greeter greet` loads)
//   greet        the real CLI (dist/cli.js): + launch the Go plugin, Greet, stop, exit
//   greet, no compile cache   the same with NODE_DISABLE_COMPILE_CACHE=1
// Each process reports its own CPU time (user + system, from its start) at exit through a
// preloaded script; wall time is measured from outside. Prints p50 per step and Node.
//   node --import tsx bench/experiments/cli-startup.ts [REPETITIONS]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { BENCH_BIN, CLI_JS, GO_PLUGIN, ROOT, nodeBinary } from '../paths';
import { percentile } from '../stats';
import { exitOnHelp } from '../usage';

const USAGE = 'Usage: node --import tsx bench/experiments/cli-startup.ts [REPETITIONS]   (default 15; run `npm run bench` once first)';
exitOnHelp(USAGE);
const reps = Number(process.argv[2] ?? 15);
if (!Number.isInteger(reps) || reps < 1) {
  process.stderr.write(`cli-startup: REPETITIONS must be a positive whole number\n${USAGE}\n`);
  process.exit(2);
}

const dir = join(BENCH_BIN, 'cli-startup');
mkdirSync(dir, { recursive: true });
const reportCpu = join(dir, 'report-cpu.js');
writeFileSync(reportCpu, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('cpu-us ' + (u.user + u.system) + '\\n'); });\n");

const layers: [string, string][] = [
  ['boot', ''],
  ['http2', "require('node:http2');"],
  ['grpc-js', "require('@grpc/grpc-js');"],
  ['protos', `require(${JSON.stringify(join(ROOT, 'src/proto'))});`],
  // What-if: the same embedded descriptor through protobufjs alone, without proto-loader's
  // descriptor.proto types and per-service FileDescriptorProto encoding (src/proto keeps those for reflection).
  [
    'protos without descriptors (what-if)',
    `require('@grpc/grpc-js'); const root = require('protobufjs').Root.fromJSON(require(${JSON.stringify(join(ROOT, 'src/proto/descriptors.generated'))}).protoDescriptorJson); ` +
      "for (const s of ['tutorial.Greeter', 'grpc.health.v1.Health', 'plugin.GRPCController', 'plugin.GRPCStdio', 'plugin.GRPCBroker']) root.lookupService(s).resolveAll();",
  ],
  ['host', `require(${JSON.stringify(join(ROOT, 'src/host'))}); require(${JSON.stringify(join(ROOT, 'src/greeter'))});`],
];

async function main(): Promise<void> {
  const steps: { name: string; args: string[]; env?: NodeJS.ProcessEnv }[] = [];
  for (const [name, code] of layers) {
    const outfile = join(dir, `${name.replace(/\W+/g, '-')}.js`);
    await build({ stdin: { contents: code, resolveDir: ROOT, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, outfile, logLevel: 'error' });
    steps.push({ name, args: [outfile] });
  }
  steps.push({ name: 'greet (dist/cli.js)', args: [CLI_JS, 'greet', '--plugin', GO_PLUGIN, 'Alice'] });
  steps.push({ name: 'greet, no compile cache', args: [CLI_JS, 'greet', '--plugin', GO_PLUGIN, 'Alice'], env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } });

  const nodes: [string, string][] = [[`Node ${process.versions.node}`, process.execPath], ...[22, 24].map((m): [string, string] => [`Node ${m}`, nodeBinary(m)])];
  const wall = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (let rep = -1; rep < reps; rep++) {
    for (const [label, node] of nodes) {
      for (const step of steps) {
        const t0 = performance.now();
        const r = spawnSync(node, ['-r', reportCpu, ...step.args], { encoding: 'utf8', env: step.env });
        const ms = performance.now() - t0;
        if (r.status !== 0) throw new Error(`${label} ${step.name} failed: ${r.stderr}`);
        if (rep < 0) continue; // the first round fills the disk cache and the compile cache
        const key = `${label}\t${step.name}`;
        (wall.get(key) ?? wall.set(key, []).get(key)!).push(ms);
        (cpu.get(key) ?? cpu.set(key, []).get(key)!).push(Number(/cpu-us (\d+)/.exec(r.stderr)?.[1]) / 1000);
      }
    }
  }
  process.stdout.write(`| Node | step | wall p50 (ms) | own CPU p50 (ms) |\n|---|---|---:|---:|\n`);
  for (const key of wall.keys()) {
    const [label, step] = key.split('\t');
    process.stdout.write(`| ${label} | ${step} | ${percentile(wall.get(key)!, 50).toFixed(1)} | ${percentile(cpu.get(key)!, 50).toFixed(1)} |\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`cli-startup: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
