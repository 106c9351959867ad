// Test plugin on the Node SDK (bundled by sdk-reflection.test.ts): the three ways an
// author registers a service, for the SDK's reflection to describe.
//   demo.Echo        serve({ services }) with a hand-made definition and its `descriptor`
//   tutorial.Greeter register() with the proto-loader definition (carries its descriptors)
//   secret.Hidden    a hand-made definition with no descriptor: served, not described
// FIXTURE_REFLECTION=off serves no reflection at all.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { GreeterService } from '../../src/proto';
import { serve } from '../../src/sdk';

const demoJson = {
  nested: {
    demo: {
      nested: {
        Echo: { methods: { Say: { requestType: 'Text', responseType: 'Text' } } },
        Text: { fields: { upper_text: { type: 'string', id: 1 } } },
      },
    },
  },
};
const secretJson = {
  nested: {
    secret: {
      nested: {
        Hidden: { methods: { Peek: { requestType: 'Text', responseType: 'Text' } } },
        Text: { fields: { upper_text: { type: 'string', id: 1 } } },
      },
    },
  },
};
const fromJson = (json: object) => protoLoader.fromJSON(json as Parameters<typeof protoLoader.fromJSON>[0]);
const demo = { ...fromJson(demoJson), ...fromJson(secretJson) };

/** Like grpc-tools' generated code: serializers only, no descriptors attached. */
function handMade(name: string): grpc.ServiceDefinition {
  const definition = demo[name] as grpc.ServiceDefinition;
  return Object.fromEntries(
    Object.entries(definition).map(([method, m]) => [method, { ...m, requestType: undefined, responseType: undefined }]),
  ) as unknown as grpc.ServiceDefinition;
}

const echo = (call: grpc.ServerUnaryCall<{ upper_text: string }, unknown>, callback: grpc.sendUnaryData<unknown>) =>
  callback(null, { upper_text: call.request.upper_text.toUpperCase() });

void serve({
  reflection: process.env.FIXTURE_REFLECTION !== 'off',
  services: [
    {
      definition: handMade('demo.Echo'),
      implementation: { Say: echo },
      descriptor: (demo['demo.Text'] as { fileDescriptorProtos: Buffer[] }).fileDescriptorProtos,
    },
  ],
  register(server) {
    server.addService(GreeterService, {
      Greet: (call: grpc.ServerUnaryCall<{ name: string }, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, { message: `hello ${call.request.name}` }),
    });
    server.addService(handMade('secret.Hidden'), { Peek: echo });
  },
});
