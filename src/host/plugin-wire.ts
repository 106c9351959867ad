// go-plugin's own messages on the host's node:http2 connection (plugin-channel.ts), in
// protobuf wire form with @bufbuild/protobuf's codec: plugin.StdioData and plugin.ConnInfo
// (proto/plugin/*.proto). Decoded to the shapes the grpc-js definitions in src/proto give.
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { ConnInfo, StdioChannel, StdioData } from '../proto';

const STDIO_CHANNELS: StdioChannel[] = ['INVALID', 'STDOUT', 'STDERR'];

/** StdioData { Channel channel = 1; bytes data = 2; } */
export function decodeStdioData(bytes: Uint8Array): StdioData {
  const reader = new BinaryReader(bytes);
  let channel: StdioChannel = 'INVALID';
  let data: Uint8Array = new Uint8Array(0);
  while (reader.pos < reader.len) {
    const [field, type] = reader.tag();
    if (field === 1 && type === WireType.Varint) channel = STDIO_CHANNELS[reader.int32()] ?? 'INVALID';
    else if (field === 2 && type === WireType.LengthDelimited) data = reader.bytes();
    else reader.skip(type, field);
  }
  return { channel, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}

/** ConnInfo { uint32 service_id = 1; string network = 2; string address = 3; Knock knock = 4; } */
export function encodeConnInfo(info: ConnInfo): Uint8Array {
  const writer = new BinaryWriter();
  if (info.service_id !== 0) writer.tag(1, WireType.Varint).uint32(info.service_id);
  if (info.network !== '') writer.tag(2, WireType.LengthDelimited).string(info.network);
  if (info.address !== '') writer.tag(3, WireType.LengthDelimited).string(info.address);
  if (info.knock) {
    const knock = new BinaryWriter();
    if (info.knock.knock) knock.tag(1, WireType.Varint).bool(true);
    if (info.knock.ack) knock.tag(2, WireType.Varint).bool(true);
    if (info.knock.error !== '') knock.tag(3, WireType.LengthDelimited).string(info.knock.error);
    writer.tag(4, WireType.LengthDelimited).bytes(knock.finish());
  }
  return writer.finish();
}

/** The inverse of encodeConnInfo; absent fields get proto3's defaults, an absent knock is null. */
export function decodeConnInfo(bytes: Uint8Array): ConnInfo {
  const reader = new BinaryReader(bytes);
  const info: ConnInfo = { service_id: 0, network: '', address: '', knock: null };
  while (reader.pos < reader.len) {
    const [field, type] = reader.tag();
    if (field === 1 && type === WireType.Varint) info.service_id = reader.uint32();
    else if (field === 2 && type === WireType.LengthDelimited) info.network = reader.string();
    else if (field === 3 && type === WireType.LengthDelimited) info.address = reader.string();
    else if (field === 4 && type === WireType.LengthDelimited) info.knock = decodeKnock(reader.bytes(), info.knock);
    else reader.skip(type, field);
  }
  return info;
}

/** Knock { bool knock = 1; bool ack = 2; string error = 3; }; a repeated field merges, as protobuf says. */
function decodeKnock(bytes: Uint8Array, previous: ConnInfo['knock']): NonNullable<ConnInfo['knock']> {
  const knock = previous ? { ...previous } : { knock: false, ack: false, error: '' };
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, type] = reader.tag();
    if (field === 1 && type === WireType.Varint) knock.knock = reader.bool();
    else if (field === 2 && type === WireType.Varint) knock.ack = reader.bool();
    else if (field === 3 && type === WireType.LengthDelimited) knock.error = reader.string();
    else reader.skip(type, field);
  }
  return knock;
}
