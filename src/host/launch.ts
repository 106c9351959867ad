// startPlugin: from an executable path to a connected, healthy plugin (PROTOCOL.md §11).
// launch-process.ts gets it to its handshake; this file connects (node:http2, plugin-channel.ts)
// and checks its health. grpc-js connects only when a stub of another service is first used.
import { basename } from 'node:path';
import { grpcJs } from './grpc-js';
import { grpcTarget, pluginChannelOptions } from './grpc-options';
import { checkHealthAtStart } from './health-check';
import { asPluginError, connectionPins, launchProcess, prepareAutoMtls, type LaunchedProcess } from './launch-process';
import { mtlsCredentials, mtlsServerCredentials } from './mtls-credentials';
import { PluginChannel } from './plugin-channel';
import { PluginClient } from './plugin-client';
import type { LaunchOptions } from './types';

export { DEFAULT_START_TIMEOUT_MS } from './launch-process';

/** Launches the plugin, completes the handshake, connects and health-checks it. */
export async function startPlugin(options: LaunchOptions): Promise<PluginClient> {
  const name = options.name ?? basename(options.path ?? '');
  try {
    return await launch(options, name);
  } catch (e) {
    throw asPluginError(e, name);
  }
}

async function launch(options: LaunchOptions, name: string): Promise<PluginClient> {
  // Owned from here: `owner` (the process, its socket directory), then `client` once made.
  const launched = await launchProcess(options, name, prepareAutoMtls);
  const { owner, proc, handshake, sinks, tlsFallbackReason, startTimeoutMs } = launched;
  let client: PluginClient | undefined;
  try {
    const target = grpcTarget(handshake.network, handshake.address);
    const security = connectionSecurity(launched);
    client = new PluginClient({
      name,
      handshake,
      info: {
        pid: proc.pid,
        network: handshake.network,
        address: handshake.address,
        tls: security.tls,
        protocolVersion: handshake.appVersion,
        tlsFallbackReason,
        startedAt: new Date(),
      },
      connection: new PluginChannel(handshake.network, handshake.address, security.pins),
      target,
      channelOptions: pluginChannelOptions(handshake.network, security.tls),
      process: proc,
      security,
      sinks,
      socketDir: owner.socketDir,
      release: () => owner.dispose(),
    });
    client.openStreams();
    await checkHealthAtStart(client.connection, { name, ...client.info }, proc, Math.min(startTimeoutMs, 10_000), options.signal);
    return client;
  } catch (e) {
    // The one failure path: whatever exists so far is released by its owner.
    await (client ? client.stop({ graceful: false }) : owner.dispose());
    throw e;
  }
}

function connectionSecurity(launched: LaunchedProcess) {
  const pins = connectionPins(launched);
  const { hostCert } = launched;
  if (pins && hostCert) {
    return {
      tls: true,
      pins,
      channel: once(() => mtlsCredentials(pins.pluginCertPem, hostCert)),
      server: () => mtlsServerCredentials(pins.pluginCertPem, hostCert),
    };
  }
  return { tls: false, pins: undefined, channel: () => grpcJs().credentials.createInsecure(), server: () => grpcJs().ServerCredentials.createInsecure() };
}

/** `make`'s result, made on the first call. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
