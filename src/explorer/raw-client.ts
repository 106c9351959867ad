// One generic gRPC client per plugin connection, for calls whose types are only known
// at run time (reflection, dynamic calls). It shares the plugin's channel and TLS.
import * as grpc from '@grpc/grpc-js';
import type { PluginClient } from '../host';

const clients = new WeakMap<PluginClient, grpc.Client>();

export function rawClient(plugin: PluginClient): grpc.Client {
  let client = clients.get(plugin);
  if (!client) {
    client = plugin.makeClient<grpc.Client>(grpc.Client);
    clients.set(plugin, client);
  }
  return client;
}
