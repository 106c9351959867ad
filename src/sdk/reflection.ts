// gRPC server reflection (grpc.reflection.v1 and v1alpha) for every service the plugin
// serves, as go-plugin registers it on its grpc.Server since v1.2.0. The answers come from
// @grpc/reflection's implementation; its addToServer() reads reflection.proto from disk,
// which breaks in a bundled plugin (grpc/grpc-node#2659), so the service definitions are
// built here from the embedded reflectionDescriptorJson instead.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionV1Implementation } from '@grpc/reflection/build/src/implementations/reflection-v1';
import * as protobuf from 'protobufjs';
import type { Logger } from './logger';
import { closure, decodeFiles, filesOfDefinition, linkImports, serviceNameOf, symbolIndex } from './reflection-files';
import { reflectionDescriptorJson } from './reflection-protos.generated';

/** The reflection services the SDK serves (v1alpha for clients built with an older grpc-go). */
export const REFLECTION_SERVICES = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'] as const;

/** A service the server serves and, when its definition does not carry them, the files that describe it. */
export interface ReflectedService {
  definition: grpc.ServiceDefinition;
  /** Encoded FileDescriptorProtos: the service's file and its imports. */
  descriptor?: Iterable<Uint8Array>;
}

type JsonObject = { [key: string]: unknown };

// @grpc/reflection's handler reads camelCase fields (messageRequest, listServices...) as
// proto-loader produces them without keepCase; the embedded JSON keeps the protos' own
// snake_case names (so the descriptors served for reflection itself are right).
function camelCaseFields(node: unknown): unknown {
  if (Array.isArray(node) || typeof node !== 'object' || node === null) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node as JsonObject)) {
    if (key === 'fields') {
      out.fields = Object.fromEntries(Object.entries(value as JsonObject).map(([name, f]) => [protobuf.util.camelCase(name), f]));
    } else if (key === 'oneofs') {
      out.oneofs = Object.fromEntries(
        Object.entries(value as Record<string, { oneof: string[] }>).map(([name, o]) => [
          protobuf.util.camelCase(name),
          { ...o, oneof: o.oneof.map((member) => protobuf.util.camelCase(member)) },
        ]),
      );
    } else out[key] = camelCaseFields(value);
  }
  return out;
}

let reflectionDefinitions: { services: grpc.ServiceDefinition[]; files: Uint8Array[] } | undefined;

/** The two ServerReflection definitions (decoding as @grpc/reflection expects) and their own files. */
function reflectionServices() {
  if (!reflectionDefinitions) {
    const forHandler = protoLoader.fromJSON(camelCaseFields(reflectionDescriptorJson) as JsonObject, {
      longs: String,
      enums: String,
      bytes: Array,
      defaults: true,
      oneofs: true,
    });
    const forDescriptors = protoLoader.fromJSON(reflectionDescriptorJson as unknown as JsonObject);
    const services = REFLECTION_SERVICES.map((name) => forHandler[name] as grpc.ServiceDefinition);
    const files = REFLECTION_SERVICES.flatMap((name) => filesOfDefinition(forDescriptors[name] as grpc.ServiceDefinition));
    reflectionDefinitions = { services, files };
  }
  return reflectionDefinitions;
}

/**
 * Adds grpc.reflection.v1 and v1alpha ServerReflection to `server`, describing `services`
 * and the reflection services themselves. A service with no descriptor anywhere is served
 * but not described; the warning says how to describe it.
 */
export function addReflection(server: grpc.Server, services: ReflectedService[], logger: Logger): void {
  const { services: definitions, files: ownFiles } = reflectionServices();
  const files = decodeFiles(ownFiles);
  for (const service of services) decodeFiles(service.descriptor ?? [], files);
  for (const service of services) decodeFiles(filesOfDefinition(service.definition), files);
  linkImports(files);

  const index = symbolIndex(files);
  const described: string[] = [];
  const roots: string[] = [];
  for (const name of [...services.map((s) => serviceNameOf(s.definition)), ...REFLECTION_SERVICES]) {
    if (!name || described.includes(name)) continue;
    const file = index.get(name);
    if (file) {
      described.push(name);
      roots.push(file);
    } else {
      logger.warn('gRPC reflection does not describe this service: pass its FileDescriptorProtos as `descriptor` in serve({ services })', {
        service: name,
      });
    }
  }
  // @grpc/reflection indexes a proto-loader package definition by its fileDescriptorProtos.
  const packageDefinition = { files: { fileDescriptorProtos: closure(files, roots) } } as unknown as protoLoader.PackageDefinition;
  const reflection = new ReflectionV1Implementation(packageDefinition, { services: described });
  // v1alpha is v1 under another package name: one implementation answers both.
  type ReflectionRequest = Parameters<typeof reflection.handleServerReflectionRequest>[0];
  type ReflectionResponse = ReturnType<typeof reflection.handleServerReflectionRequest>;
  const implementation: grpc.UntypedServiceImplementation = {
    ServerReflectionInfo(stream: grpc.ServerDuplexStream<ReflectionRequest, ReflectionResponse>) {
      stream.on('data', (request) => stream.write(reflection.handleServerReflectionRequest(request)));
      stream.on('end', () => stream.end());
    },
  };
  for (const definition of definitions) server.addService(definition, implementation);
}
