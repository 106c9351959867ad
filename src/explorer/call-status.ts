// gRPC outcomes of a dynamic call as the user reads them: metadata as plain records,
// status details (google.rpc.Status in grpc-status-details-bin) as proto3 JSON, and
// every non-OK status as an ExplorerError that says what to do.
import { fromBinary, toJson, type JsonValue, type Registry } from '@bufbuild/protobuf';
import { AnySchema, type Any } from '@bufbuild/protobuf/wkt';
import { createRegistry } from '@bufbuild/protobuf';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import type { PluginClient } from '../host';
import { isDeadlineCancel } from '../host/call-deadline';
import { Status, statusName, type CallFailure } from '../host/grpc-status';
import { ExplorerError } from './errors';
import { internalProtos } from './internal-protos';
import { notRunning } from './catalog';

export type MetadataRecord = Record<string, string[]>;

/** Headers of the transport itself, not metadata the plugin sent. */
const TRANSPORT_HEADERS = new Set(['content-type', 'grpc-status', 'grpc-message', 'grpc-encoding', 'grpc-accept-encoding']);
/** Headers a request may not carry at all: gRPC's own, and HTTP/1 connection headers HTTP/2 forbids. */
const RESERVED_REQUEST_HEADERS = new Set([...TRANSPORT_HEADERS, 'te', 'grpc-timeout', 'host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** Metadata as `{key: [values]}` from response headers or trailers; binary (`-bin`) values as padded base64. */
export function metadataRecord(headers?: IncomingHttpHeaders): MetadataRecord {
  const record: MetadataRecord = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.startsWith(':') || TRANSPORT_HEADERS.has(key) || value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    record[key] = key.endsWith('-bin')
      ? values.flatMap((v) => v.split(',')).map((v) => Buffer.from(v.trim(), 'base64').toString('base64'))
      : values;
  }
  return record;
}

/** gRPC's rules for metadata keys and text values (grpc-js's, too). */
const LEGAL_KEY = /^[0-9a-z_.-]+$/;
const LEGAL_TEXT_VALUE = /^[ -~]*$/;
/** Base64, standard or URL-safe, padded or not; a length of 4n+1 holds no whole byte. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const isBase64 = (text: string) => BASE64.test(text) && text.replace(/=+$/, '').length % 4 !== 1;

/**
 * Request metadata as HTTP/2 headers from `{key: value | [values]}`; `-bin` keys take base64
 * text (spaces around it ignored), sent as padded standard base64, as grpc-js re-encodes it.
 */
export function requestMetadata(plugin: string, values: Record<string, string | string[]> = {}): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [rawKey, value] of Object.entries(values)) {
    const key = rawKey.toLowerCase();
    const binary = key.endsWith('-bin');
    const list = (Array.isArray(value) ? value : [value]).map((v) => (binary ? v.trim() : v));
    const problem = !LEGAL_KEY.test(key)
      ? 'keys may hold only letters, digits, "-", "_" and "."'
      : RESERVED_REQUEST_HEADERS.has(key)
        ? 'it is set by the transport itself'
        : binary
          ? list.some((v) => !isBase64(v)) && 'a -bin value must be base64'
          : list.some((v) => !LEGAL_TEXT_VALUE.test(v)) && 'a text value may hold only printable ASCII (use a -bin key for other bytes)';
    if (problem) {
      throw new ExplorerError('INVALID_METADATA', plugin, `The request metadata "${rawKey}" cannot be sent: ${problem}.`);
    }
    const sent = binary ? list.map((v) => Buffer.from(v, 'base64').toString('base64')) : list;
    // Keys differing only in case are one key: their values add up, as grpc-js's Metadata.add does.
    const earlier = headers[key] as string | string[] | undefined;
    const all = earlier === undefined ? sent : [...(Array.isArray(earlier) ? earlier : [earlier]), ...sent];
    headers[key] = all.length === 1 ? all[0] : all;
  }
  return headers;
}

/** The details of a status, decoded with the plugin's types and google.rpc's. */
export function statusDetails(trailers: IncomingHttpHeaders | undefined, registry: Registry): JsonValue[] {
  const encoded = trailers?.['grpc-status-details-bin'];
  if (typeof encoded !== 'string') return [];
  const raw = Buffer.from(encoded, 'base64');
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
const STATUS_HINTS: Partial<Record<number, string>> = {
  [Status.CANCELLED]: 'The plugin cancelled the call.',
  [Status.UNKNOWN]: 'The plugin failed with an error it did not classify; its log may say more.',
  [Status.INVALID_ARGUMENT]: 'The plugin rejected the request; check its fields.',
  [Status.NOT_FOUND]: 'Something the request names does not exist in the plugin.',
  [Status.ALREADY_EXISTS]: 'What the request creates exists already.',
  [Status.PERMISSION_DENIED]: 'The plugin refused the call for lack of permission.',
  [Status.RESOURCE_EXHAUSTED]: 'The plugin or the connection ran out of a resource (a quota, or the message size limit).',
  [Status.FAILED_PRECONDITION]: 'The plugin is not in a state to answer this call (it may need another call first, such as a configure step).',
  [Status.ABORTED]: 'The plugin aborted the call; trying again may work.',
  [Status.OUT_OF_RANGE]: 'A request value is out of the range the plugin accepts.',
  [Status.UNIMPLEMENTED]: 'The plugin does not implement this method.',
  [Status.INTERNAL]: 'The plugin or the connection hit an internal error; see the plugin log.',
  [Status.UNAVAILABLE]: 'The plugin cannot be reached; restart it, and see its log for why.',
  [Status.DATA_LOSS]: 'The plugin reports lost or corrupt data.',
  [Status.UNAUTHENTICATED]: 'The plugin wants credentials the request does not carry (request metadata).',
};

export interface FailedCall {
  plugin: PluginClient;
  /** e.g. `tutorial.Greeter/Greet`. */
  method: string;
  /** The failure as the plugin's connection reported it, with the trailers it came with. */
  error: CallFailure;
  trailers?: IncomingHttpHeaders;
  /** The call's timeout; undefined when it had none. */
  timeoutMs?: number;
  /** When the call's deadline passed (ms since the epoch); Infinity when it had none. */
  deadline: number;
  callerSignal?: AbortSignal;
  registry: Registry;
  headers: MetadataRecord;
}

/** The typed error for a call that ended with a status other than OK. */
export function callStatusError(failed: FailedCall): ExplorerError {
  const { plugin, method } = failed;
  const error = isDeadlineCancel(failed.error.code, failed.deadline, failed.callerSignal)
    ? { ...failed.error, code: Status.DEADLINE_EXCEEDED, details: `Deadline exceeded (${failed.error.details})` }
    : failed.error;
  if (plugin.signal.aborted || plugin.isExited) {
    const gone = notRunning(plugin);
    return new ExplorerError('PLUGIN_NOT_RUNNING', plugin.name, `The call ${method} ended because the plugin stopped: ${gone.message}`, {}, { cause: gone.cause });
  }
  const details = {
    grpcCode: error.code,
    grpcStatus: knownStatusName(error.code),
    grpcMessage: error.details,
    grpcDetails: statusDetails(failed.trailers, failed.registry),
    headers: failed.headers,
    trailers: metadataRecord(failed.trailers),
  };
  if (error.code === Status.CANCELLED && failed.callerSignal?.aborted) {
    return new ExplorerError('CANCELLED', plugin.name, `The call ${method} to plugin "${plugin.name}" was cancelled.`, details);
  }
  const hint =
    error.code === Status.DEADLINE_EXCEEDED && failed.timeoutMs !== undefined
      ? `It did not finish within ${failed.timeoutMs} ms; raise the call timeout (--timeout) if it needs longer.`
      : STATUS_HINTS[error.code] ?? '';
  const message = error.details ? `: ${error.details}` : '';
  const detailText = details.grpcDetails.length ? `Details: ${JSON.stringify(details.grpcDetails)}` : '';
  return new ExplorerError(
    'CALL_STATUS',
    plugin.name,
    [`Plugin "${plugin.name}" ended ${method} with ${knownStatusName(error.code) ?? `status ${error.code}`}${message}.`, hint, detailText].filter(Boolean).join(' '),
    details,
    { cause: failed.error },
  );
}

/** "NOT_FOUND" for 5; undefined for a code outside the protocol's. */
export function knownStatusName(code: number): string | undefined {
  const name = statusName(code);
  return name === String(code) ? undefined : name;
}
