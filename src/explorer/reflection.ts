// gRPC server reflection client on a plugin's own connection (so AutoMTLS included):
// grpc.reflection.v1, falling back to v1alpha for plugins built with an older grpc-go.
// One bidirectional stream per session; requests go one at a time, answers come in order.
import { create, fromBinary, toBinary, type Message } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import type { PluginClient } from '../host';
import { Status, statusName, type CallFailure } from '../host/grpc-status';
import type { PluginStream } from '../host/plugin-channel';
import { ExplorerError } from './errors';
import { internalProtos, REFLECTION_SERVICES } from './internal-protos';

export type ReflectionVersion = 'v1' | 'v1alpha';

/** What one reflection request returned: descriptors, services, or the server's error. */
interface ReflectionAnswer {
  files?: FileDescriptorProto[];
  services?: string[];
  error?: { code: number; message: string };
}

export interface ReflectionOptions {
  /** Deadline of the whole session. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** An open reflection stream on a plugin. Close it when done. */
export class ReflectionSession {
  private readonly waiting: { resolve(m: Message): void; reject(e: unknown): void }[] = [];
  private failure?: CallFailure | Error;
  private readonly call: PluginStream;

  private constructor(
    private readonly plugin: PluginClient,
    readonly version: ReflectionVersion,
    service: string,
    options: ReflectionOptions,
  ) {
    this.call = openStream(plugin, service, options, {
      message: (m) => this.waiting.shift()?.resolve(m),
      end: (failure) => this.fail(failure ?? new Error('the plugin closed the reflection stream')),
    });
  }

  /**
   * Opens a session: asks v1 for the service list and, if the plugin does not know v1,
   * asks v1alpha. Returns the session with the services already listed.
   */
  static async open(plugin: PluginClient, options: ReflectionOptions): Promise<{ session: ReflectionSession; services: string[] }> {
    for (const [index, service] of REFLECTION_SERVICES.entries()) {
      const session = new ReflectionSession(plugin, index === 0 ? 'v1' : 'v1alpha', service, options);
      try {
        return { session, services: await session.listServices() };
      } catch (e) {
        session.close();
        if ((e as CallFailure).code !== Status.UNIMPLEMENTED) throw e;
      }
    }
    throw new ExplorerError(
      'REFLECTION_NOT_SERVED',
      plugin.name,
      `Plugin "${plugin.name}" does not serve gRPC server reflection (neither grpc.reflection.v1 nor v1alpha), so its services ` +
        `cannot be looked up. Plugins built with go-plugin before v1.2.0 and plugins of other hosts often do not. Give its ` +
        `.proto files instead: set "protoFiles" (and "importPaths") for this plugin, or pass --proto FILE [--import-path DIR] to the CLI.`,
    );
  }

  async listServices(): Promise<string[]> {
    const answer = await this.ask({ listServices: '*' });
    if (answer.error) throw this.answerError('list its services', answer.error);
    return answer.services ?? [];
  }

  /** The file defining `symbol` and the dependencies not sent before on this stream. */
  fileContainingSymbol(symbol: string): Promise<ReflectionAnswer> {
    return this.ask({ fileContainingSymbol: symbol });
  }

  fileByFilename(name: string): Promise<ReflectionAnswer> {
    return this.ask({ fileByFilename: name });
  }

  close(): void {
    this.call.cancel();
  }

  /** A typed error for a reflection answer that carries an error. */
  answerError(what: string, error: { code: number; message: string }): ExplorerError {
    return new ExplorerError(
      'REFLECTION_FAILED',
      this.plugin.name,
      `Plugin "${this.plugin.name}" could not ${what} through reflection (${statusName(error.code)}: ${error.message}).`,
      { grpcCode: error.code, grpcStatus: statusName(error.code), grpcMessage: error.message },
    );
  }

  private async ask(request: Record<string, string>): Promise<ReflectionAnswer> {
    const { request: requestSchema } = internalProtos();
    const [key, value] = Object.entries(request)[0];
    const message = create(requestSchema, { messageRequest: { case: key, value } } as never);
    const reply = await new Promise<Message>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.push({ resolve, reject });
      this.call.write(toBinary(requestSchema, message));
    });
    return decodeAnswer(reply);
  }

  private fail(e: CallFailure | Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}

/** Opens ServerReflectionInfo of `service`; ends when the session closes, the caller aborts or the plugin goes away. */
function openStream(
  plugin: PluginClient,
  service: string,
  options: ReflectionOptions,
  on: { message(m: Message): void; end(failure?: CallFailure): void },
): PluginStream {
  const { response } = internalProtos();
  return plugin.connection.stream(
    `/${service}/ServerReflectionInfo`,
    { onMessage: (bytes) => on.message(fromBinary(response, bytes)), onEnd: on.end },
    { deadline: Date.now() + options.timeoutMs, signal: plugin.callSignals(options.signal) },
  );
}

function decodeAnswer(reply: Message): ReflectionAnswer {
  const oneof = (reply as unknown as { messageResponse: { case?: string; value?: Record<string, unknown> } }).messageResponse;
  switch (oneof.case) {
    case 'fileDescriptorResponse':
      return {
        files: (oneof.value!.fileDescriptorProto as Uint8Array[]).map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes)),
      };
    case 'listServicesResponse':
      return { services: (oneof.value!.service as { name: string }[]).map((s) => s.name) };
    case 'errorResponse':
      return { error: { code: oneof.value!.errorCode as number, message: oneof.value!.errorMessage as string } };
    default:
      return { error: { code: Status.INTERNAL, message: 'the reflection answer carries nothing the explorer knows' } };
  }
}
