// Property tests of the handshake parser: any line either parses or is refused with a
// PluginError of a handshake code that names the plugin; every valid line round-trips.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPluginError } from '../../src/host/errors';
import { parseHandshake } from '../../src/host/handshake';
import { fuzzParameters } from '../fuzz/runs';

const HANDSHAKE_CODES = new Set(['MALFORMED_HANDSHAKE', 'CORE_VERSION_MISMATCH', 'APP_VERSION_MISMATCH', 'UNSUPPORTED_PROTOCOL']);

/** Plugin names as settings allow them (anything non-empty). */
const pluginName = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
const offered = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 });

/** Field values near the ones that matter, and garbage. */
const field = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('1', '2', '0', '-1', '01', ' 1', '1 ', '99999999999999999999', 'unix', 'tcp', 'udp', 'grpc', 'netrpc', '', 'true', 'false'),
  fc.constantFrom('/tmp/plugin123', 'tmp/x', '127.0.0.1:1234', 'localhost:65535', ':80', 'host:65536', '[::1]:0', 'a:b'),
  fc.base64String({ minLength: 40, maxLength: 200 }),
);
/** Lines made of 0 to 9 `|`-separated fields, so every branch of the parser is reached. */
const fieldLine = fc.array(field, { maxLength: 9 }).map((fields) => fields.join('|'));
const anyLine = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fieldLine);

/** Calls the parser; returns the refusal, or undefined when it accepted the line. */
function refusal(line: string, name: string, versions: number[]): unknown {
  try {
    parseHandshake(line, { name, offeredVersions: versions });
    return undefined;
  } catch (err) {
    return err;
  }
}

test('no line makes the parser throw anything but a handshake PluginError that names the plugin', () => {
  fc.assert(
    fc.property(anyLine, pluginName, offered, (line, name, versions) => {
      const err = refusal(line, name, versions);
      if (err === undefined) return;
      assert.ok(isPluginError(err), `threw ${String(err)}`);
      assert.ok(HANDSHAKE_CODES.has(err.code), `code ${err.code}`);
      assert.ok(err.message.includes(`"${name}"`), `message does not name the plugin: ${err.message}`);
    }),
    fuzzParameters(),
  );
});

/** A valid handshake as a go-plugin plugin prints it, with the values it encodes. */
const validHandshake = fc
  .record({
    versions: offered,
    pick: fc.nat(),
    network: fc.constantFrom('unix' as const, 'tcp' as const),
    unixPath: fc.array(fc.stringMatching(/^[A-Za-z0-9._ -]{1,12}$/), { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
    host: fc.oneof(fc.ipV4(), fc.constant('localhost'), fc.ipV6().map((h) => `[${h}]`)),
    port: fc.integer({ min: 0, max: 65535 }),
    cert: fc.option(fc.uint8Array({ minLength: 38, maxLength: 1500 }), { nil: undefined }),
    padded: fc.boolean(),
    mux: fc.constantFrom(undefined, 'true', 'false'),
    around: fc.constantFrom('', '\n', '\r\n', '  '),
  })
  .map((h) => {
    const appVersion = h.versions[h.pick % h.versions.length]!;
    const address = h.network === 'unix' ? h.unixPath : `${h.host}:${h.port}`;
    let certField = '';
    if (h.cert) {
      certField = Buffer.from(h.cert).toString('base64');
      if (!h.padded) certField = certField.replace(/=+$/, ''); // go-plugin writes RawStdEncoding
    }
    const fields = ['1', String(appVersion), h.network, address, 'grpc', certField];
    if (h.mux !== undefined) fields.push(h.mux);
    return { ...h, line: fields.join('|') + h.around, appVersion, address };
  });

test('every valid handshake line parses back to the values it was made from', () => {
  fc.assert(
    fc.property(validHandshake, pluginName, (h, name) => {
      const parsed = parseHandshake(h.line, { name, offeredVersions: h.versions });
      assert.equal(parsed.coreVersion, 1);
      assert.equal(parsed.appVersion, h.appVersion);
      assert.equal(parsed.network, h.network);
      assert.equal(parsed.address, h.address);
      assert.equal(parsed.protocol, 'grpc');
      assert.deepEqual(parsed.serverCert ? new Uint8Array(parsed.serverCert) : undefined, h.cert);
      assert.equal(parsed.muxSupported, h.mux === undefined ? undefined : h.mux === 'true');
    }),
    fuzzParameters(),
  );
});

test('an app version the host did not offer is refused as APP_VERSION_MISMATCH, whatever else the line says', () => {
  fc.assert(
    fc.property(validHandshake, fc.integer({ min: 101, max: 1_000_000 }), pluginName, (h, other, name) => {
      const line = h.line.replace(/^1\|\d+\|/, `1|${other}|`);
      const err = refusal(line, name, h.versions);
      assert.ok(isPluginError(err, 'APP_VERSION_MISMATCH'), `got ${String(err)}`);
      assert.ok(err.message.includes(String(other)));
    }),
    fuzzParameters(),
  );
});
