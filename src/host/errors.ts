// Typed errors for everything that can go wrong between "launch this path" and
// "the call returned". Each message is written for the user: it names the plugin,
// says what happened and what to do about it.

/** Every failure the host, greeter client or SDK can report. */
export type PluginErrorCode =
  | 'NOT_FOUND'
  | 'IS_DIRECTORY'
  | 'NOT_EXECUTABLE'
  | 'WRONG_ARCHITECTURE'
  | 'CHECKSUM_MISMATCH'
  | 'SPAWN_FAILED'
  | 'EXITED_BEFORE_HANDSHAKE'
  | 'HANDSHAKE_TIMEOUT'
  | 'MALFORMED_HANDSHAKE'
  | 'CORE_VERSION_MISMATCH'
  | 'APP_VERSION_MISMATCH'
  | 'UNSUPPORTED_PROTOCOL'
  | 'TLS_FAILURE'
  | 'HEALTH_FAILURE'
  | 'CONNECTION_FAILED'
  | 'REATTACH_NOT_FOUND'
  | 'INVALID_OPTIONS'
  | 'PLUGIN_EXITED'
  | 'STOPPED'
  | 'CANCELLED'
  | 'DEADLINE_EXCEEDED'
  | 'UNAVAILABLE'
  | 'UNIMPLEMENTED'
  | 'CALL_FAILED'
  /** A call argument the plugin cannot receive (e.g. a name that is not valid Unicode). */
  | 'INVALID_ARGUMENT'
  /** The message is over the plugin's receive limit (4 MB for go-plugin servers). */
  | 'RESOURCE_EXHAUSTED'
  /**
   * Something failed inside the host, not in the plugin (ENOSPC on the temp dir, out of
   * processes, a programming error). Not a flaky plugin: restarting it does not help.
   */
  | 'HOST_ERROR';

/** A failure with a stable code (for programs) and a message (for people). */
export class PluginError extends Error {
  override readonly name = 'PluginError';
  constructor(
    readonly code: PluginErrorCode,
    message: string,
    /** Extra context such as the tail of the plugin's stderr. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The message plus its detail, for logs and CLI output. */
  describe(): string {
    return this.detail ? `${this.message}\n${this.detail}` : this.message;
  }
}

/** True when `e` is a PluginError (and, given `code`, one with that code). */
export function isPluginError(e: unknown, code?: PluginErrorCode): e is PluginError {
  return e instanceof PluginError && (code === undefined || e.code === code);
}
