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

/** One state change of one plugin, as reported to PluginManagerOptions.onTransition. */
export interface StateChange {
  from: PluginState;
  to: PluginState;
  /** False when the table above does not allow the move: a supervisor bug. */
  allowed: boolean;
}

/**
 * Holds one plugin's state and reports every change, checked against the table. A move
 * the table forbids is still made (the state must say what the process is doing) but is
 * reported with `allowed: false`, so tests fail on it and the log shows it.
 */
export class PluginStateMachine {
  private current: PluginState;

  constructor(
    private readonly report: (change: StateChange) => void,
    initial: PluginState = 'stopped',
  ) {
    this.current = initial;
  }

  get state(): PluginState {
    return this.current;
  }

  /** Moves to `to`; returns false (and reports nothing) when already there. */
  moveTo(to: PluginState): boolean {
    const from = this.current;
    if (from === to) return false;
    this.current = to;
    this.report({ from, to, allowed: canTransition(from, to) });
    return true;
  }
}
