// The tutorial's greeter plugin ("gRPC Plugins in Go") written on the Node SDK:
// tutorial.Greeter/Greet answers "hello <name>" under the handshake
// BASIC_PLUGIN=hello, app protocol version 1, with gRPC server reflection. Build: npm run build:node-plugins.
import * as grpc from '@grpc/grpc-js';
import { GreeterService, type Greeting, type Person } from '../../src/proto';
import { createLogger, serve } from '../../src/sdk';

const logger = createLogger('greeter');

/** tutorial.Greeter: one info log line and one stdout line per call (stdout reaches the host via GRPCStdio). */
const greeter: grpc.UntypedServiceImplementation = {
  Greet(call: grpc.ServerUnaryCall<Person, Greeting>, callback: grpc.sendUnaryData<Greeting>) {
    const name = call.request.name;
    logger.info('greet called', { name });
    process.stdout.write(`greeting ${name}\n`);
    callback(null, { message: `hello ${name}` });
  },
};

// GreeterService comes from @grpc/proto-loader, so it carries its descriptors: the SDK's
// gRPC reflection describes tutorial.Greeter with no more code (try `greeter list`).
void serve({ services: [{ definition: GreeterService, implementation: greeter }] });
