// The CLI's heavy half: the host library on grpc-js, the greeter client and the explorer
// (with protobuf runtimes and the certificate code). The build makes it a file of its own
// (dist/lib/greeter-cli-libraries.js, scripts/build-extension.mjs), so a plain `greet`,
// which needs none of it (greeter/greet-once.ts), does not even read it.
export * as host from '../host';
export * as greeter from '../greeter';
export * as explorer from '../explorer';
