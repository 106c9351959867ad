// What the host owns it releases, exactly once, whatever the caller's code does: a
// throwing sink or exit listener, a stop() long after the plugin died.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { isAlive, startPlugin, type ExitInfo } from '../../src/host';
import { killGroupSurvivors } from '../../src/host/process-group';
import { goGreeter, waitFor } from '../helpers/plugins';
import { SRC, startHostProcess } from '../helpers/host-process';
import { recordingSignals } from '../helpers/signals';
import { tempDir } from '../helpers/temp';

describe('stop() after the plugin exited', () => {
  it('signals nothing: the group id may belong to someone else once the leader is reaped', async () => {
    const client = await startPlugin({ path: goGreeter() });
    const pid = client.pid!;
    process.kill(pid, 'SIGKILL');
    await client.exited;
    const { sent } = await recordingSignals(() => client.stop());
    assert.deepEqual(sent, [], `stop() signalled ${JSON.stringify(sent)} after the plugin was gone`);
  });
});

describe('throwing sinks and exit listeners', () => {
  it('cost only their own output: exited resolves, every listener runs, the socket directory goes', async () => {
    const boom = () => {
      throw new Error('sink bug');
    };
    const client = await startPlugin({ path: goGreeter(), sinks: { log: boom, stdout: boom, stderr: boom, lifecycle: boom } });
    const dir = dirname(client.info.address);
    client.on('exit', () => {
      throw new Error('listener bug');
    });
    let secondListener: ExitInfo | undefined;
    client.on('exit', (info: ExitInfo) => (secondListener = info));
    process.kill(client.pid!, 'SIGKILL');
    assert.deepEqual(await client.exited, { code: null, signal: 'SIGKILL' });
    assert.deepEqual(secondListener, { code: null, signal: 'SIGKILL' });
    await waitFor(() => !existsSync(dir), `socket directory ${dir} to be removed`);
    await client.stop();
  });
});

describe('a socket directory that cannot be removed', () => {
  it('(EPERM: an immutable temp dir) costs a warning, never an unhandled rejection, after a crash or a stop', async () => {
    const tmp = tempDir('greeter-immutable-');
    // chattr +i makes removing entries fail even for root (EPERM), like EACCES/EBUSY would.
    const host = startHostProcess(`
      const { execFileSync } = require('node:child_process');
      const { startPlugin } = require(${SRC} + '/host');
      const warnings = [];
      (async () => {
        const client = await startPlugin({ path: ${JSON.stringify(goGreeter())}, sinks: { lifecycle: (level, m) => level === 'warn' && warnings.push(m) } });
        execFileSync('chattr', ['+i', ${JSON.stringify(tmp)}]);
        process.kill(client.pid, 'SIGKILL');
        await client.exited;
        await client.stop();
        console.log(JSON.stringify({ ok: true, warnings }));
      })();
    `, { TMPDIR: tmp });
    try {
      const message = (await host.firstMessage) as { ok: boolean; warnings: string[] };
      assert.equal((await host.exited).code, 0, host.output());
      assert.ok(message.warnings.some((w) => /could not remove the socket directory/.test(w)), JSON.stringify(message.warnings));
    } finally {
      execFileSync('chattr', ['-i', tmp]);
    }
  });
});

describe('a reaped leader\'s group number', () => {
  it('is not signalled once it leads another process: killGroupSurvivors leaves that process alone', async () => {
    // What libuv's reap-first, report-later order allows: our leader with this pid was reaped
    // and the number now leads someone else's group (here: a detached sleep of our own).
    const newcomer = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    try {
      await waitFor(() => isAlive(newcomer.pid!), 'the newcomer to run');
      const { result, sent } = await recordingSignals(async () => killGroupSurvivors(newcomer.pid!, 'SIGKILL'));
      assert.equal(result, 0);
      assert.deepEqual(sent, [], 'a process that reused the number was signalled');
      assert.ok(isAlive(newcomer.pid!));
    } finally {
      newcomer.kill('SIGKILL');
    }
  });
});
