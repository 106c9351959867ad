import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePluginEntries, validatePluginEntry } from '../../src/manager/validate';

test('the tutorial entry { name, path } is complete', () => {
  const r = validatePluginEntry({ name: 'hello', path: '/path/to/greet' }, 0);
  assert.equal(r.error, undefined);
  assert.equal(r.name, 'hello');
  assert.equal(r.entry.path, '/path/to/greet');
});

test('a full entry with every field is valid', () => {
  const r = validatePluginEntry(
    {
      name: 'full',
      path: './bin/greeter',
      args: ['-v'],
      env: { A: 'b' },
      cwd: '/tmp',
      handshake: { protocolVersion: 2, magicCookieKey: 'K', magicCookieValue: '' },
      sha256: 'a'.repeat(64),
      autoMTLS: false,
      enabled: true,
    },
    3,
  );
  assert.equal(r.error, undefined);
});

const bad: Array<[string, unknown, RegExp]> = [
  ['not an object', 42, /greeter\.plugins\[0\] must be an object/],
  ['missing name', { path: '/x' }, /"name" is required/],
  ['empty path', { name: 'a', path: '' }, /Plugin "a" \(greeter\.plugins\[0\]\): "path" is required.*empty string/],
  ['args not strings', { name: 'a', path: '/x', args: ['ok', 3] }, /"args" must be an array of strings/],
  ['env value not string', { name: 'a', path: '/x', env: { PORT: 8080 } }, /"env\.PORT" must be a string, got number 8080/],
  ['bad sha256', { name: 'a', path: '/x', sha256: 'abc' }, /"sha256" must be 64 hex digits/],
  ['enabled not boolean', { name: 'a', path: '/x', enabled: 'yes' }, /"enabled" must be true or false/],
  ['typo in a field name', { name: 'a', path: '/x', agrs: [] }, /unknown field "agrs"/],
  ['bad protocol version', { name: 'a', path: '/x', handshake: { protocolVersion: 0 } }, /"handshake\.protocolVersion" must be a positive whole number/],
  ['unknown handshake key', { name: 'a', path: '/x', handshake: { cookie: 'x' } }, /unknown field "handshake\.cookie"/],
];

for (const [what, raw, message] of bad) {
  test(`invalid entry (${what}) becomes INVALID_OPTIONS naming entry and field`, () => {
    const r = validatePluginEntry(raw, 0);
    assert.ok(r.error, 'expected an error');
    assert.equal(r.error.code, 'INVALID_OPTIONS');
    assert.match(r.error.message, message);
    assert.match(r.error.message, /greeter\.plugins/);
  });
}

test('an entry without a usable name is named after its position', () => {
  const [r] = validatePluginEntries([{ path: '/x' }]);
  assert.equal(r!.name, 'greeter.plugins[0]');
  assert.equal(r!.error?.code, 'INVALID_OPTIONS');
});

test('duplicate names are a configuration error on that plugin, other entries stay valid', () => {
  const rs = validatePluginEntries([
    { name: 'dup', path: '/a' },
    { name: 'ok', path: '/b' },
    { name: 'dup', path: '/c' },
  ]);
  assert.equal(rs.length, 3);
  assert.equal(rs[1]!.error, undefined);
  for (const r of [rs[0]!, rs[2]!]) {
    assert.equal(r.error?.code, 'INVALID_OPTIONS');
    assert.match(r.error!.message, /Plugin "dup": 2 entries .* \(greeter\.plugins\[0\], greeter\.plugins\[2\]\)/);
  }
});
