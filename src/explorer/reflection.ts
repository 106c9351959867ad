// gRPC server reflection client on a plugin's own connection (so AutoMTLS included):
// grpc.reflection.v1, falling back to v1alpha for plugins built with an older grpc-go.
// One bidirectional stream per session; requests go one at a time, answers come in order.
import { create, fromBinary, toBinary, type Message } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import * as grpc from '@grpc/grpc-js';
import type { PluginClient } from '../host';
import { ExplorerError } from './errors';
import { internalProtos, REFLECTION_SERVICES } from './internal-protos';
import { rawClient } from './raw-client';

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
  private failure?: grpc.ServiceError | Error;

  private constructor(
    private readonly plugin: PluginClient,
    readonly version: ReflectionVersion,
    private readonly call: grpc.ClientDuplexStream<Message, Message>,
  ) {
    call.on('data', (m: Message) => this.waiting.shift()?.resolve(m));
    call.on('error', (e: grpc.ServiceError) => this.fail(e));
    call.on('end', () => this.fail(new Error('the plugin closed the reflection stream')));
  }

  /**
   * Opens a session: asks v1 for the service list and, if the plugin does not know v1,
   * asks v1alpha. Returns the session with the services already listed.
   */
  static async open(plugin: PluginClient, options: ReflectionOptions): Promise<{ session: ReflectionSession; services: string[] }> {
    for (const [index, service] of REFLECTION_SERVICES.entries()) {
      const session = new ReflectionSession(plugin, index === 0 ? 'v1' : 'v1alpha', openStream(plugin, service, options));
      try {
        return { session, services: await session.listServices() };
      } catch (e) {
        session.close();
        if ((e as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) throw e;
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
    this.call.end();
    this.call.cancel();
  }

  /** A typed error for a reflection answer that carries an error. */
  answerError(what: string, error: { code: number; message: string }): ExplorerError {
    return new ExplorerError(
      'REFLECTION_FAILED',
      this.plugin.name,
      `Plugin "${this.plugin.name}" could not ${what} through reflection (${grpc.status[error.code] ?? error.code}: ${error.message}).`,
      { grpcCode: error.code, grpcStatus: grpc.status[error.code], grpcMessage: error.message },
    );
  }

  private async ask(request: Record<string, string>): Promise<ReflectionAnswer> {
    const { request: requestSchema } = internalProtos();
    const [key, value] = Object.entries(request)[0];
    const message = create(requestSchema, { messageRequest: { case: key, value } } as never);
    const reply = await new Promise<Message>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.push({ resolve, reject });
      this.call.write(message);
    });
    return decodeAnswer(reply);
  }

  private fail(e: grpc.ServiceError | Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}

function openStream(plugin: PluginClient, service: string, options: ReflectionOptions): grpc.ClientDuplexStream<Message, Message> {
  const { request, response } = internalProtos();
  const call = rawClient(plugin).makeBidiStreamRequest<Message, Message>(
    `/${service}/ServerReflectionInfo`,
    (m) => Buffer.from(toBinary(request, m)),
    (b) => fromBinary(response, b),
    new grpc.Metadata(),
    { deadline: Date.now() + options.timeoutMs },
  );
  const cancel = () => call.cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  plugin.signal.addEventListener('abort', cancel, { once: true });
  call.on('status', () => {
    options.signal?.removeEventListener('abort', cancel);
    plugin.signal.removeEventListener('abort', cancel);
  });
  return call;
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
      return { error: { code: grpc.status.INTERNAL, message: 'the reflection answer carries nothing the explorer knows' } };
  }
}
