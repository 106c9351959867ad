// Self-signed certificates in go-plugin's AutoMTLS template (mtls.go generateCert):
// CN/SAN localhost, CA bit, digital signature + key agreement + cert sign, both EKUs.
// Node can't make X.509 certificates itself; @peculiar/x509 does it over WebCrypto.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as never); // Node's WebCrypto; the lib types differ only nominally

export type Curve = 'P-256' | 'P-384' | 'P-521';

/** A certificate and its private key, PEM encoded, plus the certificate's DER bytes. */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
  certDer: Buffer;
}

const HASH_FOR_CURVE: Record<Curve, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };

/**
 * Generates a certificate both a go-plugin host and a go-plugin plugin accept as a peer.
 * P-521 is go-plugin's own choice; P-256 suits peers on BoringSSL (Electron, Bun, grpcio).
 * Used by the host (its client certificate) and by the SDK (the plugin's server certificate).
 */
export async function generateCertificate(curve: Curve = 'P-521', at: Date = new Date()): Promise<CertificateAndKey> {
  const algorithm = { name: 'ECDSA', namedCurve: curve, hash: HASH_FOR_CURVE[curve] };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = at.getTime();
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive without a DER padding byte
  if (serial[0] === 0) serial[0] = 1; // and no leading zero byte either
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: 'CN=localhost, O=HashiCorp',
    notBefore: new Date(now - 30_000),
    notAfter: new Date(now + 262_980 * 3600_000),
    signingAlgorithm: algorithm,
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
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: toPem('PRIVATE KEY', pkcs8),
    certDer: Buffer.from(cert.rawData),
  };
}

/** PEM armour for DER bytes, 64 characters per line. */
export function toPem(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
