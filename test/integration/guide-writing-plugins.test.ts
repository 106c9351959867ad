// docs/writing-plugins.md, run as written: every fenced block carries a marker comment
// (`<!-- guide: KIND ... -->` on the line after it) that says what to do with it:
//   run LANG        run the shell block with bash in LANG's project folder
//   file LANG NAME  write the block to NAME in that folder
//   settings ID     parse the JSON, validate greeter.plugins as the extension does,
//                   resolve ${workspaceFolder} to the project folder, launch and greet
//   start go / run reattach / output go-handshake   the reattach walk-through
//   error NAME      reproduce the failure and compare the host's message
//   output go-verbose, hclog-line, proto            checked against the real thing
// `/path/to/greeter-plugins` in a block stands for this repository; `npm pack` of it
// packs a staged copy instead (scripts/build-package.mjs --stage), so this tree's dist/
// is not rebuilt while other tests run dist/cli.js.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import * as protoLoader from '@grpc/proto-loader';
import { greet } from '../../src/greeter';
import { HANDSHAKE_PRESETS } from '../../src/explorer/presets';
import { parseHclogJson, startPlugin } from '../../src/host';
import { DEFAULT_MANAGER_SETTINGS } from '../../src/manager/types';
import { resolvePluginConfig } from '../../src/manager/plugin-config';
import { workspaceSubstitutionContext } from '../../src/manager/substitute';
import { validatePluginEntries } from '../../src/manager/validate';

const REPO = path.resolve(__dirname, '../..');
const GUIDE = path.join(REPO, 'docs/writing-plugins.md');
const GO_HOST = path.join(REPO, 'test/fixtures/bin/go-host');
const REPO_PLACEHOLDER = '/path/to/greeter-plugins';
/** The project folder the error messages in the guide show. */
const SHOWN_DIR = '/home/me/my-greeter';

interface Block {
  lang: string;
  body: string;
  marker: string[];
}

/** Every fenced block with the marker on the line after it (marker [] when it has none). */
function guideBlocks(): Block[] {
  const text = readFileSync(GUIDE, 'utf8');
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```\n(?:<!-- guide: ([^>]*?) -->\n)?/gm;
  for (const [, lang, body, marker] of text.matchAll(fence)) blocks.push({ lang, body, marker: marker ? marker.split(/\s+/) : [] });
  return blocks;
}

const blocks = guideBlocks();
const work = mkdtempSync(path.join(tmpdir(), 'guide-'));
const dir = (lang: string) => path.join(work, lang);
for (const lang of ['go', 'ts', 'py', 'errors']) mkdirSync(dir(lang));
const running = new Set<number>();
const stagedPackage = path.join(work, 'package');

after(() => {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
});

function marked(...marker: string[]): Block[] {
  const found = blocks.filter((b) => marker.every((m, i) => b.marker[i] === m));
  assert.ok(found.length, `the guide has no block marked "${marker.join(' ')}"`);
  return found;
}

function one(...marker: string[]): Block {
  const found = marked(...marker);
  assert.equal(found.length, 1, `one block marked "${marker.join(' ')}"`);
  return found[0];
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}

/** Runs a shell block as written (the repository placeholder aside), failing on the first failed command. */
async function runShell(body: string, cwd: string, timeoutMs = 300_000): Promise<Run> {
  const script = body.replaceAll(`npm pack ${REPO_PLACEHOLDER}`, `npm pack ${stagedPackage}`).replaceAll(REPO_PLACEHOLDER, REPO);
  // prefer-offline: the dependencies npm ci fetched for this repository are in npm's cache.
  const env = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  const result = await run('bash', ['-euo', 'pipefail', '-c', script], cwd, env, timeoutMs);
  assert.equal(result.code, 0, `in ${cwd}:\n${script}\nexited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

async function runSection(lang: string): Promise<void> {
  for (const block of blocks.filter((b) => b.marker[1] === lang && (b.marker[0] === 'run' || b.marker[0] === 'file'))) {
    if (block.marker[0] === 'file') writeFileSync(path.join(dir(lang), block.marker[2]), block.body);
    else await runShell(block.body, dir(lang));
  }
}

/**
 * Launches every entry of a settings block the way the extension does and greets it
 * (`expected` undefined: a plugin without the Greeter, only started and pinged).
 */
async function greetThroughSettings(id: string, folder: string, expected: string | undefined, env: Record<string, string> = {}): Promise<number> {
  let protocolVersion = 0;
  const settings = JSON.parse(one('settings', id).body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(settings), ['greeter.plugins']);
  const entries = settings['greeter.plugins'] as unknown[];
  const validated = validatePluginEntries(entries);
  const ctx = workspaceSubstitutionContext([folder], true, homedir(), process.env);
  for (const entry of validated) {
    assert.equal(entry.error, undefined, entry.error?.message);
    const config = resolvePluginConfig(entry, ctx, DEFAULT_MANAGER_SETTINGS);
    assert.equal(config.configError, undefined, config.configError?.message);
    const plugin = await startPlugin({ ...config.launch!, env: { ...config.launch!.env, ...env } });
    try {
      assert.equal(plugin.info.tls, true, 'AutoMTLS (the default) is on');
      protocolVersion = plugin.info.protocolVersion;
      if (expected === undefined) await plugin.ping();
      else assert.equal(await greet(plugin, 'Alice'), expected);
    } finally {
      await plugin.stop();
    }
  }
  return protocolVersion;
}

/** Doc lines against actual lines: equal, except that a "..." line stands for any number of lines. */
function matchLines(doc: string[], actual: string[]): boolean {
  if (!doc.length) return !actual.length;
  if (doc[0] === '...') return actual.some((_, i) => matchLines(doc.slice(1), actual.slice(i))) || matchLines(doc.slice(1), []);
  return actual.length > 0 && doc[0] === actual[0] && matchLines(doc.slice(1), actual.slice(1));
}

function assertShown(id: string, actualText: string, replace: [string, string][] = []): void {
  let text = actualText;
  for (const [from, to] of replace) text = text.replaceAll(from, to);
  const doc = one(...id.split(' ')).body.trimEnd().split('\n');
  const actual = text.trimEnd().split('\n');
  assert.ok(matchLines(doc, actual), `the guide's "${id}" block:\n${doc.join('\n')}\n\ndoes not match what the host says:\n${actual.join('\n')}`);
}

const KNOWN = new Set(['run', 'file', 'settings', 'start', 'output', 'error', 'hclog-line', 'proto']);
const cli = () => path.join(dir('ts'), 'node_modules/.bin/greeter');
const venvPath = (venv: string) => `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;

describe('docs/writing-plugins.md', () => {
  test('every code block is marked for this test', () => {
    const unmarked = blocks.filter((b) => !b.marker.length || !KNOWN.has(b.marker[0]));
    assert.deepEqual(unmarked.map((b) => b.body.split('\n')[0]), [], 'code blocks without a known <!-- guide: ... --> marker');
    assert.ok(blocks.length >= 20, `found ${blocks.length} blocks`);
  });

  test('the proto block is the Greeter of proto/greeter.proto', () => {
    const file = path.join(work, 'greeter.proto');
    writeFileSync(file, one('proto').body);
    const ours = protoLoader.loadSync(file, { keepCase: true });
    const real = protoLoader.loadSync(path.join(REPO, 'proto/greeter.proto'), { keepCase: true });
    const shape = (pkg: protoLoader.PackageDefinition) => {
      const greet = (pkg['tutorial.Greeter'] as protoLoader.ServiceDefinition).Greet;
      return { path: greet.path, request: greet.requestType.type, response: greet.responseType.type };
    };
    assert.deepEqual(JSON.parse(JSON.stringify(shape(ours))), JSON.parse(JSON.stringify(shape(real))));
  });

  test('the presets table lists the presets of src/explorer/presets.ts', () => {
    const rows = [...readFileSync(GUIDE, 'utf8').matchAll(/^\| `(\w+)` \| `(\w+)`[^|]*\| ([\d, ]+)/gm)].map(([, name, key, versions]) => ({
      name,
      key,
      versions: versions.trim().split(/, */).map(Number),
    }));
    const presets = Object.values(HANDSHAKE_PRESETS).map((p) => ({ name: p.name, key: p.handshake.magicCookieKey, versions: p.protocolVersions }));
    assert.deepEqual(rows, presets);
  });

  test('Go: copy the example module, main.go, go build; its settings entries greet (versions 1 and 2)', async () => {
    await runSection('go');
    await greetThroughSettings('go', dir('go'), 'hello Alice');
    assert.equal(await greetThroughSettings('go-v2', dir('go'), 'Hello, Alice!'), 2);
  });

  test('a Terraform provider starts with only the terraform preset', async () => {
    const folder = path.join(REPO, 'test/fixtures/bin/third-party');
    assert.ok(existsSync(path.join(folder, 'terraform-provider-time')), `${folder}/terraform-provider-time is missing: npm run build:plugins installs it`);
    assert.equal(await greetThroughSettings('terraform', folder, undefined), 5, 'version 5 of the 6 and 5 offered');
  });

  test('TypeScript: pack and install the SDK, plugin.ts, tsc; its settings entry greets', async () => {
    const staged = await run(process.execPath, ['scripts/build-package.mjs', '--stage', stagedPackage], REPO, process.env, 300_000);
    assert.equal(staged.code, 0, staged.stdout + staged.stderr);
    await runSection('ts');
    await greetThroughSettings('ts', dir('ts'), 'hello Alice');
  });

  test("Python: venv, greeter.py; its settings entry greets, and go-plugin's Go host greets it with AutoMTLS", async () => {
    await runSection('py');
    await greetThroughSettings('py', dir('py'), 'hello Alice');
    const plugin = path.join(dir('py'), 'greeter.py');
    chmodSync(plugin, 0o755);
    const host = await run(GO_HOST, ['-automtls', '-plugin', plugin, 'Alice'], dir('py'), { ...process.env, PATH: venvPath(path.join(dir('py'), '.venv')) });
    assert.equal(host.code, 0, `${GO_HOST} (npm run build:go builds it): ${host.stderr}`);
    assert.equal(host.stdout, 'hello Alice\n');
    // go-plugin puts a JSON log line's fields in a Go map, so their order varies from run to run.
    const greetLine = /\[INFO\] +go-host\.greeter\.py: greet called: (.*)/.exec(host.stderr);
    assert.ok(greetLine, host.stderr);
    assert.match(greetLine[1], /(^| )@module=greeter( |$)/);
    assert.match(greetLine[1], /(^| )name=Alice( |$)/);
  });

  test('Logging: the hclog line is read at its level with its fields; --verbose shows the Go plugin\'s line', async () => {
    const entry = parseHclogJson(one('hclog-line').body.trim());
    assert.ok(entry);
    assert.equal(entry.level, 'info');
    assert.equal(entry.message, 'greet called');
    assert.equal(entry.module, 'greeter');
    assert.deepEqual(entry.fields, { name: 'Alice' });
    const result = await run(cli(), ['greet', '--verbose', '--plugin', path.join(dir('go'), 'greeter'), 'Alice'], dir('go'));
    assert.equal(result.code, 0, result.stderr);
    assertShown('output go-verbose', result.stderr);
  });

  test('Reattach: start the Go plugin by hand, the reattach program greets it and leaves it running', async () => {
    // `VAR=value exec command`: the plugin replaces the shell, so child.pid is the plugin's.
    const command = one('start', 'go').body.trim().replace(/^((?:\w+=\S*\s+)*)/, '$1exec ');
    const child = spawn('bash', ['-c', command], { cwd: dir('go'), stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child.pid!);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const [line] = (await Promise.race([
      once(createInterface({ input: child.stdout! }), 'line'),
      once(child, 'exit').then(([code]) => assert.fail(`"${command}" exited (${code}) before its handshake line: ${stderr}`)),
    ])) as [string];
    child.stdout!.resume();
    const shape = /^1\|1\|unix\|\/\S+\|grpc\|$/;
    assert.match(line, shape);
    assert.match(one('output', 'go-handshake').body.trim(), shape);

    const doc = '\n' + one('run', 'reattach').body;
    const script = doc.replace("'1|1|unix|/tmp/plugin1234567|grpc|'", `'${line}'`).replace(/ 12345\n/, ` ${child.pid}\n`);
    assert.notEqual(script, doc, 'the run block uses the sample handshake line and pid');
    writeFileSync(path.join(dir('ts'), 'reattach.ts'), one('file', 'ts', 'reattach.ts').body);
    const result = await runShell(script, dir('ts'));
    assert.equal(result.stdout, 'hello Alice\n');
    assert.equal(child.exitCode, null, 'the plugin still runs after the reattached host left');
    child.kill('SIGTERM');
    await once(child, 'exit');
    running.delete(child.pid!);
  });

  describe('Errors: each message is what the host says', () => {
    const errors = dir('errors');
    const goPlugin = () => path.join(dir('go'), 'greeter');
    /** The CLI's message without its "greeter: " prefix, paths shown as in the guide. */
    async function failure(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
      const result = await run(cli(), ['greet', ...args, 'Alice'], errors, env);
      assert.equal(result.code, 1, result.stderr);
      return result.stderr.replace(/^greeter: /, '');
    }

    test('not executable', async () => {
      copyFileSync(goPlugin(), path.join(errors, 'greeter'));
      chmodSync(path.join(errors, 'greeter'), 0o644);
      assertShown('error not-executable', await failure(['--plugin', path.join(errors, 'greeter')]), [[errors, SHOWN_DIR]]);
    });

    test('not found', async () => {
      assertShown('error not-found', await failure(['--plugin', path.join(errors, 'greetr')]), [[errors, SHOWN_DIR]]);
    });

    test('run by hand', async () => {
      const result = await run(goPlugin(), [], errors, { PATH: process.env.PATH ?? '' });
      assert.equal(result.code, 1);
      assertShown('error run-by-hand', result.stderr);
    });

    test('cookie mismatch', async () => {
      assertShown('error cookie', await failure(['--plugin', goPlugin(), '--cookie', 'MY_PLUGIN=yes']));
    });

    test('stdout before the handshake', async () => {
      mkdirSync(path.join(errors, 'chatty'));
      const chatty = path.join(errors, 'chatty/greeter');
      writeFileSync(chatty, `#!/bin/sh\necho "starting up"\nexec "${goPlugin()}"\n`, { mode: 0o755 });
      assertShown('error stdout-before-handshake', await failure(['--plugin', chatty]));
    });

    test('no app protocol version in common', async () => {
      assertShown('error app-version', await failure(['--plugin', goPlugin(), '--protocol-version', '3']));
    });

    test('Python without its virtual environment', async () => {
      // A python3 without the plugin's packages: a fresh venv (without pip, quick to make).
      const bare = path.join(errors, 'bare-venv');
      const made = await run('python3', ['-m', 'venv', '--without-pip', bare], errors);
      assert.equal(made.code, 0, made.stderr);
      const plugin = path.join(dir('py'), 'greeter.py');
      chmodSync(plugin, 0o755);
      assertShown('error python-without-venv', await failure(['--plugin', plugin], { ...process.env, PATH: venvPath(bare) }));
    });

    test('Greeter not served', async () => {
      const source = readFileSync(path.join(dir('py'), 'greeter.py'), 'utf8');
      const empty = path.join(dir('py'), 'empty.py');
      assert.ok(source.includes('lambda: [Greeter()]'));
      writeFileSync(empty, source.replace('lambda: [Greeter()]', 'lambda: []'), { mode: 0o755 });
      assertShown('error unimplemented', await failure(['--plugin', empty], { ...process.env, PATH: venvPath(path.join(dir('py'), '.venv')) }));
    });
  });
});
