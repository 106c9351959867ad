// Start/stop cycles leave nothing behind: no process, no socket directory, no descriptor.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { startPlugin } from '../../src/host';
import { goGreeter, processesWithEnv } from '../helpers/plugins';
import { tempDir } from '../helpers/temp';
import { scale } from './scale';

// A private TMPDIR: every socket directory of this file lands here.
process.env.TMPDIR = tempDir('greeter-cycles-');

const openFds = () => readdirSync('/proc/self/fd').length;

describe('start/stop cycles', () => {
  const cycles = scale(20, 200);
  it(`${cycles} cycles (alternating AutoMTLS) leave no process, directory or descriptor`, async (t) => {
    const mark = `FIXTURE_MARK=cycles-${process.pid}`;
    // One warm-up cycle: the first start loads modules and opens descriptors that stay.
    await (await startPlugin({ path: goGreeter(), autoMTLS: true, env: { FIXTURE_MARK: mark.split('=')[1] } })).stop();
    const fdsBefore = openFds();
    const started = Date.now();
    for (let i = 0; i < cycles; i++) {
      const client = await startPlugin({ path: goGreeter(), autoMTLS: i % 2 === 0, env: { FIXTURE_MARK: mark.split('=')[1] } });
      assert.equal(await greet(client, `cycle ${i}`), `hello cycle ${i}`);
      await client.stop();
    }
    const elapsed = Date.now() - started;
    assert.deepEqual(processesWithEnv(mark), []);
    assert.deepEqual(readdirSync(process.env.TMPDIR!), []);
    const fdsAfter = openFds();
    assert.ok(fdsAfter <= fdsBefore + 2, `descriptors grew from ${fdsBefore} to ${fdsAfter}`);
    t.diagnostic(`FIGURE cycles: ${cycles} start/greet/stop cycles in ${elapsed} ms; 0 processes, 0 directories, descriptors ${fdsBefore} -> ${fdsAfter}`);
  });
});
