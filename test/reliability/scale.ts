// Short variants run in `npm test`; `npm run reliability` sets RELIABILITY_LONG=1 for
// the full sizes whose figures RELIABILITY.md records.
export const LONG = process.env.RELIABILITY_LONG === '1';

/** The short size in `npm test`, the long one under `npm run reliability`. */
export function scale(short: number, long: number): number {
  return LONG ? long : short;
}

/** Megabytes, one decimal. */
export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
