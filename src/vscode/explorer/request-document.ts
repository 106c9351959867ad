// The request editor's file, without vscode (unit-tested): where the request of one method
// lives under the extension's storage (so the last request per method is remembered and
// Call Method... reopens it), its first text (a template of the input message with a
// "$schema" link), the schema beside it, and the request body the explorer gets.
import type { DescMessage, JsonValue } from '@bufbuild/protobuf';
import * as path from 'node:path';
import { requestJsonSchema, requestTemplate } from '../../explorer';

/** The key a request file may carry to link its schema; it is never sent. */
export const SCHEMA_KEY = '$schema';
/** Request files end with this, which the editor's context key recognises. */
export const REQUEST_SUFFIX = '.request.json';

export interface RequestTarget {
  plugin: string;
  /** `package.Service/Method`. */
  spec: string;
}

/** Safe as one path segment on every platform, and reversible. */
function segment(value: string): string {
  return encodeURIComponent(value).replace(/\*/g, '%2A').replace(/^\./, '%2E');
}

/** `<root>/<plugin>/<package.Service>/<Method>.request.json` and its schema beside it. */
export function requestFilePaths(root: string, target: RequestTarget): { request: string; schema: string } {
  const cut = target.spec.lastIndexOf('/');
  const dir = path.join(root, segment(target.plugin), segment(target.spec.slice(0, cut)));
  const base = segment(target.spec.slice(cut + 1));
  return { request: path.join(dir, `${base}${REQUEST_SUFFIX}`), schema: path.join(dir, `${base}.schema.json`) };
}

/** The plugin and method of a request file under `root`, or undefined for any other file. */
export function requestTargetOf(root: string, file: string): RequestTarget | undefined {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel) || !rel.endsWith(REQUEST_SUFFIX)) return undefined;
  const parts = rel.split(path.sep);
  if (parts.length !== 3) return undefined;
  try {
    const [plugin, service, method] = parts.map((p) => decodeURIComponent(p)) as [string, string, string];
    return { plugin, spec: `${service}/${method.slice(0, -REQUEST_SUFFIX.length)}` };
  } catch {
    return undefined;
  }
}

/**
 * The JSON schema of a request file: the input message's schema, whose root also allows
 * the "$schema" link (everything else unknown is a warning in the editor).
 */
export function requestFileSchema(input: DescMessage): Record<string, unknown> {
  const schema = requestJsonSchema(input) as { definitions: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  const root = schema.definitions[input.typeName]!;
  const { $ref: _ref, ...rest } = schema;
  const properties = { [SCHEMA_KEY]: { type: 'string', description: 'The JSON schema of this request (not sent).' }, ...((root.properties as object | undefined) ?? {}) };
  // A root without properties (a well-known type such as Struct) keeps its own form.
  return root.properties ? { ...rest, ...root, properties } : { ...rest, ...root };
}

/** First text of a new request: the schema link, then every field at its default. */
export function initialRequestText(input: DescMessage, schemaUri: string): string {
  const template = requestTemplate(input);
  const body = template !== null && typeof template === 'object' && !Array.isArray(template) ? template : undefined;
  return `${JSON.stringify(body ? { [SCHEMA_KEY]: schemaUri, ...body } : template, null, 2)}\n`;
}

/**
 * What the explorer gets: the text itself when it is not JSON (so its syntax error keeps
 * its line and column), else the value without the "$schema" link.
 */
export function requestBody(text: string): string | JsonValue {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && SCHEMA_KEY in value) {
    const { [SCHEMA_KEY]: _link, ...rest } = value as Record<string, JsonValue>;
    return rest;
  }
  return value as JsonValue;
}
