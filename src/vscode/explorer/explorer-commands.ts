// Greeter: Call Method... (palette: plugin, then method; inline on a method row) opens the
// method's request editor; Send (editor title, Ctrl+Enter / Cmd+Enter) calls it with a
// cancellable progress and shows the response beside it; a stream's messages appear as
// they arrive, and Cancel ends it.
import * as vscode from 'vscode';
import { callMethod, isExplorerError, type PluginCatalog } from '../../explorer';
import type { PluginManager } from '../../manager';
import { resolvePluginArg } from '../commands/plugin-arg';
import { Commands } from '../ids';
import { readConfig } from '../settings-reader';
import { isCallable, methodKindLabel, methodRow, type MethodRow } from './explorer-model';
import type { ExplorerTreeNode } from './explorer-nodes';
import type { ExplorerTree } from './explorer-tree';
import { ExplorerCommands } from './explorer-ids';
import { requestBody, type RequestTarget } from './request-document';
import type { RequestEditors } from './request-editor';
import { ResponseRecord } from './response-format';
import type { ResponseDocuments } from './response-documents';

/** A stream runs until it ends or the user cancels; this only bounds a forgotten one. */
const STREAM_TIMEOUT_MS = 30 * 60_000;

export interface ExplorerDeps {
  manager: PluginManager;
  tree: ExplorerTree;
  requests: RequestEditors;
  responses: ResponseDocuments;
  /** Last method called per plugin (the method pick offers it first). */
  state: vscode.Memento;
  /** Redraws the tree (Reload Services). */
  refreshTree: () => void;
}

const LAST_METHOD_KEY = 'greeter.explorer.lastMethod';

export function registerExplorerCommands(deps: ExplorerDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ExplorerCommands.callMethod, (arg?: unknown) => callMethodCommand(deps, arg)),
    vscode.commands.registerCommand(ExplorerCommands.sendRequest, (uri?: unknown) => sendCommand(deps, uri)),
    vscode.commands.registerCommand(ExplorerCommands.reloadServices, (arg?: unknown) => {
      const plugin = typeof arg === 'string' ? arg : (arg as { plugin?: string } | undefined)?.plugin;
      deps.tree.reload(plugin);
      deps.refreshTree();
    }),
    vscode.commands.registerCommand(ExplorerCommands.openPluginSettings, () => vscode.commands.executeCommand(Commands.openSettings)),
  ];
}

async function callMethodCommand(deps: ExplorerDeps, arg: unknown): Promise<void> {
  try {
    const node = arg as Partial<ExplorerTreeNode> | undefined;
    let row: MethodRow | undefined;
    if (node && node.kind === 'method') row = (node as ExplorerTreeNode & { kind: 'method' }).row;
    let catalog: PluginCatalog;
    if (row) {
      catalog = await deps.tree.catalog(row.plugin);
    } else {
      const plugin = await resolvePluginArg(deps.manager, arg, (s) => s.state === 'running', 'Which plugin\'s method do you want to call?');
      if (!plugin) return;
      catalog = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Loading the services of ${plugin}` }, () => deps.tree.catalog(plugin));
      row = await pickMethod(deps, catalog);
      if (!row) return;
    }
    const method = catalog.method(row.spec);
    if (!isCallable(method.methodKind)) {
      void vscode.window.showWarningMessage(`${row.spec} is a ${methodKindLabel(method.methodKind)} method; only unary and server-streaming methods can be called from the explorer.`);
      return;
    }
    await deps.state.update(`${LAST_METHOD_KEY}.${row.plugin}`, row.spec);
    await deps.requests.open({ plugin: row.plugin, spec: row.spec }, method);
  } catch (err) {
    void vscode.window.showErrorMessage(errorText(err));
  }
}

async function pickMethod(deps: ExplorerDeps, catalog: PluginCatalog): Promise<MethodRow | undefined> {
  const last = deps.state.get<string>(`${LAST_METHOD_KEY}.${catalog.plugin}`);
  const rows = catalog.services().flatMap((s) => s.methods.map((m) => methodRow(catalog.plugin, m))).filter((r) => isCallable(r.kind));
  if (!rows.length) {
    void vscode.window.showInformationMessage(`Plugin "${catalog.plugin}" has no unary or server-streaming method to call.`);
    return undefined;
  }
  rows.sort((a, b) => Number(b.spec === last) - Number(a.spec === last));
  const items = await Promise.all(
    rows.map(async (r) => ({
      label: r.spec,
      description: `${methodKindLabel(r.kind)}${(await deps.requests.exists(r)) ? ' · last request kept' : ''}`,
      detail: `${r.input} → ${r.output}`,
      row: r,
    })),
  );
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `Method of ${catalog.plugin} to call`, matchOnDetail: true });
  return picked?.row;
}

async function sendCommand(deps: ExplorerDeps, arg: unknown): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const target = uri && deps.requests.targetOf(uri);
  if (!uri || !target) {
    void vscode.window.showInformationMessage('Send works in a request editor: run "Greeter: Call Method..." first.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty) await doc.save(); // the request is remembered for next time
  await send(deps, target, doc.getText());
}

/** Calls the method with the request text and shows the response beside the editor. */
export async function send(deps: ExplorerDeps, target: RequestTarget, text: string): Promise<ResponseRecord | undefined> {
  let catalog: PluginCatalog;
  try {
    catalog = await deps.tree.catalog(target.plugin);
  } catch (err) {
    void vscode.window.showErrorMessage(errorText(err));
    return undefined;
  }
  let streaming = false;
  try {
    streaming = catalog.method(target.spec).methodKind === 'server_streaming';
  } catch (err) {
    void vscode.window.showErrorMessage(errorText(err));
    return undefined;
  }
  const client = await deps.manager.runningClient(target.plugin).catch((err: unknown) => err as Error);
  if (client instanceof Error) {
    void vscode.window.showErrorMessage(client.message);
    return undefined;
  }
  const record = new ResponseRecord(target.plugin, target.spec, streaming);
  const uri = deps.responses.start(record);
  if (streaming) await deps.responses.show(uri);
  let failure: unknown;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${target.spec}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      progress.report({ message: streaming ? 'streaming… 0 messages' : 'calling…' });
      try {
        const outcome = await callMethod(client, catalog, target.spec, requestBody(text), {
          signal: abort.signal,
          timeoutMs: streaming ? STREAM_TIMEOUT_MS : readConfig().settings.callTimeoutMs,
          onHeaders: (headers) => {
            record.headers = headers;
            deps.responses.changed(uri);
          },
          onMessage: (message) => {
            record.add(message);
            if (streaming) {
              progress.report({ message: `streaming… ${record.count} message${record.count === 1 ? '' : 's'}` });
              deps.responses.changed(uri);
            }
          },
        });
        record.state = 'ok';
        record.trailers = outcome.trailers;
        record.durationMs = outcome.durationMs;
      } catch (err) {
        failure = err;
        record.state = isExplorerError(err) && err.code === 'CANCELLED' ? 'cancelled' : 'failed';
        record.error = errorText(err);
        if (isExplorerError(err)) {
          record.status = err.details.grpcStatus ?? err.code;
          record.headers = err.details.headers ?? record.headers;
          record.trailers = err.details.trailers ?? {};
        }
      } finally {
        sub.dispose();
      }
    },
  );
  deps.responses.changedNow(uri);
  await deps.responses.show(uri);
  if (failure && record.state === 'failed') void vscode.window.showErrorMessage(errorText(failure));
  return record;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
