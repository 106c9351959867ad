// The measurements of issues 4 and 10, run against every peer in one go: our host on
// Node 20, 22 and 24, go-plugin's Go host and python-plugin's Python host. Each repetition
// runs every variant on every side, rotating which side goes first (A B C, B C A, ...),
// so drift of this shared machine lands on all sides equally.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateCertificate } from '../src/host/certificate';
import { ALL_SIDES, COLD_VARIANTS, OUR_SIDES, TLS_VARIANTS, type OurSide, type Side } from './figures';
import { ACTIVATE_PROBE, CLI_JS, EXTENSION_JS, GO_PEER, GO_PLUGIN, IGNORING_PLUGIN, NODE_PLUGIN, OURS_PEER, PYTHON, PYTHON_PEER, ROOT, TERRAFORM_PROVIDER, VSIX, nodeBinary } from './paths';
import { Peer } from './peer';
import { percentile } from './stats';
import type { ColdAnswer, ExplorerGreetAnswer, ExplorerListAnswer, ExplorerTerraformAnswer, FloorAnswer, MemoryAnswer, ScaleAnswer, StopAnswer, ThroughputAnswer, WarmAnswer } from './protocol';
import type { Samples } from './samples';

/** How much of everything to measure. */
export interface BenchConfig {
  mode: 'full' | 'smoke';
  coldReps: number;
  floorReps: number;
  cliReps: number;
  warmCalls: number;
  warmReps: number;
  warmup: number;
  throughputMs: number;
  throughputReps: number;
  inFlight: number[];
  stopIgnoredReps: number;
  scaleCounts: number[];
  scaleReps: number;
  activateReps: number;
  activatePlugins: number;
  /** Explorer (issue 8): fresh plugins listed through reflection, per Node. */
  explorerListReps: number;
  /** Dynamic vs static Greet: repetitions (one ratio each) of this many alternating pairs after a warm-up. */
  explorerGreetReps: number;
  explorerGreetCalls: number;
  explorerGreetWarmup: number;
  /** terraform-provider-time cold start → GetSchema, per Node (after one untimed). */
  terraformReps: number;
  /** Directory for `node --cpu-prof` profiles of our peer, when profiling. */
  cpuProfDir?: string;
}

// Five sides share 2 cores with other work: fewer, interleaved repetitions than with two sides, read at p50.
export const FULL: BenchConfig = {
  mode: 'full',
  coldReps: 24,
  floorReps: 16,
  cliReps: 16,
  // python-plugin (grpclib) stalls after ≈4,670 calls on one connection (see NOTES.md): warm-up + calls,
  // and 1.25 s of throughput at its ≈2,500 greets/s, stay below that.
  warmCalls: 4000,
  warmReps: 3,
  warmup: 500,
  throughputMs: 1000,
  throughputReps: 3,
  inFlight: [1, 8, 64],
  stopIgnoredReps: 4,
  scaleCounts: [1, 10, 50],
  scaleReps: 5,
  activateReps: 20,
  activatePlugins: 10,
  explorerListReps: 24,
  explorerGreetReps: 5,
  explorerGreetCalls: 2000,
  explorerGreetWarmup: 500,
  terraformReps: 10,
};

/** A few repetitions of everything: proves the benchmark still runs, in well under 2 minutes. */
export const SMOKE: BenchConfig = {
  mode: 'smoke',
  coldReps: 3,
  floorReps: 2,
  cliReps: 2,
  warmCalls: 1000,
  warmReps: 1,
  warmup: 100,
  throughputMs: 300,
  throughputReps: 1,
  inFlight: [1, 8, 64],
  stopIgnoredReps: 1,
  scaleCounts: [1, 10, 50],
  scaleReps: 1,
  activateReps: 3,
  activatePlugins: 10,
  explorerListReps: 3,
  explorerGreetReps: 1,
  explorerGreetCalls: 300,
  explorerGreetWarmup: 100,
  terraformReps: 1,
};

type Peers = Record<Side, Peer>;
type Log = (message: string) => void;

/** The Node each of our sides runs on: the one running the benchmark, and npm's 22 and 24. */
export const NODE_OF: Record<OurSide, string> = { ours: process.execPath, ours22: nodeBinary(22), ours24: nodeBinary(24) };
const isOurs = (side: Side): side is OurSide => (OUR_SIDES as readonly Side[]).includes(side);

const PLUGIN_PATHS = { go: GO_PLUGIN, node: NODE_PLUGIN };

/** The sections of a run, in order; `--only` picks some. */
export const SECTIONS = ['cold', 'floor', 'cli', 'warm', 'throughput', 'stop', 'scale', 'explorer', 'extension'] as const;
export type Section = (typeof SECTIONS)[number];

/** The figure keys a section writes (to replace them when only that section is run again). */
export const SECTION_KEY_PREFIXES: Record<Section, string[]> = {
  cold: ['cold.', 'stop.go.', 'stop.node.', 'host.idleRss'],
  floor: ['floor.'],
  cli: ['cli.'],
  warm: ['warm.'],
  throughput: ['throughput.'],
  stop: ['stop.ignored'],
  scale: ['scale.'],
  explorer: ['explorer.'],
  extension: ['ext.'],
};

/** Runs every measurement (or those of `only`), adding samples as it goes; throws on the first failure. */
export async function runSuite(config: BenchConfig, samples: Samples, log: Log, only: readonly Section[] = SECTIONS): Promise<void> {
  const runs = (section: Section) => only.includes(section);
  // Profiling runs the peer from source through tsx, so a profile attributes time to packages
  // (the bundle is one file); tsx's loader thread writes a second, smaller profile.
  const oursArgs = (side: OurSide) =>
    config.cpuProfDir
      ? ['--expose-gc', '--cpu-prof', '--cpu-prof-dir', join(config.cpuProfDir, side), '--import', 'tsx', join(ROOT, 'bench/ours-peer.ts')]
      : ['--expose-gc', OURS_PEER];
  const peers: Peers = {
    ours: new Peer('ours (Node 20)', NODE_OF.ours, oursArgs('ours')),
    ours22: new Peer('ours (Node 22)', NODE_OF.ours22, oursArgs('ours22')),
    ours24: new Peer('ours (Node 24)', NODE_OF.ours24, oursArgs('ours24')),
    go: new Peer('go-plugin', GO_PEER, []),
    python: new Peer('python-plugin', PYTHON, [PYTHON_PEER]),
  };
  try {
    if (runs('cold')) {
      for (const side of ALL_SIDES) {
        samples.add('host.idleRss', side, (await peers[side].request<MemoryAnswer>({ op: 'memory' })).rssBytes / 2 ** 20);
      }
      await timed(log, 'cold start', () => measureCold(config, peers, samples));
    }
    if (runs('floor')) await timed(log, 'floor', () => measureFloor(config, peers, samples));
    if (runs('cli')) await timed(log, 'whole process (CLI)', () => measureCli(config, samples));
    if (runs('warm')) await timed(log, 'warm latency', () => measureWarm(config, peers, samples));
    if (runs('throughput')) await timed(log, 'throughput', () => measureThroughput(config, peers, samples));
    if (runs('stop')) await timed(log, 'stop, plugin ignoring Shutdown', () => measureStopIgnored(config, peers, samples));
    if (runs('scale')) await timed(log, 'scale', () => measureScale(config, peers, samples));
    if (runs('explorer')) await timed(log, 'plugin explorer', () => measureExplorer(config, peers, samples));
  } finally {
    await Promise.all(ALL_SIDES.map((side) => peers[side].close()));
  }
  if (runs('extension')) await timed(log, 'extension', () => measureExtension(config, samples));
}

async function timed(log: Log, what: string, run: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  log(`${what}...`);
  await run();
  log(`${what}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Runs `each` rep times on every side (or those given), rotating the order between repetitions: A B C, B C A, C A B. */
async function interleave(reps: number, each: (side: Side, rep: number) => Promise<void>, sides: readonly Side[] = ALL_SIDES): Promise<void> {
  for (let rep = 0; rep < reps; rep++) {
    const first = rep % sides.length;
    for (const side of [...sides.slice(first), ...sides.slice(0, first)]) await each(side, rep);
  }
}

async function measureCold(config: BenchConfig, peers: Peers, samples: Samples): Promise<void> {
  // One untimed start per variant and side: the figures are for a host that has started a plugin before.
  await interleave(1, async (side) => {
    for (const v of COLD_VARIANTS) await peers[side].request({ op: 'cold', plugin: PLUGIN_PATHS[v.plugin], autoMTLS: v.autoMTLS });
  });
  await interleave(config.coldReps, async (side) => {
    for (const v of COLD_VARIANTS) {
      const a = await peers[side].request<ColdAnswer>({ op: 'cold', plugin: PLUGIN_PATHS[v.plugin], autoMTLS: v.autoMTLS });
      samples.add(`cold.${v.id}.handshake`, side, a.handshakeMs);
      samples.add(`cold.${v.id}.connected`, side, a.connectedMs);
      samples.add(`cold.${v.id}.firstGreet`, side, a.firstGreetMs);
      if (a.spawnBlockedMs !== undefined && v.id === 'go.plain') samples.add('cold.spawnBlocked', side, a.spawnBlockedMs);
      if (a.preSpawnMs !== undefined && v.id === 'go.plain') samples.add('cold.preSpawn', side, a.preSpawnMs);
      if (!v.autoMTLS || v.plugin === 'go') samples.add(`stop.${v.id}`, side, a.stopMs);
    }
  });
}

async function measureFloor(config: BenchConfig, peers: Peers, samples: Samples): Promise<void> {
  const clientCertPem = (await generateCertificate('P-256')).certPem;
  await interleave(config.floorReps, async (side) => {
    for (const v of COLD_VARIANTS) {
      const a = await peers[side].request<FloorAnswer>({
        op: 'floor',
        plugin: PLUGIN_PATHS[v.plugin],
        clientCertPem: v.autoMTLS ? clientCertPem : undefined,
      });
      samples.add(`floor.${v.id}`, side, a.handshakeMs);
    }
  });
}

/** A whole host process: our bundled CLI against go-peer's and the Python peer's `once` modes, spawn to exit. */
async function measureCli(config: BenchConfig, samples: Samples): Promise<void> {
  // One untimed run per side first: the figures are for a second run (disk cache, Node's compile cache).
  await interleave(config.cliReps + 1, async (side, rep) => {
    for (const t of TLS_VARIANTS) {
      const mtls = t.autoMTLS;
      const [command, args]: [string, string[]] = isOurs(side)
        ? [NODE_OF[side], [CLI_JS, 'greet', '--plugin', GO_PLUGIN, ...(mtls ? ['--auto-mtls'] : []), 'Alice']]
        : side === 'go'
          ? [GO_PEER, ['once', '-plugin', GO_PLUGIN, ...(mtls ? ['-automtls'] : []), 'Alice']]
          : [PYTHON, [PYTHON_PEER, 'once', '--plugin', GO_PLUGIN, ...(mtls ? ['--automtls'] : []), 'Alice']];
      const t0 = performance.now();
      const stdout = await run(command, args);
      const elapsed = performance.now() - t0;
      if (stdout.trim() !== 'hello Alice') throw new Error(`${side} whole-process greet printed ${JSON.stringify(stdout)}`);
      if (rep > 0) samples.add(`cli.${t.id}`, side, elapsed);
    }
    if (isOurs(side)) {
      const t0 = performance.now();
      await run(NODE_OF[side], ['-e', "require('node:http2')"]);
      if (rep > 0) samples.add('cli.nodeFloor', side, performance.now() - t0);
    }
  });
}

async function measureWarm(config: BenchConfig, peers: Peers, samples: Samples): Promise<void> {
  await interleave(config.warmReps, async (side) => {
    for (const t of TLS_VARIANTS) {
      const a = await peers[side].request<WarmAnswer>({
        op: 'warm',
        plugin: GO_PLUGIN,
        autoMTLS: t.autoMTLS,
        calls: config.warmCalls,
        warmup: config.warmup,
      });
      samples.add(`warm.${t.id}`, side, ...a.latenciesUs.map((us) => Math.round(us * 10) / 10));
      samples.add(`warm.${t.id}.cpu`, side, a.cpuPerCallUs);
    }
  });
}

async function measureThroughput(config: BenchConfig, peers: Peers, samples: Samples): Promise<void> {
  await interleave(config.throughputReps, async (side) => {
    for (const t of TLS_VARIANTS) {
      for (const inFlight of config.inFlight) {
        const a = await peers[side].request<ThroughputAnswer>({
          op: 'throughput',
          plugin: GO_PLUGIN,
          autoMTLS: t.autoMTLS,
          inFlight,
          durationMs: config.throughputMs,
        });
        samples.add(`throughput.${t.id}.${inFlight}`, side, a.perSecond);
        samples.add(`throughput.${t.id}.${inFlight}.cpu`, side, a.cpuPerCallUs);
      }
    }
  });
}

async function measureStopIgnored(config: BenchConfig, peers: Peers, samples: Samples): Promise<void> {
  await interleave(config.stopIgnoredReps, async (side) => {
    const a = await peers[side].request<StopAnswer>({ op: 'stop', plugin: IGNORING_PLUGIN, autoMTLS: false });
    samples.add('stop.ignored', side, a.stopMs);
  });
}

async function measureScale(config: BenchConfig, peers: Peers, samples: Samples): Promise<void> {
  await interleave(config.scaleReps, async (side) => {
    for (const count of config.scaleCounts) {
      const a = await peers[side].request<ScaleAnswer>({ op: 'scale', plugin: GO_PLUGIN, autoMTLS: false, count });
      samples.add(`scale.${count}.allAnswered`, side, a.allAnsweredMs);
      samples.add(`scale.${count}.stopAll`, side, a.stopAllMs);
      if (count >= 10) samples.add(`scale.${count}.memory`, side, a.perPluginBytes / 1024);
    }
  });
}

/**
 * Issue 8's rows, ours only (no peer has an explorer): the first reflection listing after a
 * start, dynamic against static Greet interleaved on one connection, and a terraform
 * provider from a cold start to its GetSchema answer.
 */
async function measureExplorer(config: BenchConfig, peers: Peers, samples: Samples): Promise<void> {
  // One untimed round per side first: the figures are for a host that has done this before.
  await interleave(
    1,
    async (side) => {
      await peers[side].request<ExplorerListAnswer>({ op: 'explorerList', plugin: GO_PLUGIN });
      await peers[side].request<ExplorerTerraformAnswer>({ op: 'explorerTerraform', plugin: TERRAFORM_PROVIDER });
    },
    OUR_SIDES,
  );
  await interleave(
    config.explorerListReps,
    async (side) => {
      const a = await peers[side].request<ExplorerListAnswer>({ op: 'explorerList', plugin: GO_PLUGIN });
      samples.add('explorer.list', side, a.listMs);
    },
    OUR_SIDES,
  );
  await interleave(
    config.explorerGreetReps,
    async (side) => {
      const a = await peers[side].request<ExplorerGreetAnswer>({
        op: 'explorerGreet',
        plugin: GO_PLUGIN,
        calls: config.explorerGreetCalls,
        warmup: config.explorerGreetWarmup,
      });
      const round = (values: number[]) => values.map((us) => Math.round(us * 10) / 10);
      samples.add('explorer.greet.dynamic', side, ...round(a.dynamicUs));
      samples.add('explorer.greet.static', side, ...round(a.staticUs));
      samples.add('explorer.greet.ratio', side, percentile(a.dynamicUs, 50) / percentile(a.staticUs, 50));
    },
    OUR_SIDES,
  );
  await interleave(
    config.terraformReps,
    async (side) => {
      const a = await peers[side].request<ExplorerTerraformAnswer>({ op: 'explorerTerraform', plugin: TERRAFORM_PROVIDER });
      samples.add('explorer.terraform.total', side, a.totalMs);
      samples.add('explorer.terraform.launch', side, a.launchMs);
      samples.add('explorer.terraform.catalog', side, a.catalogMs);
      samples.add('explorer.terraform.getSchema', side, a.getSchemaMs);
      samples.add('explorer.terraform.responseKB', side, a.responseJsonBytes / 1024);
    },
    OUR_SIDES,
  );
}

/** activate() in fresh processes on each Node, without and with plugins configured; bundle and VSIX sizes. */
async function measureExtension(config: BenchConfig, samples: Samples): Promise<void> {
  const plugins = Array.from({ length: config.activatePlugins }, (_, i) => ({ name: `go-${i + 1}`, path: GO_PLUGIN }));
  await interleave(
    config.activateReps,
    async (side) => {
      const node = NODE_OF[side as OurSide];
      const empty = JSON.parse(await run(node, [ACTIVATE_PROBE, EXTENSION_JS, '[]'])) as ProbeAnswer;
      samples.add('ext.load', side, empty.loadMs);
      samples.add('ext.activate', side, empty.activateMs);
      const full = JSON.parse(await run(node, [ACTIVATE_PROBE, EXTENSION_JS, JSON.stringify(plugins)])) as ProbeAnswer;
      samples.add('ext.activate.withPlugins', side, full.activateMs);
      samples.add('ext.allRunning', side, full.allRunningMs);
      samples.add('ext.deactivate', side, full.deactivateMs);
    },
    OUR_SIDES,
  );
  samples.add('ext.bundle', 'ours', statSync(EXTENSION_JS).size / 1024);
  samples.add('ext.vsix', 'ours', statSync(VSIX).size / 1024);
}

interface ProbeAnswer {
  loadMs: number;
  activateMs: number;
  allRunningMs: number;
  deactivateMs: number;
}

/** Runs a program to completion; rejects with its stderr when it fails. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
