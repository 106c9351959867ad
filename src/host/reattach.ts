// Reattach: connect to a plugin someone else already started (go-plugin ReattachConfig),
// e.g. one running under a debugger. No stderr, no AutoMTLS: go-plugin allows neither.
import { grpcJs } from './grpc-js';
import { PluginError } from './errors';
import { grpcTarget, pluginChannelOptions } from './grpc-options';
import { PluginChannel } from './plugin-channel';
import { PluginClient } from './plugin-client';
import { ReattachedPluginProcess } from './plugin-process';
import { isAlive } from './process-group';
import { guardSinks } from './sinks';
import { socketOwnership } from './socket-owner';
import type { PluginSinks, ReattachConfig } from './types';

/** How to reconnect to a plugin that is already running (go-plugin ReattachConfig). */
export interface ReattachOptions {
  name?: string;
  sinks?: PluginSinks;
}

/** Connects to a running plugin, checks the pid and the health service. */
export async function reattachPlugin(config: ReattachConfig, options: ReattachOptions = {}): Promise<PluginClient> {
  const name = options.name ?? `pid ${config.pid}`;
  if (config.protocol !== 'grpc') {
    throw new PluginError('UNSUPPORTED_PROTOCOL', `Plugin "${name}": only gRPC plugins can be reattached, not "${config.protocol}".`);
  }
  if (config.network !== 'unix' && config.network !== 'tcp') {
    throw new PluginError('INVALID_OPTIONS', `Plugin "${name}": reattach network must be "unix" or "tcp", got "${config.network}".`);
  }
  if (!Number.isInteger(config.pid) || config.pid <= 0 || !isAlive(config.pid)) {
    throw new PluginError(
      'REATTACH_NOT_FOUND',
      `Plugin "${name}": no process with pid ${config.pid} is running, so there is nothing to reattach to. Start the plugin again.`,
    );
  }
  // Stopping a reattached plugin may signal config.pid: it must be the process serving the address.
  if (!config.test && socketOwnership(config.pid, config.network, config.address) === 'does-not-hold') {
    throw new PluginError(
      'REATTACH_NOT_FOUND',
      `Plugin "${name}": pid ${config.pid} is running but does not hold the plugin's socket (${config.network} ${config.address}), ` +
        `so it is another process, and stopping the plugin would have killed it. Check the pid in the reattach config, ` +
        `or reattach in test mode ("test": true), which never stops the process.`,
    );
  }
  const target = grpcTarget(config.network, config.address);
  const client = new PluginClient({
    name,
    handshake: {
      coreVersion: 1,
      appVersion: config.protocolVersion,
      network: config.network,
      address: config.address,
      protocol: 'grpc',
    },
    info: {
      pid: config.pid,
      network: config.network,
      address: config.address,
      tls: false,
      protocolVersion: config.protocolVersion,
      startedAt: new Date(),
    },
    connection: new PluginChannel(config.network, config.address),
    target,
    channelOptions: pluginChannelOptions(config.network, false),
    // Never kill a process we only borrowed in test mode; go-plugin doesn't either.
    process: new ReattachedPluginProcess(config.pid, !config.test),
    security: { tls: false, channel: () => grpcJs().credentials.createInsecure(), server: () => grpcJs().ServerCredentials.createInsecure() },
    sinks: guardSinks(options.sinks),
  });
  client.openStreams();
  try {
    await client.ping();
  } catch (e) {
    // Unlike a failed launch, a failed reattach must not kill: the pid may belong to someone else now.
    client.detach();
    const cause = (e as { cause?: { details?: string } }).cause?.details ?? (e as Error).message;
    throw new PluginError(
      'REATTACH_NOT_FOUND',
      `Plugin "${name}": pid ${config.pid} is running but no go-plugin plugin answers at ${config.network} ` +
        `${config.address} (${cause}). Start the plugin again and reattach with its new address.`,
      undefined,
      { cause: e },
    );
  }
  return client;
}
