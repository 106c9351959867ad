// go-plugin's Ping on the host's own connection: grpc.health.v1 Check for the service
// "plugin", with every outcome as a PluginError. One owner for PluginClient.ping(), the
// last step of startPlugin() and the one-shot path's start (one-shot.ts).
import { isPluginError } from './errors';
import { Status, type CallFailure } from './grpc-status';
import { healthCallError, notServingError, type HealthTarget } from './health-errors';
import { decodeHealthCheckStatus, encodeHealthCheckRequest } from './health-wire';
import type { PluginChannel } from './plugin-channel';
import { startCancelled, type SpawnedPluginProcess } from './plugin-process';

const HEALTH_CHECK = '/grpc.health.v1.Health/Check';

/** Resolves when the plugin says SERVING; otherwise throws what went wrong (health-errors.ts). */
export async function checkHealth(channel: PluginChannel, target: HealthTarget, options: { deadline: number; signal?: AbortSignal }): Promise<void> {
  let status: string;
  try {
    status = decodeHealthCheckStatus(await channel.call(HEALTH_CHECK, encodeHealthCheckRequest('plugin'), options));
  } catch (e) {
    throw healthCallError(target, e as CallFailure);
  }
  if (status !== 'SERVING') throw notServingError(target.name, status);
}

/**
 * The start's last step. A plugin that dies right after its handshake is reported by its
 * exit status and stderr, not by the "connection closed" the health check saw.
 */
export async function checkHealthAtStart(
  channel: PluginChannel,
  target: HealthTarget,
  proc: SpawnedPluginProcess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await checkHealth(channel, target, { deadline: Date.now() + timeoutMs, signal });
  } catch (e) {
    if (signal?.aborted) throw startCancelled(target.name);
    const connectionLost = isPluginError(e, 'CONNECTION_FAILED') || (e as { cause?: Partial<CallFailure> }).cause?.code === Status.UNAVAILABLE;
    if (await proc.exitedAfter(connectionLost, 300)) {
      throw await proc.exitedEarlyError('right after its handshake, before answering the health check');
    }
    throw e;
  }
}
