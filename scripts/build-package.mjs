// Builds what the npm package ships (see .npmignore): dist/lib, the CommonJS + .d.ts of
// `greeter-plugins/sdk` and `greeter-plugins/host` (tsc with tsconfig.build.json), and
// the `greeter` bin, dist/cli.js with its bundle in dist/lib (scripts/build-extension.mjs).
//   node scripts/build-package.mjs              in place; `npm pack` runs it (prepack)
//   node scripts/build-package.mjs --stage DIR  a package folder at DIR to `npm pack DIR`,
//       leaving this tree's dist/ alone (tests pack while other tests run dist/cli.js);
//       it takes the CLI bundles from dist/, so run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleUsage } from './lib/usage.mjs';

handleUsage(
  [
    'Usage: node scripts/build-package.mjs [--stage DIR]',
    '  Builds what the npm package ships (dist/lib and the greeter bin) in place;',
    '  --stage DIR builds a package folder at DIR instead, leaving dist/ alone (run `npm run build` first).',
  ].join('\n'),
  {
  options: ['--stage'],
  positional: true,
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error(`build-package: TypeScript is not installed in ${root}; run \`npm ci\` there first, then pack again.`);
  process.exit(1);
}
const stageIndex = process.argv.indexOf('--stage');
const stage = stageIndex > 0 ? resolve(process.argv[stageIndex + 1] ?? '') : undefined;

/** tsc's output: one directory per src/ folder the entry points import. */
function compileLibrary(outDir) {
  // Old directories go (a removed source file must not linger); top-level files are the CLI bundle.
  if (existsSync(outDir)) {
    for (const entry of readdirSync(outDir, { withFileTypes: true })) {
      if (entry.isDirectory()) rmSync(join(outDir, entry.name), { recursive: true, force: true });
    }
  }
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: root, stdio: 'inherit' });
}

if (!stage) {
  compileLibrary(join(root, 'dist/lib'));
  execFileSync(process.execPath, ['scripts/build-extension.mjs'], { cwd: root, stdio: 'inherit' });
  console.log('built dist/lib (greeter-plugins/sdk, greeter-plugins/host)');
} else {
  if (!existsSync(join(root, 'dist/cli.js'))) {
    console.error('dist/cli.js is missing: run `npm run build` first (--stage takes the CLI bundles from dist/)');
    process.exit(1);
  }
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'dist/lib'), { recursive: true });
  compileLibrary(join(stage, 'dist/lib'));
  copyFileSync(join(root, 'dist/cli.js'), join(stage, 'dist/cli.js'));
  for (const entry of readdirSync(join(root, 'dist/lib'), { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.js')) copyFileSync(join(root, 'dist/lib', entry.name), join(stage, 'dist/lib', entry.name));
  }
  for (const file of ['README.md', 'LICENSE', '.npmignore']) copyFileSync(join(root, file), join(stage, file));
  // Built already: packing the stage must not run this tree's build scripts.
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.scripts;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`staged the package in ${stage}`);
}
