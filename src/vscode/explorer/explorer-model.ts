// What the Services part of the Plugins tree shows, without vscode (unit-tested): the
// services of a catalog (go-plugin's own hidden unless asked for), their methods with a
// codicon per kind, and a tooltip with the request and response types.
import type { DescMethod } from '@bufbuild/protobuf';
import { INTERNAL_SERVICES, type MethodKind, type PluginCatalog } from '../../explorer';

/** One method row: everything the tree and the Call Method command need. */
export interface MethodRow {
  plugin: string;
  service: string;
  method: string;
  /** `package.Service/Method`, as the explorer and the CLI name it. */
  spec: string;
  kind: MethodKind;
  input: string;
  output: string;
}

export interface ServiceRow {
  plugin: string;
  service: string;
  internal: boolean;
  methods: MethodRow[];
}

/** Codicon per method kind: a plain arrow for unary, arrows down/up/both ways for streams. */
export const METHOD_KIND_ICONS: Readonly<Record<MethodKind, string>> = Object.freeze({
  unary: 'arrow-right',
  server_streaming: 'arrow-circle-down',
  client_streaming: 'arrow-circle-up',
  bidi_streaming: 'arrow-swap',
});

const KIND_LABELS: Record<MethodKind, string> = {
  unary: 'unary',
  server_streaming: 'server streaming',
  client_streaming: 'client streaming',
  bidi_streaming: 'bidirectional streaming',
};

export function methodKindLabel(kind: MethodKind): string {
  return KIND_LABELS[kind];
}

/** Only unary and server-streaming methods can be called from the explorer. */
export function isCallable(kind: MethodKind): boolean {
  return kind === 'unary' || kind === 'server_streaming';
}

export function methodRow(plugin: string, m: DescMethod): MethodRow {
  return {
    plugin,
    service: m.parent.typeName,
    method: m.name,
    spec: `${m.parent.typeName}/${m.name}`,
    kind: m.methodKind,
    input: m.input.typeName,
    output: m.output.typeName,
  };
}

/** The catalog's services in the plugin's order; internal ones only when asked for. */
export function serviceRows(catalog: PluginCatalog, showInternal: boolean): ServiceRow[] {
  return catalog.services({ includeInternal: showInternal }).map((s) => ({
    plugin: catalog.plugin,
    service: s.typeName,
    internal: INTERNAL_SERVICES.has(s.typeName),
    methods: s.methods.map((m) => methodRow(catalog.plugin, m)),
  }));
}

/** Plain-text hover of a method row. */
export function methodTooltipText(row: MethodRow): string {
  const streamIn = row.kind === 'client_streaming' || row.kind === 'bidi_streaming' ? 'stream ' : '';
  const streamOut = row.kind === 'server_streaming' || row.kind === 'bidi_streaming' ? 'stream ' : '';
  const lines = [
    `rpc ${row.method}(${streamIn}${row.input}) returns (${streamOut}${row.output})`,
    `${row.spec} · ${methodKindLabel(row.kind)}`,
    `Request: ${row.input}`,
    `Response: ${row.output}`,
  ];
  if (!isCallable(row.kind)) lines.push('Only unary and server-streaming methods can be called from the explorer.');
  return lines.join('\n');
}

/** Description of the Services row once loaded: where the descriptors came from. */
export function catalogSourceLabel(catalog: PluginCatalog): string {
  return catalog.source.kind === 'reflection' ? `reflection ${catalog.source.version}` : `${catalog.source.files.length} .proto file${catalog.source.files.length === 1 ? '' : 's'}`;
}
