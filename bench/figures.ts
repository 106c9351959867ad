// What the benchmark reports: each figure's label, unit, which direction is better, and
// the goal where it sets one. Samples are collected under the same keys.

/**
 * The sides of a run: our host on three Node versions (the Node running the benchmark,
 * normally 20 as in VS Code 1.90-1.100, and the npm-packaged Node 22 and 24 of current
 * desktop VS Code and code-server), go-plugin's Go host, python-plugin's Python host.
 */
export type Side = 'ours' | 'ours22' | 'ours24' | 'go' | 'python';
export const OUR_SIDES = ['ours', 'ours22', 'ours24'] as const;
export type OurSide = (typeof OUR_SIDES)[number];
export const ALL_SIDES: readonly Side[] = [...OUR_SIDES, 'go', 'python'];

export interface FigureSpec {
  key: string;
  section: string;
  label: string;
  unit: 'ms' | 'µs' | 'greets/s' | 'KB' | 'MB' | '×';
  better: 'lower' | 'higher';
  /** Latency figures also show p99. */
  p99?: boolean;
  /** Figures with no go-plugin or python-plugin counterpart (the extension's own, our host's internals). */
  oursOnly?: boolean;
  /** Figures python-plugin has no counterpart for. */
  noPython?: boolean;
  /** The sides measured, when not those the flags above give (file sizes: one value). */
  sides?: readonly Side[];
  goal?: Goal;
}

/** A target from issues 4 and 10, checked on each of our Node versions it names. */
export interface Goal {
  text: string;
  /** Our sides the goal applies to (default: all three Node versions). */
  sides?: readonly OurSide[];
  /** ours is our side's summary, vsGo is ours / go-plugin at p50 (absent for ours-only figures). */
  met(ours: { p50: number; p95: number }, vsGo: number | undefined): boolean;
}

const ratioAtMost = (limit: number): Goal => ({ text: `vs Go ≤ ${limit}`, met: (_o, r) => r !== undefined && r <= limit });
const ratioAtLeast = (limit: number): Goal => ({ text: `vs Go ≥ ${limit}`, met: (_o, r) => r !== undefined && r >= limit });
const p50Below = (limit: number, unit: string): Goal => ({ text: `p50 < ${limit} ${unit}`, met: (o) => o.p50 < limit });
/** A ratio measured within our side (not against a peer), e.g. dynamic / static Greet. */
const p50RatioAtMost = (limit: number): Goal => ({ text: `p50 ≤ ${limit}`, met: (o) => o.p50 <= limit });
/** The CLI goal of issue 10: on the Node versions of current desktop VS Code and code-server. */
const p50AtMostOn = (limit: number, unit: string, sides: readonly OurSide[]): Goal => ({
  text: `p50 ≤ ${limit} ${unit} on Node 22, 24`,
  sides,
  met: (o) => o.p50 <= limit,
});

/** The sides that take part in a figure. */
export function sidesOf(spec: FigureSpec): readonly Side[] {
  if (spec.sides) return spec.sides;
  if (spec.oursOnly) return OUR_SIDES;
  return spec.noPython ? ALL_SIDES.filter((s) => s !== 'python') : ALL_SIDES;
}

/** The plugin variants a cold start is measured with. */
export const COLD_VARIANTS = [
  { id: 'go.plain', plugin: 'go' as const, autoMTLS: false, label: 'Go plugin' },
  { id: 'go.mtls', plugin: 'go' as const, autoMTLS: true, label: 'Go plugin, AutoMTLS' },
  { id: 'node.plain', plugin: 'node' as const, autoMTLS: false, label: 'Node plugin' },
  { id: 'node.mtls', plugin: 'node' as const, autoMTLS: true, label: 'Node plugin, AutoMTLS' },
];

export const TLS_VARIANTS = [
  { id: 'plain', autoMTLS: false, label: '' },
  { id: 'mtls', autoMTLS: true, label: ', AutoMTLS' },
];

/** Every figure, in report order, for the given in-flight levels and plugin counts. */
export function figureSpecs(inFlight: number[], scaleCounts: number[]): FigureSpec[] {
  const specs: FigureSpec[] = [];
  const cold = '1. Cold start (library, one long-lived host process)';
  for (const v of COLD_VARIANTS) {
    const goal = v.plugin === 'go' ? ratioAtMost(v.autoMTLS ? 1.15 : 1.5) : undefined;
    specs.push(
      { key: `cold.${v.id}.firstGreet`, section: cold, label: `${v.label}: spawn → first Greet answered`, unit: 'ms', better: 'lower', goal },
      { key: `cold.${v.id}.connected`, section: cold, label: `${v.label}: spawn → connected + health-checked`, unit: 'ms', better: 'lower' },
      { key: `cold.${v.id}.handshake`, section: cold, label: `${v.label}: spawn → handshake line parsed`, unit: 'ms', better: 'lower' },
      { key: `floor.${v.id}`, section: cold, label: `${v.label}: floor, bare exec → handshake line (no host library)`, unit: 'ms', better: 'lower' },
    );
  }
  specs.push({ key: 'cold.preSpawn', section: cold, label: 'Go plugin: start request → just before spawn (executable checks, socket dir; ours only)', unit: 'ms', better: 'lower', oursOnly: true });
  specs.push({ key: 'cold.spawnBlocked', section: cold, label: 'Go plugin: event loop blocked inside child_process.spawn (ours only)', unit: 'ms', better: 'lower', oursOnly: true });
  const cli = '1b. Whole host process (our CLI `greeter greet`, a go-plugin host binary, a python-plugin script), spawn → exit';
  for (const t of TLS_VARIANTS) {
    specs.push({ key: `cli.${t.id}`, section: cli, label: `Go plugin${t.label}: start, greet, stop, exit`, unit: 'ms', better: 'lower', goal: t.autoMTLS ? undefined : p50AtMostOn(100, 'ms', ['ours22', 'ours24']) });
  }
  specs.push({ key: 'cli.nodeFloor', section: cli, label: "Node alone: start, require('node:http2'), exit (the floor under any gRPC client on Node)", unit: 'ms', better: 'lower', oursOnly: true });
  const warm = '2. Warm Greet latency, sequential calls on one connection';
  for (const t of TLS_VARIANTS) {
    specs.push({ key: `warm.${t.id}`, section: warm, label: `Go plugin${t.label}`, unit: 'µs', better: 'lower', p99: true, goal: t.autoMTLS ? undefined : ratioAtMost(1.5) });
    specs.push({ key: `warm.${t.id}.cpu`, section: warm, label: `Go plugin${t.label}: host CPU time per call (user + system, all threads)`, unit: 'µs', better: 'lower' });
  }
  const thr = '3. Throughput on one connection (greets/s; ratio = ours/go, higher is better)';
  for (const t of TLS_VARIANTS) {
    for (const k of inFlight) {
      specs.push({ key: `throughput.${t.id}.${k}`, section: thr, label: `Go plugin${t.label}, ${k} in flight`, unit: 'greets/s', better: 'higher', goal: k === 64 && !t.autoMTLS ? ratioAtLeast(0.7) : undefined });
    }
  }
  for (const t of TLS_VARIANTS) {
    for (const k of inFlight) {
      specs.push({ key: `throughput.${t.id}.${k}.cpu`, section: thr, label: `Go plugin${t.label}, ${k} in flight: host CPU time per call`, unit: 'µs', better: 'lower' });
    }
  }
  const stop = '4. Stop: stop request → process gone';
  specs.push(
    { key: 'stop.go.plain', section: stop, label: 'Go plugin, controller Shutdown', unit: 'ms', better: 'lower', goal: p50Below(50, 'ms') },
    { key: 'stop.go.mtls', section: stop, label: 'Go plugin, AutoMTLS, controller Shutdown', unit: 'ms', better: 'lower', goal: p50Below(50, 'ms') },
    { key: 'stop.node.plain', section: stop, label: 'Node plugin, controller Shutdown', unit: 'ms', better: 'lower', goal: p50Below(50, 'ms') },
    { key: 'stop.ignored', section: stop, label: 'Plugin that ignores Shutdown and SIGTERM (bare-grpc fixture)', unit: 'ms', better: 'lower' },
  );
  const scale = '5. Scale: N Go plugins started at once (AutoMTLS off)';
  for (const n of scaleCounts) {
    specs.push({ key: `scale.${n}.allAnswered`, section: scale, label: `${n} plugins: start → all answered a Greet`, unit: 'ms', better: 'lower', goal: n === 50 ? p50Below(2000, 'ms') : undefined });
  }
  for (const n of scaleCounts.filter((c) => c >= 10)) {
    specs.push({ key: `scale.${n}.memory`, section: scale, label: `${n} plugins: host resident memory per running plugin`, unit: 'KB', better: 'lower', goal: n === 50 ? p50Below(2048, 'KB') : undefined });
  }
  for (const n of scaleCounts) {
    specs.push({ key: `scale.${n}.stopAll`, section: scale, label: `${n} plugins: stop all → all gone`, unit: 'ms', better: 'lower' });
  }
  specs.push({ key: 'host.idleRss', section: scale, label: 'Host process resident memory at start (no plugin)', unit: 'MB', better: 'lower' });
  const ext = '6. Extension (dist/extension.js in a fresh Node process, fake `vscode` module; ours only)';
  specs.push(
    { key: 'ext.load', section: ext, label: 'require(dist/extension.js)', unit: 'ms', better: 'lower', oursOnly: true },
    { key: 'ext.activate', section: ext, label: 'activate(), no plugin configured', unit: 'ms', better: 'lower', oursOnly: true, goal: p50Below(5, 'ms') },
    { key: 'ext.activate.withPlugins', section: ext, label: 'activate(), 10 Go plugins configured (AutoMTLS on)', unit: 'ms', better: 'lower', oursOnly: true, goal: p50Below(5, 'ms') },
    { key: 'ext.allRunning', section: ext, label: 'activate() → 10 plugins running', unit: 'ms', better: 'lower', oursOnly: true },
    { key: 'ext.deactivate', section: ext, label: 'deactivate() with 10 plugins → all gone', unit: 'ms', better: 'lower', oursOnly: true },
    { key: 'ext.bundle', section: ext, label: 'dist/extension.js size (production)', unit: 'KB', better: 'lower', oursOnly: true, sides: ['ours'] },
    { key: 'ext.vsix', section: ext, label: 'dist/greeter-plugins.vsix size', unit: 'KB', better: 'lower', oursOnly: true, sides: ['ours'], goal: { ...p50Below(300, 'KB'), sides: ['ours'] } },
  );
  const explorer = '7. Plugin Explorer (issue 8; Go example plugin and terraform-provider-time v0.14.2, AutoMTLS off; ours only)';
  specs.push(
    { key: 'explorer.list', section: explorer, label: 'Go plugin: started, health-checked client → service list through reflection (first round trips: list, files, registry)', unit: 'ms', better: 'lower', oursOnly: true, goal: p50Below(20, 'ms') },
    { key: 'explorer.greet.dynamic', section: explorer, label: 'Go plugin: warm Greet through the explorer (request JSON text → callMethod → proto3 JSON)', unit: 'µs', better: 'lower', p99: true, oursOnly: true },
    { key: 'explorer.greet.static', section: explorer, label: 'Go plugin: warm static greet(), alternating with the dynamic one on the same connection', unit: 'µs', better: 'lower', p99: true, oursOnly: true },
    { key: 'explorer.greet.ratio', section: explorer, label: 'Go plugin: dynamic / static Greet, p50 of each repetition', unit: '×', better: 'lower', oursOnly: true, goal: p50RatioAtMost(1.2) },
    { key: 'explorer.terraform.total', section: explorer, label: 'terraform-provider-time, preset terraform: start request → GetSchema answered as JSON (cold start)', unit: 'ms', better: 'lower', oursOnly: true },
    { key: 'explorer.terraform.launch', section: explorer, label: 'terraform-provider-time: of which launch (spawn, handshake on protocol 5, health check)', unit: 'ms', better: 'lower', oursOnly: true },
    { key: 'explorer.terraform.catalog', section: explorer, label: 'terraform-provider-time: of which reflection (services, files, registry)', unit: 'ms', better: 'lower', oursOnly: true },
    { key: 'explorer.terraform.getSchema', section: explorer, label: 'terraform-provider-time: of which the GetSchema call (request JSON → response JSON)', unit: 'ms', better: 'lower', oursOnly: true },
    { key: 'explorer.terraform.responseKB', section: explorer, label: 'terraform-provider-time: GetSchema answer as JSON text', unit: 'KB', better: 'lower', oursOnly: true },
  );
  return specs;
}
