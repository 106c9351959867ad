// AutoMTLS on the plugin side: a certificate made from go-plugin's generateCert
// template (mtls.go), and server credentials that pin the host's certificate
// from PLUGIN_CLIENT_CERT (PROTOCOL.md §4).
import * as grpc from '@grpc/grpc-js';
import * as crypto from 'node:crypto';
import { generateCertificate, type CertificateAndKey, type Curve } from '../host/certificate';
import { SdkError } from './errors';

/** Curves a certificate can use. P-521 is go-plugin's; P-256 suits BoringSSL hosts (Electron, Bun, grpcio). */
export type CertificateCurve = Curve;

/** A freshly generated certificate and its key, in the forms grpc-js and the handshake need. */
export type GeneratedCertificate = CertificateAndKey;

/** Field 6 of the handshake: the DER leaf in unpadded standard base64 (Go's RawStdEncoding). */
export function encodeHandshakeCert(der: Buffer): string {
  return der.toString('base64').replace(/=+$/, '');
}

/** Checks that PLUGIN_CLIENT_CERT holds at least one parsable PEM certificate. */
export function isParsableCertificatePem(value: string): boolean {
  try {
    new crypto.X509Certificate(value);
    return true;
  } catch {
    return false;
  }
}

/** Everything AutoMTLS produces: server credentials plus the handshake's cert field. */
export interface AutoMtls {
  credentials: grpc.ServerCredentials;
  certificate: GeneratedCertificate;
  /** The host's certificate (PEM) that every peer must present. */
  hostCertPem: string;
}

/** Sets up mutual TLS that trusts exactly the host certificate given in PLUGIN_CLIENT_CERT. */
export async function setUpAutoMtls(hostCertPem: string, curve: CertificateCurve = 'P-521'): Promise<AutoMtls> {
  if (!isParsableCertificatePem(hostCertPem)) {
    // go-plugin's wording; it is only logged there, but serving would fail every handshake.
    throw new SdkError('TLS_SETUP_FAILED', 'client cert provided but failed to parse', hostCertPem);
  }
  let certificate: GeneratedCertificate;
  try {
    certificate = await generateCertificate(curve);
  } catch (err) {
    throw new SdkError('TLS_SETUP_FAILED', `failed to generate server certificate: ${(err as Error).message}`);
  }
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(hostCertPem),
    [{ cert_chain: Buffer.from(certificate.certPem), private_key: Buffer.from(certificate.keyPem) }],
    true,
  );
  return { credentials, certificate, hostCertPem };
}
