// App protocol version negotiation, mirroring go-plugin's protocolVersion().
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { negotiateVersion, parseOfferedVersions } from '../../src/sdk';

describe('negotiateVersion', () => {
  test('serves the only version when the host offers it', () => {
    assert.deepEqual(negotiateVersion([1], '1'), { version: 1, matched: true, offered: [1], warnings: [] });
  });

  test('picks the newest version both sides know, whatever order the host lists them in', () => {
    assert.equal(negotiateVersion([1, 2, 3], '2,1').version, 2);
    assert.equal(negotiateVersion([3, 1, 2], '1,3,2').version, 3);
    assert.equal(negotiateVersion([5, 6], '6,5,4').version, 6);
  });

  test('falls back to the plugin\'s lowest version when nothing matches, leaving the error to the host', () => {
    assert.deepEqual(negotiateVersion([3, 2], '7,8'), { version: 2, matched: false, offered: [7, 8], warnings: [] });
  });

  test('falls back to the lowest when the host sends no list (legacy hosts)', () => {
    assert.equal(negotiateVersion([4, 2, 9], undefined).version, 2);
    assert.equal(negotiateVersion([4, 2, 9], '').version, 2);
  });

  test('skips unparsable entries with go-plugin\'s complaint', () => {
    const result = negotiateVersion([1, 2], 'x,2, 1');
    assert.equal(result.version, 2);
    assert.deepEqual(result.offered, [2]);
    assert.deepEqual(result.warnings, ['server sent invalid plugin version "x"', 'server sent invalid plugin version " 1"']);
  });

  test('refuses a plugin with no versions at all', () => {
    assert.throws(() => negotiateVersion([], '1'), /no protocol versions/);
  });
});

describe('parseOfferedVersions', () => {
  test('accepts what Go\'s strconv.Atoi accepts', () => {
    assert.deepEqual(parseOfferedVersions('1,+2,-3,007').offered, [1, 2, -3, 7]);
  });

  test('rejects empty entries, spaces and decimals', () => {
    assert.deepEqual(parseOfferedVersions('1,,2 ,3.0').offered, [1]);
    assert.equal(parseOfferedVersions('1,,2 ,3.0').warnings.length, 3);
  });
});
