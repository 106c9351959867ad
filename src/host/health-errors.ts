// What a failed go-plugin health check means for the user, whichever client made the call
// (grpc-js in PluginClient.ping, node:http2 in the CLI's one-shot Greet).
import { PluginError } from './errors';
import { Status, statusName, type CallFailure } from './grpc-status';

/** The part of a connection the messages name. */
export interface HealthTarget {
  name: string;
  tls: boolean;
  network: string;
  address: string;
}

/** A plugin that answered, but not SERVING. */
export function notServingError(name: string, status: string | undefined): PluginError {
  // Stricter than go-plugin, which ignores the status: a plugin that says it is not
  // serving is not ready for calls, and saying so beats a failing Greet.
  return new PluginError('HEALTH_FAILURE', `Plugin "${name}" reports health status ${status ?? 'none'} for the service "plugin" instead of SERVING.`);
}

/** A health check call that failed. */
export function healthCallError(target: HealthTarget, err: CallFailure): PluginError {
  const { name } = target;
  if (err.code === Status.UNIMPLEMENTED) {
    return new PluginError(
      'HEALTH_FAILURE',
      `Plugin "${name}" does not implement the gRPC health service (grpc.health.v1.Health), which go-plugin hosts require. ` +
        `Register it with the service name "plugin" set to SERVING.`,
    );
  }
  const text = `${err.details ?? ''} ${err.message}`;
  if (target.tls && /ssl|tls|certificate|handshake|alert/i.test(text)) {
    return new PluginError(
      'TLS_FAILURE',
      `Plugin "${name}": the mutual TLS handshake failed (${connectionError(err.details || err.message)}). ` +
        `Either the plugin does not support go-plugin's AutoMTLS (turn AutoMTLS off for it), or it serves ` +
        `a certificate other than the one in its handshake (rebuild it with a current go-plugin).`,
      undefined,
      { cause: err },
    );
  }
  if (err.code === Status.UNAVAILABLE) {
    // grpc-js's own text ends in "Resolution note: )"; what it means for the user is this.
    return new PluginError(
      'CONNECTION_FAILED',
      `Plugin "${name}" announced an address where nothing answers (${target.network} ${target.address}): ` +
        `its handshake names a socket it does not listen on, or it stopped listening. This is a bug in the plugin.`,
      err.details || err.message,
      { cause: err },
    );
  }
  return new PluginError(
    'HEALTH_FAILURE',
    `Plugin "${name}" did not answer the go-plugin health check (${statusName(err.code)}: ${err.details || err.message}).`,
    undefined,
    { cause: err },
  );
}

/**
 * The socket's own error inside grpc-js's connection text ("No connection established.
 * Last error: Error: self-signed certificate. Resolution note: "), which is what the user
 * needs; other text is returned as it is.
 */
function connectionError(text: string): string {
  return /Last error: (?:Error: )?(.*?)\.? Resolution note:/.exec(text)?.[1] ?? text;
}
