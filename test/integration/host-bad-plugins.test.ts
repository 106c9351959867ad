// Bad plugins and bad input, each driven by a real file or a real plugin: what the user
// reads must say what is wrong, and nothing is run or left behind.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { isPluginError, startPlugin, type LaunchOptions, type PluginErrorCode } from '../../src/host';
import { fixture, goGreeter, processesWithEnv } from '../helpers/plugins';
import { tempDir } from '../helpers/temp';

// A private TMPDIR, so the check for left-over socket directories sees only this file's.
process.env.TMPDIR = tempDir('greeter-bad-plugins-');

async function refused(options: LaunchOptions, code: PluginErrorCode, ...patterns: RegExp[]): Promise<void> {
  const mark = `${process.pid}-${Math.random()}`;
  await assert.rejects(
    startPlugin({ name: 'bad', startTimeoutMs: 5000, ...options, env: { ...options.env, FIXTURE_MARK: mark } }),
    (e: unknown) => {
      assert.ok(isPluginError(e), `expected a PluginError, got ${e}`);
      assert.equal(e.code, code, e.describe());
      for (const p of patterns) assert.match(e.describe(), p);
      return true;
    },
  );
  assert.deepEqual(readdirSync(process.env.TMPDIR!).filter((d) => d.startsWith('plugin-dir')), []);
  assert.deepEqual(processesWithEnv(`FIXTURE_MARK=${mark}`), []);
}

describe('bad plugin files', () => {
  it('a symlink loop is reported as a loop, not as a missing file', async () => {
    const dir = tempDir('greeter-loop-');
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    await refused({ path: join(dir, 'a') }, 'NOT_FOUND', /symbolic link loop/);
  });

  it('a text file with the exec bit and no "#!" is refused before exec, never run by /bin/sh', async () => {
    const ran = join(tempDir('greeter-notes-'), 'ran');
    await refused(
      { path: fixture('plugins/notes.txt'), env: { FIXTURE_RAN: ran } },
      'NOT_EXECUTABLE',
      /is a text file \(starting "These are my plugin notes, not a program\."\)/,
      /never through a shell/,
    );
    assert.equal(existsSync(ran), false, 'the shell ran the text file');
  });

  it('a "#!" line ending in a carriage return says so', async () => {
    await refused(
      { path: fixture('plugins/crlf-shebang.sh'), env: { FIXTURE_REAL_PLUGIN: goGreeter() } },
      'NOT_EXECUTABLE',
      /"#!" line .* ends with a carriage return/,
      /dos2unix/,
    );
  });

  it('a handshake naming a socket nobody listens on: the plugin announced an address where nothing answers', async () => {
    const nowhere = join(tempDir('greeter-nowhere-'), 'nobody.sock');
    await refused(
      { path: fixture('plugins/prints-line.sh'), env: { FIXTURE_LINE: `1|1|unix|${nowhere}|grpc|` } },
      'CONNECTION_FAILED',
      /announced an address where nothing answers \(unix .*nobody\.sock\)/,
    );
  });
});

describe('bad names', () => {
  it('a name with a lone UTF-16 surrogate is refused with a clear message, and the plugin keeps working', async () => {
    const client = await startPlugin({ path: goGreeter() });
    try {
      await assert.rejects(greet(client, 'Ann\uD800e'), (e: unknown) =>
        isPluginError(e, 'INVALID_ARGUMENT') && /unpaired surrogate \(\\uD800\) at position 3/.test(e.message),
      );
      await assert.rejects(greet(client, '\uDC00'), (e: unknown) => isPluginError(e, 'INVALID_ARGUMENT'));
      // A proper pair is fine.
      assert.equal(await greet(client, 'Zoë 😀'), 'hello Zoë 😀');
    } finally {
      await client.stop();
    }
  });

  it("a name over go-plugin's 4 MB receive limit is RESOURCE_EXHAUSTED with the limit explained", async () => {
    const client = await startPlugin({ path: goGreeter() });
    try {
      await assert.rejects(greet(client, 'x'.repeat(5_000_000)), (e: unknown) => {
        assert.ok(isPluginError(e, 'RESOURCE_EXHAUSTED'), String(e));
        assert.match(e.message, /larger than the 4 MB the plugin accepts/);
        assert.ok((e.cause as { code?: number })?.code === 8, 'the gRPC status is kept as cause');
        return true;
      });
      assert.equal(await greet(client, 'after'), 'hello after');
    } finally {
      await client.stop();
    }
  });
});

describe('failures that are not the plugin\'s', () => {
  it('a temp dir that cannot hold the socket directory is HOST_ERROR, not a retryable SPAWN_FAILED', async () => {
    const saved = process.env.TMPDIR;
    const notADir = join(tempDir('greeter-host-error-'), 'file');
    writeFileSync(notADir, '');
    process.env.TMPDIR = notADir;
    try {
      await assert.rejects(startPlugin({ name: 'fine', path: goGreeter() }), (e: unknown) => {
        assert.ok(isPluginError(e, 'HOST_ERROR'), String(e));
        assert.match(e.message, /failed inside the host, not in the plugin: .*ENOTDIR/);
        assert.equal((e.cause as NodeJS.ErrnoException).code, 'ENOTDIR');
        return true;
      });
    } finally {
      process.env.TMPDIR = saved;
    }
  });
});

describe('greet() errors keep their gRPC status as cause', () => {
  it('UNIMPLEMENTED and DEADLINE_EXCEEDED', async () => {
    const client = await startPlugin({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'health' } });
    try {
      await assert.rejects(greet(client, 'x'), (e: unknown) => isPluginError(e, 'UNIMPLEMENTED') && (e.cause as { code: number }).code === 12);
    } finally {
      await client.stop();
    }
    const slow = await startPlugin({ path: fixture('bin/bare-grpc'), env: { FIXTURE_GREET_DELAY_MS: '5000' } });
    try {
      await assert.rejects(greet(slow, 'x', { timeoutMs: 100 }), (e: unknown) => isPluginError(e, 'DEADLINE_EXCEEDED') && e.cause !== undefined);
    } finally {
      await slow.stop();
    }
  });
});
