// Bundles Node plugin entry points into single executable CommonJS files that run
// with no node_modules beside them (the shape a user points greeter.plugins at).
//   node scripts/build-node-plugins.mjs                     -> the node-greeter example
//   node scripts/build-node-plugins.mjs a.ts=out/a b.ts=out/b -> any entries (fixtures)
import { build } from 'esbuild';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleUsage } from './lib/usage.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The plugins this repository ships, built when no entries are given. */
export const DEFAULT_PLUGINS = [
  { entry: 'examples/node-greeter/greeter.ts', outfile: 'examples/node-greeter/bin/node-greeter' },
];

/**
 * Bundles one entry point into an executable `#!/usr/bin/env node` CJS file (mode 755).
 * The file is replaced atomically (write + rename), so a test that is running the old
 * executable concurrently never reads a half-written one.
 */
export async function buildPluginExecutable(entry, outfile) {
  const entryPath = resolve(root, entry);
  const outPath = resolve(root, outfile);
  mkdirSync(dirname(outPath), { recursive: true });
  const result = await build({
    entryPoints: [entryPath],
    outfile: outPath,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: false,
    logLevel: 'warning',
    // Keep names readable in stack traces that land in the host's plugin log.
    keepNames: true,
  });
  const bundle = result.outputFiles.find((file) => file.path === outPath) ?? result.outputFiles[0];
  const tmpPath = `${outPath}.${process.pid}.tmp`;
  try {
    writeFileSync(tmpPath, bundle.contents, { mode: 0o755 });
    chmodSync(tmpPath, 0o755); // writeFileSync's mode is filtered by the umask.
    renameSync(tmpPath, outPath);
  } finally {
    rmSync(tmpPath, { force: true });
  }
  return outPath;
}

/** Builds every `{entry, outfile}` pair in order. */
export async function buildPluginExecutables(plugins = DEFAULT_PLUGINS) {
  const built = [];
  for (const { entry, outfile } of plugins) built.push(await buildPluginExecutable(entry, outfile));
  return built;
}

/** `entry=outfile` arguments; an entry alone goes to bin/<basename> beside it. */
function parseArgs(args) {
  return args.map((arg) => {
    const [entry, outfile] = arg.split('=');
    if (outfile) return { entry, outfile };
    const base = entry.replace(/^.*\//, '').replace(/\.[cm]?[jt]s$/, '');
    return { entry, outfile: `${dirname(entry)}/bin/${base}` };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  handleUsage(`Usage: node scripts/build-node-plugins.mjs [ENTRY.ts[=OUTFILE]...]

Bundles each entry into one executable file (#!/usr/bin/env node) that runs with no
node_modules beside it. An entry alone goes to bin/<name> beside it. With no entries:
the node-greeter example (examples/node-greeter/bin/node-greeter).`, { positional: true });
  buildPluginExecutables(args.length ? parseArgs(args) : DEFAULT_PLUGINS).then(
    (built) => {
      for (const file of built) console.log(`built ${file}`);
    },
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
