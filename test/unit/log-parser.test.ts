import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLogFields, parseHclogJson, StderrLogParser } from '../../src/host';

describe('hclog JSON lines', () => {
  it('maps @level, @message, @timestamp and @module, keeping other keys as fields', () => {
    const line =
      '{"@level":"debug","@message":"plugin address","@timestamp":"2021-03-26T12:10:13.320981Z","@module":"greeter","address":"/tmp/p","network":"unix"}';
    const entry = parseHclogJson(line)!;
    assert.equal(entry.level, 'debug');
    assert.equal(entry.message, 'plugin address');
    assert.equal(entry.module, 'greeter');
    assert.equal(entry.timestamp?.toISOString(), '2021-03-26T12:10:13.320Z');
    assert.deepEqual(entry.fields, { address: '/tmp/p', network: 'unix' });
    assert.equal(entry.raw, line);
  });

  it('accepts levels case-insensitively and timestamps with an offset', () => {
    const entry = parseHclogJson('{"@level":"WARN","@message":"m","@timestamp":"2021-03-26T12:10:13.320981+02:00"}')!;
    assert.equal(entry.level, 'warn');
  });

  it('treats a JS toISOString timestamp (3 digits) as plain text, as go-plugin does', () => {
    assert.equal(parseHclogJson('{"@level":"info","@message":"m","@timestamp":"2021-03-26T12:10:13.320Z"}'), undefined);
  });

  it('treats non-string @message as plain text instead of crashing', () => {
    assert.equal(parseHclogJson('{"@level":"info","@message":42}'), undefined);
  });

  it('logs JSON without a known level as the raw line at debug', () => {
    const line = '{"level":"info","msg":"logrus style"}';
    assert.deepEqual(parseHclogJson(line), { level: 'debug', message: line, fields: {}, raw: line });
  });
});

describe('StderrLogParser', () => {
  it('reads [LEVEL] prefixes and defaults plain text to debug', () => {
    const parser = new StderrLogParser();
    assert.equal(parser.parseLine('[ERROR] disk full').level, 'error');
    assert.equal(parser.parseLine('[ERROR] disk full').message, 'disk full');
    assert.equal(parser.parseLine('[TRACE] x').level, 'trace');
    assert.equal(parser.parseLine('just text').level, 'debug');
  });

  it('logs a Go panic and everything after it at error', () => {
    const parser = new StderrLogParser();
    assert.equal(parser.parseLine('starting').level, 'debug');
    assert.equal(parser.parseLine('panic: runtime error: index out of range').level, 'error');
    assert.equal(parser.parseLine('goroutine 1 [running]:').level, 'error');
    assert.equal(parser.parseLine('\tmain.go:12 +0x1d').level, 'error');
  });

  it('does the same for fatal error:', () => {
    const parser = new StderrLogParser();
    assert.equal(parser.parseLine('fatal error: all goroutines are asleep').level, 'error');
    assert.equal(parser.parseLine('goroutine 1 [chan receive]:').level, 'error');
  });

  it('still parses JSON lines after a panic at their own level', () => {
    const parser = new StderrLogParser();
    parser.parseLine('panic: boom');
    assert.equal(parser.parseLine('{"@level":"info","@message":"m","@timestamp":"2021-03-26T12:10:13.320981Z"}').level, 'info');
  });
});

describe('formatLogFields', () => {
  it('formats key=value pairs, quoting values with spaces', () => {
    assert.equal(formatLogFields({ a: 'x', b: 'two words', n: 3 }), 'a=x b="two words" n=3');
  });
});
