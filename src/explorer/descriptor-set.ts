// Turns a bag of FileDescriptorProtos (from reflection or from compiled .proto files)
// into a @bufbuild/protobuf registry: files ordered so each comes after its imports.
import { createFileRegistry, create, type FileRegistry } from '@bufbuild/protobuf';
import { protoCamelCase } from '@bufbuild/protobuf/reflect';
import { FileDescriptorSetSchema, type DescriptorProto, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';

/**
 * Orders files dependencies-first. A dependency that is not in the set is reported
 * through `missing` (the registry would reject the file anyway).
 */
export function orderByDependencies(files: Iterable<FileDescriptorProto>): { ordered: FileDescriptorProto[]; missing: string[] } {
  const byName = new Map<string, FileDescriptorProto>();
  for (const file of files) byName.set(file.name, file);
  const ordered: FileDescriptorProto[] = [];
  const missing = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: FileDescriptorProto) => {
    if (state.get(file.name)) return; // done, or an import cycle the registry will reject
    state.set(file.name, 'visiting');
    for (const dep of file.dependency) {
      const depFile = byName.get(dep);
      if (depFile) visit(depFile);
      else missing.add(dep);
    }
    state.set(file.name, 'done');
    ordered.push(file);
  };
  for (const file of byName.values()) visit(file);
  return { ordered, missing: [...missing] };
}

/** A registry of every file; throws the library's message for an inconsistent set. */
export function registryFromFiles(files: Iterable<FileDescriptorProto>): FileRegistry {
  const { ordered } = orderByDependencies(files);
  for (const file of ordered) fillJsonNames(file.messageType);
  return createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }));
}

/**
 * protoc fills every field's json_name, and the registry uses it as the JSON key; the
 * descriptors some plugins serve leave it out (Python's generated code embeds them
 * without it), which would make every field's JSON key "". Fill it in as protoc does.
 */
function fillJsonNames(messages: DescriptorProto[]): void {
  for (const message of messages) {
    for (const field of message.field) if (!field.jsonName) field.jsonName = protoCamelCase(field.name);
    fillJsonNames(message.nestedType);
  }
}
