// GRPCStdio: a Go plugin's fmt.Print output after the handshake travels over this stream.
// It must be opened at once and drained, or a chatty Go plugin blocks (PROTOCOL.md §3.3).
import * as grpc from '@grpc/grpc-js';
import type { StdioData } from '../proto';
import type { PluginSinks } from './types';

/** Opens StreamStdio on the plugin's connection and forwards chunks to the sinks. */
export function pumpStdio(client: grpc.Client, sinks: PluginSinks, isStopping: () => boolean): grpc.ClientReadableStream<StdioData> {
  const stdio = client as unknown as { StreamStdio(req: object): grpc.ClientReadableStream<StdioData> };
  const call = stdio.StreamStdio({});
  call.on('data', (chunk: StdioData) => {
    if (chunk.channel === 'STDOUT') sinks.stdout?.(chunk.data);
    else if (chunk.channel === 'STDERR') sinks.stderr?.(chunk.data);
  });
  call.on('error', (e: grpc.ServiceError) => {
    if (isStopping() || e.code === grpc.status.CANCELLED) return;
    if (e.code === grpc.status.UNIMPLEMENTED) {
      sinks.lifecycle?.('debug', 'plugin does not implement plugin.GRPCStdio; its stdout after the handshake is not forwarded');
    } else if (e.code === grpc.status.UNAVAILABLE) {
      // The connection is gone: the exit or the failed start says why, more usefully.
      sinks.lifecycle?.('debug', `stdio stream ended: ${e.details || e.message}`);
    } else {
      sinks.lifecycle?.('warn', `stdio stream ended: ${e.details || e.message}`);
    }
  });
  return call;
}
