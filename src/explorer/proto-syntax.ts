// Descriptors printed back as .proto text, for `describe`: what a person would look up
// in the plugin's sources. Printed from the registry, so it is the same whether the
// descriptors came from reflection or from compiled files.
import { isFieldSet, ScalarType, type DescEnum, type DescField, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import { protoCamelCase } from '@bufbuild/protobuf/reflect';
import { Edition, FieldDescriptorProto_Label, FieldDescriptorProto_Type, FieldDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

/** A service, method, message or enum in proto syntax, with a leading `// full.Name` line. */
export function toProtoSyntax(desc: DescService | DescMethod | DescMessage | DescEnum): string {
  switch (desc.kind) {
    case 'service':
      return `// ${desc.typeName}\n${service(desc)}`;
    case 'rpc':
      return `// ${desc.parent.typeName}/${desc.name}\n${rpc(desc)}\n`;
    case 'message':
      return `// ${desc.typeName}\n${message(desc, '')}`;
    case 'enum':
      return `// ${desc.typeName}\n${enumeration(desc, '')}`;
  }
}

function service(desc: DescService): string {
  return `service ${desc.name} {\n${desc.methods.map((m) => `  ${rpc(m)}\n`).join('')}}\n`;
}

function rpc(m: DescMethod): string {
  const stream = (yes: boolean) => (yes ? 'stream ' : '');
  const clientStreams = m.methodKind === 'client_streaming' || m.methodKind === 'bidi_streaming';
  const serverStreams = m.methodKind === 'server_streaming' || m.methodKind === 'bidi_streaming';
  return `rpc ${m.name}(${stream(clientStreams)}${m.input.typeName}) returns (${stream(serverStreams)}${m.output.typeName});`;
}

function message(desc: DescMessage, indent: string): string {
  const inner = indent + '  ';
  const lines: string[] = [];
  const printedOneofs = new Set<string>();
  for (const field of desc.fields) {
    const oneof = field.oneof && !field.proto.proto3Optional ? field.oneof : undefined;
    if (!oneof) {
      lines.push(`${inner}${fieldLine(field)}`);
    } else if (!printedOneofs.has(oneof.name)) {
      printedOneofs.add(oneof.name);
      lines.push(`${inner}oneof ${oneof.name} {`, ...oneof.fields.map((f) => `${inner}  ${fieldLine(f)}`), `${inner}}`);
    }
  }
  for (const nested of desc.nestedMessages) if (!nested.proto.options?.mapEntry) lines.push(message(nested, inner).trimEnd());
  for (const nested of desc.nestedEnums) lines.push(enumeration(nested, inner).trimEnd());
  return `${indent}message ${desc.name} {\n${lines.map((l) => l + '\n').join('')}${indent}}\n`;
}

function enumeration(desc: DescEnum, indent: string): string {
  // Two names for one number are an error in a .proto file unless aliases are allowed.
  const aliases = new Set(desc.values.map((v) => v.number)).size < desc.values.length;
  const option = aliases ? `${indent}  option allow_alias = true;\n` : '';
  return `${indent}enum ${desc.name} {\n${option}${desc.values.map((v) => `${indent}  ${v.name} = ${v.number};\n`).join('')}${indent}}\n`;
}

/** The label a field is written with: proto2 spells out optional and required; proto3 only an explicit optional. */
function label(field: DescField): string {
  if (field.parent.file.edition === Edition.EDITION_PROTO2) {
    return field.proto.label === FieldDescriptorProto_Label.REQUIRED ? 'required ' : 'optional ';
  }
  return field.proto.proto3Optional ? 'optional ' : '';
}

/** ` [default = ...]` (proto2) and ` [json_name = "..."]` when not the usual camelCase name. */
function options(field: DescField): string {
  const found: string[] = [];
  const value = field.proto.defaultValue;
  if (isFieldSet(field.proto, FieldDescriptorProtoSchema.field.defaultValue)) {
    const quoted = field.proto.type === FieldDescriptorProto_Type.STRING || field.proto.type === FieldDescriptorProto_Type.BYTES;
    found.push(`default = ${quoted ? JSON.stringify(value) : value}`);
  }
  if (field.proto.jsonName && field.proto.jsonName !== protoCamelCase(field.name)) found.push(`json_name = ${JSON.stringify(field.proto.jsonName)}`);
  return found.length ? ` [${found.join(', ')}]` : '';
}

function fieldLine(field: DescField): string {
  const optional = label(field);
  const end = `${options(field)};`;
  switch (field.fieldKind) {
    case 'scalar':
      return `${optional}${scalarName(field.scalar)} ${field.name} = ${field.number}${end}`;
    case 'enum':
      return `${optional}${field.enum.typeName} ${field.name} = ${field.number}${end}`;
    case 'message':
      return `${optional}${field.message.typeName} ${field.name} = ${field.number}${end}`;
    case 'list': {
      const type = field.listKind === 'scalar' ? scalarName(field.scalar) : field.listKind === 'enum' ? field.enum.typeName : field.message.typeName;
      return `repeated ${type} ${field.name} = ${field.number}${end}`;
    }
    case 'map': {
      const value = field.mapKind === 'scalar' ? scalarName(field.scalar) : field.mapKind === 'enum' ? field.enum.typeName : field.message.typeName;
      return `map<${scalarName(field.mapKey)}, ${value}> ${field.name} = ${field.number}${end}`;
    }
  }
}

function scalarName(type: ScalarType): string {
  return ScalarType[type].toLowerCase();
}
