// Assembles dist/scaffold: the templates New Plugin writes (src/scaffold/templates plus
// the parts taken from examples/) and the packed SDK the TypeScript template installs.
// The VSIX ships it (.vscodeignore); `vscode:prepublish` runs this.
//   node --import tsx scripts/build-scaffold.ts [OUT_DIR]
import * as path from 'node:path';
import { assembleScaffoldAssets } from '../src/scaffold/assets';

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const usage = [
  'Usage: node --import tsx scripts/build-scaffold.ts [OUT_DIR]',
  '  Assembles the templates New Plugin writes and the packed SDK the TypeScript template installs.',
  '  OUT_DIR defaults to dist/scaffold.',
].join('\n');
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const unknown = args.find((a) => a.startsWith('-')) ?? args[1];
if (unknown !== undefined) {
  console.error(`unknown argument "${unknown}"\n\n${usage}`);
  process.exit(2);
}
const out = path.resolve(args[0] ?? path.join(root, 'dist', 'scaffold'));
assembleScaffoldAssets(root, out).then(
  ({ sdkTarball }) => console.log(`built ${path.relative(root, out) || out} (templates: go, typescript, python; SDK ${sdkTarball})`),
  (err) => {
    console.error(`build-scaffold: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
