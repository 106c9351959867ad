// `npm test`: type-check, build every real executable the tests launch, then run all
// test files with Node's test runner. Any skipped or todo test fails the run: a test
// that cannot run must say why by failing, never pass silently.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
const suites = only.length ? only : ['unit', 'integration', 'e2e'];

function run(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

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
function runFiles(label, files, concurrency) {
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
  ]);
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
if (suites.includes('e2e')) runFiles('e2e', testFiles('e2e'), 1);
console.log(`\n✔ ${passed} tests passed, none skipped`);
