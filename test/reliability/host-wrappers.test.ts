// Wrapper scripts (sh that leaves a background child, then execs the plugin): whether
// the plugin is stopped or crashes, nothing of its process group survives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { isAlive, startPlugin } from '../../src/host';
import { fixture, goGreeter, waitFor } from '../helpers/plugins';
import { tempDir } from '../helpers/temp';
import { scale } from './scale';

describe('wrapper scripts', () => {
  const rounds = scale(4, 50);
  it(`${rounds} wrapped plugins, stopped or SIGKILLed in turn, leave no background child`, async (t) => {
    const dir = tempDir('greeter-wrappers-');
    for (let i = 0; i < rounds; i++) {
      const pidFile = join(dir, `sleeper-${i}.pid`);
      const client = await startPlugin({
        path: fixture('plugins/wrapper.sh'),
        env: { FIXTURE_PID_FILE: pidFile, FIXTURE_REAL_PLUGIN: goGreeter() },
      });
      assert.equal(await greet(client, `wrapped ${i}`), `hello wrapped ${i}`);
      const sleeper = Number(readFileSync(pidFile, 'utf8'));
      if (i % 2 === 0) {
        await client.stop();
      } else {
        process.kill(client.pid!, 'SIGKILL');
        await client.exited;
        await client.stop();
      }
      await waitFor(() => !isAlive(sleeper), `background child ${sleeper} of round ${i} to be gone`);
    }
    t.diagnostic(`FIGURE wrappers: ${rounds} of ${rounds} wrapped plugins (half stopped, half SIGKILLed) left no background child`);
  });
});
