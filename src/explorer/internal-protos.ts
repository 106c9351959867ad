// The few messages the explorer itself speaks: gRPC server reflection (identical on the
// wire in v1 and v1alpha, only the service path differs) and google.rpc.Status for
// error details. Written from the protocols' field numbers and compiled at load time
// by the same protobufjs path as user .proto files; only the fields used here.
import type { DescMessage, FileRegistry } from '@bufbuild/protobuf';
import { registryFromFiles } from './descriptor-set';
import { compileProtoText } from './proto-compiler';

const INTERNAL_PROTO = `
syntax = "proto3";
package greeter.explorer.internal;

message ServerReflectionRequest {
  string host = 1;
  oneof message_request {
    string file_by_filename = 3;
    string file_containing_symbol = 4;
    string list_services = 7;
  }
}
message ServerReflectionResponse {
  string valid_host = 1;
  oneof message_response {
    FileDescriptorResponse file_descriptor_response = 4;
    ListServiceResponse list_services_response = 6;
    ErrorResponse error_response = 7;
  }
}
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ServiceResponse { string name = 1; }
message ErrorResponse { int32 error_code = 1; string error_message = 2; }
`;

// google.rpc types keep their real names: status details name them in Any type URLs.
const GOOGLE_RPC_PROTO = `
syntax = "proto3";
package google.rpc;
import "google/protobuf/any.proto";

message Status {
  int32 code = 1;
  string message = 2;
  repeated google.protobuf.Any details = 3;
}
message ErrorInfo {
  string reason = 1;
  string domain = 2;
  map<string, string> metadata = 3;
}
`;

/** The reflection RPC's path for each protocol version, newest first. */
export const REFLECTION_SERVICES = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'] as const;

let internal: { registry: FileRegistry; request: DescMessage; response: DescMessage; status: DescMessage } | undefined;

/** Compiled on first use; a few milliseconds once per process. */
export function internalProtos() {
  if (!internal) {
    const registry = registryFromFiles([...compileProtoText(INTERNAL_PROTO), ...compileProtoText(GOOGLE_RPC_PROTO)]);
    const message = (name: string) => {
      const desc = registry.getMessage(name);
      if (!desc) throw new Error(`internal proto ${name} is missing`);
      return desc;
    };
    internal = {
      registry,
      request: message('greeter.explorer.internal.ServerReflectionRequest'),
      response: message('greeter.explorer.internal.ServerReflectionResponse'),
      status: message('google.rpc.Status'),
    };
  }
  return internal;
}
