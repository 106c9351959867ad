// Property tests of settings validation: any `greeter.plugins` value VS Code can hand over
// (JSON) is checked without throwing, each problem is an INVALID_OPTIONS PluginError that
// says where it is, and every valid entry comes back exactly as written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPluginError } from '../../src/host/errors';
import type { PluginSettingsEntry } from '../../src/manager';
import { validatePluginEntries } from '../../src/manager/validate';
import { fuzzParameters } from '../fuzz/runs';

/** Keys of an entry, with typos and prototype names mixed in. */
const hex = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength, maxLength });
const key = fc.constantFrom('name', 'path', 'args', 'env', 'cwd', 'handshake', 'sha256', 'autoMTLS', 'enabled', 'Name', '__proto__', 'constructor', 'toString', '');
const handshakeish = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('protocolVersion', 'magicCookieKey', 'magicCookieValue', 'protocol', '__proto__'), fc.oneof(fc.jsonValue(), fc.integer(), fc.double())),
);
const value = fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' }), fc.array(fc.string()), fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.jsonValue())), handshakeish, hex(64, 64), fc.double());
const entryish = fc.oneof(fc.jsonValue(), fc.dictionary(key, value), fc.dictionary(fc.string(), fc.jsonValue()));

test('no settings value makes validation throw; each problem is an INVALID_OPTIONS error that says where', () => {
  fc.assert(
    fc.property(fc.array(entryish, { maxLength: 6 }), (entries) => {
      const results = validatePluginEntries(entries);
      assert.equal(results.length, entries.length);
      results.forEach((r, i) => {
        assert.equal(r.index, i);
        assert.equal(typeof r.name, 'string');
        assert.ok(r.name.length > 0, 'every entry has a name to show');
        if (r.error) {
          assert.ok(isPluginError(r.error, 'INVALID_OPTIONS'), String(r.error));
          assert.match(r.error.message, /greeter\.plugins/, 'says where the problem is');
        } else {
          assert.equal(typeof r.entry.path, 'string');
        }
      });
    }),
    fuzzParameters(),
  );
});

/** Text a user might put in a name or path: not blank, no surrounding space. */
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s !== '');
const validEntry = fc.record(
  {
    name: text,
    path: text,
    args: fc.array(fc.string()),
    env: fc.dictionary(fc.string(), fc.string()),
    cwd: text,
    handshake: fc.record(
      { protocolVersion: fc.integer({ min: 1, max: 1_000_000 }), magicCookieKey: fc.string({ minLength: 1 }), magicCookieValue: fc.string() },
      { requiredKeys: [] },
    ),
    sha256: hex(64, 64),
    autoMTLS: fc.boolean(),
    enabled: fc.boolean(),
  },
  { requiredKeys: ['name', 'path'] },
) as fc.Arbitrary<PluginSettingsEntry>;

test('valid entries with distinct names come back unchanged and without error', () => {
  fc.assert(
    fc.property(fc.uniqueArray(validEntry, { selector: (e) => e.name, maxLength: 5 }), (entries) => {
      // As VS Code hands settings over: parsed JSON.
      const json = JSON.parse(JSON.stringify(entries)) as PluginSettingsEntry[];
      const results = validatePluginEntries(json);
      results.forEach((r, i) => {
        assert.equal(r.error, undefined, r.error?.message);
        assert.equal(r.name, json[i]!.name);
        assert.deepEqual(r.entry, json[i]);
      });
    }),
    fuzzParameters(),
  );
});

test('one wrong field in a valid entry is reported naming that field', () => {
  const wrong: Record<string, fc.Arbitrary<unknown>> = {
    name: fc.constantFrom('', '   ', 1, null, true, [], {}),
    path: fc.constantFrom('', ' ', 0, null, false, ['a'], {}),
    args: fc.oneof(fc.string(), fc.constant([1]), fc.constant({}), fc.constant(null)),
    env: fc.oneof(fc.constant([]), fc.constant('A=1'), fc.constant({ A: 1 }), fc.constant(null)),
    cwd: fc.constantFrom('', ' ', 1, null),
    handshake: fc.oneof(fc.constant([]), fc.constant({ protocolVersion: 0 }), fc.constant({ protocolVersion: 1.5 }), fc.constant({ magicCookieKey: '' }), fc.constant({ cookie: 'x' })),
    sha256: fc.oneof(hex(0, 63), fc.constant('z'.repeat(64)), fc.constant(1)),
    autoMTLS: fc.constantFrom('true', 1, null),
    enabled: fc.constantFrom('false', 0, null),
  };
  fc.assert(
    fc.property(validEntry, fc.constantFrom(...Object.keys(wrong)).chain((field) => fc.tuple(fc.constant(field), wrong[field]!)), (entry, [field, bad]) => {
      const raw = { ...JSON.parse(JSON.stringify(entry)), [field]: bad };
      const [r] = validatePluginEntries([raw]);
      assert.ok(isPluginError(r!.error, 'INVALID_OPTIONS'), `accepted ${field}: ${JSON.stringify(bad)}`);
      assert.ok(r!.error.message.includes(`"${field}`) || r!.error.message.includes(`handshake.`), `${field}: ${r!.error.message}`);
    }),
    fuzzParameters(),
  );
});
