// What one plugin's Greet calls have produced: a count, the last round-trip time and
// the newest answers. Kept apart from the supervisor, which only keeps the process.

import { HISTORY_LIMIT, type GreetingRecord, type PluginSnapshot } from './types';

/** Greet counters and history of one plugin; they survive restarts of its process. */
export class GreetStats {
  private count = 0;
  private lastLatencyMs?: number;
  private history: GreetingRecord[] = [];

  /** Adds one answered call (newest first, at most HISTORY_LIMIT kept). */
  record(record: GreetingRecord): void {
    this.count++;
    this.lastLatencyMs = record.latencyMs;
    this.history = [record, ...this.history].slice(0, HISTORY_LIMIT);
  }

  /** Forgets the history; the counters stay. */
  clearHistory(): void {
    this.history = [];
  }

  /** The snapshot fields this module owns. */
  snapshot(): Pick<PluginSnapshot, 'greetCount' | 'lastLatencyMs' | 'history'> {
    return { greetCount: this.count, lastLatencyMs: this.lastLatencyMs, history: [...this.history] };
  }
}
