// grpc.health.v1 messages in protobuf wire form, for the node:http2 client (plugin-channel.ts).
import { WireType } from '@bufbuild/protobuf/wire';
import { decodeField, encodeStringField } from './one-field-message';

/** HealthCheckResponse.ServingStatus names, by number (grpc/health/v1/health.proto). */
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** HealthCheckRequest { string service = 1; } */
export function encodeHealthCheckRequest(service: string): Uint8Array {
  return encodeStringField(1, service);
}

/** HealthCheckResponse { ServingStatus status = 1; }: the status's name, as the grpc-js client reports it. */
export function decodeHealthCheckStatus(bytes: Uint8Array): string {
  const status = decodeField(bytes, 1, WireType.Varint, (reader) => reader.int32(), 0);
  return SERVING_STATUS[status] ?? String(status);
}
