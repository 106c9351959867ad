// tutorial.Person and tutorial.Greeting (proto/greeter.proto) in protobuf wire form, for
// the one-shot Greet on node:http2 (greet-once.ts), which does not load src/proto.
import { WireType } from '@bufbuild/protobuf/wire';
import { decodeField, encodeStringField } from '../host/one-field-message';

/** Person { string name = 1; } */
export function encodePerson(name: string): Uint8Array {
  return encodeStringField(1, name);
}

/** Greeting { string message = 1; }: the message ("" when absent, as proto3 says). */
export function decodeGreeting(bytes: Uint8Array): string {
  return decodeField(bytes, 1, WireType.LengthDelimited, (reader) => reader.string(), '');
}
