// The bundled CLI (dist/cli.js) as a user runs it: the tutorial's host program.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { built, goGreeter, nodeGreeter } from '../helpers/plugins';

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

  it('exits 2 with usage on a bad command line', () => {
    const r = greeter('greet', 'Alice');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--plugin PATH is required/);
    assert.match(r.stderr, /Usage:/);
  });

  it('--verbose shows the plugin log and lifecycle on stderr', () => {
    const r = greeter('greet', '--verbose', '--plugin', goGreeter(), 'Dana');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /host: starting /);
    assert.match(r.stderr, /\[DEBUG\] .*plugin address/);
  });
});
