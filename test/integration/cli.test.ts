// The bundled CLI (dist/cli.js) as a user runs it: the tutorial's host program.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { built, fixture, goGreeter, nodeGreeter, repoRoot, waitFor } from '../helpers/plugins';
import { tempDir } from '../helpers/temp';

function greeter(...args: string[]) {
  const cli = built('dist/cli.js', 'npm run build');
  const result = spawnSync(cli, args, { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('greeter CLI', () => {
  for (const [label, plugin] of [['Go', goGreeter], ['Node', nodeGreeter]] as const) {
    it(`greet prints "hello Alice" from the ${label} plugin, with and without --auto-mtls`, () => {
      for (const flags of [[], ['--auto-mtls']]) {
        const r = greeter('greet', '--plugin', plugin(), ...flags, 'Alice');
        assert.equal(r.stderr, '');
        assert.equal(r.stdout, 'hello Alice\n');
        assert.equal(r.code, 0);
      }
    });
  }

  it('inspect --json prints the negotiated handshake', () => {
    const r = greeter('inspect', '--json', '--auto-mtls', '--plugin', goGreeter());
    assert.equal(r.code, 0, r.stderr);
    const details = JSON.parse(r.stdout);
    assert.equal(details.appProtocolVersion, 1);
    assert.equal(details.network, 'unix');
    assert.equal(details.protocol, 'grpc');
    assert.equal(details.tls, true);
    assert.ok(details.serverCertificateBytes > 100);
  });

  it('exits 1 with the typed message when the plugin fails', () => {
    const r = greeter('greet', '--plugin', '/nonexistent/greet', 'Alice');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^greeter: Plugin "greet": the executable "\/nonexistent\/greet" does not exist/);
    assert.equal(r.stdout, '');
  });

  it('--version prints the package version', () => {
    const r = greeter('--version');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `greeter ${JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')).version}\n`);
  });

  it('exits 2 with the problem in one line on a bad command line', () => {
    const r = greeter('greet', 'Alice');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "greeter: --plugin PATH is required\nRun 'greeter --help' for the commands and options.\n");
  });

  it('exits 2, naming the option, for values the host would refuse later', () => {
    for (const [args, problem] of [
      [['--protocol-version', '0'], /--protocol-version must be positive/],
      [['--start-timeout', '99999999999'], /--start-timeout must be at most 2147483647 ms/],
      [['--timeout', '3000000000'], /--timeout must be at most 2147483647 ms/],
      [['--cookie', 'BASIC_PLUGIN='], /--cookie must be KEY=VALUE with neither empty/],
      [['--json'], /--json applies to inspect and list; greet prints the greeting/],
      [['--protocol-versions', '0,1'], /--protocol-versions expects whole numbers from 1 separated by commas, got "0,1"/],
    ] as const) {
      const r = greeter('greet', '--plugin', goGreeter(), ...args, 'Alice');
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, problem);
      assert.equal(r.stdout, '');
    }
  });

  it('a stdout that cannot be written (a full disk) ends with one line saying so and status 1', () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['--help'], ['greet', '--plugin', goGreeter(), 'Alice']]) {
        const r = spawnSync(built('dist/cli.js', 'npm run build'), args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', full, 'pipe'] });
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stderr, 'greeter: cannot write the output: ENOSPC (ENOSPC: no space left on device, write)\n');
      }
    } finally {
      closeSync(full);
    }
  });

  it('a closed stderr (2>&1 | head -1) does not stop the command: the greeting is still printed', async () => {
    const cli = spawn(built('dist/cli.js', 'npm run build'), ['greet', '--verbose', '--plugin', goGreeter(), 'Alice'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise<void>((resolve) => cli.stderr.once('data', () => resolve()));
    cli.stderr.destroy(); // like `head -1` on stderr
    const code = await new Promise<number | null>((resolve) => cli.on('exit', (c) => resolve(c)));
    assert.equal(stdout, 'hello Alice\n');
    assert.equal(code, 0);
  });

  it('--verbose shows the plugin log and lifecycle on stderr', () => {
    const r = greeter('greet', '--verbose', '--plugin', goGreeter(), 'Dana');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /host: starting /);
    assert.match(r.stderr, /\[DEBUG\] .*plugin address/);
  });

  it('--verbose keeps a UTF-8 character that go-plugin splits across two stdio chunks', () => {
    // The Go greeter prints "greeted NAME"; go-plugin sends stdout in 1 KiB chunks, so
    // "é" here straddles bytes 1023 and 1024.
    const name = 'a'.repeat(1015) + 'é';
    const r = greeter('greet', '--verbose', '--plugin', goGreeter(), name);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stderr.includes('\uFFFD'), 'a replacement character: the split character was decoded in halves');
    assert.match(r.stderr, /aé\n/);
  });

  for (const [label, args] of [
    ['a server stream', ['call', '--plugin', fixture('bin/explorer-fixture'), 'explorer.fixture.Fixture/Count', '{"count": 1000000, "intervalMs": 1}']],
    ['inspect', ['inspect', '--plugin', goGreeter()]],
  ] as const) {
    it(`a reader that leaves early (| head -1) ends ${label} quietly with status 0, the plugin stopped`, async () => {
      const tmp = tempDir('greeter-cli-epipe-');
      const cli = spawn(built('dist/cli.js', 'npm run build'), [...args], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // Like `head -1`: read the first line, then close our end of the pipe.
      await new Promise<void>((resolve) => cli.stdout.once('data', () => resolve()));
      cli.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => cli.on('exit', (status) => resolve(status)));
      assert.equal(stderr, '', 'no stack trace, no message');
      assert.equal(code, 0);
      assert.deepEqual(readdirSync(tmp), [], 'the plugin was not stopped in order: its socket directory is left');
    });
  }

  it('Ctrl-C while a call is pending stops the plugin and removes its socket directory', async () => {
    const tmp = tempDir('greeter-cli-sigint-');
    const cli = spawn(built('dist/cli.js', 'npm run build'), ['greet', '--timeout', '60000', '--plugin', fixture('bin/hanging-greeter'), 'stuck'], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => readdirSync(tmp).some((d) => d.startsWith('plugin-dir') && readdirSync(`${tmp}/${d}`).length > 0), 'the plugin socket');
    cli.kill('SIGINT');
    assert.equal(await exited, 'SIGINT');
    assert.deepEqual(readdirSync(tmp), [], 'the CLI left its socket directory behind');
  });
});
