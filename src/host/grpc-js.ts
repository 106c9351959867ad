// @grpc/grpc-js, loaded on first use. The host's own calls run on node:http2
// (plugin-channel.ts); grpc-js is needed only for makeClient() stubs and brokered
// connections, so an editor or a CLI run that uses neither never loads it (loading it
// is ≈ 35 ms of a fresh process, bench/NOTES.md).
import type * as GrpcJs from '@grpc/grpc-js';

let loaded: typeof GrpcJs | undefined;

export function grpcJs(): typeof GrpcJs {
  return (loaded ??= require('@grpc/grpc-js') as typeof GrpcJs);
}
