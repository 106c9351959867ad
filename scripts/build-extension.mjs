// Bundles the extension (src/extension.ts -> dist/extension.js) and the headless CLI
// (src/cli/main.ts -> dist/cli.js) with esbuild. Everything but `vscode` goes into the
// bundle, so the VSIX needs no node_modules (recipe: ../shared/VSCODE-CONVENTIONS.md §5).
//   node scripts/build-extension.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleUsage } from './lib/usage.mjs';

handleUsage(`Usage: node scripts/build-extension.mjs [--production] [--watch]

Bundles src/extension.ts into dist/extension.js and the CLI into dist/cli.js (esbuild).
  --production  minified, no source maps (what npm run package ships)
  --watch       rebuild on every change`, { options: ['--production', '--watch'] });

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Options shared by both bundles: Node 20 CommonJS, what VS Code's extension host loads. */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Reports errors in the `file:line:col` shape VS Code's esbuild problem matcher reads. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * The CLI's heavy half (src/cli/libraries.ts: grpc-js, the explorer) is a bundle of its own
 * that the main one requires at run time, so `greeter greet` reads ≈ 100 KB, not 1 MB.
 */
const cliLibrariesPlugin = {
  name: 'cli-libraries',
  setup(build) {
    build.onResolve({ filter: /^\.\/libraries$/ }, () => ({ path: './greeter-cli-libraries.js', external: true }));
    // The X.509 library (≈ 330 KB) that AutoMTLS loads on first use (src/host/mtls.ts).
    build.onResolve({ filter: /^\.\/certificate$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './greeter-cli-certificate.js', external: true } : undefined,
    );
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [problemMatcherPlugin] },
];
if (existsSync(join(root, 'src/cli/main.ts'))) {
  // The CLI is four files: dist/cli.js, a launcher that turns on Node's compile cache, then
  // the bundle it loads (the cache covers only modules loaded after it is on), which loads
  // the libraries bundle when a command needs grpc-js and the certificate bundle for
  // AutoMTLS. The bundles live in dist/lib, which the npm package already ships (.npmignore).
  builds.push(
    { ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', external: ['./lib/greeter-cli.js'], banner: { js: '#!/usr/bin/env node' }, plugins: [problemMatcherPlugin] },
    { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/lib/greeter-cli.js', plugins: [problemMatcherPlugin, cliLibrariesPlugin] },
    { ...common, entryPoints: ['src/cli/libraries.ts'], outfile: 'dist/lib/greeter-cli-libraries.js', plugins: [problemMatcherPlugin] },
    { ...common, entryPoints: ['src/host/certificate.ts'], outfile: 'dist/lib/greeter-cli-certificate.js', plugins: [problemMatcherPlugin] },
  );
} else {
  console.warn('note: src/cli/main.ts does not exist yet; building the extension only');
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  const warnings = results.reduce((n, r) => n + r.warnings.length, 0);
  if (existsSync(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
  console.log(`built ${builds.map((b) => b.outfile).join(', ')}${production ? ' (production)' : ''}${warnings ? `, ${warnings} warnings` : ''}`);
  if (warnings) process.exitCode = 1;
}
