// Calls any unary or server-streaming method of a plugin with JSON in and JSON out:
// types from the plugin's catalog, wire format and canonical proto3 JSON from
// @bufbuild/protobuf, transport the host's own connection to the plugin (node:http2).
import { fromBinary, toBinary, toJson, type DescMethod, type JsonValue, type Message } from '@bufbuild/protobuf';
import type { OutgoingHttpHeaders } from 'node:http2';
import type { PluginClient } from '../host';
import { Status } from '../host/grpc-status';
import { callFailure, decodeGrpcMessage } from '../host/http2-status';
import type { PluginCatalog } from './catalog';
import { notRunning } from './catalog';
import { callStatusError, metadataRecord, requestMetadata, type MetadataRecord } from './call-status';
import { ExplorerError } from './errors';
import { parseRequestJson, requestFromValue } from './request-json';

/** Used when the caller gives a unary call no timeout (the same as Greet's). */
export const DEFAULT_DYNAMIC_CALL_TIMEOUT_MS = 10_000;

export interface DynamicCallOptions {
  /**
   * Deadline of the whole call (for a stream: until its last message). Default: 10 s for a
   * unary call; none for a server stream (it may be meant to run until cancelled, as grpcurl).
   */
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
  const context = { plugin: plugin.name, method: name, registry: catalog.jsonRegistry };
  const message =
    typeof request === 'string' ? parseRequestJson(request, method.input, context) : requestFromValue(request, method.input, context);
  const bytes = encodeRequest(method, message, context);
  if (plugin.isExited || plugin.signal.aborted) throw notRunning(plugin);
  if (options.signal?.aborted) throw new ExplorerError('CANCELLED', plugin.name, `The call ${name} to plugin "${plugin.name}" was cancelled.`);
  return run(plugin, catalog, method, name, bytes, requestMetadata(plugin.name, options.metadata), options);
}

/**
 * The request's wire bytes, before any stream is opened. What JSON cannot catch fails here
 * (a proto2 required field left out), as a request error naming the field.
 */
function encodeRequest(method: DescMethod, message: Message, context: { plugin: string; method: string }): Uint8Array {
  try {
    return toBinary(method.input, message);
  } catch (e) {
    throw new ExplorerError(
      'WRONG_VALUE_TYPE',
      context.plugin,
      `The request for ${context.method} (plugin "${context.plugin}") cannot be sent: ${(e as Error).message.replace(/^cannot encode /, '')}. Add the field to the request JSON.`,
      {},
      { cause: e },
    );
  }
}

function run(
  plugin: PluginClient,
  catalog: PluginCatalog,
  method: DescMethod,
  name: string,
  /** The request, encoded. */
  request: Uint8Array,
  metadata: OutgoingHttpHeaders,
  options: DynamicCallOptions,
): Promise<CallOutcome> {
  const unary = method.methodKind === 'unary';
  const timeoutMs = options.timeoutMs ?? (unary ? DEFAULT_DYNAMIC_CALL_TIMEOUT_MS : undefined);
  const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  const started = performance.now();
  const messages: JsonValue[] = [];
  let headers: MetadataRecord = {};

  return new Promise((resolve, reject) => {
    /** A response that could not be turned into JSON: the call is cancelled and this is the answer. */
    let unwritable: ExplorerError | undefined;
    const call = plugin.connection.stream(
      `/${name}`,
      {
        onHeaders: (received) => {
          headers = metadataRecord(received);
          options.onHeaders?.(headers);
        },
        // A throw here (bytes that are not the output type) ends the call with INTERNAL.
        onMessage: (bytes) => {
          if (unwritable) return;
          if (unary && messages.length > 0) return call.cancel(Status.UNIMPLEMENTED, 'Too many responses received'); // as grpc-js
          const reply = fromBinary(method.output, bytes);
          let json: JsonValue;
          try {
            json = toJson(method.output, reply, { registry: catalog.jsonRegistry, alwaysEmitImplicit: options.emitDefaults ?? false });
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
        },
        onEnd: (failure, trailers) => {
          if (unwritable) return reject(unwritable);
          const error = failure ?? (unary && messages.length === 0 ? callFailure(Status.UNIMPLEMENTED, 'No message received') : undefined);
          if (error) {
            const failed = { plugin, method: name, error, trailers, timeoutMs, deadline: deadline ?? Infinity, callerSignal: options.signal, registry: catalog.jsonRegistry, headers };
            // A plugin going away: its exit makes the error PLUGIN_NOT_RUNNING with the reason.
            return void plugin.exitedAfter(error).then(() => reject(callStatusError(failed)));
          }
          resolve({
            method: name,
            kind: method.methodKind as CallOutcome['kind'],
            messages,
            headers,
            trailers: metadataRecord(trailers),
            statusMessage: decodeGrpcMessage(String(trailers?.['grpc-message'] ?? '')),
            durationMs: performance.now() - started,
          });
        },
      },
      { deadline, metadata, signal: plugin.callSignals(options.signal) },
    );
    call.write(request);
    call.end();
  });
}
