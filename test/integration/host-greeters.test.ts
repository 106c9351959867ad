// Our host against the real example plugins: the Go greeter built with hashicorp/go-plugin
// and the Node greeter built on our SDK, with and without AutoMTLS.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { startPlugin } from '../../src/host';
import { assertGone, fixture, goGreeter, nodeGreeter, recordingSinks, waitFor } from '../helpers/plugins';

const plugins = [
  { label: 'Go plugin (hashicorp/go-plugin)', path: goGreeter },
  { label: 'Node SDK plugin', path: nodeGreeter },
];

for (const plugin of plugins) {
  for (const autoMTLS of [false, true]) {
    describe(`${plugin.label}, AutoMTLS ${autoMTLS ? 'on' : 'off'}`, () => {
      it('starts, answers the health check and Greet, and stops leaving nothing behind', async () => {
        const recorded = recordingSinks();
        const client = await startPlugin({ path: plugin.path(), autoMTLS, sinks: recorded.sinks });
        const socketDir = client.info.network === 'unix' ? client.info.address.replace(/\/[^/]+$/, '') : undefined;
        try {
          assert.equal(statSync(socketDir!).mode & 0o777, 0o700, 'the socket directory is private to this user');
          assert.equal(client.info.tls, autoMTLS);
          assert.equal(client.info.network, 'unix');
          assert.equal(client.info.protocolVersion, 1);
          assert.equal(client.handshake.serverCert !== undefined, autoMTLS);
          await client.ping();
          assert.equal(await greet(client, 'Alice'), 'hello Alice');
          assert.equal(await greet(client, 'Bob'), 'hello Bob');
          // The greeters print one stdout line per greet; it must reach the stdout sink (GRPCStdio).
          await waitFor(() => /Bob/.test(recorded.stdout), 'the plugin stdout line about Bob');
          // ...and their hclog logger writes one info line per greet on stderr.
          await waitFor(
            () => recorded.logs.some((e) => e.level === 'info' && JSON.stringify(e).includes('Alice')),
            'an info log line naming Alice',
          );
          // go-plugin's own debug line, with its key/value pairs as structured fields.
          const address = recorded.logs.find((e) => e.message === 'plugin address');
          assert.equal(address?.level, 'debug');
          assert.equal(address?.fields.network, 'unix');
          assert.equal(address?.fields.address, client.info.address);
          assert.ok(address?.timestamp instanceof Date);
        } finally {
          await client.stop();
        }
        assert.equal(client.isExited, true);
        assertGone(client.pid);
        assert.ok(socketDir && !existsSync(socketDir), `socket dir ${socketDir} was not removed`);
        assert.ok(recorded.lifecycle.some((l) => /^starting /.test(l.message)), 'lifecycle logs the command line');
        assert.ok(recorded.lifecycle.some((l) => /exited \(exit code 0\)/.test(l.message)), 'graceful exit via controller');
      });
    });
  }
}

describe('TCP transport', () => {
  it('connects over 127.0.0.1 when the plugin listens on TCP, with AutoMTLS verifying "localhost"', async () => {
    // A Node SDK plugin on TCP, as every go-plugin plugin is on Windows; the port range is honoured.
    for (const autoMTLS of [false, true]) {
      const client = await startPlugin({
        path: fixture('bin/tcp-greeter'),
        autoMTLS,
        minPort: 20000,
        maxPort: 20100,
      });
      try {
        assert.equal(client.info.network, 'tcp');
        const port = Number(client.info.address.split(':')[1]);
        assert.ok(port >= 20000 && port <= 20100, `port ${port} outside the range`);
        assert.equal(client.info.tls, autoMTLS);
        assert.equal(await greet(client, 'Carol'), 'hello Carol');
      } finally {
        await client.stop();
      }
      assertGone(client.pid);
    }
  });
});
