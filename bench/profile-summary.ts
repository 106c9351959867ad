// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per
// package, so a benchmark gap can be traced to its cause without a GUI.
//   node --import tsx bench/profile-summary.ts FILE.cpuprofile [TOP]
import { readFileSync } from 'node:fs';
import { exitOnHelp } from './usage';

exitOnHelp(`Usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile [TOP]
  Self time per function and per package of a V8 CPU profile (node --cpu-prof); TOP rows (default 25).`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time in ms per key, from the sample stream (each sample's delta goes to its node). */
function selfTimes(profile: CpuProfile, keyOf: (n: ProfileNode) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = keyOf(node);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

/** Which package (or part of this repo) a script URL belongs to. */
function packageOf(url: string): string {
  if (!url) return '(native / V8)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node core';
  const src = url.match(/\/(src\/[^/]+|bench)\//);
  return src ? src[1] : url.replace(/^file:\/\//, '');
}

function print(title: string, totals: Map<string, number>, wallMs: number, top: number): void {
  console.log(`\n${title}`);
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, ms] of rows) console.log(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / wallMs).toFixed(1).padStart(5)}%  ${key}`);
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary FILE.cpuprofile [TOP]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const wallMs = (profile.endTime - profile.startTime) / 1000;
const top = Number.parseInt(topArg ?? "", 10) || 25;
console.log(`${file}: ${wallMs.toFixed(0)} ms profiled, ${profile.samples.length} samples`);
print('Self time by package', selfTimes(profile, (n) => packageOf(n.callFrame.url)), wallMs, top);
print(
  'Self time by function',
  selfTimes(profile, (n) => `${n.callFrame.functionName || '(anonymous)'}  ${packageOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`),
  wallMs,
  top,
);
