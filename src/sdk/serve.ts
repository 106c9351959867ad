// serve(): turn this Node process into a go-plugin plugin. Mirrors go-plugin's
// Serve(): cookie check, version negotiation, listener, AutoMTLS, the internal
// services, the handshake line, stdio capture, SIGINT ignored (PROTOCOL.md §1-§8).
import * as grpc from '@grpc/grpc-js';
import { BrokerService, ControllerService, HealthService, StdioService } from '../proto';
import { TUTORIAL_HANDSHAKE, type HandshakeConfig } from '../host/types';
import { PluginSideBroker } from './broker';
import { controllerImplementation } from './controller';
import { checkMagicCookie } from './cookie';
import { SdkError } from './errors';
import { formatHandshakeLine } from './handshake-line';
import { healthImplementation } from './health';
import { bindPluginListener, defaultNetwork, type BoundAddress } from './listener';
import { createLogger, type Logger } from './logger';
import { encodeHandshakeCert, setUpAutoMtls, type AutoMtls, type CertificateCurve } from './mtls';
import { guardHandlers } from './handler-errors';
import { PARENT_AT_LOAD, watchParent } from './parent-watch';
import { StdioForwarder } from './stdio';
import { addReflection, type ReflectedService } from './reflection';
import { negotiateVersion } from './versions';
import { writeAllSync } from './write-sync';

/** What a plugin's registration function gets besides the server. */
export interface PluginContext {
  /** The negotiated app protocol version. */
  version: number;
  /** The SDK's logger (hclog JSON on fd 2). */
  logger: Logger;
  /** For serving or dialing extra gRPC servers by id. */
  broker: PluginSideBroker;
}

/**
 * Adds the plugin's own gRPC services (e.g. tutorial.Greeter) to the server. Services it
 * adds before returning are described by reflection when their definitions come from
 * @grpc/proto-loader; for others, use `ServeOptions.services` with a `descriptor`.
 */
export type RegisterServices = (server: grpc.Server, context: PluginContext) => void;

/**
 * One of the plugin's own gRPC services. A definition made by @grpc/proto-loader (like
 * the SDK's `GreeterService`) carries its descriptors; any other definition (e.g. from
 * grpc-tools' generated code) needs `descriptor` for reflection to describe it.
 */
export interface PluginService {
  /** The service definition, e.g. `GreeterService`. */
  definition: grpc.ServiceDefinition;
  /** Its handlers, by method name. */
  implementation: grpc.UntypedServiceImplementation;
  /**
   * Encoded FileDescriptorProtos: the file that defines the service and the files it
   * imports (e.g. each file of `protoc --include_imports --descriptor_set_out`, or
   * `toBinary(FileDescriptorProtoSchema, file_x.proto)` with @bufbuild/protobuf).
   */
  descriptor?: Iterable<Uint8Array>;
}

/** How to serve; with none of `services`, `register` and `versions` nothing but the internal services is served. */
export interface ServeOptions {
  /** Cookie and default app version. Default: the tutorial's (BASIC_PLUGIN=hello, version 1). */
  handshake?: Partial<HandshakeConfig>;
  /** Services for `handshake.protocolVersion`, registered before `register` runs. */
  services?: PluginService[];
  /** Registers services for `handshake.protocolVersion` (go-plugin `Plugins`). */
  register?: RegisterServices;
  /** Services per app protocol version (go-plugin `VersionedPlugins`); merged with `register`. */
  versions?: Record<number, RegisterServices>;
  /** Logger for the SDK's own lines. Default: an unnamed hclog JSON logger at trace, like go-plugin's. */
  logger?: Logger;
  /** Runs after a Shutdown request, before the process exits (bounded by `shutdownGraceMs`). */
  onShutdown?: () => void | Promise<void>;
  /** How long shutdown waits for in-flight calls and `onShutdown`. Default 250 ms. */
  shutdownGraceMs?: number;
  /** How often to check whether the host died. Default 1000 ms. */
  parentPollMs?: number;
  /**
   * Listener kind. Default: go-plugin's choice (TCP on Windows, Unix socket elsewhere);
   * `tcp` on other systems is for testing a host's TCP path.
   */
  network?: 'unix' | 'tcp';
  /**
   * Curve of the AutoMTLS certificate. Default P-521, exactly like a Go plugin; P-256
   * lets hosts on BoringSSL (Electron, Bun, Python grpcio) verify it.
   */
  autoMtlsCurve?: CertificateCurve;
  /**
   * Serve gRPC server reflection (grpc.reflection.v1 and v1alpha) describing every service
   * registered, the internal ones included, as go-plugin does since v1.2.0. Default true.
   */
  reflection?: boolean;
}

/** A plugin that is serving; the process exits when the host asks or dies. */
export interface ServedPlugin {
  version: number;
  network: 'unix' | 'tcp';
  address: string;
  tls: boolean;
  server: grpc.Server;
  broker: PluginSideBroker;
  logger: Logger;
  /** Stops serving and exits the process with code 0, as a Shutdown request would. */
  shutdown(): Promise<never>;
}

/**
 * Notes each service added to `server` until stop(), those a `register` callback adds
 * included, with the descriptor its `services` entry gave, so reflection covers them all;
 * their handlers' throws and rejections answer the call (handler-errors.ts).
 */
function recordServices(server: grpc.Server, logger: Logger, declared: PluginService[] = []) {
  const services: ReflectedService[] = [];
  const add = server.addService;
  server.addService = function (definition, implementation) {
    add.call(this, definition, guardHandlers(definition, implementation, logger));
    services.push({ definition, descriptor: declared.find((s) => s.definition === definition)?.descriptor });
  };
  return {
    services,
    stop: () => {
      server.addService = add;
    },
  };
}

/** Set by the first serve(): a process is one plugin. */
let serving = false;

/** Writes `message` synchronously to stderr and exits with `code` (no lost output, PROTOCOL.md §8.15). */
function exitWith(code: number, message?: string): never {
  if (message) writeAllSync(2, message);
  process.exit(code);
}

function resolveVersions(handshake: HandshakeConfig, options: ServeOptions): Map<number, RegisterServices> {
  const versions = new Map<number, RegisterServices>();
  for (const [key, register] of Object.entries(options.versions ?? {})) {
    // The handshake line carries the version as a number a Go host parses; "v2" would be NaN there.
    if (!/^[1-9]\d{0,8}$/.test(key)) {
      throw new SdkError('BAD_VERSION', `serve(): versions has the key ${JSON.stringify(key)}; app protocol versions are whole numbers from 1, e.g. versions: { 1: register, 2: registerV2 }`);
    }
    if (typeof register !== 'function') {
      throw new SdkError('BAD_VERSION', `serve(): versions[${key}] is ${typeof register}, not a function that registers that version's services`);
    }
    versions.set(Number(key), register);
  }
  if (options.register || options.services || versions.size === 0) {
    const { services = [], register } = options;
    versions.set(handshake.protocolVersion, (server, context) => {
      for (const service of services) server.addService(service.definition, service.implementation);
      register?.(server, context);
    });
  }
  return versions;
}

/**
 * Serves this process as a go-plugin plugin and resolves once the handshake line is
 * written. Exits with code 1 (and go-plugin's message on stderr) when the magic
 * cookie is wrong or the plugin cannot listen.
 */
export async function serve(options: ServeOptions = {}): Promise<ServedPlugin> {
  if (serving) throw new SdkError('ALREADY_SERVING', 'serve() was called a second time; a process serves one plugin (one handshake line), so call it once');
  const handshake: HandshakeConfig = { ...TUTORIAL_HANDSHAKE, ...options.handshake };
  const env = process.env;

  const cookieProblem = checkMagicCookie(handshake, env);
  if (cookieProblem) exitWith(1, cookieProblem);

  const versions = resolveVersions(handshake, options);
  serving = true;
  const negotiated = negotiateVersion([...versions.keys()], env.PLUGIN_PROTOCOL_VERSIONS);
  for (const warning of negotiated.warnings) writeAllSync(2, warning + '\n');

  // stdout is the handshake channel: the host takes its first line for the handshake, so
  // output the plugin writes from here on (code after `void serve()`, `register`) is held
  // for StreamStdio. The handshake line itself is written to fd 1 directly.
  const stdio = new StdioForwarder();
  stdio.capture();
  // On any exit (a start-up that failed in `register`, process.exit, a crash), output no
  // host received goes to the real stdout/stderr rather than nowhere.
  process.once('exit', () => {
    stdio.release();
    stdio.flushUnsent();
  });
  /** Exits on a start-up failure with what the plugin wrote so far on the real stdout/stderr. */
  const failStart = (): never => {
    stdio.release();
    stdio.flushUnsent();
    return exitWith(1);
  };

  const logger = options.logger ?? createLogger('');

  // Ctrl-C in the host's terminal reaches the plugin too; the host owns shutdown.
  // Installed before the handshake line so a host can never interrupt us early.
  let interrupts = 0;
  process.on('SIGINT', () => {
    logger.trace('plugin received interrupt signal, ignoring', { count: ++interrupts });
  });

  let mtls: AutoMtls | undefined;
  const hostCert = env.PLUGIN_CLIENT_CERT;
  if (hostCert) {
    logger.info('configuring server automatic mTLS');
    try {
      mtls = await setUpAutoMtls(hostCert, options.autoMtlsCurve);
    } catch (err) {
      const fields: Record<string, unknown> = { error: (err as Error).message };
      if (err instanceof SdkError && err.detail) fields.cert = err.detail;
      logger.error('plugin tls init', fields);
      return failStart();
    }
  }
  const credentials = mtls?.credentials ?? grpc.ServerCredentials.createInsecure();
  const network = options.network ?? defaultNetwork();

  const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
  const broker = new PluginSideBroker(
    logger,
    mtls && {
      serverCredentials: mtls.credentials,
      hostCertPem: mtls.hostCertPem,
      certPem: mtls.certificate.certPem,
      keyPem: mtls.certificate.keyPem,
    },
    env,
    network,
  );

  let bound: BoundAddress | undefined;
  let shuttingDown: Promise<never> | undefined;
  const shutdown = (reason: string): Promise<never> => {
    shuttingDown ??= (async () => {
      logger.debug('plugin shutting down', { reason });
      broker.close();
      const grace = options.shutdownGraceMs ?? 250;
      const graceOver = new Promise((resolve) => setTimeout(resolve, grace).unref());
      // The hook runs while stdout/stderr still reach the host: what it writes is delivered.
      const hook = Promise.resolve()
        .then(() => options.onShutdown?.())
        .catch((err) => {
          logger.error('shutdown hook failed', { error: err });
        });
      await Promise.race([hook, graceOver]);
      // Then the stdio stream ends (the host has everything so far) and in-flight calls finish.
      stdio.end();
      await Promise.race([new Promise<void>((resolve) => server.tryShutdown(() => resolve())), graceOver]);
      server.forceShutdown();
      // Anything written after that goes to the real stdout/stderr (a host logs stderr; a Go host drops stdout).
      stdio.release();
      stdio.flushUnsent();
      bound?.cleanup();
      return exitWith(0);
    })();
    return shuttingDown;
  };

  const served = recordServices(server, logger, options.services);
  server.addService(HealthService, healthImplementation());
  server.addService(ControllerService, controllerImplementation(() => void shutdown('controller shutdown')));
  server.addService(StdioService, stdio.implementation());
  server.addService(BrokerService, broker.implementation());
  versions.get(negotiated.version)!(server, { version: negotiated.version, logger, broker });
  served.stop();
  if (options.reflection !== false) addReflection(server, served.services, logger);

  try {
    bound = await bindPluginListener(server, credentials, env, network);
  } catch (err) {
    logger.error('plugin init error', { error: err });
    return failStart();
  }
  const listener = bound;
  // Socket files (ours and the broker's) left behind after process.exit would litter the temp dir.
  const removeSockets = () => {
    broker.close();
    listener.cleanup();
  };
  process.once('exit', removeSockets);
  process.once('SIGTERM', () => {
    // Remove the sockets, then die of the same signal so the host sees what it sent.
    removeSockets();
    process.kill(process.pid, 'SIGTERM');
  });

  logger.debug('plugin address', { network: listener.network, address: listener.address });
  writeAllSync(
    1,
    formatHandshakeLine({
      appVersion: negotiated.version,
      network: listener.network,
      address: listener.address,
      serverCert: mtls && encodeHandshakeCert(mtls.certificate.certDer),
      // go-plugin adds field 7 whenever the variable is non-empty.
      muxRequested: Boolean(env.PLUGIN_MULTIPLEX_GRPC),
    }),
  );

  watchParent(() => {
    logger.debug('host process is gone, exiting');
    void shutdown('parent exited');
  }, options.parentPollMs, PARENT_AT_LOAD);

  return {
    version: negotiated.version,
    network: listener.network,
    address: listener.address,
    tls: mtls !== undefined,
    server,
    broker,
    logger,
    shutdown: () => shutdown('requested by the plugin'),
  };
}
