// The one line a plugin prints on stdout so the host can connect (PROTOCOL.md §2).
import { CORE_PROTOCOL_VERSION } from '../host/handshake';

export { CORE_PROTOCOL_VERSION };

/** What goes into the handshake line. */
export interface HandshakeLineFields {
  appVersion: number;
  network: 'unix' | 'tcp';
  address: string;
  /** Unpadded base64 DER, only when AutoMTLS is on. */
  serverCert?: string;
  /** Whether the host asked about multiplexing (PLUGIN_MULTIPLEX_GRPC non-empty). We always answer false. */
  muxRequested?: boolean;
}

/**
 * `1|<app>|<network>|<address>|grpc|<cert>` plus `|false` only when the host asked,
 * since old hosts split into at most six fields (server.go).
 */
export function formatHandshakeLine(fields: HandshakeLineFields): string {
  const parts = [
    String(CORE_PROTOCOL_VERSION),
    String(fields.appVersion),
    fields.network,
    fields.address,
    'grpc',
    fields.serverCert ?? '',
  ];
  if (fields.muxRequested) parts.push('false');
  return parts.join('|') + '\n';
}
