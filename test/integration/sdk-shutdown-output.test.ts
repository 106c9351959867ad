// What a Node SDK plugin writes during onShutdown reaches the host (real host, real plugin).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startPlugin } from '../../src/host';
import { fixture, recordingSinks } from '../helpers/plugins';

describe('SDK shutdown', () => {
  it("delivers the plugin's stdout and stderr written during onShutdown", async () => {
    const recorded = recordingSinks();
    const client = await startPlugin({ path: fixture('bin/shutdown-writer'), sinks: recorded.sinks });
    await client.stop();
    assert.deepEqual(await client.exited, { code: 0, signal: null });
    const everything = recorded.stdout + recorded.stderr + recorded.logs.map((l) => l.raw + '\n').join('');
    for (const line of ['onShutdown: saved 3 open documents', 'onShutdown: closed the database', 'onShutdown: bye']) {
      assert.ok(everything.includes(line), `"${line}" was lost; the host got:\n${everything}`);
    }
    assert.match(recorded.stdout, /onShutdown: saved 3 open documents\n/);
  });
});
