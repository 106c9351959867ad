// `greeter-plugins/sdk`: everything a plugin author needs to serve a go-plugin gRPC
// plugin from Node, plus the tutorial's Greeter service definition to implement.
export * from '../sdk';
export { GreeterService, HealthService } from '../proto';
export type { Person, Greeting } from '../proto';
