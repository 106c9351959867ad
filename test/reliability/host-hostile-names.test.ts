// Hostile names against the real Go plugin: each gets a greeting or a typed error, and
// the plugin keeps answering. Random Unicode (fast-check) round-trips exactly.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { isPluginError, startPlugin } from '../../src/host';
import { goGreeter } from '../helpers/plugins';
import { scale } from './scale';

describe('hostile names', () => {
  it('fixed cases: empty, NUL, controls, bidi overrides, 1 MB, lone surrogates, 5 MB', async (t) => {
    const client = await startPlugin({ path: goGreeter() });
    try {
      for (const name of ['', '\0', 'a\u0000b', '\x1b[31mred\x1b[0m', '\u202Eevil\u202C', '😀'.repeat(1000), 'x'.repeat(1024 * 1024), '\r\n\t']) {
        assert.equal(await greet(client, name), `hello ${name}`);
      }
      for (const [name, code] of [
        ['\uD83D', 'INVALID_ARGUMENT'],
        ['ok\uDE00', 'INVALID_ARGUMENT'],
        ['y'.repeat(5 * 1024 * 1024), 'RESOURCE_EXHAUSTED'],
      ] as const) {
        await assert.rejects(greet(client, name), (e: unknown) => isPluginError(e, code));
      }
      assert.equal(await greet(client, 'still here'), 'hello still here');
    } finally {
      await client.stop();
    }
    t.diagnostic('FIGURE hostile-names: 8 accepted exactly, 3 refused with typed errors, plugin still answering');
  });

  const runs = scale(200, 5000);
  it(`${runs} random Unicode names round-trip through the Go plugin`, async (t) => {
    const client = await startPlugin({ path: goGreeter() });
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (name) => {
          assert.equal(await greet(client, name), `hello ${name}`);
        }),
        { numRuns: runs },
      );
    } finally {
      await client.stop();
    }
    t.diagnostic(`FIGURE hostile-names: ${runs} random grapheme strings round-tripped`);
  });
});
