// The plugin's first impressions: the cookie check, the handshake line, the port range.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MISCONFIGURED_COOKIE_MESSAGE, NOT_A_PLUGIN_MESSAGE, TUTORIAL_HANDSHAKE, checkMagicCookie, formatHandshakeLine } from '../../src/sdk';
import { portRange } from '../../src/sdk/listener';

describe('checkMagicCookie', () => {
  test('passes with the tutorial cookie', () => {
    assert.equal(checkMagicCookie(TUTORIAL_HANDSHAKE, { BASIC_PLUGIN: 'hello' }), undefined);
  });

  test('answers a missing or wrong cookie with go-plugin\'s exact text', () => {
    const expected =
      'This binary is a plugin. These are not meant to be executed directly.\n' +
      'Please execute the program that consumes these plugins, which will\n' +
      'load any plugins automatically\n';
    assert.equal(NOT_A_PLUGIN_MESSAGE, expected);
    assert.equal(checkMagicCookie(TUTORIAL_HANDSHAKE, {}), expected);
    assert.equal(checkMagicCookie(TUTORIAL_HANDSHAKE, { BASIC_PLUGIN: 'Hello' }), expected);
  });

  test('reports a plugin configured without a cookie', () => {
    assert.equal(checkMagicCookie({ magicCookieKey: '', magicCookieValue: 'x' }, {}), MISCONFIGURED_COOKIE_MESSAGE);
    assert.match(MISCONFIGURED_COOKIE_MESSAGE, /^Misconfigured ServeConfig given to serve this plugin: no magic cookie\n/);
  });
});

describe('formatHandshakeLine', () => {
  test('writes six fields with an empty certificate field, like a Go plugin', () => {
    assert.equal(
      formatHandshakeLine({ appVersion: 1, network: 'unix', address: '/tmp/plugin2574164733' }),
      '1|1|unix|/tmp/plugin2574164733|grpc|\n',
    );
  });

  test('carries the certificate in field 6', () => {
    assert.equal(formatHandshakeLine({ appVersion: 5, network: 'tcp', address: '127.0.0.1:10000', serverCert: 'MIIC' }), '1|5|tcp|127.0.0.1:10000|grpc|MIIC\n');
  });

  test('adds |false only when the host asked about multiplexing', () => {
    assert.equal(formatHandshakeLine({ appVersion: 1, network: 'unix', address: '/s', muxRequested: true }), '1|1|unix|/s|grpc||false\n');
  });
});

describe('portRange', () => {
  test('reads PLUGIN_MIN_PORT and PLUGIN_MAX_PORT, unset meaning 0', () => {
    assert.deepEqual(portRange({ PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '25000' }), { min: 10000, max: 25000 });
    assert.deepEqual(portRange({}), { min: 0, max: 0 });
  });

  test('uses go-plugin\'s error texts', () => {
    assert.throws(() => portRange({ PLUGIN_MIN_PORT: '30', PLUGIN_MAX_PORT: '20' }), {
      code: 'BAD_PORT_RANGE',
      message: 'PLUGIN_MIN_PORT value of 30 is greater than PLUGIN_MAX_PORT value of 20',
    });
    assert.throws(() => portRange({ PLUGIN_MIN_PORT: 'abc' }), {
      message: 'Couldn\'t get value from PLUGIN_MIN_PORT: strconv.ParseInt: parsing "abc": invalid syntax',
    });
  });
});
