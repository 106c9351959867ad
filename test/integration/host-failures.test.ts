// Every launch failure the host reports, each driven by a real misbehaving executable.
// Each test checks the error code, that the message names the plugin and the cause, and
// that nothing is left running.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isPluginError, startPlugin, type LaunchOptions, type PluginErrorCode } from '../../src/host';
import { sha256File } from '../../src/host/executable-check';
import { fixture, goGreeter, processesWithEnv } from '../helpers/plugins';
import { tempDir } from '../helpers/temp';

// A private TMPDIR, so the check for left-over socket directories sees only this file's.
process.env.TMPDIR = tempDir('greeter-failures-');
const scratch = tempDir('scratch-');

async function failsWith(options: LaunchOptions, code: PluginErrorCode, ...patterns: RegExp[]) {
  const before = pluginDirs();
  const mark = `${process.pid}-${Math.random()}`;
  await assert.rejects(
    startPlugin({ name: 'broken', startTimeoutMs: 5000, ...options, env: { ...options.env, FIXTURE_MARK: mark } }),
    (e: unknown) => {
      assert.ok(isPluginError(e), `expected a PluginError, got ${e}`);
      assert.equal(e.code, code, e.describe());
      assert.match(e.message, /"broken"/);
      for (const p of patterns) assert.match(e.describe(), p);
      return true;
    },
  );
  // No socket directory and no process is left behind by a failed start.
  assert.deepEqual(pluginDirs().filter((d) => !before.includes(d)), []);
  assert.deepEqual(processesWithEnv(`FIXTURE_MARK=${mark}`), []);
}

function pluginDirs(): string[] {
  return readdirSync(tmpdir()).filter((d) => d.startsWith('plugin-dir'));
}

describe('launch failures', () => {
  it('NOT_FOUND names the missing path', async () => {
    const path = join(scratch, 'no-such-plugin');
    await failsWith({ path }, 'NOT_FOUND', new RegExp(`"${path}" does not exist`));
  });

  it('IS_DIRECTORY when the path is a folder', async () => {
    await failsWith({ path: scratch }, 'IS_DIRECTORY', /is a directory/);
  });

  it('NOT_EXECUTABLE suggests chmod', async () => {
    const path = join(scratch, 'not-executable');
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o644);
    await failsWith({ path }, 'NOT_EXECUTABLE', /chmod \+x/);
  });

  it('WRONG_ARCHITECTURE for a binary built for another CPU', async () => {
    await failsWith({ path: fixture('bin/other-arch') }, 'WRONG_ARCHITECTURE', new RegExp(`this machine runs ${process.arch}`));
  });

  it('CHECKSUM_MISMATCH when sha256 differs, and a match starts normally', async () => {
    const path = goGreeter();
    await failsWith({ path, sha256: 'a'.repeat(64) }, 'CHECKSUM_MISMATCH', /settings expect a{64}/);
    const client = await startPlugin({ path, sha256: (await sha256File(path)).toUpperCase() });
    await client.stop();
  });

  it('EXITED_BEFORE_HANDSHAKE carries the tail of stderr and the exit code', async () => {
    await failsWith(
      { path: fixture('plugins/exits-early.sh') },
      'EXITED_BEFORE_HANDSHAKE',
      /exit code 3/,
      /config file \/etc\/greeter.conf not found/,
    );
  });

  it('EXITED_BEFORE_HANDSHAKE explains a magic cookie mismatch using go-plugin\'s own text', async () => {
    await failsWith(
      { path: goGreeter(), handshake: { magicCookieKey: 'OTHER_PLUGIN', magicCookieValue: 'x' } },
      'EXITED_BEFORE_HANDSHAKE',
      /magic cookie does not match/,
      /This binary is a plugin/,
    );
  });

  it('HANDSHAKE_TIMEOUT kills the silent process', async () => {
    const started = Date.now();
    await failsWith({ path: fixture('plugins/silent.sh'), startTimeoutMs: 300 }, 'HANDSHAKE_TIMEOUT', /within 300 ms/);
    assert.ok(Date.now() - started < 4500, 'the 300 ms timeout fired, not the 5 s default of these tests');
  });

  it('MALFORMED_HANDSHAKE when the plugin prints something else first', async () => {
    await failsWith(
      { path: fixture('plugins/prints-line.sh'), env: { FIXTURE_LINE: 'Listening on port 8080' } },
      'MALFORMED_HANDSHAKE',
      /Listening on port 8080/,
      /must not write to stdout before the handshake/,
    );
  });

  it('MALFORMED_HANDSHAKE at once for an empty first line, not a timeout', async () => {
    const started = Date.now();
    await failsWith({ path: fixture('plugins/prints-line.sh'), env: { FIXTURE_LINE: '' } }, 'MALFORMED_HANDSHAKE', /printed ""/);
    assert.ok(Date.now() - started < 4000, 'rejected on the line, not after the 5 s start timeout');
  });

  it('EXITED_BEFORE_HANDSHAKE with the panic when the plugin dies right after its handshake line', async () => {
    await failsWith(
      { path: fixture('plugins/dies-after-handshake.sh') },
      'EXITED_BEFORE_HANDSHAKE',
      /right after its handshake.*exit code 2/,
      /panic: could not open database/,
    );
  });

  it('TLS_FAILURE when the plugin serves a certificate other than the one in its handshake', async () => {
    await failsWith(
      { path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'greeter,health,wrong-cert' }, autoMTLS: true },
      'TLS_FAILURE',
      /mutual TLS handshake failed/,
    );
  });

  it('INVALID_OPTIONS for a start timeout setTimeout cannot honour', async () => {
    await failsWith({ path: goGreeter(), startTimeoutMs: 3_000_000_000 }, 'INVALID_OPTIONS', /start timeout must be between/);
  });

  it('CORE_VERSION_MISMATCH for core protocol 2', async () => {
    await failsWith(
      { path: fixture('plugins/prints-line.sh'), env: { FIXTURE_LINE: '2|1|unix|/tmp/x|grpc|' } },
      'CORE_VERSION_MISMATCH',
      /core protocol 2/,
    );
  });

  it('APP_VERSION_MISMATCH when the real Go plugin only speaks version 1', async () => {
    await failsWith(
      { path: goGreeter(), handshake: { protocolVersion: 2 } },
      'APP_VERSION_MISMATCH',
      /speaks app protocol version 1, but the host offered 2/,
    );
  });

  it('UNSUPPORTED_PROTOCOL rejects net/rpc plugins', async () => {
    await failsWith(
      { path: fixture('plugins/prints-line.sh'), env: { FIXTURE_LINE: '1|1|unix|/tmp/x|netrpc|' } },
      'UNSUPPORTED_PROTOCOL',
      /Only gRPC plugins are supported/,
    );
  });

  it('TLS_FAILURE when AutoMTLS is on and the plugin sends no certificate', async () => {
    await failsWith(
      { path: fixture('plugins/prints-line.sh'), env: { FIXTURE_LINE: '1|1|unix|/tmp/x|grpc|' }, autoMTLS: true },
      'TLS_FAILURE',
      /did not send a certificate/,
    );
  });

  it('TLS_FAILURE when the certificate field is not a certificate', async () => {
    const junk = Buffer.alloc(90, 1).toString('base64');
    await failsWith(
      { path: fixture('plugins/prints-line.sh'), env: { FIXTURE_LINE: `1|1|unix|/tmp/x|grpc|${junk}` }, autoMTLS: true },
      'TLS_FAILURE',
      /not a valid X.509 certificate/,
    );
  });

  it('HEALTH_FAILURE when the plugin has no health service', async () => {
    await failsWith(
      { path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'greeter' } },
      'HEALTH_FAILURE',
      /does not implement the gRPC health service/,
    );
  });

  it('HEALTH_FAILURE when the plugin reports NOT_SERVING', async () => {
    await failsWith({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'greeter,not-serving' } }, 'HEALTH_FAILURE', /NOT_SERVING/);
  });

  it('INVALID_OPTIONS for a relative path', async () => {
    await failsWith({ path: 'relative/greeter' }, 'INVALID_OPTIONS', /must be absolute/);
  });

  it('a copy of the Go plugin without the execute bit is NOT_EXECUTABLE, with it runs', async () => {
    const path = join(scratch, 'greeter-copy');
    copyFileSync(goGreeter(), path);
    chmodSync(path, 0o600);
    await failsWith({ path }, 'NOT_EXECUTABLE');
    chmodSync(path, 0o755);
    await (await startPlugin({ path })).stop();
  });
});
