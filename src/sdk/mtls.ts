// AutoMTLS on the plugin side: a certificate made from go-plugin's generateCert
// template (mtls.go), and server credentials that pin the host's certificate
// from PLUGIN_CLIENT_CERT (PROTOCOL.md §4).
import 'reflect-metadata'; // @peculiar/x509 uses tsyringe, which needs it at load time.
import * as x509 from '@peculiar/x509';
import * as grpc from '@grpc/grpc-js';
import * as crypto from 'node:crypto';
import { SdkError } from './errors';

// The last overload is set(key, crypto); its second parameter is the DOM Crypto type.
x509.cryptoProvider.set(crypto.webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

/** A freshly generated certificate and its key, in the forms grpc-js and the handshake need. */
export interface GeneratedCertificate {
  certPem: string;
  keyPem: string;
  /** The leaf in DER, as field 6 of the handshake carries it. */
  der: Buffer;
}

/** Curves a certificate can use. P-521 is go-plugin's; P-256 suits BoringSSL hosts (Electron, Bun, grpcio). */
export type CertificateCurve = 'P-256' | 'P-384' | 'P-521';

const SIGNING_HASH: Record<CertificateCurve, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };

const VALIDITY_MS = 262_980 * 3600 * 1000; // go-plugin: 262980h, about 30 years.

function pem(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** A random positive serial below 2^128, as go-plugin's template uses. */
function randomSerialHex(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] &= 0x7f; // Keep the DER INTEGER positive without a padding byte.
  if (bytes[0] === 0) bytes[0] = 1;
  return bytes.toString('hex');
}

/**
 * Generates a self-signed ECDSA certificate following go-plugin's template:
 * P-521 (by default), CN=localhost, O=HashiCorp, SAN DNS:localhost, CA, both EKUs,
 * valid -30 s .. +30 y.
 */
export async function generateCertificate(now: Date = new Date(), curve: CertificateCurve = 'P-521'): Promise<GeneratedCertificate> {
  const algorithm = { name: 'ECDSA', namedCurve: curve };
  const keys = (await crypto.webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as crypto.webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: 'CN=localhost, O=HashiCorp',
    notBefore: new Date(now.getTime() - 30_000),
    notAfter: new Date(now.getTime() + VALIDITY_MS),
    signingAlgorithm: { name: 'ECDSA', hash: SIGNING_HASH[curve] },
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyEncipherment |
          x509.KeyUsageFlags.keyAgreement |
          x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
    ],
  });
  const der = Buffer.from(cert.rawData);
  const pkcs8 = Buffer.from(await crypto.webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certPem: pem('CERTIFICATE', der), keyPem: pem('PRIVATE KEY', pkcs8), der };
}

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
    certificate = await generateCertificate(new Date(), curve);
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
