// Pure text helpers for the tree, tooltips and notifications (no vscode import, so they
// stay trivially testable).

import type { ConnectionInfo } from '../host/types';
import type { PluginSnapshot, PluginState } from '../manager';

/** "4 ms", "1.2 s": round-trip times as people read them. */
export function formatLatency(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "42 s", "3 min 5 s", "2 h 10 min": how long a plugin has been up. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "tcp 127.0.0.1:10000" or "unix /tmp/plugin123". */
export function formatTransport(info: ConnectionInfo): string {
  return `${info.network} ${info.address}`;
}

/** Words for each state, as the tree description shows them. */
const STATE_LABELS: Record<PluginState, string> = {
  stopped: 'stopped',
  starting: 'starting…',
  running: 'running',
  stopping: 'stopping…',
  restarting: 'restarting',
  failed: 'failed',
  disabled: 'disabled',
};

/** The tree item's description: the state plus the one fact that matters most in it. */
export function describeState(s: PluginSnapshot): string {
  const label = STATE_LABELS[s.state];
  switch (s.state) {
    case 'running': {
      const parts = [label];
      if (s.info?.pid !== undefined) parts.push(`pid ${s.info.pid}`);
      if (s.lastLatencyMs !== undefined) parts.push(formatLatency(s.lastLatencyMs));
      return parts.join(' · ');
    }
    case 'restarting':
      return `${label} after crash ${s.crashCount}`;
    case 'failed': {
      const err = s.configError ?? s.lastError;
      return err ? `${label}: ${firstLine(err.message)}` : label;
    }
    default:
      return label;
  }
}

/** The first line of a possibly multi-line message, cut to a readable length. */
export function firstLine(text: string, max = 120): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The text of a greeting notification: the answer, who gave it and how fast. */
export function greetingNotice(pluginName: string, message: string, latencyMs: number): string {
  return `${message} — from ${pluginName} in ${formatLatency(latencyMs)}`;
}
