// Descriptors printed back as .proto text, for `describe`: what a person would look up
// in the plugin's sources. Printed from the registry, so it is the same whether the
// descriptors came from reflection or from compiled files.
import { ScalarType, type DescEnum, type DescField, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';

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
  return `${indent}enum ${desc.name} {\n${desc.values.map((v) => `${indent}  ${v.name} = ${v.number};\n`).join('')}${indent}}\n`;
}

function fieldLine(field: DescField): string {
  const optional = field.proto.proto3Optional ? 'optional ' : '';
  switch (field.fieldKind) {
    case 'scalar':
      return `${optional}${scalarName(field.scalar)} ${field.name} = ${field.number};`;
    case 'enum':
      return `${optional}${field.enum.typeName} ${field.name} = ${field.number};`;
    case 'message':
      return `${optional}${field.message.typeName} ${field.name} = ${field.number};`;
    case 'list': {
      const type = field.listKind === 'scalar' ? scalarName(field.scalar) : field.listKind === 'enum' ? field.enum.typeName : field.message.typeName;
      return `repeated ${type} ${field.name} = ${field.number};`;
    }
    case 'map': {
      const value = field.mapKind === 'scalar' ? scalarName(field.scalar) : field.mapKind === 'enum' ? field.enum.typeName : field.message.typeName;
      return `map<${scalarName(field.mapKey)}, ${value}> ${field.name} = ${field.number};`;
    }
  }
}

function scalarName(type: ScalarType): string {
  return ScalarType[type].toLowerCase();
}
