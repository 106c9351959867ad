// A hanging Go plugin (real go-plugin) under 50 concurrent calls with a 500 ms timeout:
// every call is DEADLINE_EXCEEDED, never a "Call cancelled" plugin failure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hangingRounds } from './hanging';
import { scale } from './scale';

describe('hanging plugin', () => {
  const rounds = scale(2, 20);
  it(`50 concurrent calls x ${rounds} rounds, 500 ms timeout: all DEADLINE_EXCEEDED`, async (t) => {
    const started = Date.now();
    const outcomes = await hangingRounds(rounds);
    assert.deepEqual(outcomes, { DEADLINE_EXCEEDED: 50 * rounds });
    t.diagnostic(`FIGURE hanging: ${50 * rounds} of ${50 * rounds} DEADLINE_EXCEEDED in ${Date.now() - started} ms`);
  });
});
