// A failed host certificate generation is not remembered: the next launch tries again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHostCertificate } from '../../src/host/mtls';

describe('host certificate', () => {
  it('after one failed generation the next call generates a working certificate', async () => {
    await assert.rejects(getHostCertificate(() => Promise.reject(new Error('entropy source unavailable'))), /entropy source unavailable/);
    const cert = await getHostCertificate();
    assert.match(cert.certPem, /BEGIN CERTIFICATE/);
    assert.equal(await getHostCertificate(), cert, 'a success is generated once and reused');
  });
});
