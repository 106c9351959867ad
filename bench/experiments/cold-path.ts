// The two cold paths of issue 10, measured on every Node of the benchmark, interleaved:
//   cli      the CLI as a whole process (`cli.js greet --plugin <Go plugin> Alice`, spawn → exit),
//            A/B of two builds (directories holding cli.js and lib/greeter-cli.js, e.g. a copy of
//            dist/ before a change and dist/ after it); wall from outside, own CPU from inside.
//   library  cold start of the Go plugin in one long-lived process (the host library bundled as
//            the CLI bundles it): phases before spawn → handshake parsed → health-checked → first
//            Greet, next to the bare-exec floor (spawn → first stdout line, no host library),
//            and go-plugin's Go host (bench/bin/go-peer, built by `npm run bench`) doing the same, in turn.
//   node --import tsx bench/experiments/cold-path.ts cli OLD_DIR NEW_DIR [REPETITIONS]
//   node --import tsx bench/experiments/cold-path.ts library [STARTS]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { BENCH_BIN, GO_PEER, GO_PLUGIN, ROOT, nodeBinary } from '../paths';
import { percentile } from '../stats';
import { exitOnHelp } from '../usage';

const USAGE = `Usage:
  node --import tsx bench/experiments/cold-path.ts cli OLD_DIR NEW_DIR [REPETITIONS]   (default 20)
  node --import tsx bench/experiments/cold-path.ts library [STARTS]                     (default 60)`;
exitOnHelp(USAGE);

const dir = join(BENCH_BIN, 'cold-path');
const nodes: [string, string][] = [[`Node ${process.versions.node.split('.')[0]}`, process.execPath], ...[22, 24].map((m): [string, string] => [`Node ${m}`, nodeBinary(m)])];

function fail(message: string): never {
  process.stderr.write(`cold-path: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function count(arg: string | undefined, fallback: number): number {
  const n = Number(arg ?? fallback);
  if (!Number.isInteger(n) || n < 1) fail('the count must be a positive whole number');
  return n;
}

const p50 = (values: number[]) => percentile(values, 50);

function cli(oldDir: string, newDir: string, reps: number): void {
  mkdirSync(dir, { recursive: true });
  const reportCpu = join(dir, 'report-cpu.js');
  writeFileSync(reportCpu, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('cpu-us ' + (u.user + u.system) + '\\n'); });\n");
  const sides: [string, string][] = [['old', resolve(oldDir, 'cli.js')], ['new', resolve(newDir, 'cli.js')]];
  const wall = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (let rep = -1; rep < reps; rep++) {
    for (const [label, node] of nodes) {
      // Alternate which side goes first, so neither always runs right after the other.
      for (const [side, cliJs] of rep % 2 ? sides : [...sides].reverse()) {
        const t0 = performance.now();
        const r = spawnSync(node, ['-r', reportCpu, cliJs, 'greet', '--plugin', GO_PLUGIN, 'Alice'], { encoding: 'utf8' });
        const ms = performance.now() - t0;
        if (r.status !== 0 || !r.stdout.includes('Alice')) throw new Error(`${label} ${side} failed (${r.status}): ${r.stderr}`);
        if (rep < 0) continue; // the first round fills the disk cache and the compile cache
        const key = `${label}\t${side}`;
        (wall.get(key) ?? wall.set(key, []).get(key)!).push(ms);
        (cpu.get(key) ?? cpu.set(key, []).get(key)!).push(Number(/cpu-us (\d+)/.exec(r.stderr)?.[1]) / 1000);
      }
    }
  }
  process.stdout.write('| Node | old wall / CPU p50 (ms) | new wall / CPU p50 (ms) | new/old wall |\n|---|---:|---:|---:|\n');
  for (const [label] of nodes) {
    const [ow, oc, nw, nc] = [wall.get(`${label}\told`)!, cpu.get(`${label}\told`)!, wall.get(`${label}\tnew`)!, cpu.get(`${label}\tnew`)!].map(p50);
    process.stdout.write(`| ${label} | ${ow.toFixed(1)} / ${oc.toFixed(1)} | ${nw.toFixed(1)} / ${nc.toFixed(1)} | ${(nw / ow).toFixed(2)} |\n`);
  }
}

// The probe: runs in each Node, prints one JSON line of phase samples.
const PROBE = `
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { greet } from './src/greeter';
import { startPlugin } from './src/host';
const plugin = process.argv[2];
const starts = Number(process.argv[3]);
// The floor's plugin gets its own socket directory, removed at the end (SIGKILL leaves the socket).
const socketDir = mkdtempSync(join(tmpdir(), 'cold-path-floor'));
process.on('exit', () => rmSync(socketDir, { recursive: true, force: true }));
const PHASES = ['start → before spawn', 'spawn → handshake parsed', 'handshake → health-checked', 'health-checked → first Greet', 'start → first Greet', 'floor: bare exec → first line'];
function floor(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(plugin, [], { stdio: ['ignore', 'pipe', 'ignore'], detached: true,
      env: { ...process.env, BASIC_PLUGIN: 'hello', PLUGIN_PROTOCOL_VERSIONS: '1', PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '25000', PLUGIN_UNIX_SOCKET_DIR: socketDir } });
    child.on('error', reject);
    child.stdout.once('data', () => { const ms = performance.now() - t0; child.kill('SIGKILL'); child.on('exit', () => resolve(ms)); });
  });
}
async function main() {
  const samples: Record<string, number[]> = Object.fromEntries(PHASES.map((p) => [p, []]));
  for (let i = -3; i < starts; i++) {
    const marks: Record<string, number> = { start: performance.now() };
    const client = await startPlugin({ path: plugin, sinks: { log: () => undefined, lifecycle: (_level, message) => {
      if (message.startsWith('starting ')) marks.spawn = performance.now();
      if (message.startsWith('plugin started')) marks.handshake = performance.now();
    } } });
    marks.healthy = performance.now();
    await greet(client, 'Alice');
    marks.greeted = performance.now();
    await client.stop();
    const bare = await floor();
    if (i < 0) continue; // warm-up: the first starts compile the code
    const d = [marks.spawn - marks.start, marks.handshake - marks.spawn, marks.healthy - marks.handshake, marks.greeted - marks.healthy, marks.greeted - marks.start, bare];
    PHASES.forEach((p, k) => samples[p].push(d[k]));
  }
  process.stdout.write(JSON.stringify(samples) + '\\n');
}
void main();
`;

async function library(starts: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const probe = join(dir, 'library-probe.js');
  await build({ stdin: { contents: PROBE, resolveDir: ROOT, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, outfile: probe, logLevel: 'error' });
  // Each Node runs a share of the starts in turn, so a burst of load hits all of them alike.
  const rounds = 4;
  const results = new Map<string, Record<string, number[]>>();
  for (let round = 0; round < rounds; round++) {
    for (const [label, node] of nodes) {
      const r = spawnSync(node, [probe, GO_PLUGIN, String(Math.ceil(starts / rounds))], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${label} probe failed (${r.status}): ${r.stderr}`);
      const samples = JSON.parse(r.stdout) as Record<string, number[]>;
      const into = results.get(label) ?? results.set(label, {}).get(label)!;
      for (const [phase, values] of Object.entries(samples)) (into[phase] ??= []).push(...values);
    }
    goRound(Math.ceil(starts / rounds));
  }
  const phases = Object.keys(results.values().next().value!);
  process.stdout.write(`| phase (p50, ms) | ${nodes.map(([l]) => l).join(' | ')} | go-plugin |\n|---|${nodes.map(() => '---:').join('|')}|---:|\n`);
  for (const phase of phases) {
    const go = goPhase(phase);
    process.stdout.write(`| ${phase} | ${nodes.map(([l]) => p50(results.get(l)![phase]).toFixed(2)).join(' | ')} | ${go.length ? p50(go).toFixed(2) : '–'} |\n`);
  }
  const goTotal = p50(goPhase('start → first Greet'));
  process.stdout.write(`\nours / go-plugin, start → first Greet: ${nodes.map(([l]) => `${l} ${(p50(results.get(l)!['start → first Greet']) / goTotal).toFixed(2)}`).join(', ')}\n`);
}

// go-plugin's side, from bench/go-host's answers (ms since its start request).
const goSamples: { cold: { handshakeMs: number; connectedMs: number; firstGreetMs: number }[]; floor: number[] } = { cold: [], floor: [] };
function goPhase(phase: string): number[] {
  const c = goSamples.cold;
  switch (phase) {
    case 'spawn → handshake parsed': return c.map((x) => x.handshakeMs);
    case 'handshake → health-checked': return c.map((x) => x.connectedMs - x.handshakeMs);
    case 'health-checked → first Greet': return c.map((x) => x.firstGreetMs - x.connectedMs);
    case 'start → first Greet': return c.map((x) => x.firstGreetMs);
    case 'floor: bare exec → first line': return goSamples.floor;
    default: return [];
  }
}

function goRound(starts: number): void {
  const requests: string[] = [];
  for (let i = -3; i < starts; i++) {
    requests.push(JSON.stringify({ op: 'cold', plugin: GO_PLUGIN, autoMTLS: false }), JSON.stringify({ op: 'floor', plugin: GO_PLUGIN }));
  }
  requests.push(JSON.stringify({ op: 'quit' }));
  const r = spawnSync(GO_PEER, [], { input: requests.join('\n') + '\n', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go-peer failed (${r.status}; run \`npm run bench\` once to build it): ${r.stderr}`);
  const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ok?: boolean; error?: string; handshakeMs?: number; connectedMs?: number; firstGreetMs?: number });
  answers.slice(6, 6 + 2 * starts).forEach((a) => {
    if (a.ok === false) throw new Error(`go-peer: ${a.error}`);
    if (a.firstGreetMs !== undefined) goSamples.cold.push(a as { handshakeMs: number; connectedMs: number; firstGreetMs: number });
    else goSamples.floor.push(a.handshakeMs!);
  });
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'cli') {
    if (rest.length < 2) fail('cli needs OLD_DIR and NEW_DIR');
    cli(rest[0], rest[1], count(rest[2], 20));
  } else if (mode === 'library') {
    await library(count(rest[0], 60));
  } else {
    fail(`unknown mode ${mode ?? '(none)'}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`cold-path: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
