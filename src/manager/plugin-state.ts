// The supervisor's state machine as data, so the allowed moves are visible in
// one place and a wrong move is caught instead of silently showing a bad state.

import type { PluginState } from './types';

/** For each state, the states a supervisor may move to next (staying put is always allowed). */
export const PLUGIN_STATE_TRANSITIONS: Readonly<Record<PluginState, readonly PluginState[]>> = Object.freeze({
  stopped: ['starting', 'failed', 'disabled'],
  starting: ['running', 'failed', 'restarting', 'stopped'],
  running: ['stopping', 'restarting', 'failed'],
  stopping: ['stopped'],
  restarting: ['starting', 'stopped', 'failed'],
  failed: ['starting', 'stopped', 'disabled'],
  disabled: ['stopped', 'failed'],
});

/** True when `from -> to` is a legal move. */
export function canTransition(from: PluginState, to: PluginState): boolean {
  return PLUGIN_STATE_TRANSITIONS[from].includes(to);
}
