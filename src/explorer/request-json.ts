// Request JSON -> message, with errors a person can act on: where the JSON breaks (line
// and column), which field is unknown (and which exist), which value has the wrong type
// (its JSON path). The conversion itself is @bufbuild/protobuf's canonical proto3 JSON.
import { fromJson, type DescField, type DescMessage, type JsonValue, type Message, type Registry } from '@bufbuild/protobuf';
import { ScalarType } from '@bufbuild/protobuf';
// The ES module build: the package's default UMD build hides its requires from bundlers,
// so it breaks inside the esbuild bundles (CLI, extension).
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { ExplorerError, type TextPosition } from './errors';

/** Well-known types with a JSON form of their own: checked by the library, not field by field. */
const SPECIAL_JSON_TYPES = new Set(
  ['Any', 'Timestamp', 'Duration', 'FieldMask', 'Struct', 'Value', 'ListValue', 'DoubleValue', 'FloatValue', 'Int64Value',
   'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue'].map((n) => `google.protobuf.${n}`),
);

/** JSON's number syntax (RFC 8259), for numbers written as strings. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A field of google.protobuf.NullValue, whose only JSON value is null. */
function isNullValue(field: DescField): boolean {
  return (field.fieldKind === 'list' && field.listKind === 'enum' && field.enum.typeName === 'google.protobuf.NullValue') ||
    (field.fieldKind === 'enum' && field.enum.typeName === 'google.protobuf.NullValue');
}

const INT64_SCALARS = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

const INTEGER_SCALARS = new Set([
  ScalarType.INT32, ScalarType.UINT32, ScalarType.SINT32, ScalarType.FIXED32, ScalarType.SFIXED32,
  ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64,
]);

/** Who the request is for, so every error names the plugin and the method. */
export interface RequestContext {
  plugin: string;
  /** e.g. `tutorial.Greeter/Greet`. */
  method: string;
  registry: Registry;
}

/** Parses request text (empty means `{}`) into a message of `schema`. */
export function parseRequestJson(text: string, schema: DescMessage, context: RequestContext): Message {
  // A byte-order mark (Windows editors, PowerShell) is not part of the JSON.
  const unmarked = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const source = unmarked.trim() === '' ? '{}' : unmarked;
  const tooDeep = firstTooDeep(source, MAX_NESTING);
  if (tooDeep !== undefined) {
    const position = positionAt(source, tooDeep);
    throw new ExplorerError(
      'REQUEST_JSON_SYNTAX',
      context.plugin,
      `The request for ${context.method} (plugin "${context.plugin}") nests objects and arrays more than ${MAX_NESTING} deep (at line ${position.line}, column ${position.column}); protobuf messages cannot be deeper than that.`,
      { position },
    );
  }
  const errors: ParseError[] = [];
  const tree = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length || !tree) {
    const first = errors[0];
    const position = positionAt(source, first?.offset ?? source.length);
    const problem = first ? describeSyntaxError(printParseErrorCode(first.error)) : 'it is empty';
    throw new ExplorerError(
      'REQUEST_JSON_SYNTAX',
      context.plugin,
      `The request for ${context.method} (plugin "${context.plugin}") is not valid JSON: ${problem} at line ${position.line}, column ${position.column}. Fix the JSON and send it again.`,
      { position },
    );
  }
  const repeated = firstRepeatedKey(tree);
  if (repeated) {
    const position = positionAt(source, repeated.offset);
    throw new ExplorerError(
      'REQUEST_JSON_SYNTAX',
      context.plugin,
      `The request for ${context.method} (plugin "${context.plugin}") has the key ${JSON.stringify(repeated.value)} twice in one object (again at line ${position.line}, column ${position.column}); name each field once.`,
      { position },
    );
  }
  return requestFromValue(getNodeValue(tree) as JsonValue, schema, context, { tree, text: source });
}

/** The first key node that repeats an earlier key of the same object (JSON allows it; protobuf's JSON does not, and the last one would silently win). */
function firstRepeatedKey(node: Node): Node | undefined {
  if (node.type === 'object') {
    const seen = new Set<unknown>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (!key) continue;
      if (seen.has(key.value)) return key;
      seen.add(key.value);
    }
  }
  for (const child of node.children ?? []) {
    const found = firstRepeatedKey(child);
    if (found) return found;
  }
  return undefined;
}

/** protobuf's recursion limit (@bufbuild/protobuf and the Go runtime): no message is deeper. */
const MAX_NESTING = 100;

/**
 * Offset of the first `{` or `[` nested deeper than `limit`, outside strings; undefined if
 * none. Checked before parsing: the JSON tree and the checks below recurse, and a request
 * 20,000 levels deep would overflow the stack instead of getting an answer.
 */
function firstTooDeep(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return undefined;
}

/** Converts an already-parsed JSON value; with the tree at hand, errors also get positions. */
export function requestFromValue(value: JsonValue, schema: DescMessage, context: RequestContext, source?: { tree: Node; text: string }): Message {
  const checker = new RequestChecker(context, source?.text);
  checker.message(schema, value, '$', source?.tree);
  try {
    return fromJson(schema, value, { registry: context.registry });
  } catch (e) {
    // What the walk above lets through (out-of-range numbers, bad base64) the library reports.
    throw new ExplorerError(
      'WRONG_VALUE_TYPE',
      context.plugin,
      `The request for ${context.method} (plugin "${context.plugin}") has a bad value: ${(e as Error).message}.`,
      {},
      { cause: e },
    );
  }
}

class RequestChecker {
  constructor(
    private readonly context: RequestContext,
    private readonly text?: string,
  ) {}

  message(schema: DescMessage, value: JsonValue, path: string, node?: Node): void {
    if (SPECIAL_JSON_TYPES.has(schema.typeName)) return this.special(schema, value, path, node);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.wrongType(path, node, `a JSON object (message ${schema.typeName})`, value);
    }
    for (const [key, fieldValue] of Object.entries(value)) {
      const field = schema.fields.find((f) => f.jsonName === key || f.name === key) ?? this.extension(schema, key);
      const property = node?.children?.find((p) => p.children?.[0]?.value === key);
      const fieldPath = `${path}.${key}`;
      if (!field) {
        const valid = schema.fields.map((f) => f.jsonName);
        throw new ExplorerError(
          'UNKNOWN_FIELD',
          this.context.plugin,
          `The request for ${this.context.method} (plugin "${this.context.plugin}") has an unknown field "${key}" at ${fieldPath}` +
            `${this.at(property)}: ${schema.typeName} has no such field. Valid fields: ${valid.join(', ') || 'none'}.`,
          { path: fieldPath, field: key, validNames: valid, position: this.position(property) },
        );
      }
      this.field(field, fieldValue, fieldPath, property?.children?.[1]);
    }
  }

  /** An extension of `schema` written as proto3 JSON writes them: `"[full.name]"`. */
  private extension(schema: DescMessage, key: string): DescField | undefined {
    if (!key.startsWith('[') || !key.endsWith(']')) return undefined;
    const extension = this.context.registry.getExtension(key.slice(1, -1));
    return extension && extension.extendee.typeName === schema.typeName ? (extension as unknown as DescField) : undefined;
  }

  private field(field: DescField, value: JsonValue, path: string, node?: Node): void {
    if (value === null) return; // proto3 JSON: null is the field's default
    switch (field.fieldKind) {
      case 'scalar':
        return this.scalar(field.scalar, value, path, node);
      case 'enum':
        return this.enumValue(field.enum.typeName, field.enum.values.map((v) => v.name), value, path, node);
      case 'message':
        return this.message(field.message, value, path, node);
      case 'list': {
        if (!Array.isArray(value)) return this.wrongType(path, node, 'a JSON array (repeated field)', value);
        value.forEach((item, i) => {
          const itemPath = `${path}[${i}]`;
          const itemNode = node?.children?.[i];
          if (item === null && isNullValue(field)) return; // NullValue's one JSON value
          if (item === null && field.listKind !== 'message') return this.wrongType(itemPath, itemNode, 'a value (null is not allowed in a list)', item);
          if (field.listKind === 'scalar') this.scalar(field.scalar, item, itemPath, itemNode);
          else if (field.listKind === 'enum') this.enumValue(field.enum.typeName, field.enum.values.map((v) => v.name), item, itemPath, itemNode);
          else this.message(field.message, item, itemPath, itemNode);
        });
        return;
      }
      case 'map': {
        if (typeof value !== 'object' || Array.isArray(value)) return this.wrongType(path, node, 'a JSON object (map field)', value);
        for (const [key, item] of Object.entries(value)) {
          const itemPath = `${path}[${JSON.stringify(key)}]`;
          const itemNode = node?.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
          if (field.mapKind === 'scalar') this.scalar(field.scalar, item, itemPath, itemNode);
          else if (field.mapKind === 'enum') this.enumValue(field.enum.typeName, field.enum.values.map((v) => v.name), item, itemPath, itemNode);
          else this.message(field.message, item, itemPath, itemNode);
        }
        return;
      }
    }
  }

  private scalar(type: ScalarType, value: JsonValue, path: string, node?: Node): void {
    const name = ScalarType[type].toLowerCase();
    if (INTEGER_SCALARS.has(type)) {
      // proto3 JSON: a number or a string of an integral value, exponent notation included
      // ("1e3", "1.0"); 64-bit ones as digits only, all the protobuf runtime reads exactly.
      const digits = /^-?\d+$/;
      const ok =
        (typeof value === 'number' && Number.isInteger(value)) ||
        (typeof value === 'string' && (INT64_SCALARS.has(type) ? digits.test(value) : JSON_NUMBER.test(value) && Number.isInteger(Number(value))));
      if (!ok) this.wrongType(path, node, `an integer (${name}; 64-bit values may be strings${INT64_SCALARS.has(type) ? ' of digits' : ''})`, value);
    } else if (type === ScalarType.FLOAT || type === ScalarType.DOUBLE) {
      // A string must be a JSON number ("0x10", " 1" and "" are not), or NaN / Infinity / -Infinity.
      const ok = typeof value === 'number' || (typeof value === 'string' && (/^(NaN|-?Infinity)$/.test(value) || JSON_NUMBER.test(value)));
      if (!ok) this.wrongType(path, node, `a number (${name})`, value);
    } else if (type === ScalarType.BOOL) {
      if (typeof value !== 'boolean') this.wrongType(path, node, 'true or false (bool)', value);
    } else if (type === ScalarType.BYTES) {
      if (typeof value !== 'string') this.wrongType(path, node, 'a base64 string (bytes)', value);
    } else if (typeof value !== 'string') {
      this.wrongType(path, node, 'a string', value);
    }
  }

  private enumValue(typeName: string, names: string[], value: JsonValue, path: string, node?: Node): void {
    if (typeof value === 'number' && Number.isInteger(value)) return;
    if (typeof value === 'string' && names.includes(value)) return;
    throw new ExplorerError(
      'WRONG_VALUE_TYPE',
      this.context.plugin,
      `The request for ${this.context.method} (plugin "${this.context.plugin}") has ${describe(value)} at ${path}${this.at(node)}, ` +
        `which is not a value of the enum ${typeName}. Valid values: ${names.join(', ')}.`,
      { path, validNames: names, position: this.position(node) },
    );
  }

  /** Well-known types (Timestamp as an RFC 3339 string, Duration as "1.5s", Any with @type...). */
  private special(schema: DescMessage, value: JsonValue, path: string, node?: Node): void {
    try {
      fromJson(schema, value, { registry: this.context.registry });
    } catch (e) {
      throw new ExplorerError(
        'WRONG_VALUE_TYPE',
        this.context.plugin,
        `The request for ${this.context.method} (plugin "${this.context.plugin}") has a bad ${schema.typeName} at ${path}${this.at(node)}: ${(e as Error).message}.`,
        { path, position: this.position(node) },
        { cause: e },
      );
    }
  }

  private wrongType(path: string, node: Node | undefined, expected: string, value: JsonValue): never {
    throw new ExplorerError(
      'WRONG_VALUE_TYPE',
      this.context.plugin,
      `The request for ${this.context.method} (plugin "${this.context.plugin}") has ${describe(value)} at ${path}${this.at(node)}; it must be ${expected}.`,
      { path, position: this.position(node) },
    );
  }

  private position(node?: Node): TextPosition | undefined {
    return node && this.text !== undefined ? positionAt(this.text, node.offset) : undefined;
  }

  private at(node?: Node): string {
    const p = this.position(node);
    return p ? ` (line ${p.line}, column ${p.column})` : '';
  }
}

function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${text.length > 40 ? text.slice(0, 37) + '...' : text}`;
}

/** 1-based line and column of an offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function describeSyntaxError(code: string): string {
  // jsonc-parser's codes, e.g. "PropertyNameExpected" -> "property name expected".
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
