// Plugin output becomes whole lines; a last line without newline is written too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../src/vscode/line-splitter';

test('chunks split mid-line become whole lines', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), 10_000);
  s.push(Buffer.from('hel'));
  s.push(Buffer.from('lo\r\nwor'));
  s.push(Buffer.from('ld\n'));
  assert.deepEqual(lines, ['hello', 'world']);
  s.flush();
  assert.deepEqual(lines, ['hello', 'world'], 'nothing pending, nothing written');
});

test('a last line without newline is written on flush', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), 10_000);
  s.push(Buffer.from('one\nfatal: no newline'));
  assert.deepEqual(lines, ['one']);
  s.flush();
  assert.deepEqual(lines, ['one', 'fatal: no newline']);
});

test('a partial line is written once the stream goes quiet', async () => {
  // The splitter's timer does not hold the process open; this one does, until the line comes.
  const keepAlive = setTimeout(() => {}, 5000);
  const written = new Promise<string>((resolve) => new LineSplitter(resolve, 20).push(Buffer.from('prompt> ')));
  assert.equal(await written, 'prompt> ');
  clearTimeout(keepAlive);
});

test('a UTF-8 character split across two chunks arrives whole', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), 10_000);
  const bytes = Buffer.from('café 😀\n', 'utf8');
  // Split inside é (2 bytes) and inside the emoji (4 bytes).
  const e = bytes.indexOf(0xc3);
  const emoji = bytes.indexOf(0xf0);
  s.push(bytes.subarray(0, e + 1));
  s.push(bytes.subarray(e + 1, emoji + 2));
  s.push(bytes.subarray(emoji + 2));
  assert.deepEqual(lines, ['café 😀']);
});

test('a flush in the middle of a character writes U+FFFD, and the next line starts clean', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), 10_000);
  s.push(Buffer.from([0x61, 0xc3]));
  s.flush();
  s.push(Buffer.from('b\n'));
  assert.deepEqual(lines, ['a\uFFFD', 'b']);
});
