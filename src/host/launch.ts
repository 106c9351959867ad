// startPlugin: from an executable path to a connected, healthy plugin (PROTOCOL.md §11).
import * as grpc from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { buildPluginEnvironment } from './environment';
import { PluginError } from './errors';
import { checkExecutable, verifyChecksum } from './executable-check';
import { grpcTarget, pluginChannelOptions } from './grpc-options';
import { parseHandshake } from './handshake';
import { readLines, TailBuffer } from './line-reader';
import { StderrLogParser } from './log-parser';
import { checkP521Support, getHostCertificate, mtlsCredentials, mtlsServerCredentials, pluginCertificatePem } from './mtls';
import { PluginClient, describeExit } from './plugin-client';
import { spawnedProcess } from './plugin-process';
import { settlesWithin } from './timing';
import { killGroup, trackGroup } from './process-group';
import { TUTORIAL_HANDSHAKE, type ExitInfo, type Handshake, type HandshakeConfig, type LaunchOptions } from './types';
import type { CertificateAndKey } from './certificate';

/** The longest delay setTimeout honours; larger ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** go-plugin's StartTimeout default. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;

/** The text a go-plugin plugin prints when its magic cookie is missing or wrong. */
const NOT_LAUNCHED_BY_HOST = 'This binary is a plugin. These are not meant to be executed directly.';

/** Launches the plugin, completes the handshake, connects and health-checks it. */
export async function startPlugin(options: LaunchOptions): Promise<PluginClient> {
  const name = options.name ?? basename(options.path ?? '');
  const handshakeConfig: HandshakeConfig = { ...TUTORIAL_HANDSHAKE, ...definedOnly(options.handshake ?? {}) };
  const protocolVersions = options.protocolVersions ?? [handshakeConfig.protocolVersion];
  validateOptions(options, name, handshakeConfig, protocolVersions);
  const sinks = options.sinks ?? {};
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
  const socketDir = await mkdtemp(join(tmpdir(), 'plugin-dir'));
  const env = buildPluginEnvironment({
    handshake: handshakeConfig,
    protocolVersions,
    minPort: options.minPort ?? 10000,
    maxPort: options.maxPort ?? 25000,
    socketDir,
    clientCertPem: hostCert?.certPem,
    userEnv: options.env,
    skipHostEnv: options.skipHostEnv,
  });
  const args = options.args ?? [];
  sinks.lifecycle?.('info', `starting ${[options.path, ...args].map(quoteForLog).join(' ')}`);

  let child: ChildProcess;
  try {
    child = spawn(options.path, args, {
      env,
      cwd: options.cwd,
      // go-plugin shares the host's stdin; an editor's extension host has none worth sharing.
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32', // own process group, so stop() reaches grandchildren
      windowsHide: true,
    });
  } catch (e) {
    await rm(socketDir, { recursive: true, force: true });
    throw spawnError(e as NodeJS.ErrnoException, options.path, name);
  }

  const launched = new LaunchedProcess(child, name, sinks);
  let handshake: Handshake;
  try {
    const line = await launched.handshakeLine(startTimeoutMs, options.signal);
    handshake = parseHandshake(line, { name, offeredVersions: protocolVersions });
  } catch (e) {
    await launched.killAndWait();
    await rm(socketDir, { recursive: true, force: true });
    throw e;
  }
  sinks.lifecycle?.(
    'info',
    `plugin started: pid ${child.pid}, ${handshake.network} ${handshake.address}, protocol version ${handshake.appVersion}` +
      `${hostCert ? ', AutoMTLS' : ''}`,
  );

  let client: PluginClient;
  const target = grpcTarget(handshake.network, handshake.address);
  try {
    const security = connectionSecurity(name, handshake, hostCert);
    client = new PluginClient({
      name,
      handshake,
      info: {
        pid: child.pid,
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
      process: spawnedProcess(child, launched.exited),
      security,
      sinks,
      socketDir,
    });
  } catch (e) {
    await launched.killAndWait();
    await rm(socketDir, { recursive: true, force: true });
    throw e;
  }
  client.openStreams();
  const stopOnAbort = () => void client.stop({ graceful: false });
  options.signal?.addEventListener('abort', stopOnAbort, { once: true });
  try {
    await client.ping(Math.min(startTimeoutMs, 10_000));
    throwIfAborted(options.signal, name);
  } catch (e) {
    if (options.signal?.aborted) {
      await client.stop({ graceful: false });
      throw startCancelled(name);
    }
    // A plugin that died right after its handshake: its exit status and stderr say why,
    // not the "connection closed" the health check saw.
    const connectionLost = (e as { cause?: { code?: number } }).cause?.code === grpc.status.UNAVAILABLE;
    if (client.isExited || (connectionLost && (await settlesWithin(client.exited, 300)))) {
      await client.stop({ graceful: false });
      throw await launched.exitedEarlyError('right after its handshake, before answering the health check');
    }
    // A plugin that failed its health check is not worth a graceful shutdown.
    await client.stop({ graceful: false });
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', stopOnAbort);
  }
  return client;
}

/** Owns the child until the handshake is read: stderr parsing, stdout after the handshake, exit. */
class LaunchedProcess {
  readonly exited: Promise<ExitInfo>;
  private readonly stderrTail = new TailBuffer();
  private readonly stderrDone: Promise<void>;
  private exitInfo?: ExitInfo;
  private firstLine?: (line: string | undefined) => void;
  private spawnFailure?: (e: NodeJS.ErrnoException) => void;

  constructor(private readonly child: ChildProcess, private readonly name: string, sinks: LaunchOptions['sinks'] = {}) {
    if (child.pid !== undefined) trackGroup(child.pid);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      child.once('error', (e: NodeJS.ErrnoException) => {
        // Spawn failures (ENOENT, EACCES, ENOEXEC) come here and no 'exit' follows.
        if (child.pid === undefined) {
          this.spawnFailure?.(e);
          this.exitInfo = { code: null, signal: null };
          resolve(this.exitInfo);
        }
      });
    });
    const parser = new StderrLogParser();
    this.stderrDone = new Promise((resolve) =>
      readLines(
        child.stderr!,
        (line, piece) => {
          this.stderrTail.push(line);
          const entry = parser.parseLine(line);
          sinks.log?.(piece ? { ...entry, level: 'debug' } : entry);
        },
        64 * 1024,
        resolve,
      ),
    );
    let sawHandshake = false;
    readLines(
      child.stdout!,
      (line) => {
        if (!sawHandshake) {
          sawHandshake = true;
          this.firstLine?.(line);
        } else {
          // go-plugin discards these; we pass them on so a plugin's stray output is not lost.
          sinks.stdout?.(Buffer.from(line + '\n'));
        }
      },
      64 * 1024,
      () => {
        if (!sawHandshake) this.firstLine?.(undefined);
      },
    );
  }

  /** Waits for the first stdout line, failing early if the process exits, the time runs out or signal aborts. */
  handshakeLine(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => fail(startCancelled(this.name));
      if (signal?.aborted) return reject(startCancelled(this.name));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        fail(
          new PluginError(
            'HANDSHAKE_TIMEOUT',
            `Plugin "${this.name}" did not print its go-plugin handshake within ${formatMs(timeoutMs)}. ` +
              `Check that the path is a go-plugin plugin, or raise the start timeout if it is slow to start.`,
            this.stderrTail.text() || undefined,
          ),
        );
      }, timeoutMs);
      const fail = (e: PluginError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      };
      this.spawnFailure = (e) => fail(spawnError(e, this.child.spawnfile, this.name));
      this.firstLine = (line) => {
        if (line !== undefined) {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(line);
          return;
        }
        // stdout closed without a line: the process is exiting; report it with its stderr.
        void this.exited.then(async () => fail(await this.exitedEarlyError()));
      };
      void this.exited.then(async () => fail(await this.exitedEarlyError()));
    });
  }

  /** Kills the process group and waits (bounded) until the process is really gone. */
  async killAndWait(): Promise<void> {
    if (this.child.pid === undefined) return;
    killGroup(this.child.pid, 'SIGKILL');
    await settlesWithin(this.exited, 2000);
  }

  /** Why the process ended during the start, with the end of its stderr. */
  async exitedEarlyError(when = 'before completing the go-plugin handshake'): Promise<PluginError> {
    await settlesWithin(this.stderrDone, 500);
    const tail = this.stderrTail.text();
    const exit = describeExit(this.exitInfo ?? { code: null, signal: null });
    if (tail.includes(NOT_LAUNCHED_BY_HOST)) {
      return new PluginError(
        'EXITED_BEFORE_HANDSHAKE',
        `Plugin "${this.name}" refused to start (${exit}): its magic cookie does not match. ` +
          `Configure the plugin's magic cookie key and value to the ones in its go-plugin HandshakeConfig.`,
        tail,
      );
    }
    return new PluginError(
      'EXITED_BEFORE_HANDSHAKE',
      `Plugin "${this.name}" exited ${when} (${exit}). ` +
        (tail ? 'Its last output is below; see the plugin log for all of it.' : 'It wrote nothing to stderr.'),
      tail || undefined,
    );
  }
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
    default:
      return new PluginError('SPAWN_FAILED', `Plugin "${name}": starting "${path}" failed: ${e.message}`, undefined, {
        cause: e,
      });
  }
}

function startCancelled(name: string): PluginError {
  return new PluginError('STOPPED', `Plugin "${name}" was stopped while it was starting.`);
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

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
