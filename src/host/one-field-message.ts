// Protobuf messages with one field that matters (Person, Greeting, the health check's
// request and response), read and written with @bufbuild/protobuf's wire codec: the
// node:http2 client has no generated stubs, and these do not warrant a schema.
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/**
 * A message whose only field `field` is the string `value`. Written even when empty, as
 * the protobufjs serializers of the grpc-js path do (proto3 readers take both forms).
 */
export function encodeStringField(field: number, value: string): Uint8Array {
  return new BinaryWriter().tag(field, WireType.LengthDelimited).string(value).finish();
}

/** The last value of `field` in `bytes` (proto3: the last one wins), or `absent`; other fields are skipped. */
export function decodeField<T>(bytes: Uint8Array, field: number, wireType: WireType, read: (reader: BinaryReader) => T, absent: T): T {
  const reader = new BinaryReader(bytes);
  let value = absent;
  while (reader.pos < reader.len) {
    const [number, type] = reader.tag();
    if (number === field && type === wireType) value = read(reader);
    else reader.skip(type, number);
  }
  return value;
}
