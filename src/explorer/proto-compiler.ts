// Compiles .proto files at run time with protobufjs (parser and its descriptor
// extension), for plugins that serve no reflection. Nothing here parses proto text by hand.
import { fromBinary } from '@bufbuild/protobuf';
import { protoCamelCase } from '@bufbuild/protobuf/reflect';
import {
  FileDescriptorSetSchema,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import * as protobuf from 'protobufjs';
import * as descriptorExt from 'protobufjs/ext/descriptor';

/** Where a .proto file or its imports come from. */
export interface ProtoSources {
  /** Entry files: absolute, or relative to one of `importPaths` (then the working directory). */
  protoFiles: string[];
  /** Directories searched for the entry files and their imports, in order. */
  importPaths?: string[];
}

/**
 * Compiles the files and their imports into FileDescriptorProtos.
 * protobufjs's descriptor extension emits one file per package (named after it) and no
 * `dependency` lists; the dependencies are recomputed here from the type references,
 * so the set loads into a registry. Throws protobufjs's own message on a bad file.
 */
export function compileProtoFiles(sources: ProtoSources): FileDescriptorProto[] {
  const importPaths = (sources.importPaths ?? []).map((p) => resolve(p));
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => resolveImport(origin, target, importPaths);
  root.loadSync(
    sources.protoFiles.map((file) => resolveImport('', file, importPaths)),
    { keepCase: true },
  );
  root.resolveAll();
  return fromProtobufjsRoot(root);
}

/** Compiles proto source text held in memory (the explorer's own internal protos). */
export function compileProtoText(text: string): FileDescriptorProto[] {
  const root = new protobuf.Root();
  const parsed = protobuf.parse(text, root, { keepCase: true });
  // Only the well-known types protobufjs carries itself can be imported from memory.
  for (const name of parsed.imports ?? []) {
    const json = protobuf.common.get(name);
    if (!json) throw new Error(`in-memory proto imports "${name}", which is not a well-known type`);
    root.addJSON(json.nested ?? {});
  }
  root.resolveAll();
  return fromProtobufjsRoot(root);
}

function fromProtobufjsRoot(root: protobuf.Root): FileDescriptorProto[] {
  // The extension writes one file per package, all in the syntax it is given. Written both
  // ways, each package's file is taken in its own syntax: proto2's required fields, explicit
  // presence and defaults are what the plugin expects on the wire.
  const describe = (syntax: 'proto2' | 'proto3') => {
    const set = (root as protobuf.Root & { toDescriptor(edition: string): protobuf.Message }).toDescriptor(syntax);
    return fromBinary(FileDescriptorSetSchema, descriptorExt.FileDescriptorSet.encode(set).finish()).file;
  };
  const asProto3 = describe('proto3');
  const asProto2 = describe('proto2');
  const files = asProto3.map((file, i) => (packageSyntax(root, file.package) === 'proto2' ? asProto2[i] : file));
  qualifyAndLink(files, customJsonNames(root));
  markProto3Optional(files, proto3OptionalFields(root));
  return files;
}

/** The syntax the files of `pkg` declared (protobufjs notes it on their top-level objects); proto3 unless one says proto2. */
function packageSyntax(root: protobuf.Root, pkg: string): 'proto2' | 'proto3' {
  const ns = pkg ? root.lookup(pkg) : root;
  if (!(ns instanceof protobuf.Namespace)) return 'proto3';
  const editions = ns.nestedArray.map((o) => (o as { _edition?: string })._edition);
  return editions.includes('proto2') ? 'proto2' : 'proto3';
}

/** `[json_name = "..."]` of each field that has one, by full name (`.pkg.Message.field`). */
function customJsonNames(root: protobuf.Root): Map<string, string> {
  const names = new Map<string, string>();
  forEachField(root, (field) => {
    const jsonName = field.options?.json_name;
    if (typeof jsonName === 'string') names.set(field.fullName, jsonName);
  });
  return names;
}

/** Calls `visit` with every message field protobufjs parsed, nested types included. */
function forEachField(root: protobuf.Root, visit: (field: protobuf.Field) => void): void {
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) nested.fieldsArray.forEach(visit);
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) walk(nested);
    }
  };
  walk(root);
}

/** Full names (`.pkg.Message.field`) of the fields declared `optional` in proto3. */
function proto3OptionalFields(root: protobuf.Root): Set<string> {
  const names = new Set<string>();
  forEachField(root, (field) => {
    if (field.options?.proto3_optional === true) names.add(field.fullName);
  });
  return names;
}

/**
 * The extension drops the proto3_optional flag and leaves its synthetic oneof (`_name`)
 * looking like a real one; set the flag back so presence and `describe` are right.
 */
function markProto3Optional(files: FileDescriptorProto[], optional: Set<string>): void {
  const walk = (scope: string, messages: DescriptorProto[]) => {
    for (const m of messages) {
      const inner = `${scope}.${m.name}`;
      for (const f of m.field) if (optional.has(`${inner}.${f.name}`)) f.proto3Optional = true;
      walk(inner, m.nestedType);
    }
  };
  for (const file of files) walk(file.package ? `.${file.package}` : '', file.messageType);
}

/** An import resolves against the importing file's folder, then each import path, as protoc does. */
function resolveImport(origin: string, target: string, importPaths: string[]): string {
  if (isAbsolute(target)) return target;
  for (const dir of importPaths) {
    const candidate = join(dir, target);
    if (existsSync(candidate)) return candidate;
  }
  // protobufjs knows the common well-known types (google/protobuf/*.proto) itself.
  return protobuf.util.path.resolve(origin, target);
}

/**
 * The extension writes type references relative to their scope ("Value", "Fields") the
 * way .proto text does; a registry needs them fully qualified. Resolves each like protoc
 * (innermost scope outwards), then lists each file's imports from what it references.
 */
function qualifyAndLink(files: FileDescriptorProto[], jsonNames: Map<string, string>): void {
  const owner = new Map<string, string>();
  const walkTypes = (file: string, scope: string, messages: DescriptorProto[], enums: EnumDescriptorProto[]) => {
    for (const e of enums) owner.set(`${scope}.${e.name}`, file);
    for (const m of messages) {
      owner.set(`${scope}.${m.name}`, file);
      walkTypes(file, `${scope}.${m.name}`, m.nestedType, m.enumType);
    }
  };
  for (const file of files) walkTypes(file.name, file.package ? `.${file.package}` : '', file.messageType, file.enumType);

  const qualify = (name: string, scope: string): string => {
    if (!name || name.startsWith('.')) return name;
    for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
      if (owner.has(`${s}.${name}`)) return `${s}.${name}`;
      if (!s) return name; // unresolvable: the registry reports it by name
    }
  };
  for (const file of files) {
    const deps = new Set<string>();
    const use = (name: string) => {
      const dep = owner.get(name);
      if (dep && dep !== file.name) deps.add(dep);
    };
    const fixField = (f: FieldDescriptorProto, scope: string) => {
      // The extension leaves json_name empty; protoc always fills it in (the field's own
      // [json_name] or its camelCase name), and registries rely on it.
      if (!f.jsonName && !f.extendee) f.jsonName = jsonNames.get(`${scope}.${f.name}`) ?? protoCamelCase(f.name);
      if (f.typeName) use((f.typeName = qualify(f.typeName, scope)));
      if (f.extendee) use((f.extendee = qualify(f.extendee, scope)));
    };
    const walk = (scope: string, messages: DescriptorProto[]) => {
      for (const m of messages) {
        const inner = `${scope}.${m.name}`;
        // protobufjs adds each extension to the message it extends as well, as a field named
        // ".pkg.name"; the extension itself is already where it was declared.
        m.field = m.field.filter((f) => !f.name.startsWith('.'));
        for (const f of [...m.field, ...m.extension]) fixField(f, inner);
        walk(inner, m.nestedType);
      }
    };
    const pkg = file.package ? `.${file.package}` : '';
    walk(pkg, file.messageType);
    for (const f of file.extension) fixField(f, pkg);
    for (const service of file.service) {
      for (const method of service.method) {
        use((method.inputType = qualify(method.inputType, pkg)));
        use((method.outputType = qualify(method.outputType, pkg)));
      }
    }
    file.dependency = [...deps].sort();
  }
}
