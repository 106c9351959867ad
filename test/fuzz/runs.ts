// How many inputs each property sees: a short run in `npm test`, at least 100,000 in
// `npm run fuzz` (FUZZ_RUNS overrides both). A failure prints the seed and the shrunk
// counterexample; rerun it with FUZZ_SEED=<seed> (and FUZZ_PATH=<path> to skip straight to it).

import type { Parameters } from 'fast-check';

/** Inputs per property. */
export const FUZZ_RUNS = positiveInt(process.env.FUZZ_RUNS) ?? 1000;

/** fast-check parameters for every fuzz property. */
export function fuzzParameters<T>(): Parameters<T> {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  return { numRuns: FUZZ_RUNS, ...(seed !== undefined && Number.isInteger(seed) ? { seed } : {}), ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}) };
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_RUNS must be a positive whole number, got "${text}"`);
  return n;
}
