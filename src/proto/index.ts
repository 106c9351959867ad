// gRPC service definitions built once from the embedded descriptor (no .proto files
// are read at run time). Everything that speaks gRPC imports its services from here.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoDescriptorJson } from './descriptors.generated';

const packageDefinition = protoLoader.fromJSON(protoDescriptorJson as unknown as Record<string, unknown>, {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

/** Service definitions by full name, e.g. `tutorial.Greeter`. */
export function serviceDefinition(fullName: string): grpc.ServiceDefinition {
  const def = packageDefinition[fullName];
  // Messages and enums carry a `format` field; services are plain method maps.
  if (!def || 'format' in def) {
    throw new Error(`no gRPC service ${fullName} in the embedded protos`);
  }
  return def as grpc.ServiceDefinition;
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

/** Message shapes as decoded with the loader options above. */
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
