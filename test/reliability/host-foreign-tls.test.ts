// With AutoMTLS, a client without the host's certificate is refused by the plugin: a
// plaintext client, a TLS client without a certificate, one with its own certificate.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { startPlugin } from '../../src/host';
import { generateCertificate } from '../../src/host/certificate';
import { HealthClient } from '../../src/proto';
import { goGreeter } from '../helpers/plugins';

function check(client: grpc.Client): Promise<grpc.ServiceError | null> {
  const health = client as unknown as { Check(r: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null) => void): void };
  return new Promise((resolve) => health.Check({ service: 'plugin' }, { deadline: Date.now() + 3000 }, (e) => resolve(e)));
}

describe('foreign TLS clients', () => {
  it('are refused; the host itself still gets in', async (t) => {
    const plugin = await startPlugin({ path: goGreeter(), autoMTLS: true });
    try {
      const target = `unix://${plugin.info.address}`;
      const pluginPem = Buffer.from(new X509Certificate(plugin.handshake.serverCert!).toString());
      const stranger = await generateCertificate('P-256');
      const options = { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' };
      const clients: [string, grpc.Client][] = [
        ['plaintext', new HealthClient(target, grpc.credentials.createInsecure())],
        ['TLS without a client certificate', new HealthClient(target, grpc.credentials.createSsl(pluginPem), options)],
        [
          'TLS with its own certificate',
          new HealthClient(target, grpc.credentials.createSsl(pluginPem, Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem)), options),
        ],
      ];
      for (const [what, client] of clients) {
        const err = await check(client);
        client.close();
        assert.ok(err, `${what} was let in`);
        assert.equal(err.code, grpc.status.UNAVAILABLE, `${what}: ${err.details}`);
      }
      await plugin.ping();
      t.diagnostic(`FIGURE foreign-tls: ${clients.length} of ${clients.length} foreign clients refused; the host's own connection healthy`);
    } finally {
      await plugin.stop();
    }
  });
});
