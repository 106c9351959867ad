// Stamp files make each set-up step a no-op when what it installed is still current: the
// stamp holds a fingerprint of the inputs (lockfiles, requirement lists, tool versions).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** sha256 over the given strings and the contents of the given files (a missing file counts as such). */
export function fingerprint({ files = [], strings = [] }) {
  const hash = createHash('sha256');
  for (const s of strings) hash.update(`s:${s}\0`);
  for (const f of files) hash.update(`f:${f}\0`).update(existsSync(f) ? readFileSync(f) : 'missing').update('\0');
  return hash.digest('hex');
}

/** Whether the stamp file holds exactly this fingerprint. */
export function isStamped(stampFile, value) {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === value;
}

export function writeStamp(stampFile, value) {
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, `${value}\n`);
}
