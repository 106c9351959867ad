// `npm test`: the first command on a fresh clone. Sets up what the suites need (npm ci
// when node_modules is missing or stale, the Python venv, Go modules, system packages,
// code-server; each a no-op once done, see scripts/setup/), type-checks, builds every real
// executable the tests launch, then runs all test files with Node's test runner. Any
// skipped or todo test fails the run: a test that cannot run must say why by failing,
// never pass silently. Only Node built-ins are imported: nothing is installed yet.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './setup/npm-deps.mjs';
import { ensurePythonVenv, venvDir } from './setup/python-venv.mjs';
import { ensureGoModules } from './setup/go-modules.mjs';
import { ensureSystemPackages } from './setup/system-packages.mjs';
import { ensureCodeServer, VERSIONS } from './e2e/install-code-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Every suite, in the order they run; `npm test` runs them all. */
const ALL_SUITES = ['unit', 'integration', 'reliability', 'e2e'];

const USAGE = `Usage: npm test [-- [SUITE...] [--vscode ${Object.keys(VERSIONS).join('|')}|all]]
       npm run test:e2e [-- --vscode ${Object.keys(VERSIONS).join('|')}|all]

  SUITE      one or more of ${ALL_SUITES.join(', ')} (test/<SUITE>/*.test.ts); default: all
  --vscode   the VS Code versions the e2e suite runs on (default: all):
${Object.entries(VERSIONS).map(([name, v]) => `               ${name.padEnd(7)} code-server ${v.codeServer} = VS Code ${v.vscode}`).join('\n')}
  --help     this text

Sets up what is missing first (npm ci, .venv, Go modules, apt packages when root, code-server).`;

/** The suites and VS Code versions asked for on the command line. */
function parseArgs(argv) {
  const suites = [];
  let vscode = 'all';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--vscode' && argv[i + 1]) vscode = argv[++i];
    else if (arg.startsWith('--vscode=')) vscode = arg.slice('--vscode='.length);
    else if (ALL_SUITES.includes(arg) || existsSync(join(root, 'test', arg))) suites.push(arg);
    else usageError(`unknown argument "${arg}"`);
  }
  if (vscode !== 'all' && !(vscode in VERSIONS)) usageError(`unknown VS Code version "${vscode}"`);
  return { suites: suites.length ? suites : ALL_SUITES, versions: vscode === 'all' ? Object.keys(VERSIONS) : [vscode] };
}

function usageError(message) {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const { suites, versions } = parseArgs(process.argv.slice(2));

function run(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

// Set-up, cheapest checks first; each step returns at once when already done.
ensureNodeModules(root);
if (suites.some((s) => s !== 'unit')) {
  ensureSystemPackages(['python3-venv', ...(suites.includes('e2e') ? ['chromium'] : [])]);
  ensurePythonVenv(root);
  ensureGoModules(root);
}
if (suites.includes('e2e')) for (const version of versions) ensureCodeServer(version);
// The venv first on PATH: the Python plugin's `#!/usr/bin/env python3` runs on it.
process.env.PATH = `${join(venvDir(root), 'bin')}:${process.env.PATH}`;

run('type-check', 'npx', ['tsc', '--noEmit', '-p', '.']);
run('check generated proto descriptors', 'node', ['scripts/gen-proto.mjs', '--check']);
if (suites.some((s) => s !== 'unit')) {
  run('build plugins and fixtures', 'npm', ['run', '--silent', 'build:plugins']);
  run('bundle the extension and the CLI', 'npm', ['run', '--silent', 'build']);
}
if (suites.includes('e2e')) {
  run('build and package the extension', 'npm', ['run', '--silent', 'package']);
}

function testFiles(suite) {
  const dir = join(root, 'test', suite);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test', suite, f));
}

mkdirSync(join(root, 'test-results'), { recursive: true });
let passed = 0;

/** Runs files with the spec reporter on stdout and TAP to a file, then refuses skips. */
function runFiles(label, files, concurrency, env = process.env) {
  if (files.length === 0) {
    console.error(`no test files found for ${label}`);
    process.exit(1);
  }
  const tap = join(root, 'test-results', `${label}.tap`);
  run(`${label}: ${files.length} test files`, process.execPath, [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ], { env });
  const summary = readFileSync(tap, 'utf8');
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(summary)?.[1] ?? NaN);
  if (!(count('skipped') === 0 && count('todo') === 0)) {
    console.error(`✖ ${count('skipped')} skipped and ${count('todo')} todo tests in ${label}: every test must run (see ${tap})`);
    process.exit(1);
  }
  passed += count('pass');
}

// Unit and integration files share the two cores; the end-to-end files each drive a
// whole VS Code and a browser, so they run one at a time, after the rest.
const fast = suites.filter((s) => s !== 'e2e').flatMap(testFiles);
if (fast.length) runFiles(suites.filter((s) => s !== 'e2e').join('+'), fast, 2);
// The e2e suite runs once per VS Code version (scripts/e2e/vscode-versions.json).
if (suites.includes('e2e')) {
  for (const version of versions) runFiles(`e2e-${version}`, testFiles('e2e'), 1, { ...process.env, GREETER_E2E_VSCODE: version });
}
console.log(`\n✔ ${passed} tests passed, none skipped`);
