// A plugin that floods its stderr: every line reaches the log sink as a parsed entry,
// and the host's memory grows by a small fraction of the flood.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { startPlugin } from '../../src/host';
import { fixture, goGreeter } from '../helpers/plugins';
import { mb, scale } from './scale';

const LINE = '{"@level":"info","@message":"flood line","@module":"flood","n":12345}\n';

describe('log floods', () => {
  const bytes = scale(5, 50) * 1024 * 1024;
  it(`${mb(bytes)} of hclog lines on stderr are all parsed and delivered`, async (t) => {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let lines = 0;
    const client = await startPlugin({
      path: fixture('plugins/flood.sh'),
      env: { FIXTURE_FLOOD_BYTES: String(bytes), FIXTURE_REAL_PLUGIN: goGreeter() },
      sinks: {
        log: (e) => {
          if (e.message === 'flood line' && e.module === 'flood') lines++;
          if (lines % 50_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
        },
      },
    });
    try {
      assert.equal(await greet(client, 'after the flood'), 'hello after the flood');
    } finally {
      await client.stop();
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    assert.equal(lines, Math.floor(bytes / LINE.length));
    t.diagnostic(`FIGURE flood: ${mb(bytes)} (${lines} lines) delivered; host RSS grew by at most ${mb(peakRss - rssBefore)}`);
  });
});
