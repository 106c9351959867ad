// Builds what the npm package ships (see .npmignore): dist/lib, the CommonJS + .d.ts of
// `greeter-plugins/sdk` and `greeter-plugins/host` (tsc with tsconfig.build.json), and
// dist/cli.js, the `greeter` bin (scripts/build-extension.mjs). `npm pack` runs it.
//   node scripts/build-package.mjs
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// A clean dist/lib: a source file removed since the last build must not linger in the package.
rmSync(join(root, 'dist/lib'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-extension.mjs'], { cwd: root, stdio: 'inherit' });
console.log('built dist/lib (greeter-plugins/sdk, greeter-plugins/host)');
