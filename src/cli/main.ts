// `greeter`: the tutorial's host program in TypeScript, on the same host library the
// extension uses. `greeter greet --plugin PATH NAME` prints the plugin's greeting.
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LaunchOptions, PluginSinks } from '../host';
import type { OneShotPlugin } from '../host/one-shot';
import { EXPLORER_USAGE, runExplorerCommand, withPresetOptions } from './explorer-commands';
import { outputClosed, outputFailed, watchOutput } from './output';

/**
 * The host library and the greeter client (grpc-js, protobufjs: most of the CLI's start-up
 * time) load only once a command is about to start a plugin, so help and usage errors do
 * not pay for them; plain `greet` and `inspect` never load them (they run on node:http2,
 * host/one-shot.ts).
 */
const loadLibraries = () => require('./libraries') as typeof import('./libraries');
const loadHost = () => loadLibraries().host;
const loadGreeter = () => loadLibraries().greeter;
const loadGreetOnce = () => require('../greeter/greet-once') as typeof import('../greeter/greet-once');
const loadOneShot = () => require('../host/one-shot') as typeof import('../host/one-shot');
const loadErrors = () => require('../host/errors') as typeof import('../host/errors');

const USAGE = `Usage:
  greeter greet   --plugin PATH [options] NAME   print the plugin's greeting for NAME
  greeter inspect --plugin PATH [options]        print the handshake and connection details
  greeter --version                              print the version

Options:
  --plugin PATH          plugin executable (required)
  --auto-mtls            use go-plugin AutoMTLS
  --cookie KEY=VALUE     magic cookie (default BASIC_PLUGIN=hello)
  --protocol-version N   app protocol version to offer; repeat to offer several (default 1)
  --protocol-versions N,M  the same as one list, preferred first
  --preset NAME          handshake preset: tutorial (default), terraform, vault
  --start-timeout MS     handshake timeout (default 60000)
  --timeout MS           timeout of each call: Greet, reflection, a method call (default 10000;
                         a server stream has none unless given)
  --json                 machine-readable output (inspect, list)
  --verbose              print the plugin's logs and lifecycle on stderr

Exit codes: 0 success, 1 the plugin failed (the message says why), 2 bad usage,
130 interrupted (Ctrl+C).

${EXPLORER_USAGE}`;

/** The options of every command that launches a plugin (greet, inspect, list, describe, call). */
export const LAUNCH_ARGS = {
  plugin: { type: 'string' },
  'auto-mtls': { type: 'boolean', default: false },
  cookie: { type: 'string' },
  'protocol-version': { type: 'string', multiple: true },
  'protocol-versions': { type: 'string' },
  preset: { type: 'string' },
  'start-timeout': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;

/** Exit status for wrong command lines, as most CLIs. */
const EXIT_USAGE = 2;

export async function main(argv: string[]): Promise<number> {
  const explorerExit = await runExplorerCommand(argv, { launchArgs: LAUNCH_ARGS, launchOptions, timeoutMs, usage, help });
  if (explorerExit !== undefined) return explorerExit;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: LAUNCH_ARGS,
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') return help();
  if (values.version) {
    process.stdout.write(`greeter ${packageVersion()}\n`);
    return 0;
  }
  if (command !== 'greet' && command !== 'inspect') return usage(command ? `unknown command "${command}"` : 'missing command');
  if (!values.plugin) return usage('--plugin PATH is required');
  if (command === 'greet' && rest.length !== 1) return usage('greet takes exactly one NAME');
  if (command === 'greet' && values.json) return usage('--json applies to inspect and list; greet prints the greeting');
  if (command === 'inspect' && rest.length !== 0) return usage('inspect takes no positional arguments');

  let options: LaunchOptions;
  let callTimeout: number | undefined;
  try {
    options = launchOptions(values);
    callTimeout = values.timeout === undefined ? undefined : timeoutMs(values.timeout, '--timeout');
  } catch (e) {
    return usage((e as Error).message);
  }

  // One-shot commands run on node:http2 without grpc-js (host/one-shot.ts); --verbose shows
  // the plugin's stdio stream, which needs the full host.
  if (!values.verbose) {
    try {
      if (command === 'greet') {
        process.stdout.write((await loadGreetOnce().greetOnce(options, rest[0], { timeoutMs: callTimeout })) + '\n');
      } else {
        await loadOneShot().runOnce(options, async (plugin) => printInspection(plugin, values.json === true));
      }
      return 0;
    } catch (e) {
      return pluginFailure(e, loadErrors().isPluginError);
    }
  }

  const { startPlugin, isPluginError } = loadHost();
  try {
    const plugin = await startPlugin(options);
    try {
      if (command === 'greet') {
        process.stdout.write((await loadGreeter().greet(plugin, rest[0], { timeoutMs: callTimeout })) + '\n');
      } else {
        printInspection({ ...plugin, pid: plugin.pid, tls: plugin.info.tls, tlsFallbackReason: plugin.info.tlsFallbackReason }, values.json === true);
      }
    } finally {
      await plugin.stop();
    }
    return 0;
  } catch (e) {
    return pluginFailure(e, isPluginError);
  }
}

/** A plugin's failure is exit 1 with its message; anything else is a bug and goes up. */
function pluginFailure(e: unknown, isPluginError: typeof import('../host/errors').isPluginError): number {
  if (!isPluginError(e)) throw e;
  process.stderr.write(`greeter: ${e.describe()}\n`);
  return 1;
}

function launchOptions(values: Record<string, string | boolean | string[] | undefined>): LaunchOptions {
  const handshake: LaunchOptions['handshake'] = {};
  if (typeof values.cookie === 'string') {
    const eq = values.cookie.indexOf('=');
    if (eq <= 0 || eq === values.cookie.length - 1) throw new Error(`--cookie must be KEY=VALUE with neither empty, got "${values.cookie}"`);
    handshake.magicCookieKey = values.cookie.slice(0, eq);
    handshake.magicCookieValue = values.cookie.slice(eq + 1);
  }
  // go-plugin's app protocol versions start at 1.
  const versions = (values['protocol-version'] as string[] | undefined)?.map((v) => positiveInt(v, '--protocol-version'));
  if (versions?.length) handshake.protocolVersion = versions[0];
  return withPresetOptions(values, {
    path: resolve(values.plugin as string),
    autoMTLS: values['auto-mtls'] === true,
    handshake,
    protocolVersions: versions,
    startTimeoutMs: typeof values['start-timeout'] === 'string' ? timeoutMs(values['start-timeout'], '--start-timeout') : undefined,
    sinks: values.verbose ? verboseSinks() : undefined,
  });
}

/** What `inspect` prints of a started plugin, whichever path started it. */
type Inspected = Pick<OneShotPlugin, 'name' | 'pid' | 'handshake' | 'tls' | 'tlsFallbackReason'>;

function printInspection(plugin: Inspected, json: boolean): void {
  const h = plugin.handshake;
  const details = {
    name: plugin.name,
    pid: plugin.pid,
    coreProtocolVersion: h.coreVersion,
    appProtocolVersion: h.appVersion,
    network: h.network,
    address: h.address,
    protocol: h.protocol,
    tls: plugin.tls,
    serverCertificateBytes: h.serverCert?.length ?? 0,
    tlsFallbackReason: plugin.tlsFallbackReason,
    health: 'SERVING',
  };
  if (json) {
    process.stdout.write(JSON.stringify(details, null, 2) + '\n');
    return;
  }
  for (const [key, value] of Object.entries(details)) {
    if (value !== undefined) process.stdout.write(`${key.padEnd(22)} ${value}\n`);
  }
}

function verboseSinks(): PluginSinks {
  const { formatLogFields } = loadHost();
  // One decoder per stream: a UTF-8 character split across two chunks stays whole.
  const stdout = new StringDecoder('utf8');
  const stderr = new StringDecoder('utf8');
  const write = (label: string, text: string) => text && process.stderr.write(`[${label}] ${text}`);
  return {
    log: (e) => process.stderr.write(`[${e.level.toUpperCase()}] ${e.module ? e.module + ': ' : ''}${e.message} ${formatLogFields(e.fields)}\n`),
    stdout: (chunk) => write('STDOUT', stdout.write(chunk)),
    stderr: (chunk) => write('STDERR', stderr.write(chunk)),
    lifecycle: (level, message) => process.stderr.write(`[${level.toUpperCase()}] host: ${message}\n`),
  };
}

function positiveInt(text: string, flag: string): number {
  const n = nonNegativeInt(text, flag);
  if (n === 0) throw new Error(`${flag} must be positive`);
  return n;
}

function nonNegativeInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${flag} expects a whole number, got "${text}"`);
  return Number(text);
}

/** The longest timeout Node's timers keep (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Milliseconds from 1 to what a timer can wait. */
function timeoutMs(text: string, flag: string): number {
  const n = positiveInt(text, flag);
  if (n > MAX_TIMEOUT_MS) throw new Error(`${flag} must be at most ${MAX_TIMEOUT_MS} ms (about 24 days), got ${text}`);
  return n;
}

/** The problem in one line and where the usage is; the whole usage would bury it. */
function usage(problem: string): number {
  process.stderr.write(`greeter: ${problem}\nRun 'greeter --help' for the commands and options.\n`);
  return EXIT_USAGE;
}

/** The package's version: package.json is two folders up from src/cli and from dist/lib alike. */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function help(): number {
  process.stdout.write(USAGE + '\n');
  return 0;
}

/** Runs the CLI as a program: exit status from main(), unexpected failures reported. Called by the `greeter` launcher (./bin.ts). */
export function runAsProgram(argv: string[]): void {
  watchOutput();
  main(argv).then(
    (code) => {
      process.exitCode = outputFailed() ? 1 : outputClosed.aborted ? 0 : code;
    },
    (e) => {
      process.stderr.write(`greeter: unexpected failure: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runAsProgram(process.argv.slice(2));
