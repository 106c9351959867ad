// startPlugin: from an executable path to a connected, healthy plugin (PROTOCOL.md §11).
import * as grpc from '@grpc/grpc-js';
import { basename, isAbsolute } from 'node:path';
import { buildPluginEnvironment } from './environment';
import { PluginError, isPluginError } from './errors';
import { checkExecutable, verifyChecksum } from './executable-check';
import { grpcTarget, pluginChannelOptions } from './grpc-options';
import { parseHandshake } from './handshake';
import { checkP521Support, getHostCertificate, mtlsCredentials, mtlsServerCredentials, pluginCertificatePem } from './mtls';
import { PluginClient } from './plugin-client';
import { getDefaultLaunchRegistry } from './launch-registry';
import { PluginLaunch } from './plugin-launch';
import { startCancelled, type SpawnedPluginProcess } from './plugin-process';
import { guardSinks } from './sinks';
import { settlesWithin } from './timing';
import { TUTORIAL_HANDSHAKE, type Handshake, type HandshakeConfig, type LaunchOptions } from './types';
import type { CertificateAndKey } from './certificate';

/** The longest delay setTimeout honours; larger ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** go-plugin's StartTimeout default. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;

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
  const handshakeConfig: HandshakeConfig = { ...TUTORIAL_HANDSHAKE, ...definedOnly(options.handshake ?? {}) };
  const protocolVersions = options.protocolVersions ?? [handshakeConfig.protocolVersion];
  validateOptions(options, name, handshakeConfig, protocolVersions);
  const sinks = guardSinks(options.sinks);
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  throwIfAborted(options.signal, name);
  checkExecutable(options.path, name);
  if (options.sha256) await verifyChecksum(options.path, options.sha256, name);
  const { hostCert, tlsFallbackReason } = await prepareTls(options.autoMTLS === true);
  if (tlsFallbackReason) {
    sinks.lifecycle?.(
      'warn',
      `AutoMTLS is off for this plugin: ${tlsFallbackReason}. The connection runs without TLS, over the ` +
        `plugin's unix socket in a private directory (loopback TCP on Windows).`,
    );
  }

  throwIfAborted(options.signal, name);
  const owner = await PluginLaunch.create(name, sinks, options.registry ?? getDefaultLaunchRegistry());
  let client: PluginClient | undefined;
  try {
    const env = buildPluginEnvironment({
      handshake: handshakeConfig,
      protocolVersions,
      minPort: options.minPort ?? 10000,
      maxPort: options.maxPort ?? 25000,
      socketDir: owner.socketDir,
      clientCertPem: hostCert?.certPem,
      userEnv: options.env,
      skipHostEnv: options.skipHostEnv,
    });
    const args = options.args ?? [];
    sinks.lifecycle?.('info', `starting ${[options.path, ...args].map(quoteForLog).join(' ')}`);
    const proc = owner.spawn({ path: options.path, args, env, cwd: options.cwd }, (e) => spawnError(e, options.path, name));

    const line = await proc.handshakeLine(startTimeoutMs, options.signal);
    const handshake = parseHandshake(line, { name, offeredVersions: protocolVersions });
    sinks.lifecycle?.(
      'info',
      `plugin started: pid ${proc.pid}, ${handshake.network} ${handshake.address}, protocol version ${handshake.appVersion}` +
        `${hostCert ? ', AutoMTLS' : ''}`,
    );

    const target = grpcTarget(handshake.network, handshake.address);
    const security = connectionSecurity(name, handshake, hostCert);
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
      target,
      credentials: security.channel,
      channel: new grpc.Channel(target, security.channel, pluginChannelOptions(handshake.network, security.tls)),
      process: proc,
      security,
      sinks,
      socketDir: owner.socketDir,
      release: () => owner.dispose(),
    });
    client.openStreams();
    await healthCheck(client, proc, Math.min(startTimeoutMs, 10_000), options.signal);
    return client;
  } catch (e) {
    // The one failure path: whatever exists so far is released by its owner.
    await (client ? client.stop({ graceful: false }) : owner.dispose());
    throw e;
  }
}

/** The start's last step; a plugin that dies here is reported by its exit and stderr. */
async function healthCheck(client: PluginClient, proc: SpawnedPluginProcess, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const stopOnAbort = () => void client.stop({ graceful: false });
  signal?.addEventListener('abort', stopOnAbort, { once: true });
  try {
    await client.ping(timeoutMs);
    throwIfAborted(signal, client.name);
  } catch (e) {
    if (signal?.aborted) throw startCancelled(client.name);
    // A plugin that died right after its handshake: its exit status and stderr say why,
    // not the "connection closed" the health check saw.
    const connectionLost = isPluginError(e, 'CONNECTION_FAILED') || (e as { cause?: { code?: number } }).cause?.code === grpc.status.UNAVAILABLE;
    if (client.isExited || (connectionLost && (await settlesWithin(client.exited, 300)))) {
      throw await proc.exitedEarlyError('right after its handshake, before answering the health check');
    }
    throw e;
  } finally {
    signal?.removeEventListener('abort', stopOnAbort);
  }
}

/** Errors that are not the plugin's (ENOSPC on mkdtemp, a bug in a sink wrapper) get their own code. */
function asPluginError(e: unknown, name: string): PluginError {
  if (e instanceof PluginError) return e;
  const err = e as NodeJS.ErrnoException;
  return new PluginError(
    'HOST_ERROR',
    `Starting plugin "${name}" failed inside the host, not in the plugin: ${err?.message ?? String(e)}` +
      (err?.code ? ` (${err.code})` : '') +
      '. Restarting the plugin will not help; check free disk space and the temporary directory, or report this.',
    undefined,
    { cause: e },
  );
}

async function prepareTls(autoMTLS: boolean): Promise<{ hostCert?: CertificateAndKey; tlsFallbackReason?: string }> {
  if (!autoMTLS) return {};
  const [reason, hostCert] = await Promise.all([checkP521Support(), getHostCertificate()]);
  return reason ? { tlsFallbackReason: reason } : { hostCert };
}

function connectionSecurity(name: string, handshake: Handshake, hostCert: CertificateAndKey | undefined) {
  if (hostCert) {
    if (!handshake.serverCert) {
      throw new PluginError(
        'TLS_FAILURE',
        `Plugin "${name}" did not send a certificate although AutoMTLS was requested. ` +
          `It does not support AutoMTLS: turn "autoMTLS" off for this plugin.`,
      );
    }
    const pluginPem = pluginCertificatePem(handshake.serverCert, name);
    return {
      tls: true,
      channel: mtlsCredentials(pluginPem, hostCert),
      server: () => mtlsServerCredentials(pluginPem, hostCert),
    };
  }
  if (handshake.serverCert) {
    throw new PluginError(
      'TLS_FAILURE',
      `Plugin "${name}" sent a TLS certificate although the host did not offer AutoMTLS (PLUGIN_CLIENT_CERT was not set). ` +
        `Turn "autoMTLS" on for this plugin, or fix the plugin to send a certificate only when asked.`,
    );
  }
  return { tls: false, channel: grpc.credentials.createInsecure(), server: () => grpc.ServerCredentials.createInsecure() };
}

function spawnError(e: NodeJS.ErrnoException, path: string, name: string): PluginError {
  switch (e.code) {
    case 'ENOENT':
      return new PluginError(
        'NOT_FOUND',
        `Plugin "${name}": "${path}" could not be started because it, or the interpreter named in its "#!" line, does not exist.`,
        undefined,
        { cause: e },
      );
    case 'EACCES':
      return new PluginError('NOT_EXECUTABLE', `Plugin "${name}": "${path}" is not executable (chmod +x "${path}").`, undefined, {
        cause: e,
      });
    case 'ENOEXEC':
      return new PluginError(
        'WRONG_ARCHITECTURE',
        `Plugin "${name}": "${path}" is not an executable this machine can run (${process.platform}/${process.arch}). ` +
          `Rebuild it for this platform.`,
        undefined,
        { cause: e },
      );
    case 'EINVAL':
      return new PluginError(
        'SPAWN_FAILED',
        `Plugin "${name}": "${path}" cannot be started directly (.cmd/.bat files need a shell, which this host never uses). ` +
          `Point "path" at the plugin executable itself.`,
        undefined,
        { cause: e },
      );
    case 'ELOOP':
      return new PluginError(
        'NOT_FOUND',
        `Plugin "${name}": "${path}" is a symbolic link loop (a link that leads back to itself). Point "path" at the real executable.`,
        undefined,
        { cause: e },
      );
    case 'EAGAIN':
    case 'ENOMEM':
    case 'EMFILE':
    case 'ENFILE':
    case 'ENOSPC':
      // The machine, not the plugin: out of processes, memory or descriptors.
      return new PluginError(
        'HOST_ERROR',
        `Plugin "${name}": the system could not start a process (${e.code}: ${e.message}). Free resources and try again.`,
        undefined,
        { cause: e },
      );
    default:
      return new PluginError('SPAWN_FAILED', `Plugin "${name}": starting "${path}" failed: ${e.message}`, undefined, {
        cause: e,
      });
  }
}

function throwIfAborted(signal: AbortSignal | undefined, name: string): void {
  if (signal?.aborted) throw startCancelled(name);
}

function validateOptions(options: LaunchOptions, name: string, handshake: HandshakeConfig, versions: number[]): void {
  const problems: string[] = [];
  if (typeof options.path !== 'string' || options.path === '') problems.push('"path" is empty');
  else if (!isAbsolute(options.path)) problems.push(`"path" must be absolute, got "${options.path}"`);
  if (!handshake.magicCookieKey || !handshake.magicCookieValue) problems.push('the magic cookie key and value must not be empty');
  if (/[=\0]/.test(handshake.magicCookieKey)) problems.push('the magic cookie key must not contain "=" or NUL');
  if (versions.length === 0 || !versions.every((v) => Number.isInteger(v) && v >= 0)) {
    problems.push('protocol versions must be non-negative integers');
  }
  if (options.startTimeoutMs !== undefined && !(options.startTimeoutMs > 0 && options.startTimeoutMs <= MAX_TIMER_MS)) {
    problems.push(`the start timeout must be between 1 and ${MAX_TIMER_MS} ms`);
  }
  if (problems.length > 0) {
    throw new PluginError('INVALID_OPTIONS', `Plugin "${name}" is misconfigured: ${problems.join('; ')}.`);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
