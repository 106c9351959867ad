// `greeter-plugins/host`: launch (or reattach to) a go-plugin plugin, greet it, stop it.
export * from '../host';
export { greet, greetOnce, DEFAULT_CALL_TIMEOUT_MS } from '../greeter';
export type { GreetOptions, GreetOnceOptions } from '../greeter';
export { GreeterClient } from '../proto';
export type { Person, Greeting } from '../proto';
