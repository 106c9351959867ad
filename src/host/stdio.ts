// GRPCStdio: a Go plugin's fmt.Print output after the handshake travels over this stream.
// It must be opened at once and drained, or a chatty Go plugin blocks (PROTOCOL.md §3.3).
import { Status } from './grpc-status';
import type { PluginChannel, PluginStream } from './plugin-channel';
import { decodeStdioData } from './plugin-wire';
import type { PluginSinks } from './types';

const STREAM_STDIO = '/plugin.GRPCStdio/StreamStdio';

/** Opens StreamStdio on the plugin's connection and forwards chunks to the sinks. */
export function pumpStdio(channel: PluginChannel, sinks: PluginSinks, isStopping: () => boolean): PluginStream {
  const call = channel.stream(STREAM_STDIO, {
    onMessage: (message) => {
      const chunk = decodeStdioData(message);
      if (chunk.channel === 'STDOUT') sinks.stdout?.(chunk.data);
      else if (chunk.channel === 'STDERR') sinks.stderr?.(chunk.data);
    },
    onEnd: (e) => {
      if (!e || isStopping() || e.code === Status.CANCELLED) return;
      if (e.code === Status.UNIMPLEMENTED) {
        sinks.lifecycle?.('debug', 'plugin does not implement plugin.GRPCStdio; its stdout after the handshake is not forwarded');
      } else if (e.code === Status.UNAVAILABLE) {
        // The connection is gone: the exit or the failed start says why, more usefully.
        sinks.lifecycle?.('debug', `stdio stream ended: ${e.details || e.message}`);
      } else {
        sinks.lifecycle?.('warn', `stdio stream ended: ${e.details || e.message}`);
      }
    },
  });
  call.write(new Uint8Array(0)); // google.protobuf.Empty
  call.end();
  return call;
}
