// Rounds of concurrent Greets against the hanging Go plugin, tallied by outcome.
import assert from 'node:assert/strict';
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
