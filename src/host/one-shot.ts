// runOnce: start a plugin, let a caller use it once, stop it: what the CLI's one-shot
// commands (`greet`, `inspect`) do. The same steps, checks, connection (plugin-channel.ts)
// and messages as startPlugin() + stop(), without PluginClient's stdio and broker streams
// and without loading what those and grpc-js stubs need, so the CLI's one-shot bundle
// stays small (bench/NOTES.md, D). AutoMTLS included.
import { basename } from 'node:path';
import { PluginError } from './errors';
import { describeExit } from './format';
import { Status, type CallFailure } from './grpc-status';
import { asPluginError, connectionPins, launchProcess, prepareAutoMtls, type LaunchedProcess } from './launch-process';
import { GRACEFUL_EXIT_MS, SHUTDOWN_CALL_DEADLINE_MS, settlesWithin } from './timing';
import type { Handshake, LaunchOptions } from './types';
import type { PluginChannel } from './plugin-channel';

/**
 * The node:http2 client and the health check. Loading node:http2 is most of a one-shot
 * command's own start-up, so it happens right after the spawn, while the plugin boots.
 */
let transport: (typeof import('./plugin-channel') & typeof import('./health-check')) | undefined;
function loadTransport(): NonNullable<typeof transport> {
  return (transport ??= { ...require('./plugin-channel'), ...require('./health-check') });
}

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
  /** Health-checked: from here a stop is graceful (Shutdown, then the grace); before, as startPlugin's failed start, it is not. */
  let started = false;
  try {
    const tls = connectionPins(launched);
    channel = new (loadTransport().PluginChannel)(launched.handshake.network, launched.handshake.address, tls);
    const target = { name, tls: tls !== undefined, network: launched.handshake.network, address: launched.handshake.address };
    await loadTransport().checkHealthAtStart(channel, target, launched.proc, Math.min(launched.startTimeoutMs, 10_000), options.signal);
    started = true;
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
    await stop(channel, launched, started);
  }
}

/** As PluginClient.stop(): Shutdown, up to 2 s to exit (when `graceful`), then the owner's SIGKILL of the group; never throws. */
async function stop(channel: PluginChannel | undefined, launched: LaunchedProcess, graceful: boolean): Promise<void> {
  const { proc, owner, sinks } = launched;
  try {
    if (graceful && channel && !proc.isExited) {
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
