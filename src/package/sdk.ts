// `greeter-plugins/sdk`: everything a plugin author needs to serve a go-plugin gRPC
// plugin from Node, plus the tutorial's Greeter service definition to implement.
export * from '../sdk';
export { GreeterService, HealthService } from '../proto';
export type { Person, Greeting } from '../proto';
/**
 * The @grpc/grpc-js the SDK serves with, for handler types (`grpc.ServerUnaryCall`,
 * `grpc.sendUnaryData`) and status codes: one copy, so its types match the server's.
 */
export * as grpc from '@grpc/grpc-js';
