// A host that dies, however it dies, takes its plugins and their socket directories
// along, and never signals a process group it no longer owns.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isAlive } from '../../src/host';
import { fixture, goGreeter, waitFor } from '../helpers/plugins';
import { SRC, startHostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';

/** A host that starts the Go greeter, prints its pid and socket dir, then does `then`. */
function hostScript(then: string): string {
  return `
    const { startPlugin } = require(${SRC} + '/host');
    const { dirname } = require('node:path');
    startPlugin({ path: ${JSON.stringify(goGreeter())} }).then((c) => {
      console.log(JSON.stringify({ pid: c.pid, dir: dirname(c.info.address) }));
      ${then}
    });
  `;
}

describe('host death removes plugins and socket directories', () => {
  const idle = 'setInterval(() => {}, 1000);';
  const cases: { how: string; then: string; signal?: NodeJS.Signals }[] = [
    { how: 'SIGTERM', then: idle, signal: 'SIGTERM' },
    { how: 'SIGINT (Ctrl-C)', then: idle, signal: 'SIGINT' },
    { how: 'SIGHUP', then: idle, signal: 'SIGHUP' },
    { how: 'process.exit()', then: 'process.exit(0);' },
    { how: 'an uncaught exception', then: "setTimeout(() => { throw new Error('boom'); }, 10);" },
  ];
  for (const { how, then, signal } of cases) {
    it(how, async () => {
      const host = startHostProcess(hostScript(then));
      const { pid, dir } = (await host.firstMessage) as { pid: number; dir: string };
      if (signal) {
        assert.ok(existsSync(dir), 'the socket directory exists while the host runs');
        host.child.kill(signal);
      }
      const exit = await host.exited;
      if (signal) assert.equal(exit.signal, signal, 'the host still dies of the signal');
      await waitFor(() => !isAlive(pid), `plugin ${pid} to be gone`, 5000);
      assert.equal(existsSync(dir), false, `socket directory ${dir} was left behind`);
    });
  }
});

describe('stale process groups', () => {
  it('a failed start leaves nothing registered: the host signals no group when it exits later', async () => {
    const log = `${tempDir('greeter-kills-')}/kills`;
    // Records every signal the host sends (and still sends it), with a mark where exit begins.
    const host = startHostProcess(`
      const fs = require('node:fs');
      const realKill = process.kill.bind(process);
      process.kill = (pid, sig) => { fs.appendFileSync(${JSON.stringify(log)}, pid + ' ' + sig + '\\n'); return realKill(pid, sig); };
      process.on('exit', () => fs.appendFileSync(${JSON.stringify(log)}, 'exit\\n'));
      const { startPlugin } = require(${SRC} + '/host');
      startPlugin({ path: ${JSON.stringify(fixture('plugins/prints-line.sh'))}, env: { FIXTURE_LINE: 'not a handshake' } })
        .catch((e) => { console.log(JSON.stringify({ code: e.code })); process.exit(0); });
    `);
    assert.deepEqual(await host.firstMessage, { code: 'MALFORMED_HANDSHAKE' });
    await host.exited;
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const atExit = lines.slice(lines.indexOf('exit') + 1);
    assert.deepEqual(atExit, [], `signals sent at exit for a plugin that was already gone: ${atExit.join(', ')}`);
  });
});
