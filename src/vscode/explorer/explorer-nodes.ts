// Rows of the Services part of the Plugins tree (no vscode: the provider maps them).
import type { MethodRow, ServiceRow } from './explorer-model';

/** Everything under a running plugin's row that comes from its services. */
export type ExplorerTreeNode =
  /** Loads the catalog when expanded; `pid` ties it to one process, so a restart asks again. */
  | { kind: 'services'; plugin: string; pid: string; id: string }
  | { kind: 'service'; plugin: string; row: ServiceRow; id: string }
  | { kind: 'method'; plugin: string; row: MethodRow; id: string }
  /** Loading the services failed: the message, and an action on the row. */
  | { kind: 'explorerError'; plugin: string; message: string; code: string; id: string };

export function servicesNode(plugin: string, pid: string): ExplorerTreeNode & { kind: 'services' } {
  return { kind: 'services', plugin, pid, id: `services:${plugin}:${pid}` };
}

export function serviceNodes(parent: ExplorerTreeNode & { kind: 'services' }, rows: ServiceRow[]): ExplorerTreeNode[] {
  return rows.map((row) => ({ kind: 'service', plugin: parent.plugin, row, id: `${parent.id}:${row.service}` }));
}

export function methodNodes(parent: ExplorerTreeNode & { kind: 'service' }): ExplorerTreeNode[] {
  return parent.row.methods.map((row) => ({ kind: 'method', plugin: parent.plugin, row, id: `${parent.id}/${row.method}` }));
}
