// Tooltip text as Markdown, built without vscode so the escaping is unit-tested. Every value
// that comes from a plugin or from settings goes through escapeMarkdown, so it cannot add
// links, commands, HTML, headings or emphasis to the hover.

import type { GreetingRecord, PluginSnapshot } from '../manager';
import { formatDuration, formatLatency, formatTransport } from './format';

/** Backslash-escapes every ASCII punctuation character (CommonMark allows it for all of them) and keeps line breaks as hard breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[!-/:-@[-`{-~]/g, '\\$&')
    .replace(/\r?\n/g, '  \n');
}

/** `**Label** value` plus a hard line break. */
function row(label: string, value: string): string {
  return `**${label}** ${escapeMarkdown(value)}  \n`;
}

/**
 * Path, pid, transport, TLS, negotiated version, uptime, greet count, latency and last
 * error of one plugin.
 */
export function pluginTooltipMarkdown(s: PluginSnapshot, now = Date.now()): string {
  let md = `### ${escapeMarkdown(s.name)}\n\n`;
  md += row('State', s.state);
  md += row('Path', s.resolvedPath ?? s.entry.path);
  if (s.entry.args?.length) md += row('Args', s.entry.args.join(' '));
  if (s.entry.handshake?.preset) md += row('Handshake preset', s.entry.handshake.preset);
  const info = s.info; // present only while running
  if (info) {
    if (info.pid !== undefined) md += row('PID', String(info.pid));
    md += row('Transport', formatTransport(info));
    md += row('TLS', info.tls ? 'on (AutoMTLS)' : info.tlsFallbackReason ? `off (${info.tlsFallbackReason})` : 'off');
    const offered = s.offeredVersions;
    md += row('Protocol version', offered && offered.length > 1 ? `${info.protocolVersion} (chosen from ${offered.join(', ')})` : String(info.protocolVersion));
    md += row('Uptime', formatDuration(now - info.startedAt.getTime()));
  }
  md += row('Greetings', String(s.greetCount));
  if (s.lastLatencyMs !== undefined) md += row('Last latency', formatLatency(s.lastLatencyMs));
  if (s.crashCount > 0) md += row('Crashes', String(s.crashCount));
  if (s.restartAt && s.state === 'restarting') md += row('Restarts at', s.restartAt.toLocaleTimeString());
  const err = s.configError ?? s.lastError;
  if (err) {
    md += '\n---\n\n';
    md += s.configError ? '**Configuration error** ' : '**Last error** ';
    md += escapeMarkdown(`${err.message}${err.detail ? `\n${err.detail}` : ''}`);
  }
  return md;
}

/** The answer, who asked for it, how fast and when. */
export function greetingTooltipMarkdown(record: GreetingRecord): string {
  return `${escapeMarkdown(record.message)}\n\n${row('Asked for', record.name)}${row('Round trip', formatLatency(record.latencyMs))}${row('At', record.at.toLocaleString())}`;
}
