// The status of a gRPC call on node:http2 when the server does not give one the usual way
// (a reset stream, a lost connection, a response that is not gRPC), mapped as the gRPC
// spec and grpc-js map it, so both clients report the same codes.
import * as http2 from 'node:http2';
import { Status, statusName, type CallFailure } from './grpc-status';

/** A stream that ended without grpc-status: the code the gRPC spec (and grpc-js) gives it. */
export function noStatus(httpStatus: number | undefined, rstCode: number | undefined, connectionLost: string | undefined): [number, string] {
  if (httpStatus !== undefined && httpStatus !== 200) return [httpStatusCode(httpStatus), `Received HTTP status code ${httpStatus}`];
  if (connectionLost) return [Status.UNAVAILABLE, connectionLost];
  switch (rstCode) {
    case http2.constants.NGHTTP2_REFUSED_STREAM:
      return [Status.UNAVAILABLE, 'Stream refused by server'];
    case http2.constants.NGHTTP2_CANCEL:
      return [Status.CANCELLED, 'Call cancelled'];
    case http2.constants.NGHTTP2_ENHANCE_YOUR_CALM:
      return [Status.RESOURCE_EXHAUSTED, 'Bandwidth exhausted or memory limit exceeded'];
    case http2.constants.NGHTTP2_INADEQUATE_SECURITY:
      return [Status.PERMISSION_DENIED, 'Protocol not secure enough'];
    case undefined:
    case http2.constants.NGHTTP2_NO_ERROR:
      return [Status.INTERNAL, 'Received RST_STREAM with code 0 (Call ended without gRPC status)'];
    default:
      return [Status.INTERNAL, `Received RST_STREAM with code ${rstCode}`];
  }
}

/** The gRPC spec's mapping for responses that are not gRPC (a proxy, a plain HTTP server). */
function httpStatusCode(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return Status.INTERNAL;
    case 401:
      return Status.UNAUTHENTICATED;
    case 403:
      return Status.PERMISSION_DENIED;
    case 404:
      return Status.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Status.UNAVAILABLE;
    default:
      return Status.UNKNOWN;
  }
}

/** grpc-message is percent-encoded UTF-8; what is not a valid escape is kept as written (gRPC spec). */
export function decodeGrpcMessage(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escapes) => Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** A CallFailure that is also an Error ("4 DEADLINE_EXCEEDED: Deadline exceeded"), as grpc-js's ServiceError. */
export function callFailure(code: number, details: string): CallFailure & Error {
  const error = new Error(`${code} ${statusName(code)}: ${details}`) as CallFailure & Error;
  error.code = code;
  error.details = details;
  return error;
}
