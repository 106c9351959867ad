// What a request editor starts from and checks against: a JSON template of a message
// (every field at its default, the first enum value) and a JSON Schema of its proto3 JSON
// form (field names, types, enum values), both generated from the descriptor.
import { ScalarType, type DescField, type DescMessage, type JsonValue } from '@bufbuild/protobuf';

/** How deep a template follows message fields before it writes `{}` (types may recurse). */
const TEMPLATE_DEPTH = 3;

const WKT = 'google.protobuf.';

/** Every field at its default (oneofs: their first member), nested messages to a small depth. */
export function requestTemplate(message: DescMessage, depth = 0): JsonValue {
  const special = specialTemplate(message.typeName);
  if (special !== undefined) return special;
  const template: Record<string, JsonValue> = {};
  const oneofsSeen = new Set<string>();
  for (const field of message.fields) {
    if (field.oneof && !field.proto.proto3Optional) {
      if (oneofsSeen.has(field.oneof.name)) continue;
      oneofsSeen.add(field.oneof.name);
    }
    template[field.jsonName] = fieldTemplate(field, depth);
  }
  return template;
}

function fieldTemplate(field: DescField, depth: number): JsonValue {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarTemplate(field.scalar);
    case 'enum':
      return field.enum.values[0]?.name ?? 0;
    case 'message':
      return depth + 1 >= TEMPLATE_DEPTH && specialTemplate(field.message.typeName) === undefined ? {} : requestTemplate(field.message, depth + 1);
    case 'list':
      return [];
    case 'map':
      return {};
  }
}

function scalarTemplate(type: ScalarType): JsonValue {
  switch (type) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return '';
    case ScalarType.BOOL:
      return false;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return '0';
    default:
      return 0;
  }
}

function specialTemplate(typeName: string): JsonValue | undefined {
  switch (typeName) {
    case `${WKT}Timestamp`:
      return '1970-01-01T00:00:00Z';
    case `${WKT}Duration`:
      return '0s';
    case `${WKT}FieldMask`:
      return '';
    case `${WKT}Struct`:
      return {};
    case `${WKT}ListValue`:
      return [];
    case `${WKT}Value`:
      return null;
    case `${WKT}Any`:
      return {}; // the empty Any; a real one names its type in "@type"
  }
  return typeName.startsWith(WKT) && typeName.endsWith('Value') ? null : undefined; // wrappers
}

type Schema = Record<string, unknown>;

/**
 * A JSON Schema (draft-07) of the message's proto3 JSON form. Messages are definitions
 * referenced by full name, so recursive types are fine. Both the JSON name and the proto
 * name of a field are accepted, as parsers do; nothing else is (additionalProperties false).
 */
export function requestJsonSchema(message: DescMessage): Schema {
  const definitions: Record<string, Schema> = {};
  const define = (desc: DescMessage): Schema => {
    if (!definitions[desc.typeName]) {
      definitions[desc.typeName] = {}; // placeholder first: recursion ends here
      definitions[desc.typeName] = messageSchema(desc, define);
    }
    return { $ref: `#/definitions/${desc.typeName}` };
  };
  const root = define(message);
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions };
}

function messageSchema(desc: DescMessage, define: (d: DescMessage) => Schema): Schema {
  const special = specialSchema(desc.typeName);
  if (special) return special;
  const properties: Record<string, Schema> = {};
  for (const field of desc.fields) {
    const schema = { ...fieldSchema(field, define), description: `${field.name} = ${field.number}${field.oneof && !field.proto.proto3Optional ? ` (oneof ${field.oneof.name})` : ''}` };
    properties[field.jsonName] = schema;
    if (field.name !== field.jsonName) properties[field.name] = schema;
  }
  return { type: 'object', title: desc.typeName, properties, additionalProperties: false };
}

function fieldSchema(field: DescField, define: (d: DescMessage) => Schema): Schema {
  switch (field.fieldKind) {
    case 'scalar':
      return nullable(scalarSchema(field.scalar));
    case 'enum':
      return nullable(enumSchema(field.enum.values.map((v) => v.name)));
    case 'message':
      return { anyOf: [define(field.message), { type: 'null' }] };
    case 'list': {
      const item = field.listKind === 'scalar' ? scalarSchema(field.scalar) : field.listKind === 'enum' ? enumSchema(field.enum.values.map((v) => v.name)) : define(field.message);
      return nullable({ type: 'array', items: item });
    }
    case 'map': {
      const value = field.mapKind === 'scalar' ? scalarSchema(field.scalar) : field.mapKind === 'enum' ? enumSchema(field.enum.values.map((v) => v.name)) : define(field.message);
      return nullable({ type: 'object', additionalProperties: value });
    }
  }
}

function nullable(schema: Schema): Schema {
  return { anyOf: [schema, { type: 'null' }] };
}

function enumSchema(names: string[]): Schema {
  return { anyOf: [{ enum: names }, { type: 'integer' }] };
}

const INTEGER_STRING = '^-?[0-9]+$';

function scalarSchema(type: ScalarType): Schema {
  switch (type) {
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BYTES:
      return { type: 'string', contentEncoding: 'base64' };
    case ScalarType.BOOL:
      return { type: 'boolean' };
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^(NaN|-?Infinity|-?[0-9.eE+-]+)$' }] };
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      // 64-bit integers are strings in proto3 JSON: beyond 2^53 a JSON number loses digits.
      return { anyOf: [{ type: 'string', pattern: INTEGER_STRING }, { type: 'integer' }] };
    default:
      return { anyOf: [{ type: 'integer' }, { type: 'string', pattern: INTEGER_STRING }] };
  }
}

function specialSchema(typeName: string): Schema | undefined {
  switch (typeName) {
    case `${WKT}Timestamp`:
      return { type: 'string', format: 'date-time', description: 'RFC 3339, e.g. 2024-01-02T03:04:05Z' };
    case `${WKT}Duration`:
      return { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]{1,9})?s$', description: 'seconds with an "s", e.g. 1.5s' };
    case `${WKT}FieldMask`:
      return { type: 'string', description: 'comma-separated field paths in lowerCamelCase' };
    case `${WKT}Struct`:
      return { type: 'object' };
    case `${WKT}ListValue`:
      return { type: 'array' };
    case `${WKT}Value`:
      return {};
    case `${WKT}Any`:
      return { type: 'object', properties: { '@type': { type: 'string', description: 'type.googleapis.com/FULL.TYPE.NAME' } } };
    case `${WKT}Empty`:
      return { type: 'object', additionalProperties: false };
    case `${WKT}BoolValue`:
      return { type: 'boolean' };
    case `${WKT}StringValue`:
      return { type: 'string' };
    case `${WKT}BytesValue`:
      return scalarSchema(ScalarType.BYTES);
    case `${WKT}DoubleValue`:
    case `${WKT}FloatValue`:
      return scalarSchema(ScalarType.DOUBLE);
    case `${WKT}Int64Value`:
    case `${WKT}UInt64Value`:
      return scalarSchema(ScalarType.INT64);
    case `${WKT}Int32Value`:
    case `${WKT}UInt32Value`:
      return scalarSchema(ScalarType.INT32);
  }
  return undefined;
}
