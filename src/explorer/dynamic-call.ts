// Calls any unary or server-streaming method of a plugin with JSON in and JSON out:
// types from the plugin's catalog, wire format and canonical proto3 JSON from
// @bufbuild/protobuf, transport from grpc-js on the plugin's own connection.
import { fromBinary, toBinary, toJson, type DescMethod, type JsonValue, type Message } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import type { PluginClient } from '../host';
import type { PluginCatalog } from './catalog';
import { notRunning } from './catalog';
import { callFailure, metadataRecord, requestMetadata, type MetadataRecord } from './call-status';
import { ExplorerError } from './errors';
import { rawClient } from './raw-client';
import { parseRequestJson, requestFromValue } from './request-json';

/** Used when the caller gives no timeout (the same as Greet's). */
export const DEFAULT_DYNAMIC_CALL_TIMEOUT_MS = 10_000;

export interface DynamicCallOptions {
  /** Deadline of the whole call (for a stream: until its last message). */
  timeoutMs?: number;
  /** Aborting cancels the call; it then rejects with CANCELLED. */
  signal?: AbortSignal;
  /** Request metadata; `-bin` keys take base64 values. */
  metadata?: Record<string, string | string[]>;
  /** Called with the response headers as soon as they arrive. */
  onHeaders?(headers: MetadataRecord): void;
  /** Called with each response message, in order (once for a unary call). */
  onMessage?(message: JsonValue, index: number): void;
  /** Write fields at their default values too (proto3 JSON omits them by default). */
  emitDefaults?: boolean;
}

export interface CallOutcome {
  method: string;
  kind: 'unary' | 'server_streaming';
  /** Every response message as proto3 JSON (one for unary). */
  messages: JsonValue[];
  headers: MetadataRecord;
  trailers: MetadataRecord;
  /** Status message of the OK status (usually empty). */
  statusMessage: string;
  durationMs: number;
}

/** The request as JSON text (empty means `{}`) or as an already-parsed JSON value. */
export type DynamicRequest = string | JsonValue;

/**
 * Calls `package.Service/Method`. Unary and server-streaming only; client-streaming and
 * bidirectional methods fail with UNSUPPORTED_METHOD_KIND before anything is sent.
 */
export async function callMethod(
  plugin: PluginClient,
  catalog: PluginCatalog,
  methodSpec: string,
  request: DynamicRequest,
  options: DynamicCallOptions = {},
): Promise<CallOutcome> {
  const method = catalog.method(methodSpec);
  const name = `${method.parent.typeName}/${method.name}`;
  if (method.methodKind !== 'unary' && method.methodKind !== 'server_streaming') {
    const kind = method.methodKind === 'client_streaming' ? 'client-streaming' : 'bidirectional streaming';
    throw new ExplorerError(
      'UNSUPPORTED_METHOD_KIND',
      plugin.name,
      `${name} of plugin "${plugin.name}" is a ${kind} method; only unary and server-streaming methods can be called from the explorer.`,
    );
  }
  const context = { plugin: plugin.name, method: name, registry: catalog.registry };
  const message =
    typeof request === 'string' ? parseRequestJson(request, method.input, context) : requestFromValue(request, method.input, context);
  if (plugin.isExited || plugin.signal.aborted) throw notRunning(plugin);
  if (options.signal?.aborted) throw new ExplorerError('CANCELLED', plugin.name, `The call ${name} to plugin "${plugin.name}" was cancelled.`);
  return run(plugin, catalog, method, name, message, options);
}

function run(
  plugin: PluginClient,
  catalog: PluginCatalog,
  method: DescMethod,
  name: string,
  request: Message,
  options: DynamicCallOptions,
): Promise<CallOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMIC_CALL_TIMEOUT_MS;
  const client = rawClient(plugin);
  const path = `/${name}`;
  const serialize = (m: Message) => Buffer.from(toBinary(method.input, m));
  const deserialize = (bytes: Buffer) => fromBinary(method.output, bytes);
  const deadline = Date.now() + timeoutMs;
  const callOptions: grpc.CallOptions = { deadline };
  const started = performance.now();
  const messages: JsonValue[] = [];
  let headers: MetadataRecord = {};

  return new Promise((resolve, reject) => {
    let call: grpc.ClientUnaryCall | grpc.ClientReadableStream<Message>;
    /** A response that could not be turned into JSON: the call is cancelled and this is the answer. */
    let unwritable: ExplorerError | undefined;
    const cancel = () => call.cancel();
    const deliver = (m: Message) => {
      if (unwritable) return;
      let json: JsonValue;
      try {
        json = toJson(method.output, m, { registry: catalog.registry, alwaysEmitImplicit: options.emitDefaults ?? false });
      } catch (e) {
        unwritable = new ExplorerError(
          'RESPONSE_NOT_JSON',
          plugin.name,
          `Plugin "${plugin.name}" answered ${name} with a message that cannot be written as proto3 JSON (${(e as Error).message}). ` +
            `A value outside the JSON mapping's range, or an Any of a type the plugin does not describe ("protoFiles" can add it), is the usual cause.`,
          {},
          { cause: e },
        );
        call.cancel();
        return;
      }
      messages.push(json);
      options.onMessage?.(json, messages.length - 1);
    };
    const finish = (err: grpc.ServiceError | null, trailers?: grpc.Metadata, statusMessage = '') => {
      options.signal?.removeEventListener('abort', cancel);
      plugin.signal.removeEventListener('abort', cancel);
      if (unwritable) {
        reject(unwritable);
      } else if (err) {
        reject(callFailure({ plugin, method: name, error: err, timeoutMs, deadline, callerSignal: options.signal, registry: catalog.registry, headers }));
      } else {
        resolve({
          method: name,
          kind: method.methodKind as CallOutcome['kind'],
          messages,
          headers,
          trailers: metadataRecord(trailers),
          statusMessage,
          durationMs: performance.now() - started,
        });
      }
    };
    const metadata = requestMetadata(options.metadata);
    if (method.methodKind === 'unary') {
      let status: grpc.StatusObject | undefined;
      let reply: Message | undefined;
      let error: grpc.ServiceError | null = null;
      let settled = 0;
      // The reply and the status arrive as two events; finish after both.
      const settle = () => ++settled === 2 && (error ? finish(error) : (reply && deliver(reply), finish(null, status?.metadata, status?.details)));
      call = client.makeUnaryRequest<Message, Message>(path, serialize, deserialize, request, metadata, callOptions, (err, value) => {
        error = err;
        reply = value;
        settle();
      });
      call.on('status', (s: grpc.StatusObject) => {
        status = s;
        settle();
      });
    } else {
      const stream = client.makeServerStreamRequest<Message, Message>(path, serialize, deserialize, request, metadata, callOptions);
      call = stream;
      let failed: grpc.ServiceError | undefined;
      let okStatus: grpc.StatusObject | undefined;
      let ended = false;
      stream.on('data', deliver);
      stream.on('error', (err: grpc.ServiceError) => (failed = err));
      // An OK status can come before the last buffered messages are read: finish on 'end'.
      const finishOk = () => ended && okStatus && finish(null, okStatus.metadata, okStatus.details);
      stream.on('end', () => {
        ended = true;
        finishOk();
      });
      stream.on('status', (s: grpc.StatusObject) => {
        if (failed || s.code !== grpc.status.OK) return finish(failed ?? statusError(s));
        okStatus = s;
        finishOk();
      });
    }
    call.on('metadata', (m: grpc.Metadata) => {
      headers = metadataRecord(m);
      options.onHeaders?.(headers);
    });
    options.signal?.addEventListener('abort', cancel, { once: true });
    plugin.signal.addEventListener('abort', cancel, { once: true });
  });
}

function statusError(s: grpc.StatusObject): grpc.ServiceError {
  return Object.assign(new Error(`${s.code} ${grpc.status[s.code]}: ${s.details}`), s);
}
