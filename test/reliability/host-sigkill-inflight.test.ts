// A plugin SIGKILLed with many Greets in flight: every call settles with a typed
// PLUGIN_EXITED error, none hangs, nothing is left behind.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { startPlugin } from '../../src/host';
import { assertGone, fixture } from '../helpers/plugins';
import { scale } from './scale';

describe('SIGKILL with calls in flight', () => {
  const inFlight = scale(200, 1000);
  it(`${inFlight} pending Greets all settle with PLUGIN_EXITED`, async (t) => {
    const client = await startPlugin({ path: fixture('bin/bare-grpc'), env: { FIXTURE_GREET_DELAY_MS: '60000' } });
    const calls = Array.from({ length: inFlight }, (_, i) => greet(client, `caller ${i}`, { timeoutMs: 120_000 }));
    const killedAt = Date.now();
    process.kill(client.pid!, 'SIGKILL');
    const results = await Promise.allSettled(calls);
    const settledMs = Date.now() - killedAt;
    const codes: Record<string, number> = {};
    for (const r of results) {
      const code = r.status === 'fulfilled' ? 'answered' : (r.reason as { code: string }).code;
      codes[code] = (codes[code] ?? 0) + 1;
    }
    assert.deepEqual(codes, { PLUGIN_EXITED: inFlight });
    await client.stop();
    assertGone(client.pid);
    assert.equal(existsSync(dirname(client.info.address)), false);
    t.diagnostic(`FIGURE sigkill-inflight: ${inFlight} calls settled as PLUGIN_EXITED ${settledMs} ms after the kill`);
  });
});
