// Request editors: one JSON file per plugin and method under the extension's global
// storage (so the last request is remembered and Call Method... reopens it), with its
// JSON schema beside it, linked by "$schema" (a file URI works in every VS Code since the
// JSON language features resolve it themselves). A context key tells menus and Ctrl+Enter
// that the active editor is one of them.
import type { DescMethod } from '@bufbuild/protobuf';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { REQUEST_EDITOR_CONTEXT_KEY } from './explorer-ids';
import { initialRequestText, requestFilePaths, requestFileSchema, requestTargetOf, type RequestTarget } from './request-document';

export class RequestEditors implements vscode.Disposable {
  readonly root: string;
  private readonly subscription: vscode.Disposable;

  constructor(storage: vscode.Uri) {
    this.root = path.join(storage.fsPath, 'requests');
    this.subscription = vscode.window.onDidChangeActiveTextEditor((e) => this.updateContext(e));
    this.updateContext(vscode.window.activeTextEditor);
  }

  private updateContext(editor: vscode.TextEditor | undefined): void {
    const isRequest = !!editor && editor.document.uri.scheme === 'file' && this.targetOf(editor.document.uri) !== undefined;
    void vscode.commands.executeCommand('setContext', REQUEST_EDITOR_CONTEXT_KEY, isRequest);
  }

  targetOf(uri: vscode.Uri): RequestTarget | undefined {
    return uri.scheme === 'file' ? requestTargetOf(this.root, uri.fsPath) : undefined;
  }

  /** Whether a request for this method was written before. */
  async exists(target: RequestTarget): Promise<boolean> {
    return fs.access(requestFilePaths(this.root, target).request).then(() => true, () => false);
  }

  /** Opens the method's request (the last one sent, or a fresh template); the schema is rewritten from the current descriptor. */
  async open(target: RequestTarget, method: DescMethod): Promise<vscode.TextEditor> {
    const files = requestFilePaths(this.root, target);
    await fs.mkdir(path.dirname(files.request), { recursive: true });
    await fs.writeFile(files.schema, `${JSON.stringify(requestFileSchema(method.input), null, 2)}\n`);
    const schemaUri = vscode.Uri.file(files.schema).toString();
    try {
      await fs.writeFile(files.request, initialRequestText(method.input, schemaUri), { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(files.request));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    this.updateContext(editor);
    return editor;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
