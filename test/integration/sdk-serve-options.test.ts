// serve() options seen from a host: several app protocol versions (go-plugin's
// VersionedPlugins) and a custom magic cookie, each in a real plugin process.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GreeterClient } from '../../src/proto';
import { REPO_ROOT, dialTarget, pluginEnv, runToExit, splitHandshake, startPluginProcess, unary } from './sdk-harness';

/** A plugin serving Greeter differently under app versions 1 and 2, with a custom cookie. */
const VERSIONED_PLUGIN = `require('./src/sdk').serve({
  handshake: { magicCookieKey: 'MY_COOKIE', magicCookieValue: 'v' },
  versions: Object.fromEntries([1, 2].map((v) => [v, (server) =>
    server.addService(require('./src/proto').GreeterService, { Greet: (c, cb) => cb(null, { message: 'v' + v + ' hello ' + c.request.name }) })])),
});`;
const NODE_ARGS = ['--import', 'tsx', '-e', VERSIONED_PLUGIN];

function versionedEnv(offer: string): NodeJS.ProcessEnv {
  return pluginEnv({ BASIC_PLUGIN: undefined, MY_COOKIE: 'v', PLUGIN_PROTOCOL_VERSIONS: offer });
}

async function greetUnder(offer: string): Promise<{ version: string; message: string }> {
  const plugin = await startPluginProcess(process.execPath, versionedEnv(offer), 20_000, { args: NODE_ARGS, cwd: REPO_ROOT });
  const fields = splitHandshake(plugin.handshakeLine);
  const greeter = new GreeterClient(dialTarget(fields[2], fields[3]), grpc.credentials.createInsecure());
  try {
    const reply = await unary<{ name: string }, { message: string }>(greeter, 'Greet', { name: 'Alice' });
    return { version: fields[1], message: reply.message };
  } finally {
    greeter.close();
    plugin.kill();
  }
}

describe('serve() with versioned services and a custom cookie', () => {
  test('serves the newest version the host offers, with that version\'s services', async () => {
    assert.deepEqual(await greetUnder('2,1'), { version: '2', message: 'v2 hello Alice' });
  });

  test('serves an older version when that is all the host offers', async () => {
    assert.deepEqual(await greetUnder('1'), { version: '1', message: 'v1 hello Alice' });
  });

  test('checks its own cookie, not the tutorial\'s', async () => {
    const result = await runToExit(process.execPath, pluginEnv({ PLUGIN_PROTOCOL_VERSIONS: '1' }), 20_000, { args: NODE_ARGS, cwd: REPO_ROOT });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^This binary is a plugin\. These are not meant to be executed directly\.\n/);
  });
});
