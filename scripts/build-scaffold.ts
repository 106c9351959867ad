// Assembles dist/scaffold: the templates New Plugin writes (src/scaffold/templates plus
// the parts taken from examples/) and the packed SDK the TypeScript template installs.
// The VSIX ships it (.vscodeignore); `vscode:prepublish` runs this.
//   node --import tsx scripts/build-scaffold.ts [OUT_DIR]
import * as path from 'node:path';
import { assembleScaffoldAssets } from '../src/scaffold/assets';

const root = path.join(__dirname, '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'scaffold'));
assembleScaffoldAssets(root, out).then(
  ({ sdkTarball }) => console.log(`built ${path.relative(root, out) || out} (templates: go, typescript, python; SDK ${sdkTarball})`),
  (err) => {
    console.error(`build-scaffold: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
