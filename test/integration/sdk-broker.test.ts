// The SDK's broker against a host written with raw grpc-js over real Unix sockets:
// the plugin serves a brokered id the host dials, dials an id the host serves, and
// waits 5 s at most for a ConnInfo, with and without AutoMTLS.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BrokerClient, BrokerService, GreeterClient, GreeterService, type ConnInfo, type Greeting, type Person } from '../../src/proto';
import { PluginSideBroker, createLogger, generateCertificate } from '../../src/sdk';
import { bindPluginListener } from '../../src/sdk/listener';
import { TLS_CHANNEL_OPTIONS, dialTarget, unary } from './sdk-harness';

const quiet = createLogger('broker-test', { write: () => {} });

function greeterNamed(who: string): grpc.UntypedServiceImplementation {
  return {
    Greet: (call: grpc.ServerUnaryCall<Person, Greeting>, cb: grpc.sendUnaryData<Greeting>) =>
      cb(null, { message: `${who} greets ${call.request.name}` }),
  };
}

for (const autoMTLS of [false, true]) {
  describe(`PluginSideBroker, AutoMTLS ${autoMTLS ? 'on' : 'off'}`, () => {
    test('serves and dials brokered ids over the host\'s StartStream', async () => {
      const hostCert = await generateCertificate();
      const pluginCert = await generateCertificate();
      const pluginServerCreds = autoMTLS
        ? grpc.ServerCredentials.createSsl(Buffer.from(hostCert.certPem), [{ cert_chain: Buffer.from(pluginCert.certPem), private_key: Buffer.from(pluginCert.keyPem) }], true)
        : grpc.ServerCredentials.createInsecure();
      const hostServerCreds = autoMTLS
        ? grpc.ServerCredentials.createSsl(Buffer.from(pluginCert.certPem), [{ cert_chain: Buffer.from(hostCert.certPem), private_key: Buffer.from(hostCert.keyPem) }], true)
        : grpc.ServerCredentials.createInsecure();
      const hostChannelCreds = autoMTLS
        ? grpc.credentials.createSsl(Buffer.from(pluginCert.certPem), Buffer.from(hostCert.keyPem), Buffer.from(hostCert.certPem))
        : grpc.credentials.createInsecure();
      const channelOptions = autoMTLS ? TLS_CHANNEL_OPTIONS : {};

      // The plugin side: its main server carries only the broker here.
      const broker = new PluginSideBroker(
        quiet,
        autoMTLS ? { serverCredentials: pluginServerCreds, hostCertPem: hostCert.certPem, certPem: pluginCert.certPem, keyPem: pluginCert.keyPem } : undefined,
        {},
      );
      const pluginServer = new grpc.Server();
      pluginServer.addService(BrokerService, broker.implementation());
      const main = await bindPluginListener(pluginServer, pluginServerCreds, {});

      // Accepting before the host opened the stream must queue the ConnInfo, not lose it.
      const pluginId = broker.nextId();
      assert.equal(pluginId, 1);
      const brokered = await broker.accept(pluginId, (server) => server.addService(GreeterService, greeterNamed('plugin')));

      // The host side: open StartStream as a go-plugin host does right after connecting.
      const hostBroker = new BrokerClient(dialTarget(main.network, main.address), hostChannelCreds, channelOptions);
      const stream = hostBroker.StartStream() as grpc.ClientDuplexStream<ConnInfo, ConnInfo>;
      stream.on('error', () => {});
      const announced = await new Promise<ConnInfo>((resolve) => stream.once('data', resolve));
      assert.equal(announced.service_id, pluginId);
      assert.equal(announced.network, 'unix');
      assert.equal(announced.address, brokered.address);

      const hostToPlugin = new GreeterClient(dialTarget(announced.network, announced.address), hostChannelCreds, channelOptions);
      assert.deepEqual(await unary(hostToPlugin, 'Greet', { name: 'host' }), { message: 'plugin greets host' });

      // The host serves id 1 of its own counter; the plugin dials it.
      const hostServer = new grpc.Server();
      hostServer.addService(GreeterService, greeterNamed('host'));
      const hostListener = await bindPluginListener(hostServer, hostServerCreds, {});
      const dialing = broker.dial(1);
      stream.write({ service_id: 1, network: hostListener.network, address: hostListener.address, knock: null });
      const connection = await dialing;
      const pluginToHost = connection.makeClient<grpc.Client>(GreeterClient);
      assert.deepEqual(await unary(pluginToHost, 'Greet', { name: 'plugin' }), { message: 'host greets plugin' });

      await assert.rejects(broker.dial(42, 200), { code: 'BROKER_TIMEOUT', message: /timeout waiting for connection info/ });

      connection.close();
      hostToPlugin.close();
      stream.cancel();
      hostBroker.close();
      broker.close();
      hostServer.forceShutdown();
      hostListener.cleanup();
      pluginServer.forceShutdown();
      main.cleanup();
    });
  });
}
