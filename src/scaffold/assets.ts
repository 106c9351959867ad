// Build time only (scripts/build-scaffold.ts, tests): assembles what New Plugin writes
// into dist/scaffold, which the VSIX ships. Static files come from ./templates; the parts
// the examples already maintain are taken from them, so a template never drifts from a
// tested example: the Go module's go.mod/go.sum and generated gRPC code
// (examples/go-greeter), the whole Python plugin (examples/python-greeter), and for
// TypeScript a packed copy of the SDK (src/sdk), which is not on the npm registry.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { templateDir } from './languages';
import { packSdk } from './sdk-pack';

/** Files of examples/python-greeter that are about the example, not the plugin. */
const PYTHON_EXAMPLE_EXCLUDED = new Set(['README.md', '.gitignore', 'regen.sh', 'requirements-dev.txt', '__pycache__', '.venv', 'bin', '.pytest_cache']);

/** Copies `from` into `to` recursively, skipping names `skip` refuses (file modes kept). */
function copyTree(from: string, to: string, skip: (name: string) => boolean = () => false): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, skip);
    else if (entry.isFile()) fs.copyFileSync(src, dst);
  }
}

/** The Go template's module path: the same for every plugin, whatever its name. */
export const GO_TEMPLATE_MODULE = 'greeter-plugin.local/plugin';

/** Rewrites the example module's go.mod for the template: its module path becomes GO_TEMPLATE_MODULE. */
export function goModForTemplate(exampleGoMod: string): string {
  if (!/^module\s+\S+/m.test(exampleGoMod)) throw new Error('examples/go-greeter/go.mod has no module line');
  // Not the plugin's name: a first path element without a dot can clash with the standard
  // library ("plugin", "time") or a reserved name ("cmd", "vendor"), and the build fails.
  return exampleGoMod.replace(/^module\s+\S+/m, `module ${GO_TEMPLATE_MODULE}`);
}

/** Versions the TypeScript template pins, read from the repository's own package.json. */
function pinnedVersions(repoRoot: string): Record<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const pick = (dep: string) => {
    const v = pkg.devDependencies?.[dep] ?? pkg.dependencies?.[dep];
    if (!v) throw new Error(`package.json pins no ${dep}`);
    return v as string;
  };
  return { esbuildVersion: pick('esbuild'), typesNodeVersion: pick('@types/node'), typescriptVersion: pick('typescript') };
}

/** Replaces `{{key}}` for the given keys only; other placeholders stay for render time. */
function fillBuildTimeValues(file: string, values: Record<string, string>): void {
  let text = fs.readFileSync(file, 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.split(`{{${key}}}`).join(value);
  fs.writeFileSync(file, text);
}

/** Assembles dist/scaffold (or `outDir`) from the repository at `repoRoot`; returns the SDK tarball's name. */
export async function assembleScaffoldAssets(repoRoot: string, outDir: string): Promise<{ sdkTarball: string }> {
  const own = path.join(repoRoot, 'src', 'scaffold', 'templates');
  // A clean folder: a file dropped from a template must not linger in the VSIX.
  fs.rmSync(outDir, { recursive: true, force: true });

  const go = templateDir(outDir, 'go');
  copyTree(path.join(own, 'go'), go);
  const goExample = path.join(repoRoot, 'examples', 'go-greeter');
  fs.writeFileSync(path.join(go, 'go.mod'), goModForTemplate(fs.readFileSync(path.join(goExample, 'go.mod'), 'utf8')));
  fs.copyFileSync(path.join(goExample, 'go.sum'), path.join(go, 'go.sum'));
  copyTree(path.join(goExample, 'api'), path.join(go, 'api'), (n) => !n.endsWith('.go'));
  fs.copyFileSync(path.join(repoRoot, 'proto', 'greeter.proto'), path.join(go, 'greeter.proto'));

  const python = templateDir(outDir, 'python');
  copyTree(path.join(repoRoot, 'examples', 'python-greeter'), python, (n) => PYTHON_EXAMPLE_EXCLUDED.has(n) || n.endsWith('.pyc'));
  copyTree(path.join(own, 'python'), python); // our README and build.sh replace the example's

  const ts = templateDir(outDir, 'typescript');
  copyTree(path.join(own, 'typescript'), ts);
  const sdkTarball = await packSdk(repoRoot, path.join(ts, 'vendor'));
  fillBuildTimeValues(path.join(ts, 'package.json'), { ...pinnedVersions(repoRoot), sdkTarball });
  fillBuildTimeValues(path.join(ts, 'README.md'), { sdkTarball });
  return { sdkTarball };
}
