// `greeter list | describe | call`: the plugin explorer from the command line. Every
// launch option of `greet` applies (parsed by main.ts's own launchOptions), plus
// handshake presets, .proto files for plugins without reflection, and request metadata.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LaunchOptions, PluginClient } from '../host';
import type { CallOutcome, ExplorerError, PluginCatalog } from '../explorer';
import type { LAUNCH_ARGS } from './main';
import { outputClosed } from './output';

/** Heavy libraries (grpc-js, protobufjs, @bufbuild/protobuf) load only when a command runs. */
// In their own bundle file (./libraries.ts), loaded only by the commands that need them.
const loadHost = () => (require('./libraries') as typeof import('./libraries')).host;
const loadExplorer = () => (require('./libraries') as typeof import('./libraries')).explorer;

export const EXPLORER_COMMANDS: readonly string[] = ['list', 'describe', 'call'];

export const EXPLORER_USAGE = `Plugin explorer (any go-plugin plugin's gRPC services, through reflection or .proto files):
  greeter list     --plugin PATH [options]                     services and methods, with their kinds
  greeter describe --plugin PATH [options] SYMBOL              a service, method, message or enum in proto syntax
  greeter call     --plugin PATH [options] SERVICE/METHOD [JSON | @FILE | -]
                                                               call a unary or server-streaming method; prints the
                                                               response as JSON, a stream as one JSON document per line

Explorer options (besides every option of greet):
  --proto FILE              .proto file to use instead of reflection (repeatable)
  --import-path DIR         folder imports of --proto files resolve against (repeatable)
  -H, --header 'KEY: VALUE' request metadata (repeatable; -bin keys take base64)
  --all                     list: include go-plugin's own services (broker, controller, stdio, health, reflection)
  --json                    list: machine-readable output
  --emit-defaults           call: print fields at their default values too (scalars, enums,
                            lists, maps; an unset message field stays out)
  --print-metadata          call: print response headers and trailers on stderr

Exit codes of call: 0 OK; 64 + the gRPC status code when the plugin ends the call with an
error status (as grpcurl; a code outside 1-16 counts as UNKNOWN, 66); 1 any other failure;
2 bad usage; 130 interrupted (Ctrl+C).`;

/** What main.ts lends the explorer commands, so launch options mean the same everywhere. */
export interface CliShared {
  /** greet's option definitions (node:util parseArgs), so every launch option applies here too. */
  launchArgs: typeof LAUNCH_ARGS;
  launchOptions(values: Record<string, string | boolean | string[] | undefined>): LaunchOptions;
  /** Milliseconds from 1 to what a timer can wait, for `flag`. */
  timeoutMs(text: string, flag: string): number;
  usage(problem: string): number;
  /** Prints the whole usage on stdout; returns the exit status (0). */
  help(): number;
}

/**
 * `--protocol-versions N,M` and `--preset NAME` on top of the other launch options. main.ts
 * applies it for every command that launches a plugin (greet and inspect too).
 */
export function withPresetOptions(values: { preset?: unknown; 'protocol-versions'?: unknown }, options: LaunchOptions): LaunchOptions {
  let result = options;
  const list = values['protocol-versions'];
  if (typeof list === 'string') {
    const items = list.split(',').map((v) => v.trim());
    if (!items.every((v) => /^[1-9]\d*$/.test(v))) throw new Error(`--protocol-versions expects whole numbers from 1 separated by commas, got "${list}"`);
    const versions = [...(options.protocolVersions ?? []), ...items.map(Number)];
    result = { ...result, protocolVersions: versions, handshake: { ...result.handshake, protocolVersion: result.handshake?.protocolVersion ?? versions[0] } };
  }
  if (typeof values.preset === 'string') {
    // Only the presets: greet and inspect need none of the explorer's protobuf libraries.
    const { applyHandshakePreset, handshakePreset } = require('../explorer/presets') as typeof import('../explorer/presets');
    result = applyHandshakePreset(handshakePreset(values.preset, options.name ?? 'plugin'), result);
  }
  return result;
}

/** grpcurl's convention: a failed status exits 64 + its code, apart from the CLI's own codes. */
const EXIT_STATUS_BASE = 64;

/** Exit status of a command the user interrupted (Ctrl+C), as shells report SIGINT. */
const EXIT_INTERRUPTED = 130;

/** The explorer commands' options: every launch option plus their own. */
function explorerArgs(launchArgs: typeof LAUNCH_ARGS) {
  return {
    ...launchArgs,
    proto: { type: 'string', multiple: true },
    'import-path': { type: 'string', multiple: true },
    header: { type: 'string', short: 'H', multiple: true },
    all: { type: 'boolean', default: false },
    'emit-defaults': { type: 'boolean', default: false },
    'print-metadata': { type: 'boolean', default: false },
  } as const;
}

/** Runs `list`, `describe` or `call`; undefined when argv is another command (main handles it). */
export async function runExplorerCommand(argv: string[], shared: CliShared): Promise<number | undefined> {
  const options = explorerArgs(shared.launchArgs);
  // Typed, so the value of an option before the command (`--plugin P list`) is not taken for it.
  const loose = parseArgs({ args: argv, allowPositionals: true, strict: false, options });
  const command = loose.positionals[0];
  if (command === undefined || !EXPLORER_COMMANDS.includes(command)) return undefined;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (e) {
    return shared.usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  const args = positionals.slice(1);
  if (values.help) return shared.help();
  if (!values.plugin) return shared.usage('--plugin PATH is required');
  if (command === 'list' && args.length !== 0) return shared.usage('list takes no positional arguments');
  if (command === 'describe' && args.length !== 1) return shared.usage('describe takes exactly one SYMBOL');
  if (command === 'call' && (args.length < 1 || args.length > 2)) return shared.usage('call takes SERVICE/METHOD and at most one request (JSON, @FILE or -)');
  // call prints JSON anyway, describe prints proto syntax: --json would change nothing there.
  if (command !== 'list' && values.json) return shared.usage(`--json applies to list and inspect; ${command} ${command === 'call' ? 'prints JSON already' : 'prints proto syntax'}`);

  let launch: LaunchOptions;
  let timeoutMs: number | undefined;
  let metadata: Record<string, string[]>;
  let request = '';
  try {
    launch = shared.launchOptions(values);
    timeoutMs = values.timeout === undefined ? undefined : shared.timeoutMs(values.timeout, '--timeout');
    metadata = parseHeaders(values.header ?? []);
    if (command === 'call') request = readRequest(args[1]);
  } catch (e) {
    return shared.usage((e as Error).message);
  }

  const { startPlugin, isPluginError } = loadHost();
  const explorer = loadExplorer();
  const cancel = new AbortController();
  const onInterrupt = () => cancel.abort();
  // Ctrl+C cancels the call and stops the plugin in order. `on`, not `once`: while this
  // listener is registered, the host's last-resort signal handler leaves shutdown to us.
  process.on('SIGINT', onInterrupt);
  outputClosed.addEventListener('abort', onInterrupt);
  try {
    const plugin = await startPlugin({ ...launch, signal: cancel.signal });
    try {
      const catalog = await explorer.loadCatalog(plugin, {
        protoFiles: values.proto,
        importPaths: values['import-path'],
        timeoutMs,
        signal: cancel.signal,
      });
      if (command === 'list') printList(catalog, values.all === true, values.json === true);
      else if (command === 'describe') process.stdout.write(explorer.toProtoSyntax(catalog.symbol(args[0])));
      else return await call(plugin, catalog, args[0], request, {
        timeoutMs,
        metadata,
        signal: cancel.signal,
        emitDefaults: values['emit-defaults'] === true,
        printMetadata: values['print-metadata'] === true,
      });
    } finally {
      await plugin.stop();
    }
    return 0;
  } catch (e) {
    // The reader left (`| head`): the cancel was ours, and nobody is waiting for a message.
    if (outputClosed.aborted) return 0;
    // Ctrl+C: the user's own cancel, not the plugin's failure.
    if (cancel.signal.aborted) return EXIT_INTERRUPTED;
    if (explorer.isExplorerError(e)) return reportExplorerError(e);
    if (isPluginError(e)) {
      process.stderr.write(`greeter: ${e.describe()}\n`);
      return 1;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    outputClosed.removeEventListener('abort', onInterrupt);
  }
}

async function call(
  plugin: PluginClient,
  catalog: PluginCatalog,
  method: string,
  request: string,
  options: { timeoutMs?: number; metadata: Record<string, string[]>; signal: AbortSignal; emitDefaults: boolean; printMetadata: boolean },
): Promise<number> {
  const streaming = catalog.method(method).methodKind === 'server_streaming';
  const printMetadata = (label: string, record: Record<string, string[]>) => {
    for (const [key, values] of Object.entries(record)) for (const v of values) process.stderr.write(`${label} ${key}: ${v}\n`);
  };
  const outcome: CallOutcome = await loadExplorer().callMethod(plugin, catalog, method, request, {
    timeoutMs: options.timeoutMs,
    metadata: options.metadata,
    signal: options.signal,
    emitDefaults: options.emitDefaults,
    onHeaders: (headers) => options.printMetadata && printMetadata('header', headers),
    // A stream prints each message the moment it arrives, one JSON document per line.
    onMessage: (message) => process.stdout.write(streaming ? JSON.stringify(message) + '\n' : JSON.stringify(message, null, 2) + '\n'),
  });
  if (options.printMetadata) printMetadata('trailer', outcome.trailers);
  return 0;
}

function printList(catalog: PluginCatalog, all: boolean, json: boolean): void {
  const services = catalog.services({ includeInternal: all });
  const rows = services.map((s) => ({
    service: s.typeName,
    methods: s.methods.map((m) => ({ name: m.name, kind: m.methodKind, input: m.input.typeName, output: m.output.typeName })),
  }));
  if (json) {
    process.stdout.write(JSON.stringify({ source: catalog.source, services: rows }, null, 2) + '\n');
  } else {
    const unexplained = [...catalog.unresolved.keys()].every((name) => loadExplorer().INTERNAL_SERVICES.has(name));
    if (rows.length === 0 && !all && unexplained) process.stderr.write("greeter: the plugin serves no services besides go-plugin's own; --all lists those too\n");
    for (const row of rows) {
      process.stdout.write(`${row.service}\n`);
      const width = Math.max(...row.methods.map((m) => m.name.length), 0);
      for (const m of row.methods) process.stdout.write(`  ${m.name.padEnd(width)}  ${KIND_LABELS[m.kind].padEnd(16)}  ${m.input} -> ${m.output}\n`);
    }
  }
  for (const [service, reason] of catalog.unresolved) {
    if (all || !loadExplorer().INTERNAL_SERVICES.has(service)) process.stderr.write(`greeter: the plugin names ${service} but sent no descriptor for it (${reason})\n`);
  }
}

const KIND_LABELS: Record<string, string> = {
  unary: 'unary',
  server_streaming: 'server-streaming',
  client_streaming: 'client-streaming',
  bidi_streaming: 'bidi-streaming',
};

/** gRPC's status codes: CANCELLED (1) to UNAUTHENTICATED (16). */
const LAST_STATUS_CODE = 16;
const UNKNOWN_STATUS = 2;

function reportExplorerError(e: ExplorerError): number {
  process.stderr.write(`greeter: ${e.message}\n`);
  if (e.code === 'CALL_STATUS' || (e.code === 'CANCELLED' && e.details.grpcCode !== undefined)) {
    const code = e.details.grpcCode ?? UNKNOWN_STATUS;
    // A code outside gRPC's list (a plugin may send any number) counts as UNKNOWN, so the
    // exit status stays within 65-80 and never wraps around to 0.
    return EXIT_STATUS_BASE + (Number.isInteger(code) && code >= 1 && code <= LAST_STATUS_CODE ? code : UNKNOWN_STATUS);
  }
  return 1;
}

/** `KEY: VALUE` (or `KEY=VALUE`) pairs; repeated keys keep every value. */
function parseHeaders(headers: string[]): Record<string, string[]> {
  const metadata: Record<string, string[]> = {};
  for (const header of headers) {
    const match = /^\s*([^:=\s]+)\s*[:=]\s?(.*)$/.exec(header);
    if (!match) throw new Error(`--header must be "KEY: VALUE", got "${header}"`);
    (metadata[match[1].toLowerCase()] ??= []).push(match[2]);
  }
  return metadata;
}

/** JSON text, `@file`, `-` for stdin, or nothing (an empty request). */
function readRequest(arg: string | undefined): string {
  if (arg === undefined) return '';
  if (arg === '-') return readFileSync(0, 'utf8');
  if (arg.startsWith('@')) {
    try {
      return readFileSync(arg.slice(1), 'utf8');
    } catch (e) {
      throw new Error(`cannot read the request file "${arg.slice(1)}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return arg;
}
