// AutoMTLS (mtls.ts) as grpc-js credentials: the connection pins the plugin's certificate
// and presents ours; brokered servers the host offers do the same the other way round.
import type * as grpc from '@grpc/grpc-js';
import { grpcJs } from './grpc-js';
import type { CertificateAndKey } from './certificate';

/** Channel credentials pinning the plugin's certificate and presenting ours. */
export function mtlsCredentials(pluginCertPem: string, host: CertificateAndKey): grpc.ChannelCredentials {
  return grpcJs().credentials.createSsl(Buffer.from(pluginCertPem), Buffer.from(host.keyPem), Buffer.from(host.certPem));
}

/** Server credentials for brokered servers the host offers: the host is the TLS server then. */
export function mtlsServerCredentials(pluginCertPem: string, host: CertificateAndKey): grpc.ServerCredentials {
  return grpcJs().ServerCredentials.createSsl(
    Buffer.from(pluginCertPem),
    [{ cert_chain: Buffer.from(host.certPem), private_key: Buffer.from(host.keyPem) }],
    true,
  );
}
