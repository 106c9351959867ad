// `$(plug) 2/3` in the status bar: running over configured plugins, with the warning look
// when one failed; a click focuses the Plugins view.

import * as vscode from 'vscode';
import type { PluginSnapshot } from '../manager';
import { FOCUS_VIEW_COMMAND } from './ids';

/** The plugin count in the status bar. */
export class PluginStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('greeter.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Greeter Plugins';
    this.item.command = FOCUS_VIEW_COMMAND;
  }

  /** Redraws from the current list; hidden when nothing is configured. */
  update(plugins: PluginSnapshot[]): void {
    if (plugins.length === 0) {
      this.item.hide();
      return;
    }
    const running = plugins.filter((p) => p.state === 'running').length;
    const failed = plugins.filter((p) => p.state === 'failed');
    this.item.text = `$(plug) ${running}/${plugins.length}`;
    this.item.backgroundColor = failed.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tip = new vscode.MarkdownString();
    tip.appendText(`Greeter plugins: ${running} of ${plugins.length} running`);
    if (failed.length) tip.appendMarkdown('  \n').appendText(`Failed: ${failed.map((p) => p.name).join(', ')}`);
    tip.appendMarkdown('  \n').appendText('Click to show the Plugins view.');
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `Greeter plugins: ${running} of ${plugins.length} running${failed.length ? `, ${failed.length} failed` : ''}` };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
