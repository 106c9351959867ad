// Property tests of the stderr/hclog line parser: no line throws, every entry has a known
// level and the line as written, a timestamp is always a real date, and hclog JSON lines
// and `[LEVEL]` lines round-trip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatLogFields, parseHclogJson, StderrLogParser } from '../../src/host/log-parser';
import type { LogLevel } from '../../src/host/types';
import { fuzzParameters } from '../fuzz/runs';

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** hclog-like JSON objects with any mix of the @-keys, right or wrong. */
const hclogish = fc
  .record(
    {
      '@level': fc.oneof(fc.constantFrom(...LEVELS, 'INFO', 'Warn', 'warning', 'fatal', ''), fc.jsonValue()),
      '@message': fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue()),
      '@module': fc.oneof(fc.string(), fc.jsonValue()),
      '@timestamp': fc.oneof(
        fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.jsonValue(),
      ),
      '@caller': fc.string(),
      extra: fc.jsonValue(),
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));
const anyLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  hclogish,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.tuple(fc.constantFrom('[TRACE]', '[DEBUG]', '[INFO]', '[WARN]', '[ERROR]', '[info]', 'panic: ', 'fatal error: ', '{'), fc.string({ unit: 'binary' })).map(([a, b]) => a + b),
);

test('no stderr line throws; every entry has a known level, the raw line, and a real date if any', () => {
  fc.assert(
    fc.property(fc.array(anyLine, { minLength: 1, maxLength: 5 }), (lines) => {
      const parser = new StderrLogParser();
      for (const line of lines) {
        const entry = parser.parseLine(line);
        assert.ok(LEVELS.includes(entry.level), `level ${entry.level}`);
        assert.equal(entry.raw, line);
        assert.equal(typeof entry.message, 'string');
        if (entry.timestamp !== undefined) assert.ok(!Number.isNaN(entry.timestamp.getTime()), `Invalid Date from ${line}`);
        assert.equal(typeof formatLogFields(entry.fields), 'string');
      }
    }),
    fuzzParameters(),
  );
});

/** Keys hclog writes for its own fields; user fields are anything else. */
const RESERVED = new Set(['@level', '@message', '@module', '@timestamp']);

/** hclog's JSON time layout 2006-01-02T15:04:05.000000Z07:00 for a date, in UTC or at an offset. */
function hclogTime(d: Date, offsetMinutes: number): string {
  const local = new Date(d.getTime() + offsetMinutes * 60_000);
  const iso = local.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const micros = `${iso.slice(20, 23)}000`;
  const zone = offsetMinutes === 0 ? 'Z' : `${offsetMinutes > 0 ? '+' : '-'}${String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0')}:${String(Math.abs(offsetMinutes) % 60).padStart(2, '0')}`;
  return `${iso.slice(0, 19)}.${micros}${zone}`;
}

const hclogEntry = fc.record({
  level: fc.constantFrom(...LEVELS),
  message: fc.string({ unit: 'binary' }),
  module: fc.option(fc.string(), { nil: undefined }),
  at: fc.option(fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), { nil: undefined }),
  offset: fc.integer({ min: -14 * 60, max: 14 * 60 }),
  fields: fc.dictionary(fc.string().filter((k) => !RESERVED.has(k)), fc.jsonValue()),
});

test('an hclog JSON line parses back to the level, message, module, time and fields it was written with', () => {
  fc.assert(
    fc.property(hclogEntry, (e) => {
      const record: Record<string, unknown> = { '@level': e.level, '@message': e.message, ...e.fields };
      if (e.module !== undefined) record['@module'] = e.module;
      if (e.at !== undefined) record['@timestamp'] = hclogTime(e.at, e.offset);
      const line = JSON.stringify(record);
      const parsed = parseHclogJson(line);
      assert.ok(parsed, `not recognised as hclog: ${line}`);
      assert.equal(parsed.level, e.level);
      assert.equal(parsed.message, e.message);
      assert.equal(parsed.module, e.module);
      assert.equal(parsed.timestamp?.getTime(), e.at?.getTime());
      assert.deepEqual(parsed.fields, JSON.parse(JSON.stringify(e.fields)));
      assert.equal(parsed.raw, line);
    }),
    fuzzParameters(),
  );
});

test('a `[LEVEL] message` line keeps its level and message', () => {
  fc.assert(
    fc.property(fc.constantFrom(...LEVELS), fc.string({ unit: 'binary' }), (level, message) => {
      const entry = new StderrLogParser().parseLine(`[${level.toUpperCase()}] ${message}`);
      assert.equal(entry.level, level);
      assert.equal(entry.message, message);
    }),
    fuzzParameters(),
  );
});

test('a timestamp in the layout that is no real time makes the line plain text, as go-plugin (time.Parse) does', () => {
  for (const at of ['0000-00-00T00:00:00.000000Z', '2024-13-01T00:00:00.000000Z', '2024-04-31T00:00:00.000000Z', '2023-02-29T00:00:00.000000Z', '1900-02-29T00:00:00.000000Z', '2024-06-00T00:00:00.000000Z', '2024-01-01T24:00:00.000000Z', '2024-01-01T00:60:00.000000Z', '2024-01-01T00:00:00.000000+25:00']) {
    assert.equal(parseHclogJson(JSON.stringify({ '@level': 'info', '@message': 'm', '@timestamp': at })), undefined, at);
  }
  assert.equal(parseHclogJson('{"@level":"info","@message":"m","@timestamp":"2024-02-29T23:59:59.999999-07:30"}')?.timestamp?.toISOString(), '2024-03-01T07:29:59.999Z');
  for (const at of ['2000-02-29T00:00:00.000000Z', '2023-12-31T23:59:59.999999+23:59', '2024-09-30T00:00:00.000000Z']) {
    assert.ok(parseHclogJson(JSON.stringify({ '@level': 'info', '@message': 'm', '@timestamp': at })), at);
  }
});
