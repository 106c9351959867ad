// plugin.GRPCController: the host's polite way to end the plugin before it falls
// back to SIGKILL after 2 s (PROTOCOL.md §3.2, §6).
import * as grpc from '@grpc/grpc-js';

/** Shutdown replies first, then asks the plugin to stop on the next turn of the event loop. */
export function controllerImplementation(onShutdown: () => void): grpc.UntypedServiceImplementation {
  return {
    Shutdown(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, {});
      setImmediate(onShutdown);
    },
  };
}
