// AutoMTLS in a runtime whose TLS cannot verify P-521 (Electron's BoringSSL, which runs
// desktop VS Code's extension host). Simulated for real: Node started with OpenSSL
// settings that lack the P-521 signature algorithms. The host must notice with its
// loopback self-test and fall back to plaintext with a clear log line, not fail obscurely.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { built, fixture, goGreeter } from '../helpers/plugins';

function cli(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [built('dist/cli.js', 'npm run build'), ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const withoutP521 = () => ({ OPENSSL_CONF: fixture('openssl/no-p521.cnf') });

describe('AutoMTLS where TLS lacks P-521', () => {
  it('falls back to a plaintext connection, says why, and the Go plugin still answers', () => {
    const greet = cli(withoutP521(), 'greet', '--verbose', '--auto-mtls', '--plugin', goGreeter(), 'Eve');
    assert.equal(greet.code, 0, greet.stderr);
    assert.equal(greet.stdout, 'hello Eve\n');
    assert.match(greet.stderr, /\[WARN\] host: AutoMTLS is off for this plugin: this runtime's TLS cannot verify the P-521 certificates/);

    const inspect = cli(withoutP521(), 'inspect', '--json', '--auto-mtls', '--plugin', goGreeter());
    const details = JSON.parse(inspect.stdout);
    assert.equal(details.tls, false);
    assert.equal(details.serverCertificateBytes, 0, 'PLUGIN_CLIENT_CERT was not sent, so the plugin sent no certificate');
    assert.match(details.tlsFallbackReason, /P-521/);
  });

  it('keeps AutoMTLS on in a normal Node runtime (the self-test passes)', () => {
    const inspect = cli({}, 'inspect', '--json', '--auto-mtls', '--plugin', goGreeter());
    const details = JSON.parse(inspect.stdout);
    assert.equal(details.tls, true);
    assert.equal(details.tlsFallbackReason, undefined);
  });
});
