// Builds everything the benchmark runs, with the project's own build scripts where they
// exist: plugins and fixtures, the production bundle and VSIX, the go-plugin peer, and
// our peer bundled like the extension is (so no TypeScript loader runs while measuring).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';
import { join } from 'node:path';
import { ACTIVATE_PROBE, BENCH_BIN, CLI_JS, DIST, EXTENSION_JS, GO_PEER, OURS_PEER, ROOT, VSIX } from './paths';

type Log = (message: string) => void;

/** Runs each build step in order; throws with the step's output when one fails. */
export async function buildAll(log: Log): Promise<void> {
  step(log, 'plugins and fixtures', 'npm', ['run', '--silent', 'build:plugins']);
  // `npm run package` runs vscode:prepublish, the production build of dist/extension.js and dist/cli.js.
  step(log, 'production bundle and VSIX', 'npm', ['run', '--silent', 'package']);
  mkdirSync(BENCH_BIN, { recursive: true });
  copyFileSync(DIST.extension, EXTENSION_JS);
  copyFileSync(DIST.cli, CLI_JS);
  copyFileSync(DIST.vsix, VSIX);
  step(log, 'go-plugin peer', 'go', ['-C', join(ROOT, 'bench/go-host'), 'build', '-buildvcs=false', '-trimpath', '-o', GO_PEER, '.']);
  log('build: our peer and the activate() probe');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning' } as const;
  await build({ ...common, entryPoints: [join(ROOT, 'bench/ours-peer.ts')], outfile: OURS_PEER });
  await build({ ...common, entryPoints: [join(ROOT, 'bench/activate-probe.ts')], outfile: ACTIVATE_PROBE });
  log(`build: done (${BENCH_BIN})`);
}

function step(log: Log, what: string, command: string, args: string[]): void {
  log(`build: ${what}`);
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`building ${what} failed (${command} ${args.join(' ')}, ${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
  }
}
