// Typed failures of the plugin side. The message is what the host's log shows, so
// where go-plugin has a text for the same failure we use it verbatim.

/** What went wrong while serving. */
export type SdkErrorCode =
  | 'BAD_PORT_RANGE'
  | 'LISTEN_FAILED'
  | 'TLS_SETUP_FAILED'
  | 'NO_VERSIONS'
  | 'BAD_VERSION'
  | 'ALREADY_SERVING'
  | 'BROKER_TIMEOUT'
  | 'BROKER_CLOSED';

/** An SDK failure with a stable code and a message meant for the plugin's log. */
export class SdkError extends Error {
  constructor(
    readonly code: SdkErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'SdkError';
  }
}
