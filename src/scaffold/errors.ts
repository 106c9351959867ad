// Typed errors of New Plugin: each says what happened and what to do about it.

/** Why a new plugin project could not be created. */
export type ScaffoldErrorCode =
  | 'INVALID_NAME' // the plugin name cannot be a file and module name
  | 'FOLDER_NOT_EMPTY' // the project folder exists and holds files
  | 'TOOLCHAIN_MISSING' // go / npm / python3 (or its venv module) is not installed
  | 'TEMPLATES_MISSING' // the extension was built without its templates
  | 'BUILD_FAILED' // a build step exited non-zero
  | 'BUILD_CANCELLED'; // the user cancelled the build

/** A New Plugin failure with a message written for the user. */
export class ScaffoldError extends Error {
  constructor(
    readonly code: ScaffoldErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ScaffoldError';
  }
}

/** True for a ScaffoldError (of `code`, when given). */
export function isScaffoldError(err: unknown, code?: ScaffoldErrorCode): err is ScaffoldError {
  return err instanceof ScaffoldError && (code === undefined || err.code === code);
}
