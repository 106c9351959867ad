// go-plugin's connection broker between our host and a Node SDK plugin, both directions,
// with and without AutoMTLS (where the roles flip: the host is the TLS server).
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { describe, it } from 'node:test';
import { greet } from '../../src/greeter';
import { isPluginError, startPlugin } from '../../src/host';
import { GreeterClient, GreeterService, type Greeting, type Person } from '../../src/proto';
import { fixture } from '../helpers/plugins';

interface GreeterStub extends grpc.Client {
  Greet(req: Person, cb: (e: grpc.ServiceError | null, r?: Greeting) => void): void;
}

for (const autoMTLS of [false, true]) {
  describe(`broker, AutoMTLS ${autoMTLS ? 'on' : 'off'}`, () => {
    it('the plugin dials a server the host accepts, and the host dials one the plugin accepts', async () => {
      const client = await startPlugin({ path: fixture('bin/broker-greeter'), autoMTLS });
      try {
        const hostId = client.broker.nextId();
        assert.equal(hostId, 1);
        await client.broker.accept(hostId, (server) =>
          server.addService(GreeterService, {
            Greet: (call: grpc.ServerUnaryCall<Person, Greeting>, cb: grpc.sendUnaryData<Greeting>) =>
              cb(null, { message: `host says hi to ${call.request.name}` }),
          }),
        );
        assert.equal(await greet(client, `dial:${hostId}`), 'via host: host says hi to from plugin');

        const accepted = await greet(client, 'accept');
        const pluginId = Number(/^accepted:(\d+)$/.exec(accepted)?.[1]);
        assert.ok(pluginId > 0, accepted);
        const channel = await client.broker.dial(pluginId);
        const stub = new (GreeterClient as unknown as new (t: string, c: grpc.ChannelCredentials, o: object) => GreeterStub)(
          'unused',
          grpc.credentials.createInsecure(),
          { channelOverride: channel },
        );
        const reply = await new Promise<Greeting>((resolve, reject) => stub.Greet({ name: 'host' }, (e, r) => (e ? reject(e) : resolve(r!))));
        assert.equal(reply.message, 'hello from brokered host');
        channel.close();

        await assert.rejects(client.broker.dial(999, 300), (e: unknown) => isPluginError(e, 'CONNECTION_FAILED') && /broker id 999/.test(e.message));

        // A dial still waiting when the plugin stops fails at once as STOPPED.
        const pending = assert.rejects(client.broker.dial(998), (e: unknown) => isPluginError(e, 'STOPPED'));
        await client.stop();
        await pending;
      } finally {
        await client.stop();
      }
    });
  });
}
