// grpc.health.v1.Health: go-plugin hosts call Check({service:"plugin"}) in Ping(),
// and the tutorial host aborts when it fails (PROTOCOL.md §3.1).
import * as grpc from '@grpc/grpc-js';
import type { HealthCheckRequest, HealthCheckResponse } from '../proto';

/** The service name go-plugin hosts ask about (GRPCServiceName). */
export const PLUGIN_HEALTH_SERVICE = 'plugin';

/** Check answers SERVING for "plugin" and for "" (the whole server), NOT_FOUND otherwise, per the health spec. */
export function healthImplementation(): grpc.UntypedServiceImplementation {
  return {
    Check(
      call: grpc.ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>,
      callback: grpc.sendUnaryData<HealthCheckResponse>,
    ) {
      const service = call.request.service ?? '';
      if (service === '' || service === PLUGIN_HEALTH_SERVICE) {
        callback(null, { status: 'SERVING' });
      } else {
        callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${JSON.stringify(service)}` });
      }
    },
  };
}
