// The response document's text, without vscode (unit-tested): status, duration, headers
// and trailers as // comments, then the JSON of each message; a stream grows as messages
// arrive. Each message is stringified once, when it arrives, so a growing stream or a
// 10 MB message costs one join per redraw and nothing more.
import type { JsonValue } from '@bufbuild/protobuf';
import type { MetadataRecord } from '../../explorer';

export type ResponseState = 'calling' | 'ok' | 'failed' | 'cancelled';

/** Above this many characters the document opens as plain text (no JSON colouring or folding work). */
export const LARGE_RESPONSE_CHARS = 1_000_000;

export class ResponseRecord {
  state: ResponseState = 'calling';
  headers: MetadataRecord = {};
  trailers: MetadataRecord = {};
  durationMs?: number;
  /** The error's message when the call failed or was cancelled. */
  error?: string;
  /** The gRPC status name, when known. */
  status?: string;
  private readonly texts: string[] = [];
  private chars = 0;
  private readonly started = Date.now();

  constructor(
    readonly plugin: string,
    readonly spec: string,
    readonly streaming: boolean,
  ) {}

  add(message: JsonValue): void {
    const text = JSON.stringify(message, null, 2);
    this.texts.push(text);
    this.chars += text.length;
  }

  get count(): number {
    return this.texts.length;
  }

  /** Total size of the messages' text. */
  get size(): number {
    return this.chars;
  }

  get large(): boolean {
    return this.chars > LARGE_RESPONSE_CHARS;
  }

  render(now = Date.now()): string {
    const head: string[] = [`// ${this.spec} · plugin ${this.plugin}`];
    const duration = formatMs(this.durationMs ?? now - this.started);
    const count = this.streaming ? ` · ${this.count} message${this.count === 1 ? '' : 's'}` : '';
    switch (this.state) {
      case 'calling':
        head.push(`// Status: ${this.streaming ? 'streaming' : 'calling'}… · ${duration}${count}`);
        break;
      case 'ok':
        head.push(`// Status: OK · ${duration}${count}`);
        break;
      case 'cancelled':
        head.push(`// Status: CANCELLED · ${duration}${count}`);
        break;
      case 'failed':
        head.push(`// Status: ${this.status ?? 'ERROR'} · ${duration}${count}`);
        break;
    }
    if (this.error) for (const line of this.error.split('\n')) head.push(`// ${line}`);
    head.push(`// Headers: ${formatMetadata(this.headers)}`);
    if (this.state !== 'calling') head.push(`// Trailers: ${formatMetadata(this.trailers)}`);
    // A stream is one JSON array (valid JSON with comments at every moment, so the editor reports no error).
    const body = this.streaming
      ? `[\n${this.texts.map((t, i) => `// message ${i + 1}\n${t}`).join(',\n')}${this.texts.length ? '\n' : ''}]\n`
      : this.texts.length ? `${this.texts.join('\n')}\n` : '';
    return `${head.join('\n')}\n\n${body}`;
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `key: value; key: v1, v2`, or `none`; binary values stay base64 as the explorer gives them. */
export function formatMetadata(record: MetadataRecord): string {
  const entries = Object.entries(record);
  if (!entries.length) return 'none';
  return entries.map(([k, v]) => `${k}: ${v.join(', ').replace(/[\r\n]+/g, ' ')}`).join('; ');
}
