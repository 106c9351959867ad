// Line splitting of a plugin's stderr/stdout: a UTF-8 character is never cut in half,
// neither between chunks nor where an over-long line is emitted in pieces.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { readLines } from '../../src/host/line-reader';

function collect(chunks: Buffer[], maxLineBytes: number): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  const done = new Promise<string[]>((resolve) => readLines(stream, (line) => lines.push(line), maxLineBytes, () => resolve(lines)));
  for (const c of chunks) stream.write(c);
  stream.end();
  return done;
}

describe('readLines', () => {
  it('keeps "é" whole when it spans two chunks', async () => {
    const bytes = Buffer.from('café au lait\n');
    assert.deepEqual(await collect([bytes.subarray(0, 4), bytes.subarray(4)], 1024), ['café au lait']);
  });

  it('keeps "é" whole when a long line is cut into pieces right inside it', async () => {
    const bytes = Buffer.from('aaaé€bb\n'); // é is bytes 3-4, € bytes 5-7
    const lines = await collect([bytes.subarray(0, 4), bytes.subarray(4, 6), bytes.subarray(6)], 4);
    assert.equal(lines.join(''), 'aaaé€bb');
    assert.ok(lines.every((l) => !l.includes('\uFFFD')), JSON.stringify(lines));
  });
});
