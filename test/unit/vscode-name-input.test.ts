// The Greet name box refuses an empty name and a name with a lone UTF-16 surrogate (it
// cannot be sent as UTF-8), and accepts any well-formed text, emoji included.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loneSurrogateIndex, validateGreetName } from '../../src/vscode/name-input';

test('an empty or blank name is refused', () => {
  assert.match(validateGreetName('') ?? '', /cannot be empty/);
  assert.match(validateGreetName('   ') ?? '', /cannot be empty/);
});

test('a lone surrogate is refused with its position', () => {
  const halfEmoji = 'Al\uD83Dice';
  const message = validateGreetName(halfEmoji);
  assert.ok(message, 'refused');
  assert.match(message, /position 3/);
  assert.match(message, /lone UTF-16 surrogate, U\+D83D/);
  assert.match(validateGreetName('\uDE00Bob') ?? '', /position 1 .*U\+DE00/, 'a trailing half first');
  assert.match(validateGreetName('Bob\uD83D') ?? '', /position 4/, 'a leading half last');
});

test('well-formed text is accepted: accents, emoji, CJK', () => {
  for (const name of ['Alice', 'Zoë', '😀 Bob', 'こんにちは', 'a\u0301']) assert.equal(validateGreetName(name), undefined, name);
});

test('the check agrees with UTF-8 encoding for any string', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      // Encoding replaces each lone surrogate with U+FFFD, so the round trip changes exactly those strings.
      const wellFormed = Buffer.from(s, 'utf8').toString('utf8') === s;
      assert.equal(loneSurrogateIndex(s) === -1, wellFormed);
    }),
    { numRuns: 2000 },
  );
});
