// A deadline is reported as DEADLINE_EXCEEDED even when the plugin's own deadline
// cancel reaches the host before the host's timer (real go-plugin plugin that hangs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hangingRounds } from '../reliability/hanging';

describe('hanging plugin', () => {
  it('50 concurrent calls with a 500 ms timeout all fail as DEADLINE_EXCEEDED (4 rounds)', async () => {
    assert.deepEqual(await hangingRounds(4), { DEADLINE_EXCEEDED: 200 });
  });
});
