// Typed errors of the plugin explorer. Each message names the plugin, says what went
// wrong and what to do; the code and the extra fields are for programs (CLI exit codes,
// editor diagnostics).

export type ExplorerErrorCode =
  /** No service of that name in the plugin's descriptors. */
  | 'UNKNOWN_SERVICE'
  /** The service exists, the method does not. */
  | 'UNKNOWN_METHOD'
  /** `describe` of a name that is no service, method, message or enum. */
  | 'UNKNOWN_SYMBOL'
  /** The plugin answers neither reflection v1 nor v1alpha: configure `protoFiles`. */
  | 'REFLECTION_NOT_SERVED'
  /** Reflection is served but answered with an error or broken descriptors. */
  | 'REFLECTION_FAILED'
  /** A configured .proto file is missing or does not compile. */
  | 'PROTO_FILES_INVALID'
  /** Client-streaming and bidirectional methods are listed but cannot be called. */
  | 'UNSUPPORTED_METHOD_KIND'
  /** The request is not JSON (line and column given). */
  | 'REQUEST_JSON_SYNTAX'
  /** The request names a field the message does not have. */
  | 'UNKNOWN_FIELD'
  /** A request value has the wrong type for its field (JSON path given). */
  | 'WRONG_VALUE_TYPE'
  /** A response message has no proto3 JSON form (a Timestamp out of range, an Any of an unknown type). */
  | 'RESPONSE_NOT_JSON'
  /** The plugin ended the call with a gRPC status other than OK. */
  | 'CALL_STATUS'
  /** The caller cancelled the call. */
  | 'CANCELLED'
  /** The plugin is not running, or stopped during the call. */
  | 'PLUGIN_NOT_RUNNING'
  /** A handshake preset name that does not exist. */
  | 'UNKNOWN_PRESET'
  /** Request metadata that gRPC cannot carry (a bad key, a non-ASCII text value, a -bin value not in base64). */
  | 'INVALID_METADATA';

/** Where in the request text a problem is (1-based). */
export interface TextPosition {
  line: number;
  column: number;
}

/** Everything an ExplorerError may carry besides its message. */
export interface ExplorerErrorDetails {
  /** The request's JSON path of the bad value, e.g. `$.child.tags[1]`. */
  path?: string;
  position?: TextPosition;
  /** The unknown field's name. */
  field?: string;
  /** The names a request may use at that place (fields, enum values). */
  validNames?: string[];
  /** gRPC status code (CALL_STATUS, CANCELLED, deadline). */
  grpcCode?: number;
  /** Its name, e.g. `NOT_FOUND`. */
  grpcStatus?: string;
  /** The status message the plugin sent. */
  grpcMessage?: string;
  /** The status details (google.rpc.Status.details) as proto3 JSON. */
  grpcDetails?: unknown[];
  /** Response headers and trailers of the failed call. */
  headers?: Record<string, string[]>;
  trailers?: Record<string, string[]>;
}

/** A failure with a stable code (for programs) and a message written for the user. */
export class ExplorerError extends Error {
  override readonly name = 'ExplorerError';
  constructor(
    readonly code: ExplorerErrorCode,
    /** The plugin's name as the user configured it. */
    readonly plugin: string,
    message: string,
    readonly details: ExplorerErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isExplorerError(value: unknown): value is ExplorerError {
  return value instanceof ExplorerError;
}
