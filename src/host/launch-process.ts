// From an executable path to a spawned plugin whose go-plugin handshake line is parsed
// (PROTOCOL.md §11, steps 1-4): the checks, the environment, the PluginLaunch that owns
// the process and its socket directory. No gRPC here: startPlugin (launch.ts) and the CLI's
// one-shot commands (one-shot.ts) connect, both on node:http2 (plugin-channel.ts).
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { CertificateAndKey } from './certificate';
import { buildPluginEnvironment } from './environment';
import { PluginError } from './errors';
import { checkExecutable, verifyChecksum } from './executable-check';
import { parseHandshake } from './handshake';
import { getDefaultLaunchRegistry } from './launch-registry';
import { checkP521Support, getHostCertificate, pluginCertificatePem } from './mtls';
import type { PluginChannelTls } from './plugin-channel';
import { PluginLaunch } from './plugin-launch';
import { startCancelled, type SpawnedPluginProcess } from './plugin-process';
import { guardSinks } from './sinks';
import { TUTORIAL_HANDSHAKE, type Handshake, type HandshakeConfig, type LaunchOptions, type PluginSinks } from './types';

/** The longest delay setTimeout honours; larger ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** go-plugin's StartTimeout default. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;

/** What AutoMTLS needs before the spawn: the host certificate, or why TLS is off. */
export interface TlsSetup {
  hostCert?: CertificateAndKey;
  tlsFallbackReason?: string;
}

/** A plugin past its handshake. The caller owns `owner` and must dispose of it (or hand it on). */
export interface LaunchedProcess extends TlsSetup {
  name: string;
  owner: PluginLaunch;
  proc: SpawnedPluginProcess;
  handshake: Handshake;
  sinks: PluginSinks;
  startTimeoutMs: number;
}

/**
 * Checks the options and the executable, spawns the plugin and waits for its handshake.
 * `prepareTls` is called only when AutoMTLS is asked for (it loads the certificate code);
 * `onSpawned` right after the spawn, e.g. to load a client while the plugin boots.
 * On any failure everything it made is released before it throws.
 */
export async function launchProcess(
  options: LaunchOptions,
  name: string,
  prepareTls: () => Promise<TlsSetup>,
  /** Runs right after the spawn: work that can overlap the plugin's own start-up. */
  onSpawned?: () => void,
): Promise<LaunchedProcess> {
  const handshakeConfig: HandshakeConfig = { ...TUTORIAL_HANDSHAKE, ...definedOnly(options.handshake ?? {}) };
  const protocolVersions = options.protocolVersions ?? [handshakeConfig.protocolVersion];
  validateOptions(options, name, handshakeConfig, protocolVersions);
  const sinks = guardSinks(options.sinks);
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  throwIfAborted(options.signal, name);
  checkExecutable(options.path, name);
  if (options.sha256) await verifyChecksum(options.path, options.sha256, name);
  const { hostCert, tlsFallbackReason } = options.autoMTLS === true ? await prepareTls() : {};
  if (tlsFallbackReason) {
    sinks.lifecycle?.(
      'warn',
      `AutoMTLS is off for this plugin: ${tlsFallbackReason}. The connection runs without TLS, over the ` +
        `plugin's unix socket in a private directory (loopback TCP on Windows).`,
    );
  }

  throwIfAborted(options.signal, name);
  const owner = await PluginLaunch.create(name, sinks, options.registry ?? getDefaultLaunchRegistry());
  try {
    const env = buildPluginEnvironment({
      handshake: handshakeConfig,
      protocolVersions,
      minPort: options.minPort ?? DEFAULT_MIN_PORT,
      maxPort: options.maxPort ?? DEFAULT_MAX_PORT,
      socketDir: owner.socketDir,
      clientCertPem: hostCert?.certPem,
      userEnv: options.env,
      skipHostEnv: options.skipHostEnv,
    });
    const args = options.args ?? [];
    sinks.lifecycle?.('info', `starting ${[options.path, ...args].map(quoteForLog).join(' ')}`);
    const proc = owner.spawn({ path: options.path, args, env, cwd: options.cwd }, (e) => spawnError(e, options.path, name));
    onSpawned?.();

    const line = await proc.handshakeLine(startTimeoutMs, options.signal);
    const handshake = parseHandshake(line, { name, offeredVersions: protocolVersions });
    owner.recordAfterHandshake();
    sinks.lifecycle?.(
      'info',
      `plugin started: pid ${proc.pid}, ${handshake.network} ${handshake.address}, protocol version ${handshake.appVersion}` +
        `${hostCert ? ', AutoMTLS' : ''}`,
    );
    return { name, owner, proc, handshake, sinks, startTimeoutMs, hostCert, tlsFallbackReason };
  } catch (e) {
    await owner.dispose();
    throw e;
  }
}

/** Errors that are not the plugin's (ENOSPC on mkdtemp, a bug in a sink wrapper) get their own code. */
export function asPluginError(e: unknown, name: string): PluginError {
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

/** AutoMTLS set-up for launchProcess: the host certificate, unless this runtime's TLS cannot verify Go plugins' P-521 certificates. */
export async function prepareAutoMtls(): Promise<TlsSetup> {
  const [reason, hostCert] = await Promise.all([checkP521Support(), getHostCertificate()]);
  return reason ? { tlsFallbackReason: reason } : { hostCert };
}

/**
 * The connection's AutoMTLS pins (the plugin's certificate, ours) when AutoMTLS is on, or
 * undefined when it is off; TLS_FAILURE when the handshake does not match what was offered
 * (PROTOCOL.md §4).
 */
export function connectionPins({ name, handshake, hostCert }: LaunchedProcess): PluginChannelTls | undefined {
  if (hostCert) {
    if (!handshake.serverCert) {
      throw new PluginError(
        'TLS_FAILURE',
        `Plugin "${name}" did not send a certificate although AutoMTLS was requested. ` +
          `It does not support AutoMTLS: turn "autoMTLS" off for this plugin.`,
      );
    }
    return { pluginCertPem: pluginCertificatePem(handshake.serverCert, name), certPem: hostCert.certPem, keyPem: hostCert.keyPem };
  }
  if (handshake.serverCert) {
    throw new PluginError(
      'TLS_FAILURE',
      `Plugin "${name}" sent a TLS certificate although the host did not offer AutoMTLS (PLUGIN_CLIENT_CERT was not set). ` +
        `Turn "autoMTLS" on for this plugin, or fix the plugin to send a certificate only when asked.`,
    );
  }
  return undefined;
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
          `Point the plugin's path at the plugin executable itself.`,
        undefined,
        { cause: e },
      );
    case 'ELOOP':
      return new PluginError(
        'NOT_FOUND',
        `Plugin "${name}": "${path}" is a symbolic link loop (a link that leads back to itself). Point the plugin's path at the real executable.`,
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

export function throwIfAborted(signal: AbortSignal | undefined, name: string): void {
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
  // Node reports a missing working directory as ENOENT, which would read as a missing executable.
  if (options.cwd !== undefined && !isDirectory(options.cwd)) problems.push(`the working directory "cwd" ("${options.cwd}") is not an existing folder`);
  const port = (p: number | undefined) => p === undefined || (Number.isInteger(p) && p >= 0 && p <= 65535);
  if (!port(options.minPort) || !port(options.maxPort)) problems.push('"minPort" and "maxPort" must be whole numbers from 0 to 65535');
  else if ((options.minPort ?? DEFAULT_MIN_PORT) > (options.maxPort ?? DEFAULT_MAX_PORT)) {
    problems.push(`"minPort" (${options.minPort ?? DEFAULT_MIN_PORT}) is greater than "maxPort" (${options.maxPort ?? DEFAULT_MAX_PORT})`);
  }
  if (problems.length > 0) {
    throw new PluginError('INVALID_OPTIONS', `Plugin "${name}" is misconfigured: ${problems.join('; ')}.`);
  }
}

/** go-plugin's default TCP port range for plugins (PLUGIN_MIN_PORT, PLUGIN_MAX_PORT). */
const DEFAULT_MIN_PORT = 10000;
const DEFAULT_MAX_PORT = 25000;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
