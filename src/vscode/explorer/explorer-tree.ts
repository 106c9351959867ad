// The Services rows of the Plugins tree: loaded on expand through the plugin's reflection
// (or its configured protoFiles), services then methods with a codicon per kind. A load
// failure is a row with the message and an action. The explorer library caches the
// catalog per plugin process; the Services row's id carries the pid, so a restarted
// plugin gets a fresh, collapsed row and is asked again.
import * as vscode from 'vscode';
import { isExplorerError, loadCatalog, type PluginCatalog } from '../../explorer';
import type { PluginManager, PluginSnapshot } from '../../manager';
import { catalogSourceLabel, isCallable, METHOD_KIND_ICONS, methodKindLabel, methodTooltipText, serviceRows } from './explorer-model';
import { methodNodes, serviceNodes, servicesNode, type ExplorerTreeNode } from './explorer-nodes';
import { ExplorerCommands, SHOW_INTERNAL_SETTING } from './explorer-ids';

export class ExplorerTree {
  /** Descriptions of loaded Services rows (where the descriptors came from), by node id. */
  private readonly sources = new Map<string, string>();

  constructor(
    private readonly manager: PluginManager,
    private readonly refresh: (node: ExplorerTreeNode) => void,
  ) {}

  /** The Services row of a running plugin (same object per process, so expansion survives redraws). */
  private readonly servicesRows = new Map<string, ExplorerTreeNode & { kind: 'services' }>();

  childrenOfPlugin(s: PluginSnapshot): ExplorerTreeNode[] {
    if (s.state !== 'running' || !s.info) return [];
    const pid = `${s.info.pid ?? 'x'}-${s.info.startedAt.getTime()}`;
    const old = this.servicesRows.get(s.name);
    if (old && old.pid === pid) return [old];
    if (old) this.sources.delete(old.id);
    const node = servicesNode(s.name, pid);
    this.servicesRows.set(s.name, node);
    return [node];
  }

  async children(node: ExplorerTreeNode): Promise<ExplorerTreeNode[]> {
    if (node.kind === 'service') return methodNodes(node);
    if (node.kind !== 'services') return [];
    try {
      const catalog = await this.catalog(node.plugin);
      const rows = serviceRows(catalog, showInternalServices());
      const hidden = catalog.services({ includeInternal: true }).length - catalog.services().length;
      const label = catalogSourceLabel(catalog);
      const description = showInternalServices() || hidden === 0 ? label : `${label} · ${hidden} internal hidden`;
      // Redraw the row for its new description only once: a redraw asks for the children again.
      if (this.sources.get(node.id) !== description) {
        this.sources.set(node.id, description);
        this.refresh(node);
      }
      if (rows.length === 0) {
        return [{ kind: 'explorerError', plugin: node.plugin, code: 'NO_SERVICES', message: 'No services besides go-plugin\'s own.', id: `${node.id}:empty` }];
      }
      return serviceNodes(node, rows);
    } catch (err) {
      const code = isExplorerError(err) ? err.code : 'ERROR';
      return [{ kind: 'explorerError', plugin: node.plugin, code, message: err instanceof Error ? err.message : String(err), id: `${node.id}:error` }];
    }
  }

  /** The catalog of a running plugin (cached by the library per process). */
  async catalog(plugin: string): Promise<PluginCatalog> {
    const client = await this.manager.runningClient(plugin);
    const sources = this.manager.get(plugin)?.protoSources;
    return loadCatalog(client, sources ?? {});
  }

  treeItem(node: ExplorerTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'services': {
        const item = new vscode.TreeItem('Services', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.description = this.sources.get(node.id);
        item.tooltip = 'Services the plugin serves, through gRPC reflection or its configured protoFiles. Expand to load them.';
        item.contextValue = 'explorer.services';
        return item;
      }
      case 'service': {
        const item = new vscode.TreeItem(node.row.service, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.row.internal ? 'symbol-interface' : 'symbol-class');
        item.description = `${node.row.methods.length} method${node.row.methods.length === 1 ? '' : 's'}${node.row.internal ? ' · go-plugin' : ''}`;
        item.contextValue = 'explorer.service';
        return item;
      }
      case 'method': {
        const item = new vscode.TreeItem(node.row.method, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(METHOD_KIND_ICONS[node.row.kind]);
        item.description = methodKindLabel(node.row.kind);
        item.tooltip = methodTooltipText(node.row);
        item.contextValue = isCallable(node.row.kind) ? 'explorer.method.callable' : 'explorer.method.streaming';
        item.accessibilityInformation = { label: `${node.row.spec}, ${methodKindLabel(node.row.kind)}` };
        return item;
      }
      case 'explorerError': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.code === 'NO_SERVICES' ? 'info' : 'warning', node.code === 'NO_SERVICES' ? undefined : new vscode.ThemeColor('list.warningForeground'));
        item.tooltip = node.message;
        item.contextValue = 'explorer.error';
        // Plugins without reflection need protoFiles in settings; anything else is worth a retry.
        item.command =
          node.code === 'REFLECTION_NOT_SERVED' || node.code === 'PROTO_FILES_INVALID'
            ? { command: ExplorerCommands.openPluginSettings, title: 'Open Settings', arguments: [node.plugin] }
            : { command: ExplorerCommands.reloadServices, title: 'Reload Services', arguments: [node.plugin] };
        return item;
      }
    }
  }

  /** Forgets the Services rows so the next expand asks the plugin again. */
  reload(plugin?: string): void {
    for (const name of [...this.servicesRows.keys()]) if (!plugin || name === plugin) this.servicesRows.delete(name);
  }
}

export function showInternalServices(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(SHOW_INTERNAL_SETTING, false);
}
