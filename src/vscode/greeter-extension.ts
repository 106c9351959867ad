// Wires the extension together: settings -> manager -> tree, status bar, context keys,
// notifications. Constructing it is cheap and never waits for a plugin.

import * as vscode from 'vscode';
import { PluginManager, type PluginSnapshot } from '../manager';
import { registerCommands } from './commands';
import { ContextKeyUpdater } from './context-keys';
import { FailureNotifier } from './failure-notifier';
import { registrar } from './activation';
import { CONFIG_SECTION, ContextKeys, VIEW_ID } from './ids';
import { LogChannels, writeLevel } from './log-channels';
import { GreetingExpansion } from './greeting-rows';
import { PluginTreeProvider } from './plugin-tree';
import { registerExplorer } from './explorer';
import { readConfig } from './settings-reader';
import { workspaceConfiguresPlugins } from './workspace-plugins';
import { PluginStatusBar } from './status-bar';
import type { PluginTreeNode } from './tree-items';

/** What activate() returns: handles for the @vscode/test-electron suite and other extensions. */
export interface GreeterApi {
  readonly manager: PluginManager;
}

/** Owns every piece of the running extension; dispose() is the shutdown. */
export class GreeterExtension implements GreeterApi {
  readonly manager: PluginManager;
  private readonly channels: LogChannels;
  private readonly contextKeys = new ContextKeyUpdater();
  private readonly statusBar: PluginStatusBar;
  private readonly notifier: FailureNotifier;
  private readonly tree: PluginTreeProvider;
  private readonly treeView: vscode.TreeView<PluginTreeNode>;
  /** Everything disposed at once by dispose(); each is also in context.subscriptions. */
  private readonly disposables: vscode.Disposable[] = [];
  /** Which plugin rows the user collapsed, so a new greeting does not reopen them. */
  private readonly expansion = new GreetingExpansion();
  /** Restricted Mode holds back plugins from the workspace's own settings. */
  private workspacePluginsRestricted = false;
  /** The latest check of that, for the first `ready`. */
  private restriction: Promise<void> = Promise.resolve();
  private shutdown?: Promise<void>;

  /**
   * Registers each disposable in context.subscriptions as soon as it exists, so whatever
   * throws half-way through (activate() then disposes them) or however VS Code ends the
   * extension, nothing is left behind.
   */
  constructor(context: vscode.ExtensionContext, startupWarnings: readonly string[] = []) {
    const register = registrar(context.subscriptions);
    const own = <D extends vscode.Disposable>(d: D): D => {
      this.disposables.push(d);
      return register(d);
    };
    // First in, so disposed last: it stops the plugins and then closes the channels their
    // last lines go to (VS Code disposes subscriptions without waiting for deactivate()).
    register({ dispose: () => void this.dispose() });
    this.channels = new LogChannels();
    this.statusBar = own(new PluginStatusBar());
    this.notifier = new FailureNotifier(this.channels);
    const initial = readConfig();
    this.manager = new PluginManager({
      settings: initial.settings,
      sinks: (name) => this.channels.sinksFor(name),
      log: (level, message) => writeLevel(this.channels.main, level, message),
    });
    this.tree = own(new PluginTreeProvider(this.manager));
    this.treeView = own(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: false }));
    for (const d of [
      this.manager.onDidChange((snapshot) => this.onManagerChange(snapshot)),
      // A row that gains its first greeting stays collapsed unless expanded; show the answer,
      // but never reopen a row the user collapsed.
      this.treeView.onDidCollapseElement((e) => e.element.kind === 'plugin' && this.expansion.collapsed(e.element.name)),
      this.treeView.onDidExpandElement((e) => e.element.kind === 'plugin' && this.expansion.expanded(e.element.name)),
      this.tree.onDidAddGreeting(({ node, before, after }) => {
        if (this.treeView.visible && this.expansion.shouldExpand(node.name, before, after)) {
          void this.treeView.reveal(node, { expand: true, select: false, focus: false }).then(undefined, () => undefined);
        }
      }),
      ...registerCommands({ manager: this.manager, channels: this.channels, context, workspaceRestricted: () => this.workspacePluginsRestricted }),
      ...registerExplorer(context, this.manager, this.tree.explorer, () => this.tree.refreshAll()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(CONFIG_SECTION)) this.applyConfig('settings changed');
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.applyConfig('workspace trusted')),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.applyConfig('workspace folders changed')),
    ]) own(d);
    this.channels.main.info(`Greeter Plugins ${context.extension.packageJSON.version} activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'in Restricted Mode'})`);
    for (const warning of startupWarnings) this.channels.main.warn(warning);
    this.applyConfig('startup', initial);
    // The welcome views wait for `ready`, so they never show the wrong text first.
    void this.restriction.finally(() => this.contextKeys.set(ContextKeys.ready, true));
  }

  /** Hands the current settings to the manager, which starts, stops or restarts what differs. */
  private applyConfig(reason: string, config = readConfig()): void {
    const trusted = vscode.workspace.isTrusted;
    this.channels.main.info(`applying settings (${reason}): ${config.entries.length} plugin entr${config.entries.length === 1 ? 'y' : 'ies'}${trusted ? '' : ', user settings only (Restricted Mode)'}`);
    try {
      this.manager.applyConfig(config.entries, config.context, config.settings);
    } catch (err) {
      this.channels.main.error(`could not apply settings: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
    this.refreshListViews();
    this.restriction = this.refreshRestriction(trusted);
  }

  /** Whether Restricted Mode holds back workspace plugins: drives the banner and the welcome text. */
  private async refreshRestriction(trusted: boolean): Promise<void> {
    let restricted = false;
    try {
      restricted = !trusted && (await workspaceConfiguresPlugins());
    } catch (err) {
      this.channels.main.warn(`could not read the workspace settings: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (vscode.workspace.isTrusted !== trusted) return; // trust changed meanwhile; a newer refresh decides
    this.workspacePluginsRestricted = restricted;
    this.contextKeys.set(ContextKeys.workspacePluginsRestricted, restricted);
    this.refreshListViews();
  }

  /** One snapshot changed, or (undefined) the list itself. */
  private onManagerChange(snapshot: PluginSnapshot | undefined): void {
    if (snapshot) this.notifier.observe(snapshot);
    else {
      const names = this.manager.list().map((s) => s.name);
      this.notifier.retain(names);
      this.channels.retain(names);
      this.expansion.retain(names);
      for (const s of this.manager.list()) this.notifier.observe(s);
    }
    this.refreshListViews();
  }

  /** Status bar, context keys and the Restricted Mode banner follow the plugin list. */
  private refreshListViews(): void {
    const plugins = this.manager.list();
    this.statusBar.update(plugins);
    this.contextKeys.update(plugins);
    this.treeView.message = this.workspacePluginsRestricted && plugins.length > 0
      ? 'Restricted Mode: only plugins from your user settings run until you trust this workspace.'
      : undefined;
  }

  /** Stops every plugin; resolves when every process is gone. Safe to call again (same promise), and on a half-built extension. */
  dispose(): Promise<void> {
    this.shutdown ??= (async () => {
      for (const d of this.disposables.splice(0).reverse()) d.dispose();
      try {
        await this.manager?.dispose();
      } finally {
        this.channels?.dispose();
      }
    })();
    return this.shutdown;
  }
}
