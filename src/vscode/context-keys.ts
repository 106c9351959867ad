// Keeps the `greeter.*` context keys that menus and welcome views read in step with the
// manager, setting each only when its value changes.

import * as vscode from 'vscode';
import type { PluginSnapshot } from '../manager';
import { ContextKeys } from './ids';
import { pluginContextKeys } from './plugin-actions';

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
    const values = pluginContextKeys(plugins);
    for (const key of Object.keys(values) as (keyof typeof values)[]) this.set(ContextKeys[key], values[key]);
  }
}
