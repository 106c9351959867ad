// Read-only response documents (scheme greeter-response): one per plugin and method, whose
// text is rendered from a ResponseRecord. A stream's document is redrawn at most every
// 100 ms while messages arrive; a large response opens as plain text so the editor does
// no JSON colouring or folding work on it.
import * as vscode from 'vscode';
import { RESPONSE_SCHEME } from './explorer-ids';
import type { ResponseRecord } from './response-format';

const REDRAW_MS = 100;
/** A redraw sends the whole text to the editor: wait longer the larger it is (+100 ms per 5 MB). */
const REDRAW_MS_PER_CHAR = 100 / 5_000_000;

export class ResponseDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly records = new Map<string, ResponseRecord>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents already switched to plain text because they grew large. */
  private readonly plain = new Set<string>();

  uriFor(record: ResponseRecord): vscode.Uri {
    return vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${encodeURIComponent(record.plugin)}/${record.spec}.response` });
  }

  /** Shows `record` in its method's document (replacing the previous call's). */
  start(record: ResponseRecord): vscode.Uri {
    const uri = this.uriFor(record);
    this.records.set(uri.toString(), record);
    this.plain.delete(uri.toString());
    this.changedNow(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const record = this.records.get(uri.toString());
    return record ? record.render() : '// This response is gone (the window was reloaded). Send the request again.\n';
  }

  /** Redraws soon (coalescing a stream's messages). */
  changed(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.pending.has(key)) return;
    const size = this.records.get(key)?.size ?? 0;
    this.pending.set(key, setTimeout(() => this.changedNow(uri), REDRAW_MS + size * REDRAW_MS_PER_CHAR));
  }

  changedNow(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.emitter.fire(uri);
    const record = this.records.get(key);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (doc && record?.large && !this.plain.has(key)) {
      this.plain.add(key);
      void vscode.languages.setTextDocumentLanguage(doc, 'plaintext');
    }
  }

  /** Opens the document beside the request editor, keeping the focus where it is. */
  async show(uri: vscode.Uri): Promise<void> {
    const record = this.records.get(uri.toString());
    let doc = await vscode.workspace.openTextDocument(uri);
    const language = record?.large ? 'plaintext' : 'jsonc';
    if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    if (record?.large) this.plain.add(uri.toString());
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    this.emitter.dispose();
  }
}
