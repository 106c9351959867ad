// Keeps the `greeter.*` context keys that menus and welcome views read in step with the
// manager, setting each only when its value changes.

import * as vscode from 'vscode';
import type { PluginSnapshot } from '../manager';
import { ContextKeys } from './ids';

/** Sets context keys without repeating unchanged values. */
export class ContextKeyUpdater {
  private readonly values = new Map<string, unknown>();

  set(key: string, value: unknown): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  /** Derives every plugin-related key from the current list. */
  update(plugins: PluginSnapshot[]): void {
    this.set(ContextKeys.hasPlugins, plugins.length > 0);
    this.set(ContextKeys.hasRunningPlugins, plugins.some((p) => p.state === 'running'));
    this.set(ContextKeys.hasHistory, plugins.some((p) => p.history.length > 0));
  }
}
