// greetOnce: start a plugin, greet once, stop it: what `greeter greet` does. Same steps,
// checks and messages as startPlugin() + greet() + stop(), but the three gRPC calls
// (health, Greet, Shutdown) go over node:http2 (host/unary-channel.ts) instead of
// grpc-js, whose loading and first use cost more than the rest of a one-shot command
// (bench/NOTES.md). AutoMTLS included; a plugin's stdio stream and broker need startPlugin().
import { basename } from 'node:path';
import { isDeadlineCancel } from '../host/call-deadline';
import { PluginError } from '../host/errors';
import { describeExit } from '../host/format';
import { Status, type CallFailure } from '../host/grpc-status';
import { healthCallError, notServingError } from '../host/health-errors';
import { asPluginError, launchProcess, missingCertificateError, prepareAutoMtls, unaskedCertificateError, type LaunchedProcess } from '../host/launch-process';
import { pluginCertificatePem } from '../host/mtls';
import { startCancelled } from '../host/plugin-process';
import { GRACEFUL_EXIT_MS, SHUTDOWN_CALL_DEADLINE_MS, settlesWithin } from '../host/timing';
import type { LaunchOptions } from '../host/types';
import type { UnaryChannel, UnaryChannelTls } from '../host/unary-channel';
import { cancelled, greetCallError, nameProblem } from './greet-errors';

/** Used when the caller gives no timeout: a Greet is a tiny call. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/**
 * The node:http2 client and the message codecs. Loading node:http2 is most of this
 * command's own start-up, so it happens right after the spawn, while the plugin boots.
 */
let transport: (typeof import('../host/unary-channel') & typeof import('../host/health-wire') & typeof import('./greet-wire')) | undefined;
function loadTransport(): NonNullable<typeof transport> {
  return (transport ??= { ...require('../host/unary-channel'), ...require('../host/health-wire'), ...require('./greet-wire') });
}

const HEALTH_CHECK = '/grpc.health.v1.Health/Check';
const GREET = '/tutorial.Greeter/Greet';
const SHUTDOWN = '/plugin.GRPCController/Shutdown';

/** Per-call options of greetOnce(); the launch options (path, handshake, timeouts, signal) are its first argument. */
export interface GreetOnceOptions {
  /** The Greet call's timeout (default 10 s). */
  timeoutMs?: number;
}

/** Starts the plugin, returns its greeting for `personName`, and has stopped it by then; throws a PluginError. */
export async function greetOnce(options: LaunchOptions, personName: string, greetOptions: GreetOnceOptions = {}): Promise<string> {
  const name = options.name ?? basename(options.path ?? '');
  const badName = nameProblem(name, personName);
  if (badName) throw badName;
  let launched: LaunchedProcess;
  try {
    launched = await launchProcess(options, name, prepareAutoMtls, loadTransport);
  } catch (e) {
    throw asPluginError(e, name);
  }
  let channel: UnaryChannel | undefined;
  try {
    channel = new (loadTransport().UnaryChannel)(launched.handshake.network, launched.handshake.address, connectionTls(launched));
    await checkHealth(channel, launched, options.signal);
    return await callGreet(channel, launched, personName, greetOptions.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, options.signal);
  } catch (e) {
    throw asPluginError(e, name);
  } finally {
    await stop(channel, launched);
  }
}

/** The AutoMTLS pins for the connection, as startPlugin() checks them; undefined for plain gRPC. */
function connectionTls({ name, handshake, hostCert }: LaunchedProcess): UnaryChannelTls | undefined {
  if (!hostCert) {
    if (handshake.serverCert) throw unaskedCertificateError(name);
    return undefined;
  }
  if (!handshake.serverCert) throw missingCertificateError(name);
  return { pluginCertPem: pluginCertificatePem(handshake.serverCert, name), certPem: hostCert.certPem, keyPem: hostCert.keyPem };
}

/** go-plugin's Ping, as startPlugin() does it: the start is not over until the plugin says SERVING. */
async function checkHealth(channel: UnaryChannel, launched: LaunchedProcess, signal?: AbortSignal): Promise<void> {
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
    if (proc.isExited || (failure.code === Status.UNAVAILABLE && (await settlesWithin(proc.exited, 300)))) {
      throw await proc.exitedEarlyError('right after its handshake, before answering the health check');
    }
    throw healthCallError({ name, tls: launched.hostCert !== undefined, network: handshake.network, address: handshake.address }, failure);
  }
  if (status !== 'SERVING') throw notServingError(name, status);
}

async function callGreet(channel: UnaryChannel, launched: LaunchedProcess, personName: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const { name, proc } = launched;
  const { decodeGreeting, encodePerson } = loadTransport();
  const deadline = Date.now() + timeoutMs;
  try {
    return decodeGreeting(await channel.call(GREET, encodePerson(personName), { deadline, signal }));
  } catch (e) {
    const failure = e as CallFailure;
    if (signal?.aborted && !isDeadlineCancel(failure.code, deadline)) throw cancelled(name);
    // A dropped connection usually means the process is dying; its exit says more.
    if (proc.isExited || (failure.code === Status.UNAVAILABLE && (await settlesWithin(proc.exited, 250)))) {
      const exit = await proc.exited;
      throw new PluginError('PLUGIN_EXITED', `Plugin "${name}" exited (${describeExit(exit)}).`);
    }
    throw greetCallError(name, failure, timeoutMs, deadline, signal);
  }
}

/** As PluginClient.stop(): Shutdown, up to 2 s to exit, then the owner's SIGKILL of the group; never throws. */
async function stop(channel: UnaryChannel | undefined, launched: LaunchedProcess): Promise<void> {
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
