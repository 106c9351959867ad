// Channel settings shared by every connection to a plugin.
import type { ChannelOptions } from '@grpc/grpc-js';

/** What go-plugin's Go host sets, translated to grpc-js. */
export function pluginChannelOptions(network: 'unix' | 'tcp', tls: boolean): ChannelOptions {
  const options: ChannelOptions = {
    // A corporate https_proxy would otherwise capture 127.0.0.1 connections.
    'grpc.enable_http_proxy': 0,
    // go-plugin dials with MaxCallRecvMsgSize/MaxCallSendMsgSize = MaxInt32.
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
  };
  if (tls && network === 'tcp') {
    // The plugin's certificate names only DNS:localhost; verify and SNI that name, as Go does.
    options['grpc.ssl_target_name_override'] = 'localhost';
    options['grpc.default_authority'] = 'localhost';
  }
  return options;
}

/** grpc-js target for a handshake address. */
export function grpcTarget(network: 'unix' | 'tcp', address: string): string {
  return network === 'unix' ? `unix:${address}` : address;
}
