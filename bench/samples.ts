// Raw samples per figure key and side, exactly as measured (written to the JSON file).
import type { Side } from './figures';

export type SampleSet = Record<string, Partial<Record<Side, number[]>>>;

/** Collects samples; keys are those of bench/figures.ts. */
export class Samples {
  readonly data: SampleSet = {};

  add(key: string, side: Side, ...values: number[]): void {
    const bySide = (this.data[key] ??= {});
    (bySide[side] ??= []).push(...values);
  }

  get(key: string, side: Side): number[] {
    return this.data[key]?.[side] ?? [];
  }
}
