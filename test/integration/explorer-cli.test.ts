// `greeter list | describe | call` as a user runs them: the bundled CLI (dist/cli.js)
// against real plugins, with exit codes, stdin and file requests, and metadata.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { built, fixture, goGreeter, processesWithEnv, repoRoot } from '../helpers/plugins';

function greeter(args: string[], input?: string) {
  const result = spawnSync(built('dist/cli.js', 'npm run build'), args, { encoding: 'utf8', timeout: 30_000, input });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const explorerFixture = () => fixture('bin/explorer-fixture');

describe('greeter list', () => {
  it('lists services and methods with their kinds, hiding go-plugin\'s own unless --all', () => {
    const r = greeter(['list', '--plugin', explorerFixture(), '--auto-mtls']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'explorer.fixture.Fixture',
        '  Echo     unary             explorer.fixture.Sample -> explorer.fixture.Sample',
        '  Count    server-streaming  explorer.fixture.CountRequest -> explorer.fixture.Tick',
        '  Fail     unary             explorer.fixture.FailRequest -> google.protobuf.Empty',
        '  Headers  unary             google.protobuf.Empty -> google.protobuf.Struct',
        '  Upload   client-streaming  explorer.fixture.Tick -> google.protobuf.Empty',
        '  Chat     bidi-streaming    explorer.fixture.Tick -> explorer.fixture.Tick',
        '',
      ].join('\n'),
    );
    const all = greeter(['list', '--plugin', goGreeter(), '--all']);
    assert.equal(all.code, 0, all.stderr);
    for (const service of ['tutorial.Greeter', 'plugin.GRPCBroker', 'plugin.GRPCController', 'plugin.GRPCStdio', 'grpc.health.v1.Health']) {
      assert.match(all.stdout, new RegExp(`^${service.replace(/\./g, '\\.')}$`, 'm'));
    }
  });

  it('a file the plugin cannot send through reflection takes only its own services along', () => {
    const env = { ...process.env, FIXTURE_HIDE_FILE: 'google/protobuf/duration.proto' }; // explorer_fixture.proto imports it
    const r = spawnSync(built('dist/cli.js', 'npm run build'), ['list', '--all', '--plugin', explorerFixture()], { encoding: 'utf8', timeout: 30_000, env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^plugin\.GRPCController$/m, "go-plugin's own services are still listed");
    assert.doesNotMatch(r.stdout, /explorer\.fixture\.Fixture/);
    assert.match(r.stderr, /names explorer\.fixture\.Fixture but sent no descriptor for it \(explorer_fixture\.proto imports google\/protobuf\/duration\.proto, which the plugin could not send \(NOT_FOUND: proto: not found\)\)/);
  });

  it('--json, and --proto for a plugin without reflection', () => {
    const r = greeter(['list', '--json', '--plugin', fixture('bin/bare-grpc'), '--proto', join(repoRoot, 'proto/greeter.proto')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).services, [
      { service: 'tutorial.Greeter', methods: [{ name: 'Greet', kind: 'unary', input: 'tutorial.Person', output: 'tutorial.Greeting' }] },
    ]);
    const without = greeter(['list', '--plugin', fixture('bin/bare-grpc')]);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /^greeter: Plugin "bare-grpc" does not serve gRPC server reflection.*--proto FILE/s);
  });
});

describe('greeter describe', () => {
  it('prints a service, a method and a message in proto syntax', () => {
    const service = greeter(['describe', '--plugin', goGreeter(), 'tutorial.Greeter']);
    assert.equal(service.stdout, '// tutorial.Greeter\nservice Greeter {\n  rpc Greet(tutorial.Person) returns (tutorial.Greeting);\n}\n');
    const method = greeter(['describe', '--plugin', explorerFixture(), 'explorer.fixture.Fixture/Count']);
    assert.equal(method.stdout, '// explorer.fixture.Fixture/Count\nrpc Count(explorer.fixture.CountRequest) returns (stream explorer.fixture.Tick);\n');
    const message = greeter(['describe', '--plugin', explorerFixture(), 'explorer.fixture.Sample']);
    assert.match(message.stdout, /^\/\/ explorer\.fixture\.Sample\nmessage Sample \{\n {2}string text = 1;\n {2}int64 big = 2;\n/);
    assert.match(message.stdout, /\n {2}map<string, int64> counts = 10;\n/);
    assert.match(message.stdout, /\n {2}oneof choice \{\n {4}string label = 16;\n {4}int32 number = 17;\n {2}\}\n/);
    const unknown = greeter(['describe', '--plugin', goGreeter(), 'tutorial.Nobody']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Plugin "greeter" has no service, method, message or enum named "tutorial\.Nobody"/);
  });
});

describe('greeter call', () => {
  it('prints the response as JSON; the request comes from the argument, a file or stdin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'explorer-cli-'));
    try {
      writeFileSync(join(dir, 'request.json'), '{"name": "File"}');
      const inline = greeter(['call', '--plugin', goGreeter(), 'tutorial.Greeter/Greet', '{"name": "Arg"}']);
      assert.deepEqual([inline.code, JSON.parse(inline.stdout)], [0, { message: 'hello Arg' }]);
      const file = greeter(['call', '--plugin', goGreeter(), '--auto-mtls', 'tutorial.Greeter/Greet', `@${join(dir, 'request.json')}`]);
      assert.deepEqual([file.code, JSON.parse(file.stdout)], [0, { message: 'hello File' }]);
      const stdin = greeter(['call', '--plugin', goGreeter(), 'tutorial.Greeter/Greet', '-'], '{"name": "Stdin"}');
      assert.deepEqual([stdin.code, JSON.parse(stdin.stdout)], [0, { message: 'hello Stdin' }]);
      const missing = greeter(['call', '--plugin', goGreeter(), 'tutorial.Greeter/Greet', `@${join(dir, 'nope.json')}`]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot read the request file ".*nope\.json": ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints a server stream as one JSON document per line', () => {
    const r = greeter(['call', '--plugin', explorerFixture(), 'explorer.fixture.Fixture/Count', '{"count": 25}']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 25);
    assert.deepEqual(lines.map((l) => JSON.parse(l).index ?? 0), [...Array(25).keys()]);
  });

  it('sends -H metadata and prints headers and trailers with --print-metadata', () => {
    const r = greeter(['call', '--plugin', explorerFixture(), '-H', 'x-caller: cli test', '--print-metadata', 'explorer.fixture.Fixture/Headers']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout)['x-caller'], 'cli test');
    assert.match(r.stderr, /^header x-fixture-header: header-value$/m);
    assert.match(r.stderr, /^trailer x-fixture-trailer: trailer-value$/m);
  });

  it('exits 64 + the gRPC status code when the plugin fails the call, with the message and details', () => {
    const r = greeter(['call', '--plugin', explorerFixture(), 'explorer.fixture.Fixture/Fail', '{"code": 5, "message": "gone", "reason": "WHY"}']);
    assert.equal(r.code, 64 + 5);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^greeter: Plugin "explorer-fixture" ended explorer\.fixture\.Fixture\/Fail with NOT_FOUND: gone\./);
    assert.match(r.stderr, /"reason":"WHY"/);
    const deadline = greeter(['call', '--timeout', '200', '--plugin', explorerFixture(), 'explorer.fixture.Fixture/Count', '{"count": 100, "intervalMs": 50}']);
    assert.equal(deadline.code, 64 + 4);
    assert.match(deadline.stderr, /DEADLINE_EXCEEDED.*within 200 ms/);
  });

  it('a status code outside gRPC\'s 1-16 exits 66 (UNKNOWN), never 0 or a wrapped-around number', () => {
    for (const code of [17, 192, 200, 255]) {
      const r = greeter(['call', '--plugin', explorerFixture(), 'explorer.fixture.Fixture/Fail', JSON.stringify({ code, message: 'odd' })]);
      assert.equal(r.code, 64 + 2, `status ${code}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`with status ${code}: odd\\. Details: `));
    }
  });

  it('options may come before the command, and --help goes with any of them', () => {
    const list = greeter(['--plugin', goGreeter(), 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^tutorial\.Greeter$/m);
    const describe = greeter(['--timeout', '5000', 'describe', '--plugin', goGreeter(), 'tutorial.Greeter']);
    assert.equal(describe.code, 0, describe.stderr);
    for (const args of [['list', '--all', '--help'], ['call', '-H', 'a: b', '--help', 'x/y'], ['call', '--proto', 'x.proto', '-h']]) {
      const help = greeter(args);
      assert.equal(help.code, 0, `${args.join(' ')}: ${help.stderr}`);
      assert.match(help.stdout, /^Usage:/);
    }
  });

  it('a request nested too deep is refused with a message, not a stack overflow; a byte-order mark is ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'greeter-cli-request-'));
    try {
      const deep = join(dir, 'deep.json');
      writeFileSync(deep, '{"child":'.repeat(20_000) + '{}' + '}'.repeat(20_000));
      const r = greeter(['call', '--plugin', explorerFixture(), 'explorer.fixture.Fixture/Echo', `@${deep}`]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^greeter: The request for explorer\.fixture\.Fixture\/Echo .* nests objects and arrays more than 100 deep \(at line 1, column 901\)/);
      assert.doesNotMatch(r.stderr, /Maximum call stack|    at /);
      const bom = join(dir, 'bom.json');
      writeFileSync(bom, '\uFEFF{"text": "x"}');
      const marked = greeter(['call', '--plugin', explorerFixture(), 'explorer.fixture.Fixture/Echo', `@${bom}`]);
      assert.equal(marked.code, 0, marked.stderr);
      assert.equal(JSON.parse(marked.stdout).text, 'x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with the typed message for a bad request, and 2 for a bad command line', () => {
    const typo = greeter(['call', '--plugin', goGreeter(), 'tutorial.Greeter/Greet', '{"nmae": "x"}']);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /unknown field "nmae" at \$\.nmae .*Valid fields: name\./);
    const bidi = greeter(['call', '--plugin', explorerFixture(), 'explorer.fixture.Fixture/Chat']);
    assert.equal(bidi.code, 1);
    assert.match(bidi.stderr, /only unary and server-streaming methods can be called/);
    const service = greeter(['call', '--plugin', explorerFixture(), 'explorer.fixture.Fixture', '{}']);
    assert.equal(service.code, 1);
    assert.match(service.stderr, /"explorer\.fixture\.Fixture" is a service, not a method\. Name one of its methods as explorer\.fixture\.Fixture\/METHOD, for example explorer\.fixture\.Fixture\/Echo; its methods: Echo, Count, Fail, Headers, Upload, Chat\./);
    const json = greeter(['describe', '--json', '--plugin', goGreeter(), 'tutorial.Greeter']);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /--json applies to list and inspect; describe prints proto syntax/);
    const usage = greeter(['call', '--plugin', goGreeter()]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /call takes SERVICE\/METHOD/);
    const preset = greeter(['list', '--plugin', goGreeter(), '--preset', 'consul']);
    assert.equal(preset.code, 2);
    assert.match(preset.stderr, /there is no handshake preset "consul"\. Use one of tutorial, terraform, vault/);
  });

  it('Ctrl+C (SIGINT) cancels a running stream: exit 130 (the user interrupted; the plugin did not fail), and the plugin is stopped', async () => {
    const marker = `EXPLORER_CLI_TEST=${process.pid}-${Date.now()}`;
    const child = spawn(built('dist/cli.js', 'npm run build'), ['call', '--plugin', explorerFixture(), '--timeout', '60000',
      'explorer.fixture.Fixture/Count', '{"count": 100000, "intervalMs": 20}'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EXPLORER_CLI_TEST: marker.split('=')[1] }, // the plugin inherits it
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    await new Promise<void>((resolve) => child.stdout.on('data', (c) => {
      stdout += c;
      if (stdout.split('\n').length > 3) resolve();
    }));
    assert.equal(processesWithEnv(marker).length, 2, 'the CLI and its plugin are running');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 130, stderr);
    assert.equal(stderr, '', 'nothing blames the plugin');
    assert.deepEqual(processesWithEnv(marker), [], 'the plugin process is gone');
  });
});
