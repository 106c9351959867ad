// What a plugin serves: its service names and a descriptor registry, from reflection or
// from configured .proto files. Cached per plugin process: the cache is keyed by the
// PluginClient, so a restarted plugin (a new client) is asked again, and an exited
// one is forgotten at once.
import { createRegistry, type DescEnum, type DescMessage, type DescMethod, type DescService, type FileRegistry, type Registry } from '@bufbuild/protobuf';
import * as wkt from '@bufbuild/protobuf/wkt';
import type { FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import type { PluginClient } from '../host';
import { isDeadlineCancel } from '../host/call-deadline';
import { Status, statusName, type CallFailure } from '../host/grpc-status';
import { registryFromFiles } from './descriptor-set';
import { ExplorerError, isExplorerError } from './errors';
import { compileProtoFiles, type ProtoSources } from './proto-compiler';
import { ReflectionSession, type ReflectionVersion } from './reflection';

/** The well-known types with a JSON form of their own, which an Any may hold. */
const WELL_KNOWN_FILES = [
  wkt.file_google_protobuf_any, wkt.file_google_protobuf_duration, wkt.file_google_protobuf_empty, wkt.file_google_protobuf_field_mask,
  wkt.file_google_protobuf_struct, wkt.file_google_protobuf_timestamp, wkt.file_google_protobuf_wrappers,
];

/** Default deadline for loading descriptors through reflection. */
export const DEFAULT_REFLECTION_TIMEOUT_MS = 10_000;

export type MethodKind = 'unary' | 'server_streaming' | 'client_streaming' | 'bidi_streaming';

/** go-plugin's own services and gRPC infrastructure: hidden from users unless asked for. */
export const INTERNAL_SERVICES: ReadonlySet<string> = new Set([
  'plugin.GRPCBroker',
  'plugin.GRPCController',
  'plugin.GRPCStdio',
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
]);

export interface CatalogOptions extends Partial<ProtoSources> {
  /** Deadline for the reflection round trips. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type CatalogSource = { kind: 'reflection'; version: ReflectionVersion } | { kind: 'protoFiles'; files: string[] };

/** The services of one plugin process and every type they use. */
export class PluginCatalog {
  constructor(
    readonly plugin: string,
    readonly registry: FileRegistry,
    /** Every service the plugin named, in its order (reflection) or the files' order. */
    readonly serviceNames: string[],
    readonly source: CatalogSource,
    /** Services the plugin named but whose descriptors it could not send. */
    readonly unresolved: Map<string, string> = new Map(),
  ) {}

  private jsonTypes?: Registry;

  /**
   * The registry for proto3 JSON: the plugin's types, then the well-known types, so an Any
   * may hold a Timestamp or a FieldMask although the plugin's own files never import them.
   */
  get jsonRegistry(): Registry {
    return (this.jsonTypes ??= createRegistry(this.registry, ...WELL_KNOWN_FILES));
  }

  /** The services with descriptors, optionally without go-plugin's internal ones. */
  services(options: { includeInternal?: boolean } = {}): DescService[] {
    return this.serviceNames
      .filter((name) => options.includeInternal || !INTERNAL_SERVICES.has(name))
      .map((name) => this.registry.getService(name))
      .filter((s): s is DescService => s !== undefined);
  }

  service(name: string): DescService {
    const service = this.registry.getService(name);
    if (service && this.serviceNames.includes(name)) return service;
    const missing = this.unresolved.get(name);
    if (missing !== undefined) {
      throw new ExplorerError(
        'REFLECTION_FAILED',
        this.plugin,
        `Plugin "${this.plugin}" serves ${name} but did not send its descriptor through reflection (${missing}). Give its .proto files instead ("protoFiles" in its settings entry, --proto FILE in the CLI).`,
      );
    }
    const served = this.serviceNames.filter((n) => !INTERNAL_SERVICES.has(n));
    throw new ExplorerError(
      'UNKNOWN_SERVICE',
      this.plugin,
      `Plugin "${this.plugin}" serves no service "${name}". ` +
        (served.length ? `It serves ${served.join(', ')}.` : 'It serves none besides go-plugin\'s own.') +
        ` Service names are fully qualified (package.Service); \`greeter list\` shows them.`,
      { validNames: served },
    );
  }

  /** A method by `package.Service/Method` (also `package.Service.Method`, as grpcurl accepts). */
  method(spec: string): DescMethod {
    if (!spec.includes('/') && this.serviceNames.includes(spec)) {
      const names = this.service(spec).methods.map((m) => m.name);
      throw new ExplorerError(
        'UNKNOWN_METHOD',
        this.plugin,
        `"${spec}" is a service, not a method. Name one of its methods as ${spec}/METHOD${names.length ? `, for example ${spec}/${names[0]}; its methods: ${names.join(', ')}` : ''}.`,
        { validNames: names },
      );
    }
    const cut = spec.includes('/') ? spec.lastIndexOf('/') : spec.lastIndexOf('.');
    if (cut <= 0 || cut === spec.length - 1) {
      throw new ExplorerError(
        'UNKNOWN_METHOD',
        this.plugin,
        `"${spec}" is not a method name. Write it as package.Service/Method, for example tutorial.Greeter/Greet.`,
      );
    }
    const service = this.service(spec.slice(0, cut).replace(/^\//, ''));
    const name = spec.slice(cut + 1);
    const method = service.methods.find((m) => m.name === name);
    if (method) return method;
    const names = service.methods.map((m) => m.name);
    throw new ExplorerError(
      'UNKNOWN_METHOD',
      this.plugin,
      `Service ${service.typeName} of plugin "${this.plugin}" has no method "${name}". Its methods: ${names.join(', ') || 'none'}.`,
      { validNames: names },
    );
  }

  /** A service, method, message or enum by its full name, for `describe`. */
  symbol(name: string): DescService | DescMethod | DescMessage | DescEnum {
    const clean = name.replace(/^\./, '');
    const found = this.registry.getService(clean) ?? this.registry.getMessage(clean) ?? this.registry.getEnum(clean);
    if (found) return found;
    const cut = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('.'));
    const method = cut > 0 ? this.registry.getService(clean.slice(0, cut))?.methods.find((m) => m.name === clean.slice(cut + 1)) : undefined;
    if (method) return method;
    throw new ExplorerError(
      'UNKNOWN_SYMBOL',
      this.plugin,
      `Plugin "${this.plugin}" has no service, method, message or enum named "${name}". Use full names ` +
        `(package.Service, package.Service/Method, package.Message); \`greeter list\` shows the services.`,
    );
  }
}

const cache = new WeakMap<PluginClient, Map<string, Promise<PluginCatalog>>>();

/** The plugin's catalog, loaded once per plugin process and set of proto files. */
export function loadCatalog(plugin: PluginClient, options: CatalogOptions = {}): Promise<PluginCatalog> {
  const key = JSON.stringify([options.protoFiles ?? null, options.importPaths ?? null]);
  let perPlugin = cache.get(plugin);
  if (!perPlugin) {
    perPlugin = new Map();
    cache.set(plugin, perPlugin);
    // Descriptors belong to one process: drop them the moment it exits.
    plugin.once('exit', () => cache.delete(plugin));
  }
  let loading = perPlugin.get(key);
  if (!loading) {
    // Shared by every caller, so no caller's signal cancels it; the timeout bounds it.
    const shared = { ...options, signal: undefined };
    loading = options.protoFiles?.length ? fromProtoFiles(plugin.name, shared as ProtoSources) : fromReflection(plugin, shared);
    perPlugin.set(key, loading);
    // A failure is not remembered: the next request tries again.
    loading.catch(() => perPlugin?.get(key) === loading && perPlugin.delete(key));
  }
  return options.signal ? untilAborted(loading, options.signal, plugin.name) : loading;
}

/** The caller stops waiting when its signal aborts; the shared load goes on for the others. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, pluginName: string): Promise<T> {
  const cancelled = () => new ExplorerError('CANCELLED', pluginName, `Loading the services of plugin "${pluginName}" was cancelled.`);
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Forgets a plugin's cached catalog (e.g. after its .proto files changed). */
export function forgetCatalog(plugin: PluginClient): void {
  cache.delete(plugin);
}

async function fromProtoFiles(pluginName: string, sources: ProtoSources): Promise<PluginCatalog> {
  let registry: FileRegistry;
  try {
    registry = registryFromFiles(compileProtoFiles(sources));
  } catch (e) {
    throw new ExplorerError(
      'PROTO_FILES_INVALID',
      pluginName,
      `The .proto files configured for plugin "${pluginName}" (${sources.protoFiles.join(', ')}) do not compile: ${(e as Error).message}. ` +
        `Check the paths and "importPaths" (the folders imports are resolved against).`,
      {},
      { cause: e },
    );
  }
  const services: string[] = [];
  for (const file of registry.files) for (const s of file.services) services.push(s.typeName);
  return new PluginCatalog(pluginName, registry, services, { kind: 'protoFiles', files: [...sources.protoFiles] });
}

async function fromReflection(plugin: PluginClient, options: CatalogOptions): Promise<PluginCatalog> {
  if (plugin.isExited || plugin.signal.aborted) throw notRunning(plugin);
  const reflectionOptions = { timeoutMs: options.timeoutMs ?? DEFAULT_REFLECTION_TIMEOUT_MS, signal: options.signal };
  const deadline = Date.now() + reflectionOptions.timeoutMs;
  let opened;
  try {
    opened = await ReflectionSession.open(plugin, reflectionOptions);
  } catch (e) {
    throw await reflectionTransportError(plugin, e, reflectionOptions.timeoutMs, deadline, options.signal);
  }
  const { session, services } = opened;
  try {
    const files = new Map<string, FileDescriptorProto>();
    const unresolved = new Map<string, string>();
    const known = (name: string) => [...files.values()].some((f) => definesService(f, name));
    for (const service of services) {
      if (known(service)) continue;
      const answer = await session.fileContainingSymbol(service);
      if (answer.error) unresolved.set(service, answer.error.message);
      for (const file of answer.files ?? []) files.set(file.name, file);
    }
    // Servers send each dependency once per stream; ask for any still missing.
    const unsendable = new Map<string, string>();
    for (let missing = missingDependencies(files, unsendable); missing.length; missing = missingDependencies(files, unsendable)) {
      for (const name of missing) {
        const answer = await session.fileByFilename(name);
        if (answer.error || !answer.files?.length) {
          unsendable.set(name, answer.error ? `${statusName(answer.error.code)}: ${answer.error.message}` : 'no file in the answer');
          continue;
        }
        for (const file of answer.files) files.set(file.name, file);
      }
    }
    // A file that cannot be completed takes only its own services along, not the plugin's others.
    dropIncomplete(files, unsendable, services, unresolved);
    let registry: FileRegistry;
    try {
      registry = registryFromFiles(files.values());
    } catch (e) {
      throw new ExplorerError(
        'REFLECTION_FAILED',
        plugin.name,
        `Plugin "${plugin.name}" sent file descriptors that do not fit together (${(e as Error).message}). Give its .proto files instead ("protoFiles" in its settings entry, --proto FILE in the CLI).`,
        {},
        { cause: e },
      );
    }
    return new PluginCatalog(plugin.name, registry, services, { kind: 'reflection', version: session.version }, unresolved);
  } catch (e) {
    throw await reflectionTransportError(plugin, e, reflectionOptions.timeoutMs, deadline, options.signal);
  } finally {
    session.close();
  }
}

function definesService(file: FileDescriptorProto, fullName: string): boolean {
  return file.service.some((s) => (file.package ? `${file.package}.${s.name}` : s.name) === fullName);
}

function missingDependencies(files: Map<string, FileDescriptorProto>, unsendable: Map<string, string>): string[] {
  const missing = new Set<string>();
  for (const file of files.values()) for (const dep of file.dependency) if (!files.has(dep) && !unsendable.has(dep)) missing.add(dep);
  return [...missing];
}

/**
 * Removes the files that import (directly or not) one the plugin could not send, and marks
 * the services they define as unresolved, with the missing import named.
 */
function dropIncomplete(files: Map<string, FileDescriptorProto>, unsendable: Map<string, string>, services: string[], unresolved: Map<string, string>): void {
  const why = new Map<string, string>();
  for (let changed = unsendable.size > 0; changed; ) {
    changed = false;
    for (const file of files.values()) {
      if (why.has(file.name)) continue;
      const dep = file.dependency.find((d) => unsendable.has(d) || why.has(d));
      if (dep === undefined) continue;
      why.set(file.name, unsendable.has(dep) ? `${file.name} imports ${dep}, which the plugin could not send (${unsendable.get(dep)})` : why.get(dep)!);
      changed = true;
    }
  }
  for (const [name, reason] of why) {
    const file = files.get(name)!;
    for (const service of services) if (!unresolved.has(service) && definesService(file, service)) unresolved.set(service, reason);
    files.delete(name);
  }
}

/** Stream-level failures of reflection (deadline, connection, plugin gone) as typed errors. */
async function reflectionTransportError(plugin: PluginClient, e: unknown, timeoutMs: number, deadline: number, signal?: AbortSignal): Promise<unknown> {
  if (isExplorerError(e)) return e;
  const err = e as CallFailure;
  await plugin.exitedAfter(err); // a plugin going away: its exit says more than "unavailable"
  if (plugin.signal.aborted) return notRunning(plugin);
  if (err.code === Status.CANCELLED && signal?.aborted) {
    return new ExplorerError('CANCELLED', plugin.name, `Loading the services of plugin "${plugin.name}" was cancelled.`, { grpcCode: err.code });
  }
  if (err.code === Status.DEADLINE_EXCEEDED || isDeadlineCancel(err.code, deadline, signal)) {
    return new ExplorerError(
      'REFLECTION_FAILED',
      plugin.name,
      `Plugin "${plugin.name}" did not answer reflection within ${timeoutMs} ms. It may be stuck; restart it, or raise the timeout.`,
      { grpcCode: err.code, grpcStatus: 'DEADLINE_EXCEEDED' },
    );
  }
  return new ExplorerError(
    'REFLECTION_FAILED',
    plugin.name,
    `Plugin "${plugin.name}" failed the reflection request (${err.code === undefined ? 'error' : statusName(err.code)}: ${err.details || err.message}).`,
    { grpcCode: err.code, grpcStatus: err.code === undefined ? undefined : statusName(err.code) },
    { cause: e },
  );
}

export function notRunning(plugin: PluginClient): ExplorerError {
  const reason = plugin.signal.reason as Error | undefined;
  return new ExplorerError(
    'PLUGIN_NOT_RUNNING',
    plugin.name,
    reason?.message ? `${reason.message} Start it again to use it.` : `Plugin "${plugin.name}" is not running. Start it again to use it.`,
    {},
    { cause: reason },
  );
}
