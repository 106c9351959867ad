// The explorer's VS Code face: Services rows in the Plugins tree (explorer-tree.ts), request
// editors, response documents and the Call Method / Send commands, wired here.
import * as vscode from 'vscode';
import type { PluginManager } from '../../manager';
import type { ExplorerTree } from './explorer-tree';
import { registerExplorerCommands } from './explorer-commands';
import { RESPONSE_SCHEME, SHOW_INTERNAL_SETTING } from './explorer-ids';
import { RequestEditors } from './request-editor';
import { ResponseDocuments } from './response-documents';

export function registerExplorer(
  context: vscode.ExtensionContext,
  manager: PluginManager,
  tree: ExplorerTree,
  refreshTree: () => void,
): vscode.Disposable[] {
  const requests = new RequestEditors(context.globalStorageUri);
  const responses = new ResponseDocuments();
  return [
    requests,
    responses,
    vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, responses),
    ...registerExplorerCommands({ manager, tree, requests, responses, state: context.globalState, refreshTree }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SHOW_INTERNAL_SETTING)) refreshTree();
    }),
  ];
}
