// gRPC outcomes of a dynamic call as the user reads them: metadata as plain records,
// status details (google.rpc.Status in grpc-status-details-bin) as proto3 JSON, and
// every non-OK status as an ExplorerError that says what to do.
import { fromBinary, toJson, type JsonValue, type Registry } from '@bufbuild/protobuf';
import { AnySchema, type Any } from '@bufbuild/protobuf/wkt';
import { createRegistry } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import type { PluginClient } from '../host';
import { isDeadlineCancel } from '../host/call-deadline';
import { ExplorerError } from './errors';
import { internalProtos } from './internal-protos';
import { notRunning } from './catalog';

export type MetadataRecord = Record<string, string[]>;

/** Metadata as `{key: [values]}`; binary (`-bin`) values as base64. */
export function metadataRecord(metadata?: grpc.Metadata): MetadataRecord {
  const record: MetadataRecord = {};
  for (const [key, values] of Object.entries(metadata?.toJSON() ?? {})) {
    record[key] = values.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : String(v)));
  }
  return record;
}

/** Request metadata from `{key: value | [values]}`; `-bin` keys take base64 text. */
export function requestMetadata(values: Record<string, string | string[]> = {}): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (key.toLowerCase().endsWith('-bin')) metadata.add(key, Buffer.from(v, 'base64'));
      else metadata.add(key, v);
    }
  }
  return metadata;
}

/** The details of a status, decoded with the plugin's types and google.rpc's. */
export function statusDetails(metadata: grpc.Metadata | undefined, registry: Registry): JsonValue[] {
  const raw = metadata?.get('grpc-status-details-bin')[0];
  if (!Buffer.isBuffer(raw)) return [];
  const { status, registry: internal } = internalProtos();
  let details: Any[];
  try {
    details = (fromBinary(status, raw) as unknown as { details: Any[] }).details;
  } catch {
    return [{ undecodable: raw.toString('base64') }];
  }
  const types = createRegistry(internal, registry);
  return details.map((any) => {
    try {
      return toJson(AnySchema, any, { registry: types });
    } catch {
      // A detail type neither the plugin nor google.rpc describes: keep it raw.
      return { '@type': any.typeUrl, value: Buffer.from(any.value).toString('base64') };
    }
  });
}

/** What a status code usually means for a plugin call, and what to try. */
const STATUS_HINTS: Partial<Record<grpc.status, string>> = {
  [grpc.status.CANCELLED]: 'The plugin cancelled the call.',
  [grpc.status.UNKNOWN]: 'The plugin failed with an error it did not classify; its log may say more.',
  [grpc.status.INVALID_ARGUMENT]: 'The plugin rejected the request; check its fields.',
  [grpc.status.NOT_FOUND]: 'Something the request names does not exist in the plugin.',
  [grpc.status.ALREADY_EXISTS]: 'What the request creates exists already.',
  [grpc.status.PERMISSION_DENIED]: 'The plugin refused the call for lack of permission.',
  [grpc.status.RESOURCE_EXHAUSTED]: 'The plugin or the connection ran out of a resource (a quota, or the message size limit).',
  [grpc.status.FAILED_PRECONDITION]: 'The plugin is not in a state to answer this call (it may need another call first, such as a configure step).',
  [grpc.status.ABORTED]: 'The plugin aborted the call; trying again may work.',
  [grpc.status.OUT_OF_RANGE]: 'A request value is out of the range the plugin accepts.',
  [grpc.status.UNIMPLEMENTED]: 'The plugin does not implement this method.',
  [grpc.status.INTERNAL]: 'The plugin or the connection hit an internal error; see the plugin log.',
  [grpc.status.UNAVAILABLE]: 'The plugin cannot be reached; restart it, and see its log for why.',
  [grpc.status.DATA_LOSS]: 'The plugin reports lost or corrupt data.',
  [grpc.status.UNAUTHENTICATED]: 'The plugin wants credentials the request does not carry (request metadata).',
};

export interface FailedCall {
  plugin: PluginClient;
  /** e.g. `tutorial.Greeter/Greet`. */
  method: string;
  error: grpc.ServiceError;
  timeoutMs: number;
  /** When the call's deadline passed (ms since the epoch). */
  deadline: number;
  callerSignal?: AbortSignal;
  registry: Registry;
  headers: MetadataRecord;
}

/** The typed error for a call that ended with a status other than OK. */
export function callFailure(failed: FailedCall): ExplorerError {
  const { plugin, method } = failed;
  const error = isDeadlineCancel(failed.error.code, failed.deadline, failed.callerSignal)
    ? { ...failed.error, code: grpc.status.DEADLINE_EXCEEDED, details: `Deadline exceeded (${failed.error.details})` }
    : failed.error;
  if (plugin.signal.aborted || plugin.isExited) {
    const gone = notRunning(plugin);
    return new ExplorerError('PLUGIN_NOT_RUNNING', plugin.name, `The call ${method} ended because the plugin stopped: ${gone.message}`, {}, { cause: gone.cause });
  }
  const details = {
    grpcCode: error.code,
    grpcStatus: grpc.status[error.code],
    grpcMessage: error.details,
    grpcDetails: statusDetails(error.metadata, failed.registry),
    headers: failed.headers,
    trailers: metadataRecord(error.metadata),
  };
  if (error.code === grpc.status.CANCELLED && failed.callerSignal?.aborted) {
    return new ExplorerError('CANCELLED', plugin.name, `The call ${method} to plugin "${plugin.name}" was cancelled.`, details);
  }
  const hint =
    error.code === grpc.status.DEADLINE_EXCEEDED
      ? `It did not finish within ${failed.timeoutMs} ms; raise the call timeout (--timeout) if it needs longer.`
      : STATUS_HINTS[error.code] ?? '';
  const message = error.details ? `: ${error.details}` : '';
  const detailText = details.grpcDetails.length ? ` Details: ${JSON.stringify(details.grpcDetails)}` : '';
  return new ExplorerError(
    'CALL_STATUS',
    plugin.name,
    `Plugin "${plugin.name}" ended ${method} with ${grpc.status[error.code] ?? `status ${error.code}`}${message}. ${hint}${detailText}`.trim(),
    details,
    { cause: failed.error },
  );
}
