// The FileDescriptorProtos the SDK's reflection serves: gathered from each registered
// service's definition (proto-loader attaches them to every message type) or from the
// descriptors its author passed, then made self-consistent, because files that
// proto-loader synthesises from a JSON descriptor (like src/proto's) import nothing.
import type * as grpc from '@grpc/grpc-js';
import { FileDescriptorProto, type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor';

/** A decoded file as protobufjs returns it (mutable, re-encodable). */
export type FileDescriptor = IFileDescriptorProto & { name: string };

/** `tutorial.Greeter` from a definition's method paths (`/tutorial.Greeter/Greet`); undefined with no methods. */
export function serviceNameOf(definition: grpc.ServiceDefinition): string | undefined {
  for (const method of Object.values(definition)) {
    const match = /^\/([^/]+)\/[^/]+$/.exec(method.path);
    if (match) return match[1];
  }
  return undefined;
}

/** The encoded files a proto-loader definition carries on its request and response types. */
export function filesOfDefinition(definition: grpc.ServiceDefinition): Uint8Array[] {
  const files: Uint8Array[] = [];
  for (const method of Object.values(definition) as Array<{ requestType?: unknown; responseType?: unknown }>) {
    for (const type of [method.requestType, method.responseType]) {
      const protos = (type as { fileDescriptorProtos?: unknown } | undefined)?.fileDescriptorProtos;
      if (Array.isArray(protos)) files.push(...protos.filter((p): p is Uint8Array => p instanceof Uint8Array));
    }
  }
  return files;
}

// proto-loader names a file synthesised from JSON after its package ("google_protobuf.proto");
// a well-known type keeps its real file name so it is one file with a user's import of it.
const WELL_KNOWN_FILES: Record<string, string> = {
  Any: 'google/protobuf/any.proto',
  Duration: 'google/protobuf/duration.proto',
  Empty: 'google/protobuf/empty.proto',
  FieldMask: 'google/protobuf/field_mask.proto',
  Struct: 'google/protobuf/struct.proto',
  Value: 'google/protobuf/struct.proto',
  ListValue: 'google/protobuf/struct.proto',
  Timestamp: 'google/protobuf/timestamp.proto',
};

function canonicalName(file: FileDescriptor): string {
  if (file.package !== 'google.protobuf' || file.name !== 'google_protobuf.proto') return file.name;
  const names = new Set((file.messageType ?? []).map((m) => WELL_KNOWN_FILES[m.name ?? '']));
  const [only] = names;
  return names.size === 1 && only && !(file.enumType?.length) ? only : file.name;
}

/** Decodes files; the first file of each name wins (one source describes each). */
export function decodeFiles(encoded: Iterable<Uint8Array>, into = new Map<string, FileDescriptor>()): Map<string, FileDescriptor> {
  for (const bytes of encoded) {
    const file = FileDescriptorProto.decode(bytes) as unknown as FileDescriptor;
    if (!file.name) continue;
    file.name = canonicalName(file);
    if (!into.has(file.name)) into.set(file.name, file);
  }
  return into;
}

/** Every fully-qualified symbol (messages, enums, services) mapped to its file's name. */
export function symbolIndex(files: Map<string, FileDescriptor>): Map<string, string> {
  const index = new Map<string, string>();
  const addMessages = (scope: string, messages: IDescriptorProto[] | undefined, file: string) => {
    for (const message of messages ?? []) {
      const name = `${scope}${message.name}`;
      index.set(name, file);
      for (const e of message.enumType ?? []) index.set(`${name}.${e.name}`, file);
      addMessages(`${name}.`, message.nestedType, file);
    }
  };
  for (const file of files.values()) {
    const scope = file.package ? `${file.package}.` : '';
    addMessages(scope, file.messageType, file.name);
    for (const e of file.enumType ?? []) index.set(`${scope}${e.name}`, file.name);
    for (const s of file.service ?? []) index.set(`${scope}${s.name}`, file.name);
  }
  return index;
}

/** protoc's json_name: each letter after an underscore upper-cased, the underscores dropped. */
export function jsonNameOf(fieldName: string): string {
  return fieldName.replace(/_+(.)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase());
}

/** `name` as written in `scope` (C++-like rules, as in descriptor.proto), fully qualified without the dot. */
function resolveName(index: Map<string, string>, scope: string, name: string): string | undefined {
  if (name.startsWith('.')) return index.has(name.slice(1)) ? name.slice(1) : undefined;
  for (let outer = scope; outer; outer = outer.includes('.') ? outer.slice(0, outer.lastIndexOf('.')) : '') {
    if (index.has(`${outer}.${name}`)) return `${outer}.${name}`;
  }
  return index.has(name) ? name : undefined;
}

/**
 * Fills each field's json_name, makes every type reference fully qualified (protobufjs writes the shortest relative
 * name, which some clients, @bufbuild/protobuf's registry among them, do not resolve)
 * and adds each missing import (a file defining a type another file refers to), so a
 * client that builds a registry from the files (the explorer, grpcurl) resolves them all.
 */
export function linkImports(files: Map<string, FileDescriptor>): void {
  const index = symbolIndex(files);
  for (const file of files.values()) {
    const deps: string[] = [...((file.dependency ?? []) as string[])];
    const qualify = (scope: string, name: string | undefined | null): string | undefined => {
      if (!name) return undefined;
      const full = resolveName(index, scope, name);
      if (!full) return name; // Left as written: the client reports what it cannot resolve.
      const owner = index.get(full)!;
      if (owner !== file.name && !deps.includes(owner)) deps.push(owner);
      return `.${full}`;
    };
    const visit = (scope: string, messages: IDescriptorProto[] | undefined) => {
      for (const message of messages ?? []) {
        const name = scope ? `${scope}.${message.name}` : `${message.name}`;
        for (const field of [...(message.field ?? []), ...(message.extension ?? [])]) {
          // protoc always fills json_name and clients use it as is; protobufjs leaves it out.
          if (!field.jsonName && field.name) field.jsonName = jsonNameOf(field.name);
          field.typeName = qualify(name, field.typeName);
          field.extendee = qualify(name, field.extendee);
        }
        visit(name, message.nestedType);
      }
    };
    const pkg = file.package ?? '';
    visit(pkg, file.messageType);
    for (const ext of file.extension ?? []) {
      ext.typeName = qualify(pkg, ext.typeName);
      ext.extendee = qualify(pkg, ext.extendee);
    }
    for (const service of file.service ?? []) {
      for (const method of service.method ?? []) {
        method.inputType = qualify(pkg, method.inputType);
        method.outputType = qualify(pkg, method.outputType);
      }
    }
    file.dependency = deps;
  }
}

/** The named files and everything they import, transitively, encoded. */
export function closure(files: Map<string, FileDescriptor>, roots: Iterable<string>): Uint8Array[] {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length) {
    const name = pending.pop()!;
    const file = files.get(name);
    if (!file || seen.has(name)) continue;
    seen.add(name);
    pending.push(...((file.dependency ?? []) as string[]));
  }
  return [...seen].map((name) => FileDescriptorProto.encode(files.get(name)!).finish());
}
