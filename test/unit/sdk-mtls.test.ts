// The AutoMTLS certificate follows go-plugin's generateCert template (mtls.go), and
// field 6 carries it in unpadded base64, the only form a Go host decodes.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { before, describe, test } from 'node:test';
import { encodeHandshakeCert, generateCertificate } from '../../src/sdk';

describe('generateCertificate', () => {
  let generated: Awaited<ReturnType<typeof generateCertificate>>;
  let cert: crypto.X509Certificate;
  const now = new Date('2030-01-01T00:00:00Z');

  before(async () => {
    generated = await generateCertificate('P-521', now);
    cert = new crypto.X509Certificate(generated.certPem);
  });

  test('is a self-signed P-521 CA for localhost', () => {
    assert.equal(cert.subject, 'CN=localhost\nO=HashiCorp');
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.subjectAltName, 'DNS:localhost');
    assert.equal(cert.ca, true);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'secp521r1');
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
    assert.ok(cert.checkPrivateKey(crypto.createPrivateKey(generated.keyPem)));
  });

  test('allows both server and client authentication', () => {
    assert.deepEqual([...(cert.keyUsage ?? [])].sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  test('is valid from 30 s before now for about 30 years', () => {
    assert.equal(new Date(cert.validFrom).getTime(), now.getTime() - 30_000);
    assert.equal(new Date(cert.validTo).getTime(), now.getTime() + 262_980 * 3600 * 1000);
  });

  test('has a fresh positive serial each time', async () => {
    const other = new crypto.X509Certificate((await generateCertificate('P-521', now)).certPem);
    assert.notEqual(other.serialNumber, cert.serialNumber);
    assert.ok(Number.parseInt(cert.serialNumber.slice(0, 2), 16) < 0x80);
  });

  test('can use P-256 for hosts whose TLS library lacks P-521', async () => {
    const p256 = new crypto.X509Certificate((await generateCertificate('P-256', now)).certPem);
    assert.equal(p256.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(p256.subjectAltName, 'DNS:localhost');
    assert.ok(p256.verify(p256.publicKey));
  });

  test('encodes to unpadded base64 that decodes back to the same DER', () => {
    const field = encodeHandshakeCert(generated.certDer);
    assert.doesNotMatch(field, /[=\n]/);
    assert.ok(field.length > 50);
    assert.deepEqual(Buffer.from(field, 'base64'), generated.certDer);
    assert.deepEqual(Buffer.from(field, 'base64'), cert.raw);
  });
});
