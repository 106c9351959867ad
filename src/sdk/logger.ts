// hclog-compatible JSON logging on fd 2, the format go-plugin hosts parse into
// leveled log entries (PROTOCOL.md §5). The `@` fields are always strings and the
// timestamp has exactly six fractional digits, or the host treats the line as raw text.
import type { LogLevel } from '../host/types';
import { writeAllSync } from './write-sync';

/** Extra key/value pairs of one log line. */
export type LogFields = Record<string, unknown>;

/** A named, leveled logger; what plugin code uses instead of console.log. */
export interface Logger {
  readonly name: string;
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A child logger whose module is `<name>.<sub>`, as hclog's Named. */
  named(sub: string): Logger;
  /** A child logger that adds `fields` to every line, as hclog's With. */
  with(fields: LogFields): Logger;
}

/** Where and how much a logger writes. */
export interface LoggerOptions {
  /** Lowest level written. Default `trace`, like go-plugin's own plugin-side logger. */
  level?: LogLevel;
  /** Output file descriptor. Default 2 (stderr, which the host parses). */
  fd?: number;
  /** Line sink, for tests; overrides `fd`. */
  write?: (line: string) => void;
  /** Clock in microseconds since the epoch, for tests. */
  nowMicros?: () => number;
  /** Time zone offset in minutes east of UTC; default: the local zone at that instant. */
  utcOffsetMinutes?: number;
}

const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
const RESERVED = new Set(['@level', '@message', '@module', '@timestamp']);

/** Current time in microseconds since the epoch (sub-millisecond where the platform has it). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Formats a time as Go's `2006-01-02T15:04:05.000000Z07:00`, the only layout a
 * go-plugin host accepts in `@timestamp`.
 */
export function formatTimestamp(epochMicros: number, utcOffsetMinutes?: number): string {
  const ms = Math.floor(epochMicros / 1000);
  const offset = utcOffsetMinutes ?? -new Date(ms).getTimezoneOffset();
  const local = new Date(ms + offset * 60_000);
  const micros = ((epochMicros % 1_000_000) + 1_000_000) % 1_000_000;
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}`;
  const time = `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}`;
  let zone = 'Z';
  if (offset !== 0) {
    const abs = Math.abs(offset);
    zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
  }
  return `${date}T${time}.${pad(micros, 6)}${zone}`;
}

/** Turns a field value into something JSON can carry without surprises. */
function fieldValue(value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return String(value);
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return value;
}

/** One hclog JSON line (without the newline). */
export function formatLogLine(
  level: LogLevel,
  message: string,
  module: string | undefined,
  fields: LogFields,
  timestamp: string,
): string {
  const entry: Record<string, unknown> = {
    '@level': level,
    '@message': String(message),
    '@timestamp': timestamp,
  };
  if (module) entry['@module'] = module;
  for (const [key, value] of Object.entries(fields)) {
    if (!RESERVED.has(key)) entry[key] = fieldValue(value);
  }
  try {
    return JSON.stringify(entry);
  } catch {
    // Circular or otherwise unserialisable fields: keep the message, stringify the rest.
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      try {
        JSON.stringify(value);
        safe[key] = value;
      } catch {
        safe[key] = String(value);
      }
    }
    return JSON.stringify(safe);
  }
}

class JsonLogger implements Logger {
  constructor(
    readonly name: string,
    private readonly options: LoggerOptions,
    private readonly baseFields: LogFields,
  ) {}

  trace(message: string, fields?: LogFields): void { this.log('trace', message, fields); }
  debug(message: string, fields?: LogFields): void { this.log('debug', message, fields); }
  info(message: string, fields?: LogFields): void { this.log('info', message, fields); }
  warn(message: string, fields?: LogFields): void { this.log('warn', message, fields); }
  error(message: string, fields?: LogFields): void { this.log('error', message, fields); }

  named(sub: string): Logger {
    return new JsonLogger(this.name ? `${this.name}.${sub}` : sub, this.options, this.baseFields);
  }

  with(fields: LogFields): Logger {
    return new JsonLogger(this.name, this.options, { ...this.baseFields, ...fields });
  }

  private log(level: LogLevel, message: string, fields?: LogFields): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.options.level ?? 'trace']) return;
    const micros = (this.options.nowMicros ?? nowMicros)();
    const line = formatLogLine(
      level,
      message,
      this.name || undefined,
      { ...this.baseFields, ...fields },
      formatTimestamp(micros, this.options.utcOffsetMinutes),
    );
    if (this.options.write) this.options.write(line);
    else writeAllSync(this.options.fd ?? 2, line + '\n');
  }
}

/** Creates a logger that writes hclog JSON lines with `@module` = `name`. */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return new JsonLogger(name, options, {});
}
