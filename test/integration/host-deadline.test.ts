// A deadline is reported as DEADLINE_EXCEEDED even when the plugin's own deadline
// cancel reaches the host before the host's timer (real go-plugin plugin that hangs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { startPlugin } from '../../src/host';
import { fixture } from '../helpers/plugins';

export async function hangingRounds(rounds: number, concurrent = 50, timeoutMs = 500): Promise<Record<string, number>> {
  const client = await startPlugin({ path: fixture('bin/hanging-greeter') });
  const outcomes: Record<string, number> = {};
  try {
    for (let r = 0; r < rounds; r++) {
      const results = await Promise.allSettled(Array.from({ length: concurrent }, () => greet(client, 'stuck', { timeoutMs })));
      for (const result of results) {
        const key = result.status === 'fulfilled' ? 'answered' : (result.reason as { code: string }).code;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
    }
    assert.equal(await greet(client, 'quick'), 'hello quick', 'the plugin still answers');
  } finally {
    await client.stop();
  }
  return outcomes;
}

describe('hanging plugin', () => {
  it('50 concurrent calls with a 500 ms timeout all fail as DEADLINE_EXCEEDED (4 rounds)', async () => {
    assert.deepEqual(await hangingRounds(4), { DEADLINE_EXCEEDED: 200 });
  });
});
