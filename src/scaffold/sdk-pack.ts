// Build time only: packs the plugin SDK (src/package/sdk.ts and what it imports) as a
// small npm tarball named `greeter-plugins`, so a generated TypeScript project imports
// `greeter-plugins/sdk` exactly as the published package would be imported. The code is
// one esbuild bundle with its npm dependencies left out (npm installs them from the
// registry), plus tsc's declarations for the editor.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';

const ENTRY = 'src/package/sdk.ts';
/** The declaration file of the entry inside the tarball. */
const TYPES = './types/package/sdk.d.ts';

/** "@grpc/grpc-js/build/x" -> "@grpc/grpc-js"; "node:fs" and builtins -> undefined. */
export function packageOf(specifier: string): string | undefined {
  // esbuild's own helpers come in as "<runtime>".
  if (/^(node:|\.|<)/.test(specifier) || path.isAbsolute(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

/** Writes `greeter-plugins-sdk-<version>.tgz` into `outDir`; returns its file name. */
export async function packSdk(repoRoot: string, outDir: string): Promise<string> {
  const rootPkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'greeter-sdk-pack-'));
  try {
    const result = await build({
      absWorkingDir: repoRoot,
      entryPoints: [ENTRY],
      outfile: path.join(stage, 'sdk.js'),
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      keepNames: true,
      metafile: true,
      logLevel: 'warning',
    });
    const deps = new Set<string>();
    for (const input of Object.values(result.metafile.inputs)) {
      for (const imp of input.imports) if (imp.external) {
        const name = packageOf(imp.path);
        if (name) deps.add(name);
      }
    }
    const dependencies: Record<string, string> = {};
    for (const name of [...deps].sort()) {
      const version = rootPkg.dependencies?.[name];
      if (!version) throw new Error(`the SDK imports ${name}, which is not in package.json dependencies`);
      dependencies[name] = version;
    }

    writeDeclarations(repoRoot, path.join(stage, 'types'));
    const pkg = {
      name: rootPkg.name,
      version: rootPkg.version,
      description: 'Greeter Plugins SDK: serve a HashiCorp go-plugin gRPC plugin from Node (the copy the VS Code extension ships)',
      license: rootPkg.license,
      exports: { './sdk': { types: TYPES, default: './sdk.js' }, './package.json': './package.json' },
      typesVersions: { '*': { sdk: [TYPES] } },
      dependencies,
    };
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    fs.writeFileSync(path.join(stage, 'README.md'), `# ${rootPkg.name}/sdk\n\nThe Greeter Plugins SDK as New Plugin ships it: \`import { serve } from '${rootPkg.name}/sdk'\`.\n`);
    if (fs.existsSync(path.join(repoRoot, 'LICENSE'))) fs.copyFileSync(path.join(repoRoot, 'LICENSE'), path.join(stage, 'LICENSE'));

    fs.mkdirSync(outDir, { recursive: true });
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop()!;
    const name = `${rootPkg.name}-sdk-${rootPkg.version}.tgz`;
    fs.renameSync(path.join(outDir, packed), path.join(outDir, name));
    return name;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** tsc's .d.ts for the entry and what it imports, under `outDir` (mirroring src/). */
function writeDeclarations(repoRoot: string, outDir: string): void {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greeter-sdk-types-'));
  try {
    const config = {
      extends: path.join(repoRoot, 'tsconfig.json'),
      compilerOptions: {
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        rootDir: path.join(repoRoot, 'src'),
        outDir,
        // The config lives in a temp folder; @types are the repository's.
        typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
      },
      files: [path.join(repoRoot, ENTRY)],
      include: [],
    };
    const configFile = path.join(configDir, 'tsconfig.json');
    fs.writeFileSync(configFile, JSON.stringify(config));
    const tsc = require.resolve('typescript/bin/tsc', { paths: [repoRoot] });
    execFileSync(process.execPath, [tsc, '-p', configFile], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  } finally {
    fs.rmSync(configDir, { recursive: true, force: true });
  }
}
