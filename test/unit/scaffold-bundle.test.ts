// What New Plugin adds to the extension bundle: its UI and src/scaffold's run-time part,
// never the build-time SDK packer with esbuild and TypeScript (megabytes in the VSIX).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

test('the New Plugin command bundles without esbuild, typescript or the asset builder', async () => {
  const result = await build({
    absWorkingDir: join(__dirname, '..', '..'),
    entryPoints: ['src/vscode/commands/new-plugin.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  for (const banned of ['node_modules/esbuild/', 'node_modules/typescript/', 'src/scaffold/assets.ts', 'src/scaffold/sdk-pack.ts']) {
    assert.deepEqual(inputs.filter((i) => i.includes(banned)), [], `${banned} is in the extension bundle`);
  }
  assert.ok(inputs.includes('src/scaffold/create.ts'));
});
