// hclog JSON formatting: go-plugin hosts accept only string @-fields and a timestamp
// in Go's 2006-01-02T15:04:05.000000Z07:00 layout (PROTOCOL.md §5).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger, formatLogLine, formatTimestamp } from '../../src/sdk';

const GO_LAYOUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;
// 2021-03-26T12:10:13.320981Z, go-plugin's own example.
const EXAMPLE_MICROS = Date.UTC(2021, 2, 26, 12, 10, 13) * 1000 + 320_981;

describe('formatTimestamp', () => {
  test('writes six fractional digits and Z for UTC', () => {
    assert.equal(formatTimestamp(EXAMPLE_MICROS, 0), '2021-03-26T12:10:13.320981Z');
  });

  test('keeps leading zeros in the fraction', () => {
    assert.equal(formatTimestamp(Date.UTC(2021, 0, 1) * 1000 + 42, 0), '2021-01-01T00:00:00.000042Z');
  });

  test('writes local time with a ±hh:mm offset', () => {
    assert.equal(formatTimestamp(EXAMPLE_MICROS, 120), '2021-03-26T14:10:13.320981+02:00');
    assert.equal(formatTimestamp(EXAMPLE_MICROS, -330), '2021-03-26T06:40:13.320981-05:30');
  });

  test('crosses midnight with the offset', () => {
    assert.equal(formatTimestamp(Date.UTC(2021, 11, 31, 23, 30) * 1000, 60), '2022-01-01T00:30:00.000000+01:00');
  });

  test('defaults to the local zone and always matches Go\'s layout', () => {
    assert.match(formatTimestamp(Date.now() * 1000), GO_LAYOUT);
  });
});

describe('formatLogLine', () => {
  test('puts level, message, module and timestamp as strings beside the fields', () => {
    const line = JSON.parse(formatLogLine('info', 'greet called', 'greeter', { name: 'Alice', count: 2 }, 'T'));
    assert.deepEqual(line, { '@level': 'info', '@message': 'greet called', '@timestamp': 'T', '@module': 'greeter', name: 'Alice', count: 2 });
  });

  test('omits @module when unnamed, like go-plugin\'s default logger', () => {
    assert.equal('@module' in JSON.parse(formatLogLine('debug', 'm', undefined, {}, 'T')), false);
  });

  test('never lets a field replace an @-field', () => {
    const line = JSON.parse(formatLogLine('warn', 'real', 'mod', { '@message': 42, '@level': 'error', '@timestamp': 1 }, 'T'));
    assert.equal(line['@message'], 'real');
    assert.equal(line['@level'], 'warn');
    assert.equal(line['@timestamp'], 'T');
  });

  test('turns errors, bigints, buffers and undefined into JSON-safe values', () => {
    const line = JSON.parse(formatLogLine('error', 'm', undefined, { error: new Error('boom'), big: 10n, buf: Buffer.from('hi'), none: undefined }, 'T'));
    assert.equal(line.error, 'boom');
    assert.equal(line.big, '10');
    assert.equal(line.buf, 'hi');
    assert.equal(line.none, null);
  });

  test('survives circular fields', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    const line = JSON.parse(formatLogLine('info', 'm', undefined, { loop }, 'T'));
    assert.equal(line['@message'], 'm');
    assert.equal(typeof line.loop, 'string');
  });

  test('is one line even when the message has newlines', () => {
    assert.equal(formatLogLine('info', 'a\nb', undefined, {}, 'T').includes('\n'), false);
  });
});

describe('createLogger', () => {
  const capture = (level?: 'trace' | 'info') => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('greeter', { level, write: (line) => lines.push(JSON.parse(line)), nowMicros: () => EXAMPLE_MICROS, utcOffsetMinutes: 0 });
    return { logger, lines };
  };

  test('writes one hclog line per call with the module name', () => {
    const { logger, lines } = capture();
    logger.info('greet called', { name: 'Alice' });
    assert.deepEqual(lines, [
      { '@level': 'info', '@message': 'greet called', '@timestamp': '2021-03-26T12:10:13.320981Z', '@module': 'greeter', name: 'Alice' },
    ]);
  });

  test('drops lines below its level', () => {
    const { logger, lines } = capture('info');
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    assert.deepEqual(lines.map((l) => l['@level']), ['info', 'warn', 'error']);
  });

  test('named() extends the module and with() adds fields to every line', () => {
    const { logger, lines } = capture();
    const child = logger.named('stdio').with({ id: 7 });
    child.debug('one');
    child.debug('two', { extra: true });
    assert.deepEqual(lines.map((l) => [l['@module'], l.id, l.extra]), [['greeter.stdio', 7, undefined], ['greeter.stdio', 7, true]]);
  });
});
