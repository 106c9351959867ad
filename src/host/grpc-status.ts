// gRPC status codes by number, for code that must not load @grpc/grpc-js (the CLI's
// one-shot Greet on node:http2). The numbers are the protocol's, so they equal grpc.status.

export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** "DEADLINE_EXCEEDED" for 4; the number itself for a code outside the protocol's. */
export function statusName(code: number): string {
  return Object.keys(Status).find((name) => Status[name as keyof typeof Status] === code) ?? String(code);
}

/**
 * A failed call as both clients report it: grpc-js's ServiceError has these fields, and
 * the node:http2 client (plugin-channel.ts) makes the same shape.
 */
export interface CallFailure {
  code: number;
  details: string;
  message: string;
}
