import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPluginError, parseHandshake, type PluginErrorCode } from '../../src/host';
import { formatHandshakeLine } from '../../src/sdk/handshake-line';

const expect = { name: 'hello', offeredVersions: [1] };

function failsWith(line: string, code: PluginErrorCode, pattern: RegExp, offered = [1]) {
  assert.throws(
    () => parseHandshake(line, { name: 'hello', offeredVersions: offered }),
    (e: unknown) => isPluginError(e, code) && pattern.test(e.message) && e.message.includes('"hello"'),
  );
}

describe('parseHandshake', () => {
  it('parses the tutorial plugin line with an empty certificate field', () => {
    const h = parseHandshake('1|1|unix|/tmp/plugin2574164733|grpc|\n', expect);
    assert.deepEqual(h, {
      coreVersion: 1,
      appVersion: 1,
      network: 'unix',
      address: '/tmp/plugin2574164733',
      protocol: 'grpc',
      serverCert: undefined,
      muxSupported: undefined,
    });
  });

  it('decodes an unpadded base64 certificate longer than 50 characters', () => {
    const der = Buffer.alloc(100, 7);
    const field = der.toString('base64').replace(/=+$/, '');
    const h = parseHandshake(`1|5|tcp|127.0.0.1:10000|grpc|${field}`, { name: 'x', offeredVersions: [4, 5] });
    assert.equal(h.appVersion, 5);
    assert.equal(h.network, 'tcp');
    assert.deepEqual(h.serverCert, der);
  });

  it('ignores short data in the certificate field, as go-plugin does', () => {
    assert.equal(parseHandshake('1|1|unix|/tmp/p|grpc|short', expect).serverCert, undefined);
  });

  it('reads the multiplexing field and ignores extra trailing fields', () => {
    const h = parseHandshake('1|1|unix|/tmp/p|grpc||false|extra', expect);
    assert.equal(h.muxSupported, false);
  });

  it('parses what the SDK prints, with and without the multiplexing answer', () => {
    for (const muxRequested of [false, true]) {
      const line = formatHandshakeLine({ appVersion: 3, network: 'unix', address: '/tmp/p', muxRequested });
      const h = parseHandshake(line, { name: 'x', offeredVersions: [3] });
      assert.equal(h.appVersion, 3);
      assert.equal(h.address, '/tmp/p');
      assert.equal(h.muxSupported, muxRequested ? false : undefined);
    }
  });

  it('rejects stray stdout text with a message about printing before the handshake', () => {
    failsWith('Listening on port 8080', 'MALFORMED_HANDSHAKE', /must not write to stdout before the handshake/);
  });

  it('rejects a core version other than 1', () => {
    failsWith('2|1|unix|/tmp/p|grpc|', 'CORE_VERSION_MISMATCH', /core protocol 2.*rebuilt/);
  });

  it('rejects an unparsable core version', () => {
    failsWith('x|1|unix|/tmp/p|grpc|', 'MALFORMED_HANDSHAKE', /core protocol version "x"/);
  });

  it('rejects an app version the host did not offer and says which to set', () => {
    failsWith('1|2|unix|/tmp/p|grpc|', 'APP_VERSION_MISMATCH', /version 2.*offered 1.*Offer protocol version 2/);
  });

  it('rejects netrpc plugins saying only gRPC is supported', () => {
    failsWith('1|1|unix|/tmp/p|netrpc|', 'UNSUPPORTED_PROTOCOL', /Only gRPC plugins are supported/);
    failsWith('1|1|unix|/tmp/p', 'UNSUPPORTED_PROTOCOL', /net\/rpc/);
  });

  it('rejects unknown networks and malformed addresses', () => {
    failsWith('1|1|udp|/tmp/p|grpc|', 'MALFORMED_HANDSHAKE', /network "udp"/);
    failsWith('1|1|unix|relative/sock|grpc|', 'MALFORMED_HANDSHAKE', /not an absolute path/);
    failsWith('1|1|tcp|localhost|grpc|', 'MALFORMED_HANDSHAKE', /not host:port/);
  });

  it('rejects a certificate field that is not base64', () => {
    failsWith(`1|1|unix|/tmp/p|grpc|${'!'.repeat(60)}`, 'MALFORMED_HANDSHAKE', /not base64/);
  });
});
