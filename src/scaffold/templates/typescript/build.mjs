// Bundles src/greeter.ts and its dependencies into ONE executable file, bin/{{name}}
// (`#!/usr/bin/env node`, mode 755), the file the Greeter Plugins settings point at.
// The file is replaced in one step (write, then rename), so the extension sees one
// change and restarts a running plugin: edit, npm run build, greet.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const outfile = 'bin/{{name}}';
const result = await build({
  entryPoints: ['src/greeter.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  banner: { js: '#!/usr/bin/env node' },
  keepNames: true, // readable stack traces in the plugin's log
  write: false,
  outfile,
  logLevel: 'warning',
});
mkdirSync('bin', { recursive: true });
const tmp = `${outfile}.${process.pid}.tmp`;
try {
  writeFileSync(tmp, result.outputFiles[0].contents);
  chmodSync(tmp, 0o755);
  renameSync(tmp, outfile);
} finally {
  rmSync(tmp, { force: true });
}
console.log(`built ${outfile}`);
