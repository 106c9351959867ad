// The Plugins view's TreeDataProvider: maps manager snapshots to rows and fires one change
// event per snapshot change. It never talks to a process.

import * as vscode from 'vscode';
import type { PluginManager } from '../manager';
import { greetingRowIds } from './greeting-rows';
import { greetingTreeItem, pluginTooltip, pluginTreeItem, type PluginTreeNode } from './tree-items';
import { ExplorerTree } from './explorer/explorer-tree';

/** A plugin's row got a new greeting; its history had `before` greetings and now has `after`. */
export interface GreetingAdded {
  node: PluginTreeNode & { kind: 'plugin' };
  before: number;
  after: number;
}

/** Plugins as rows, their recent greetings as children. */
export class PluginTreeProvider implements vscode.TreeDataProvider<PluginTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PluginTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Row objects are kept so a change to one plugin refreshes exactly that row. */
  private readonly nodes = new Map<string, PluginTreeNode & { kind: 'plugin' }>();
  private readonly subscription: { dispose(): void };
  /** Time of the newest greeting and history length seen per plugin, to notice a new one. */
  private readonly seenHistory = new Map<string, { newest: number; length: number }>();
  private readonly greeted = new vscode.EventEmitter<GreetingAdded>();
  /** Fires when a plugin got a new greeting, with its history length before and after (the view may expand the row). */
  readonly onDidAddGreeting = this.greeted.event;

  /** The Services rows under running plugins. */
  readonly explorer: ExplorerTree;

  constructor(private readonly manager: PluginManager) {
    this.explorer = new ExplorerTree(manager, (node) => this.changed.fire(node));
    this.subscription = manager.onDidChange((snapshot) => {
      const node = snapshot && this.nodes.get(snapshot.name);
      this.changed.fire(node ?? undefined);
      if (node && snapshot) {
        const newest = snapshot.history[0]?.at.getTime() ?? 0;
        const seen = this.seenHistory.get(snapshot.name) ?? { newest: 0, length: 0 };
        this.seenHistory.set(snapshot.name, { newest, length: snapshot.history.length });
        if (newest > seen.newest) this.greeted.fire({ node, before: seen.length, after: snapshot.history.length });
      }
    });
  }

  getTreeItem(node: PluginTreeNode): vscode.TreeItem {
    if (node.kind === 'greeting') return greetingTreeItem(node.record, node.id);
    if (node.kind !== 'plugin') return this.explorer.treeItem(node);
    const snapshot = this.manager.get(node.name);
    return snapshot ? pluginTreeItem(snapshot) : new vscode.TreeItem(node.name);
  }

  /** Recomputes the tooltip when the user hovers, so uptime is current. */
  resolveTreeItem(item: vscode.TreeItem, node: PluginTreeNode): vscode.TreeItem {
    if (node.kind === 'plugin') {
      const snapshot = this.manager.get(node.name);
      if (snapshot) item.tooltip = pluginTooltip(snapshot);
    }
    return item;
  }

  getChildren(node?: PluginTreeNode): PluginTreeNode[] | Promise<PluginTreeNode[]> {
    if (!node) {
      const names = this.manager.list().map((s) => s.name);
      for (const name of this.nodes.keys()) {
        if (names.includes(name)) continue;
        this.nodes.delete(name);
        this.seenHistory.delete(name);
      }
      return names.map((name) => this.pluginNode(name));
    }
    if (node.kind === 'plugin') {
      const snapshot = this.manager.get(node.name);
      const history = snapshot?.history ?? [];
      const ids = greetingRowIds(node.name, history);
      const services = snapshot ? this.explorer.childrenOfPlugin(snapshot) : [];
      // Greetings first, as before the explorer existed (the Greet flows are unchanged); Services after them.
      return [...history.map((record, i): PluginTreeNode => ({ kind: 'greeting', plugin: node.name, record, id: ids[i]! })), ...services];
    }
    if (node.kind === 'greeting') return [];
    return this.explorer.children(node);
  }

  getParent(node: PluginTreeNode): PluginTreeNode | undefined {
    return node.kind === 'greeting' || node.kind === 'services' ? this.pluginNode(node.plugin) : undefined;
  }

  private pluginNode(name: string): PluginTreeNode & { kind: 'plugin' } {
    let node = this.nodes.get(name);
    if (!node) {
      node = { kind: 'plugin', name };
      this.nodes.set(name, node);
    }
    return node;
  }

  /** Redraws everything (e.g. greeter.explorer.showInternalServices changed). */
  refreshAll(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.greeted.dispose();
  }
}
