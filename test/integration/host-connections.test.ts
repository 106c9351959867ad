// How many connections the host opens to a plugin: one of its own (node:http2) for
// go-plugin's services, Greet and the explorer; a grpc-js channel only once a program
// makes a stub with makeClient(). Counted from the plugin's side, in /proc/net/unix;
// and grpc-js itself is loaded only then.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { callMethod, loadCatalog } from '../../src/explorer';
import { greet } from '../../src/greeter';
import { startPlugin } from '../../src/host';
import { GreeterClient } from '../../src/proto';
import { goGreeter, repoRoot } from '../helpers/plugins';

/** Connected (not listening) unix sockets bound to `path`: the plugin's accepted connections. */
function acceptedConnections(path: string): number {
  const CONNECTED = '03';
  return readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .filter((line) => line.endsWith(` ${path}`) && line.trim().split(/\s+/)[5] === CONNECTED).length;
}

type GreeterStub = { Greet(req: { name: string }, cb: (e: { code: number } | null, r?: { message: string }) => void): void };
const stubGreet = (stub: GreeterStub, name: string) =>
  new Promise<{ code?: number; message?: string }>((resolve) => stub.Greet({ name }, (e, r) => resolve(e ? { code: e.code } : { message: r?.message })));

describe('connections to a plugin', () => {
  it('one for health, stdio, broker, Greet and the explorer; a second only for makeClient() stubs', async () => {
    const client = await startPlugin({ path: goGreeter() });
    try {
      assert.equal(await greet(client, 'Alice'), 'hello Alice');
      const catalog = await loadCatalog(client);
      const outcome = await callMethod(client, catalog, 'tutorial.Greeter/Greet', '{"name": "Bob"}');
      assert.deepEqual(outcome.messages, [{ message: 'hello Bob' }]);
      assert.equal(acceptedConnections(client.info.address), 1);

      const stub = client.makeClient(GreeterClient) as unknown as GreeterStub;
      assert.deepEqual(await stubGreet(stub, 'Carol'), { message: 'hello Carol' });
      assert.equal(acceptedConnections(client.info.address), 2);
    } finally {
      await client.stop();
    }
  });

  it('grpc-js is not even loaded until a program makes a stub (start, Greet, the explorer, stop)', () => {
    const script = `
      const { startPlugin } = require('./src/host');
      const { greet } = require('./src/greeter');
      const { loadCatalog, callMethod } = require('./src/explorer');
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('@grpc/grpc-js'));
      (async () => {
        const client = await startPlugin({ path: ${JSON.stringify(goGreeter())} });
        const seen = {};
        try {
          seen.greet = await greet(client, 'Alice');
          const catalog = await loadCatalog(client);
          seen.call = (await callMethod(client, catalog, 'tutorial.Greeter/Greet', '{"name": "Bob"}')).messages[0].message;
          seen.loadedBeforeStub = loaded();
          client.makeClient(require('./src/proto').GreeterClient);
          seen.loadedAfterStub = loaded();
        } finally {
          await client.stop();
        }
        process.stdout.write(JSON.stringify(seen));
      })();`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { greet: 'hello Alice', call: 'hello Bob', loadedBeforeStub: false, loadedAfterStub: true });
  });

  it('a stub made after stop() refuses calls at once instead of dialling the gone plugin', async () => {
    const client = await startPlugin({ path: goGreeter() });
    await client.stop();
    const stub = client.makeClient(GreeterClient) as unknown as GreeterStub;
    // Through the callback, as any other failed call (grpc-js alone would throw "Channel has been shut down").
    const error = await new Promise<unknown>((resolve) => stub.Greet({ name: 'Dave' }, (err) => resolve(err)));
    assert.match(String((error as { details?: string })?.details), /Plugin "greeter" was stopped/);
    assert.equal((error as { code?: number })?.code, 14, 'UNAVAILABLE');
  });
});
