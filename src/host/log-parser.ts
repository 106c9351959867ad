// Turns the plugin's stderr into structured log entries the way go-plugin's host does
// (client.go logStderr, log_entry.go): hclog JSON lines, `[LEVEL]` prefixes, and
// everything after a Go `panic:` / `fatal error:` at error level.
import type { LogEntry, LogLevel } from './types';

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** hclog's JSON time layout: 2006-01-02T15:04:05.000000Z07:00, six fractional digits. */
const HCLOG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}(?:Z|[+-](\d{2}):(\d{2}))$/;

/** The layout and a real time (go-plugin's time.Parse refuses month 13, April 31, hour 24). Runs on every log line: no Date objects. */
function isHclogTimestamp(text: string): boolean {
  const m = HCLOG_TIMESTAMP.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const zoneHours = m[7] === undefined ? 0 : Number(m[7]);
  const zoneMinutes = m[8] === undefined ? 0 : Number(m[8]);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    Number(m[4]) < 24 &&
    Number(m[5]) < 60 &&
    Number(m[6]) < 60 &&
    zoneHours < 24 &&
    zoneMinutes < 60
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const PREFIXED = /^\[(TRACE|DEBUG|INFO|WARN|ERROR)\]\s?(.*)$/s;

/** Parses one hclog JSON line; undefined when go-plugin would treat it as plain text. */
export function parseHclogJson(line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const { '@level': level, '@message': message, '@timestamp': timestamp, ...rest } = record;
  if (typeof message !== 'string' && message !== undefined) return undefined;
  if (timestamp !== undefined && (typeof timestamp !== 'string' || !isHclogTimestamp(timestamp))) return undefined;
  const normalizedLevel = typeof level === 'string' ? (level.toLowerCase() as LogLevel) : undefined;
  if (!normalizedLevel || !LEVELS.includes(normalizedLevel)) {
    // go-plugin logs a JSON line without a known level as the raw line at debug.
    return { level: 'debug', message: line, fields: {}, raw: line };
  }
  const module = typeof rest['@module'] === 'string' ? (rest['@module'] as string) : undefined;
  delete rest['@module'];
  return {
    level: normalizedLevel,
    message: message ?? '',
    timestamp: typeof timestamp === 'string' ? new Date(timestamp) : undefined,
    module,
    fields: rest,
    raw: line,
  };
}

/**
 * Stateful stderr interpreter: after a Go panic or fatal error, every later plain line is
 * part of the crash report and is logged at error.
 */
export class StderrLogParser {
  private panicking = false;

  parseLine(line: string): LogEntry {
    const json = parseHclogJson(line);
    if (json) return json;
    if (line.startsWith('panic: ') || line.startsWith('fatal error: ')) this.panicking = true;
    if (this.panicking) return { level: 'error', message: line, fields: {}, raw: line };
    const prefixed = PREFIXED.exec(line);
    if (prefixed) {
      return { level: prefixed[1].toLowerCase() as LogLevel, message: prefixed[2], fields: {}, raw: line };
    }
    return { level: 'debug', message: line, fields: {}, raw: line };
  }
}

/** Formats an entry's fields as hclog does: `key=value` pairs. */
export function formatLogFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? quoteIfNeeded(value) : JSON.stringify(value)}`)
    .join(' ');
}

/** Quotes a value only when it would not read back as one token. */
function quoteIfNeeded(value: string): string {
  return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
}
