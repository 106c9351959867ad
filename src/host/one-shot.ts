// runOnce: start a plugin, let a caller use it once, stop it: what the CLI's one-shot
// commands (`greet`, `inspect`) do. The same steps, checks and messages as startPlugin()
// + stop(), but the connection is node:http2 (plugin-channel.ts) instead of grpc-js, whose
// loading and first use cost more than the rest of a one-shot command (bench/NOTES.md).
// AutoMTLS included; a plugin's stdio stream and broker need startPlugin().
import { basename } from 'node:path';
import { PluginError } from './errors';
import { describeExit } from './format';
import { Status, type CallFailure } from './grpc-status';
import { healthCallError, notServingError } from './health-errors';
import { asPluginError, launchProcess, pluginCertificateToPin, prepareAutoMtls, type LaunchedProcess } from './launch-process';
import { startCancelled } from './plugin-process';
import { GRACEFUL_EXIT_MS, SHUTDOWN_CALL_DEADLINE_MS, settlesWithin } from './timing';
import type { Handshake, LaunchOptions } from './types';
import type { PluginChannel, PluginChannelTls } from './plugin-channel';

/**
 * The node:http2 client and the health messages. Loading node:http2 is most of a one-shot
 * command's own start-up, so it happens right after the spawn, while the plugin boots.
 */
let transport: (typeof import('./plugin-channel') & typeof import('./health-wire')) | undefined;
function loadTransport(): NonNullable<typeof transport> {
  return (transport ??= { ...require('./plugin-channel'), ...require('./health-wire') });
}

const HEALTH_CHECK = '/grpc.health.v1.Health/Check';
const SHUTDOWN = '/plugin.GRPCController/Shutdown';

/** A started, health-checked plugin, for the duration of runOnce's callback. */
export interface OneShotPlugin {
  name: string;
  pid: number | undefined;
  handshake: Handshake;
  /** Whether the connection runs over AutoMTLS. */
  tls: boolean;
  /** Why AutoMTLS was asked for but is off (this runtime's TLS cannot verify P-521). */
  tlsFallbackReason?: string;
  channel: PluginChannel;
  /**
   * The PluginError for a call that failed because the plugin is going away: its exit
   * (it dropped the connection and exited), or undefined when it is still running.
   */
  exitError(failure: CallFailure): Promise<PluginError | undefined>;
}

/** Starts the plugin, runs `use` with it, and has stopped it by the time the result (or the PluginError) comes back. */
export async function runOnce<T>(options: LaunchOptions, use: (plugin: OneShotPlugin) => Promise<T>): Promise<T> {
  const name = options.name ?? basename(options.path ?? '');
  let launched: LaunchedProcess;
  try {
    launched = await launchProcess(options, name, prepareAutoMtls, loadTransport);
  } catch (e) {
    throw asPluginError(e, name);
  }
  let channel: PluginChannel | undefined;
  try {
    const tls = connectionTls(launched);
    channel = new (loadTransport().PluginChannel)(launched.handshake.network, launched.handshake.address, tls);
    await checkHealth(channel, launched, options.signal);
    const { proc, handshake, tlsFallbackReason } = launched;
    return await use({
      name,
      pid: proc.pid,
      handshake,
      tls: tls !== undefined,
      tlsFallbackReason,
      channel,
      exitError: async (failure) => {
        // A dropped connection usually means the process is dying; its exit says more.
        if (!(await proc.exitedAfter(failure.code === Status.UNAVAILABLE, 250))) return undefined;
        return new PluginError('PLUGIN_EXITED', `Plugin "${name}" exited (${describeExit(await proc.exited)}).`);
      },
    });
  } catch (e) {
    throw asPluginError(e, name);
  } finally {
    await stop(channel, launched);
  }
}

/** The AutoMTLS pins for the connection, as startPlugin() checks them; undefined for plain gRPC. */
function connectionTls(launched: LaunchedProcess): PluginChannelTls | undefined {
  const pluginCertPem = pluginCertificateToPin(launched);
  const { hostCert } = launched;
  return pluginCertPem && hostCert ? { pluginCertPem, certPem: hostCert.certPem, keyPem: hostCert.keyPem } : undefined;
}

/** go-plugin's Ping, as startPlugin() does it: the start is not over until the plugin says SERVING. */
async function checkHealth(channel: PluginChannel, launched: LaunchedProcess, signal?: AbortSignal): Promise<void> {
  const { name, proc, handshake } = launched;
  const deadline = Date.now() + Math.min(launched.startTimeoutMs, 10_000);
  const { decodeHealthCheckStatus, encodeHealthCheckRequest } = loadTransport();
  let status: string;
  try {
    status = decodeHealthCheckStatus(await channel.call(HEALTH_CHECK, encodeHealthCheckRequest('plugin'), { deadline, signal }));
  } catch (e) {
    const failure = e as CallFailure;
    if (signal?.aborted) throw startCancelled(name);
    // A plugin that died right after its handshake: its exit status and stderr say why.
    if (await proc.exitedAfter(failure.code === Status.UNAVAILABLE, 300)) {
      throw await proc.exitedEarlyError('right after its handshake, before answering the health check');
    }
    throw healthCallError({ name, tls: launched.hostCert !== undefined, network: handshake.network, address: handshake.address }, failure);
  }
  if (status !== 'SERVING') throw notServingError(name, status);
}

/** As PluginClient.stop(): Shutdown, up to 2 s to exit, then the owner's SIGKILL of the group; never throws. */
async function stop(channel: PluginChannel | undefined, launched: LaunchedProcess): Promise<void> {
  const { proc, owner, sinks } = launched;
  try {
    if (channel && !proc.isExited) {
      // The reply may never come (a Go plugin stops its server while answering); ignore it.
      channel.call(SHUTDOWN, new Uint8Array(0), { deadline: Date.now() + SHUTDOWN_CALL_DEADLINE_MS }).catch(() => undefined);
      if (!(await settlesWithin(proc.exited, GRACEFUL_EXIT_MS))) {
        sinks.lifecycle?.('warn', `plugin did not exit within ${GRACEFUL_EXIT_MS} ms of Shutdown; killing it`);
      }
    }
    channel?.close();
  } catch (e) {
    // Never throws (as PluginClient.stop()): the owner below still releases everything.
    sinks.lifecycle?.('error', `stopping the plugin failed: ${(e as Error)?.message ?? e}`);
  }
  await owner.dispose();
}
