// The host library used wrongly, or late, by a program: options it cannot honour are
// refused by name before anything starts; a stub or a broker id used after or twice gets a
// typed answer instead of grpc-js's own exception.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { describe, it } from 'node:test';
import { isPluginError, startPlugin } from '../../src/host';
import { GreeterClient, GreeterService } from '../../src/proto';
import { fixture, goGreeter } from '../helpers/plugins';

describe('host library misuse', () => {
  it('a working directory that does not exist is INVALID_OPTIONS naming "cwd", not a missing executable', async () => {
    await assert.rejects(startPlugin({ path: goGreeter(), cwd: '/nonexistent/work dir' }), (e: unknown) =>
      isPluginError(e, 'INVALID_OPTIONS') && /the working directory "cwd" \("\/nonexistent\/work dir"\) is not an existing folder/.test(e.message),
    );
  });

  it('a port range the plugin could not use is INVALID_OPTIONS before any process starts', async () => {
    await assert.rejects(startPlugin({ path: goGreeter(), minPort: 30000, maxPort: 20000 }), (e: unknown) =>
      isPluginError(e, 'INVALID_OPTIONS') && /"minPort" \(30000\) is greater than "maxPort" \(20000\)/.test(e.message),
    );
    await assert.rejects(startPlugin({ path: goGreeter(), minPort: Number.NaN }), (e: unknown) =>
      isPluginError(e, 'INVALID_OPTIONS') && /"minPort" and "maxPort" must be whole numbers from 0 to 65535/.test(e.message),
    );
  });

  it('a makeClient() stub called after stop() answers UNAVAILABLE through its callback instead of throwing', async () => {
    const client = await startPlugin({ path: goGreeter() });
    const stub = client.makeClient<grpc.Client & { Greet: Function }>(GreeterClient);
    await client.stop();
    const error = await new Promise<grpc.ServiceError | null>((resolve) => stub.Greet({ name: 'late' }, (err: grpc.ServiceError | null) => resolve(err)));
    assert.equal(error?.code, grpc.status.UNAVAILABLE);
    assert.match(error?.details ?? '', /Plugin "greeter" was stopped/);
  });

  it('serving a broker id twice is INVALID_OPTIONS; the first server keeps serving', async () => {
    const client = await startPlugin({ path: fixture('bin/broker-greeter') });
    try {
      const id = client.broker.nextId();
      await client.broker.accept(id, (server) => server.addService(GreeterService, { Greet: (_call: unknown, cb: grpc.sendUnaryData<{ message: string }>) => cb(null, { message: 'first' }) }));
      await assert.rejects(client.broker.accept(id, () => undefined), (e: unknown) =>
        isPluginError(e, 'INVALID_OPTIONS') && new RegExp(`broker id ${id} is already served; take a new one with broker.nextId\\(\\)`).test(e.message),
      );
      await assert.rejects(client.broker.accept(0, () => undefined), (e: unknown) => isPluginError(e, 'INVALID_OPTIONS') && /broker id 0 is not a whole number/.test(e.message));
    } finally {
      await client.stop();
    }
  });
});
