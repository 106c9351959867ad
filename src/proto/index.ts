// gRPC service definitions built once from the embedded descriptor (no .proto files
// are read at run time). Everything that speaks gRPC imports its services from here.
//
// Built with protobufjs alone, not @grpc/proto-loader: proto-loader's `fromJSON` also loads
// descriptor.proto's types and encodes a FileDescriptorProto for every file at load time,
// 20–40 ms of every process's start (bench/experiments/cold-path.ts), which only gRPC
// reflection reads. The definitions here carry the same serializers (the same protobufjs
// calls with the same conversion options, so messages keep proto-loader's plain-object
// shapes, bytes as Buffer) and build proto-loader's `requestType`/`responseType` on first read.
import * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { Root, type IConversionOptions, type Method, type Service, type Type } from 'protobufjs/light';
import { protoDescriptorJson } from './descriptors.generated';

/** proto-loader's options, minus keepCase (a parser option; a JSON root keeps its names as written). */
const loaderOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
const conversion: IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

const root = Root.fromJSON(protoDescriptorJson as unknown as Parameters<typeof Root.fromJSON>[0]);
root.resolveAll();

function serializer(type: Type): grpc.serialize<unknown> {
  return (value) => {
    if (Array.isArray(value)) {
      throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`);
    }
    return type.encode(type.fromObject(value as Record<string, unknown>)).finish() as Buffer;
  };
}

function deserializer(type: Type): grpc.deserialize<unknown> {
  return (bytes) => type.toObject(type.decode(bytes), conversion);
}

/** lodash.camelcase of a PascalCase method name, as proto-loader names `originalName`. */
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

// The same package definition through proto-loader, built only when something reads a
// method's requestType/responseType (the SDK's reflection, for their FileDescriptorProtos).
let loaderDefinition: PackageDefinition | undefined;
function loaderMethod(service: string, method: string): Record<string, unknown> {
  loaderDefinition ??= (require('@grpc/proto-loader') as typeof import('@grpc/proto-loader')).fromJSON(
    protoDescriptorJson as unknown as Record<string, unknown>,
    loaderOptions,
  );
  return (loaderDefinition[service] as unknown as Record<string, Record<string, unknown>>)[method];
}

function methodDefinition(serviceName: string, method: Method): grpc.MethodDefinition<unknown, unknown> {
  const request = method.resolvedRequestType!;
  const response = method.resolvedResponseType!;
  const definition = {
    path: `/${serviceName}/${method.name}`,
    requestStream: !!method.requestStream,
    responseStream: !!method.responseStream,
    requestSerialize: serializer(request),
    requestDeserialize: deserializer(request),
    responseSerialize: serializer(response),
    responseDeserialize: deserializer(response),
    originalName: lowerFirst(method.name),
  };
  // Not enumerable: grpc-js's makeClientConstructor Object.assign()s each method definition
  // onto the client's prototype, which would read (and so build) them at load time.
  for (const key of ['requestType', 'responseType', 'options'] as const) {
    Object.defineProperty(definition, key, { enumerable: false, configurable: true, get: () => loaderMethod(serviceName, method.name)[key] });
  }
  return definition;
}

const definitions = new Map<string, grpc.ServiceDefinition>();

/** Service definitions by full name, e.g. `tutorial.Greeter`. */
export function serviceDefinition(fullName: string): grpc.ServiceDefinition {
  let definition = definitions.get(fullName);
  if (definition) return definition;
  let service: Service;
  try {
    service = root.lookupService(fullName);
  } catch {
    throw new Error(`no gRPC service ${fullName} in the embedded protos`);
  }
  const methods: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methodsArray) methods[method.name] = methodDefinition(fullName, method);
  definition = methods as grpc.ServiceDefinition;
  definitions.set(fullName, definition);
  return definition;
}

/** tutorial.Greeter, the service a greeter plugin registers (server.addService). */
export const GreeterService = serviceDefinition('tutorial.Greeter');
/** grpc.health.v1.Health; go-plugin hosts check the service named "plugin". */
export const HealthService = serviceDefinition('grpc.health.v1.Health');
export const ControllerService = serviceDefinition('plugin.GRPCController');
export const StdioService = serviceDefinition('plugin.GRPCStdio');
export const BrokerService = serviceDefinition('plugin.GRPCBroker');

/** Client constructors for the services above. */
export const GreeterClient = grpc.makeClientConstructor(GreeterService, 'tutorial.Greeter');
export const HealthClient = grpc.makeClientConstructor(HealthService, 'grpc.health.v1.Health');
export const ControllerClient = grpc.makeClientConstructor(ControllerService, 'plugin.GRPCController');
export const StdioClient = grpc.makeClientConstructor(StdioService, 'plugin.GRPCStdio');
export const BrokerClient = grpc.makeClientConstructor(BrokerService, 'plugin.GRPCBroker');

/** Message shapes as decoded with the conversion options above. */
export interface Person { name: string }
/** Greet's reply. */
export interface Greeting { message: string }
export interface HealthCheckRequest { service: string }
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
export interface HealthCheckResponse { status: ServingStatus }
export type StdioChannel = 'INVALID' | 'STDOUT' | 'STDERR';
export interface StdioData { channel: StdioChannel; data: Buffer }
export interface ConnInfo {
  service_id: number;
  network: string;
  address: string;
  knock?: { knock: boolean; ack: boolean; error: string } | null;
}
