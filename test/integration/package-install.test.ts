// The npm package as a user gets it: built and packed (scripts/build-package.mjs --stage,
// so this tree's dist/ stays untouched while other tests run dist/cli.js; it takes the
// CLI bundles `npm run build` made), installed into a fresh project outside this repository; the README's TypeScript plugin,
// written against `greeter-plugins/sdk`, type-checks and compiles there and is greeted
// through the installed `greeter` bin, through `greeter-plugins/host`, and through
// hashicorp/go-plugin's own Go host (test/go-host).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const REPO = path.resolve(__dirname, '../..');
const GO_HOST = path.join(REPO, 'test/fixtures/bin/go-host');
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');
const work = mkdtempSync(path.join(tmpdir(), 'greeter-package-'));
const project = path.join(work, 'project');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects only when it cannot be started. */
function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(new Error(`${file} ${args.join(' ')} failed to run: ${err.message}\n${stderr}`));
        else resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
      },
    );
  });
}

async function mustRun(file: string, args: string[], options: Parameters<typeof run>[2] = {}): Promise<Run> {
  const result = await run(file, args, options);
  assert.equal(result.code, 0, `${path.basename(file)} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The README's TypeScript plugin: the fenced block that imports greeter-plugins/sdk. */
function readmePlugin(): string {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^( *)```ts\n([\s\S]*?)^\1```$/gm)].map(([, indent, body]) =>
    body.replace(new RegExp(`^${indent}`, 'gm'), ''),
  );
  const plugin = blocks.find((b) => b.includes("from 'greeter-plugins/sdk'"));
  assert.ok(plugin, "README.md has no ```ts block importing 'greeter-plugins/sdk'");
  return plugin;
}

/** Uses greeter-plugins/host: launch, greet, stop, as an application embedding the host would. */
const HOST_PROGRAM = `import { greet, isPluginError, startPlugin } from 'greeter-plugins/host';

async function main(): Promise<void> {
  const plugin = await startPlugin({ path: process.argv[2], autoMTLS: true });
  try {
    console.log(await greet(plugin, 'Bob'), plugin.info.tls);
  } finally {
    await plugin.stop();
  }
}
main().catch((e: unknown) => {
  console.error(isPluginError(e) ? \`\${e.code}: \${e.message}\` : e);
  process.exit(1);
});
`;

/** tsc options a user project would have; typeRoots lends it this repository's @types/node. */
function tsconfig(moduleResolution: 'node16' | 'node10'): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: moduleResolution === 'node16' ? 'node16' : 'commonjs',
      moduleResolution,
      strict: true,
      outDir: 'out',
      typeRoots: [path.join(REPO, 'node_modules/@types')],
      types: ['node'],
      ignoreDeprecations: '5.0',
    },
    files: ['plugin.ts', 'host.ts'],
  });
}

let tarball = '';
let plugin = '';

before(async () => {
  if (!existsSync(GO_HOST)) throw new Error(`${GO_HOST} is missing: build it with \`npm run build:go\` (needs Go)`);
  const stage = path.join(work, 'package');
  await mustRun(process.execPath, ['scripts/build-package.mjs', '--stage', stage], { cwd: REPO, timeoutMs: 300_000 });
  const packed = await mustRun('npm', ['pack', stage, '--json', '--pack-destination', work], { cwd: work, timeoutMs: 180_000 });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info.filename);
  const files = info.files.map((f) => f.path);
  for (const needed of ['dist/cli.js', 'dist/lib/package/sdk.js', 'dist/lib/package/sdk.d.ts', 'dist/lib/package/host.d.ts']) {
    assert.ok(files.includes(needed), `the tarball lacks ${needed}`);
  }
  const extra = files.filter((f) => !/^(package\.json|README\.md|LICENSE|dist\/cli\.js|dist\/lib\/.*\.(js|d\.ts))$/.test(f));
  assert.deepEqual(extra, [], 'the tarball holds only the package code, its declarations, the bin and the docs');

  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-greeter', version: '1.0.0', private: true }));
  // --prefer-offline: this machine's npm cache already holds the dependencies of `npm ci`.
  await mustRun('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project, timeoutMs: 300_000 });

  writeFileSync(path.join(project, 'plugin.ts'), readmePlugin());
  writeFileSync(path.join(project, 'host.ts'), HOST_PROGRAM);
  // The package's exports (node16) and its typesVersions (node10) both type-check the user code.
  writeFileSync(path.join(project, 'tsconfig.node10.json'), tsconfig('node10'));
  await mustRun(process.execPath, [TSC, '-p', 'tsconfig.node10.json', '--noEmit'], { cwd: project, timeoutMs: 120_000 });
  writeFileSync(path.join(project, 'tsconfig.json'), tsconfig('node16'));
  await mustRun(process.execPath, [TSC, '-p', '.'], { cwd: project, timeoutMs: 120_000 });
  plugin = path.join(project, 'out/plugin.js');
  chmodSync(plugin, 0o755);
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('the packed greeter-plugins package in a fresh project', () => {
  test('the installed greeter bin greets the README plugin, plain and with AutoMTLS', async () => {
    const bin = path.join(project, 'node_modules/.bin/greeter');
    const plain = await mustRun(bin, ['greet', '--plugin', plugin, 'Alice'], { cwd: project });
    assert.equal(plain.stdout, 'hello Alice\n');
    const mtls = await mustRun(bin, ['greet', '--plugin', plugin, '--auto-mtls', 'Alice'], { cwd: project });
    assert.equal(mtls.stdout, 'hello Alice\n');
  });

  test('greeter-plugins/host launches, greets and stops it', async () => {
    const result = await mustRun(process.execPath, ['out/host.js', plugin], { cwd: project });
    assert.equal(result.stdout, 'hello Bob true\n');
  });

  test("go-plugin's Go host greets it with AutoMTLS and sees its hclog line", async () => {
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith('PLUGIN_') || key === 'BASIC_PLUGIN') delete env[key];
    const result = await mustRun(GO_HOST, ['-plugin', plugin, '-automtls', 'Alice'], { cwd: project, env });
    assert.equal(result.stdout, 'hello Alice\n');
    assert.match(result.stderr, /\[INFO\] +go-host\.plugin\.js: greet called: .*name=Alice/);
  });

  test('run by hand, the plugin prints go-plugin\'s message and exits 1', async () => {
    const result = await run(plugin, [], { cwd: project, env: { PATH: process.env.PATH ?? '' } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^This binary is a plugin\. These are not meant to be executed directly\./);
  });
});
