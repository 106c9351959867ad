// Plugins outlive a host killed with SIGKILL; the next host (the next activation) stops
// them through the launch registry, and never touches a pid that is now someone else.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAlive, startPlugin } from '../../src/host';
import { LaunchRegistry } from '../../src/host/launch-registry';
import { processExecutable, processStartTime, processState } from '../../src/host/proc-info';
import { fixture, goGreeter, waitFor } from '../helpers/plugins';
import { SRC, startHostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';

/** A pid no process has now: one that just ran and was reaped. */
function deadPid(): number {
  const done = spawnSync('true');
  return done.pid!;
}

/** A `sleep 300` of ours leading its own group, once it has exec'd (its executable is final). */
async function startSleeper(): Promise<{ child: ReturnType<typeof spawn>; pid: number }> {
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  const pid = child.pid!;
  await waitFor(() => processExecutable(pid) !== undefined && processExecutable(pid) !== process.execPath, 'sleep to exec');
  return { child, pid };
}

describe('launch registry', () => {
  it('records a running plugin in a file of its own owner and forgets it when it stops', async () => {
    const registryDir = tempDir('greeter-registry-');
    const client = await startPlugin({ path: goGreeter(), registry: new LaunchRegistry(registryDir) });
    assert.deepEqual(readdirSync(registryDir), [`${process.pid}-${processStartTime(process.pid)}.json`]);
    await client.stop();
    assert.deepEqual(readdirSync(registryDir), []);
  });

  it('a host SIGKILLed while its Go plugin runs: the next host stops the orphan and says so', async () => {
    const registryDir = tempDir('greeter-registry-');
    const host = startHostProcess(`
      const { startPlugin, LaunchRegistry } = require(${SRC} + '/host');
      const registry = new LaunchRegistry(${JSON.stringify(registryDir)});
      startPlugin({ path: ${JSON.stringify(goGreeter())}, registry }).then((c) => {
        console.log(JSON.stringify({ pid: c.pid, dir: require('node:path').dirname(c.info.address) }));
        setInterval(() => {}, 1000);
      });
    `);
    const { pid, dir } = (await host.firstMessage) as { pid: number; dir: string };
    const [file] = readdirSync(registryDir);
    const recorded = JSON.parse(readFileSync(join(registryDir, file), 'utf8'));
    assert.equal(recorded.owner.pid, host.child.pid);
    assert.deepEqual(
      recorded.plugins.map((p: { pid: number; executable: string }) => [p.pid, p.executable]),
      [[pid, goGreeter()]],
    );

    host.child.kill('SIGKILL');
    await host.exited;
    assert.ok(isAlive(pid), 'a Go plugin outlives a SIGKILLed host (that is why the registry exists)');

    const next = startHostProcess(`
      const { LaunchRegistry } = require(${SRC} + '/host');
      const log = [];
      const report = new LaunchRegistry(${JSON.stringify(registryDir)}, { log: (m) => log.push(m) }).reapOrphans();
      console.log(JSON.stringify({ stopped: report.stopped.map((r) => r.pid), log }));
    `);
    const { stopped, log } = (await next.firstMessage) as { stopped: number[]; log: string[] };
    assert.deepEqual(stopped, [pid]);
    assert.match(log.join('\n'), new RegExp(`Stopped plugin "greeter" \\(pid ${pid}, .*\\): it was still running after the editor process that started it \\(pid ${host.child.pid}\\)`));
    await waitFor(() => !isAlive(pid), `orphan ${pid} to be stopped`);
    assert.equal(existsSync(dir), false, "the orphan's socket directory is removed too");
    assert.deepEqual(readdirSync(registryDir), [], 'the dead owner\'s record is gone');
  });

  it('a recorded pid now used by another process is left alone (start time or executable differ)', async () => {
    const registryDir = tempDir('greeter-registry-');
    const { child: sleeper, pid } = await startSleeper();
    try {
      const owner = deadPid();
      writeFileSync(
        join(registryDir, `${owner}-12345.json`),
        JSON.stringify({
          owner: { pid: owner, startTime: '12345' },
          plugins: [
            { name: 'reused-pid', pid, startTime: String(Number(processStartTime(pid)) - 1), executable: processExecutable(pid) },
            { name: 'other-exe', pid, startTime: processStartTime(pid), executable: goGreeter() },
          ],
        }),
      );
      const log: string[] = [];
      const report = new LaunchRegistry(registryDir, { log: (m) => log.push(m) }).reapOrphans();
      assert.deepEqual(report.stopped, []);
      assert.deepEqual(
        report.leftAlone.map((l) => [l.record.name, l.reason]),
        [
          ['reused-pid', 'the pid now belongs to another process (its start time differs)'],
          ['other-exe', `the pid now runs another executable (${processExecutable(pid)})`],
        ],
      );
      assert.ok(isAlive(pid), 'the unrelated process was signalled');
      assert.match(log.join('\n'), new RegExp(`Left pid ${pid} alone`));
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('a plugin behind a wrapper script that execs it is recorded with the executable it runs after its handshake', async () => {
    const registryDir = tempDir('greeter-registry-');
    const dir = tempDir('greeter-wrapper-');
    const wrapper = join(dir, 'run-greeter');
    writeFileSync(wrapper, `#!/bin/sh\nexec '${goGreeter()}' "$@"\n`, { mode: 0o755 });
    const client = await startPlugin({ path: wrapper, registry: new LaunchRegistry(registryDir) });
    try {
      const [file] = readdirSync(registryDir);
      const recorded = JSON.parse(readFileSync(join(registryDir, file), 'utf8'));
      // Recorded as the shell, a later reap would take the running greeter for another process and leave it.
      assert.deepEqual(recorded.plugins.map((p: { pid: number; executable: string }) => [p.pid, p.executable]), [[client.pid, goGreeter()]]);
    } finally {
      await client.stop();
    }
  });

  it('a plugin recorded before a wrapper exec\'d it (host SIGKILLed during the start) is still recognised by pid and start time', async () => {
    const registryDir = tempDir('greeter-registry-');
    const { child: orphan, pid } = await startSleeper();
    try {
      const owner = deadPid();
      writeFileSync(join(registryDir, `${owner}-12345.json`), JSON.stringify({
        owner: { pid: owner, startTime: '12345' },
        bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
        plugins: [{ name: 'wrapped', pid, startTime: processStartTime(pid), executable: '/bin/sh' }], // recorded before the exec
      }));
      const report = new LaunchRegistry(registryDir).reapOrphans();
      assert.deepEqual(report.stopped.map((r) => r.pid), [pid]);
      await waitFor(() => !isAlive(pid), `orphan ${pid} to be stopped`);
    } finally {
      orphan.kill('SIGKILL');
    }
  });

  it('records from before a reboot are dropped without touching any process (start times count from boot)', async () => {
    const registryDir = tempDir('greeter-registry-');
    const { child: sleeper, pid } = await startSleeper();
    try {
      const owner = deadPid();
      const file = join(registryDir, `${owner}-12345.json`);
      // The same pid, start time and executable as a process of this boot: only the boot id tells them apart.
      writeFileSync(file, JSON.stringify({
        owner: { pid: owner, startTime: '12345' },
        bootId: 'a-boot-before-this-one',
        plugins: [{ name: 'old-boot', pid, startTime: processStartTime(pid), executable: processExecutable(pid) }],
      }));
      const report = new LaunchRegistry(registryDir).reapOrphans();
      assert.deepEqual(report.stopped, []);
      assert.ok(isAlive(pid), 'a process of this boot was taken for a plugin of the last one');
      assert.equal(existsSync(file), false);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('a host SIGKILLed between its plugin\'s exit and the clean-up: the next host removes the socket directory', async () => {
    const registryDir = tempDir('greeter-registry-');
    const host = startHostProcess(`
      const { startPlugin, LaunchRegistry } = require(${SRC} + '/host');
      const registry = new LaunchRegistry(${JSON.stringify(registryDir)});
      startPlugin({ path: ${JSON.stringify(goGreeter())}, registry }).then((c) => {
        // Dies the moment the plugin's exit is known, before the socket directory is removed.
        c.exited.then(() => process.kill(process.pid, 'SIGKILL'));
        console.log(JSON.stringify({ pid: c.pid, dir: require('node:path').dirname(c.info.address) }));
        setInterval(() => {}, 1000);
      });
    `);
    const { pid, dir } = (await host.firstMessage) as { pid: number; dir: string };
    process.kill(pid, 'SIGKILL');
    await host.exited;
    assert.ok(existsSync(dir), 'the directory outlived the SIGKILLed host');
    new LaunchRegistry(registryDir).reapOrphans();
    assert.equal(existsSync(dir), false, "the plugin's socket directory is removed by the next host");
    assert.deepEqual(readdirSync(registryDir), []);
  });

  it('a host SIGKILLed, then its plugin\'s leader gone: what the plugin left in its group is stopped by the next host', async () => {
    const registryDir = tempDir('greeter-registry-');
    const pidFile = join(tempDir('greeter-wrapper-'), 'background.pid');
    const host = startHostProcess(`
      const { startPlugin, LaunchRegistry } = require(${SRC} + '/host');
      const registry = new LaunchRegistry(${JSON.stringify(registryDir)});
      const env = { FIXTURE_REAL_PLUGIN: ${JSON.stringify(goGreeter())}, FIXTURE_PID_FILE: ${JSON.stringify(pidFile)} };
      startPlugin({ path: ${JSON.stringify(fixture('plugins/wrapper.sh'))}, env, registry }).then((c) => {
        console.log(JSON.stringify({ pid: c.pid }));
        setInterval(() => {}, 1000);
      });
    `);
    const { pid } = (await host.firstMessage) as { pid: number };
    const background = Number(readFileSync(pidFile, 'utf8'));
    host.child.kill('SIGKILL');
    await host.exited;
    process.kill(pid, 'SIGKILL'); // the leader goes; the wrapper's background sleep stays in its group
    await waitFor(() => !isAlive(pid), `leader ${pid} to be gone (reaped by init)`);
    assert.ok(isAlive(background) && processState(background) !== 'Z', 'the background process outlived its leader');

    const log: string[] = [];
    new LaunchRegistry(registryDir, { log: (m) => log.push(m) }).reapOrphans();
    await waitFor(() => !isAlive(background) || processState(background) === 'Z', `background process ${background} to be stopped`);
    assert.match(log.join('\n'), new RegExp(`Stopped 1 process\\(es\\) left by plugin "wrapper.sh" \\(pid ${pid}, gone\\).*: ${background}\\.`));
  });

  it("a live window's records are not touched by another window", async () => {
    const registryDir = tempDir('greeter-registry-');
    const { child: sleeper, pid } = await startSleeper();
    try {
      // The owner is this test process, alive: its plugin is not an orphan.
      writeFileSync(
        join(registryDir, `${process.ppid}-${processStartTime(process.ppid)}.json`),
        JSON.stringify({
          owner: { pid: process.ppid, startTime: processStartTime(process.ppid) },
          plugins: [{ name: 'live', pid, startTime: processStartTime(pid), executable: processExecutable(pid) }],
        }),
      );
      const report = new LaunchRegistry(registryDir).reapOrphans();
      assert.deepEqual(report, { stopped: [], leftAlone: [] });
      assert.ok(isAlive(pid));
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
