// What-if for proposal 1 in bench/NOTES.md: the extension bundle with certificate
// generation (@peculiar/x509, tsyringe, reflect-metadata, asn1js) loaded on first use
// instead of at require time. Builds dist/extension.js twice into a temporary directory,
// as-is and with src/host/mtls.ts rewritten at build time to import ./certificate
// dynamically, then times require() and activate() of each in fresh processes
// (bench/bin/activate-probe.js, built by `npm run bench`), alternating.
//   node --import tsx bench/experiments/lazy-certificate.ts [REPETITIONS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { ACTIVATE_PROBE, ROOT } from '../paths';
import { percentile } from '../stats';
import { exitOnHelp } from '../usage';

exitOnHelp(`Usage: node --import tsx bench/experiments/lazy-certificate.ts [REPETITIONS]
  Extension bundle load with and without a lazy import of the certificate code (default 15 repetitions).`);

/** Rewrites the static import of ./certificate in src/host/mtls.ts into a dynamic one. */
const lazyCertificate: Plugin = {
  name: 'lazy-certificate',
  setup(b) {
    b.onLoad({ filter: /src[\\/]host[\\/]mtls\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const staticImport = "import { generateCertificate, type CertificateAndKey } from './certificate';";
      if (!source.includes(staticImport)) throw new Error('src/host/mtls.ts changed; update this experiment');
      const contents = source.replace(
        staticImport,
        "import type { CertificateAndKey, Curve } from './certificate';\n" +
          "const generateCertificate = (curve: Curve) => import('./certificate').then((m) => m.generateCertificate(curve));",
      );
      return { contents, loader: 'ts' };
    });
  },
};

async function bundle(outfile: string, plugins: Plugin[]): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'src/extension.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    external: ['vscode'],
    logLevel: 'warning',
    plugins,
  });
}

function probe(extension: string): { loadMs: number; activateMs: number } {
  return JSON.parse(execFileSync(process.execPath, [ACTIVATE_PROBE, extension, '[]'], { encoding: 'utf8' }));
}

async function main(): Promise<void> {
  const reps = Number.parseInt(process.argv[2] ?? '', 10) || 15;
  const dir = mkdtempSync(join(tmpdir(), 'lazy-cert-'));
  try {
    const eager = join(dir, 'eager.js');
    const lazy = join(dir, 'lazy.js');
    await bundle(eager, []);
    await bundle(lazy, [lazyCertificate]);
    const loads: Record<string, number[]> = { eager: [], lazy: [] };
    for (let i = 0; i < reps; i++) {
      for (const [name, file] of i % 2 ? [['lazy', lazy], ['eager', eager]] : [['eager', eager], ['lazy', lazy]]) {
        loads[name].push(probe(file).loadMs);
      }
    }
    for (const [name, file] of [['eager', eager], ['lazy', lazy]]) {
      console.log(
        `${name.padEnd(6)} bundle ${(statSync(file).size / 1024).toFixed(0)} KB, require() p50 ${percentile(loads[name], 50).toFixed(1)} ms, p95 ${percentile(loads[name], 95).toFixed(1)} ms (${reps} fresh processes)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
