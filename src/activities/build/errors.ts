/**
 * Errors of the build activities; their names are the failure types the workflow sees, and none
 * of them is retried (BUILD_NON_RETRYABLE_ERRORS in src/shared/build-types.ts).
 */

/** The build host lacks something (a tool, the source, disk): retrying does not help. */
export class BuildHostNotReadyError extends Error {
  override name = 'BuildHostNotReadyError';
}

/** The configuration cannot be built as asked (a fragment that did not take, a release collision). */
export class BuildConfigError extends Error {
  override name = 'BuildConfigError';
}

/** make failed (now, or before for this key); the message quotes the log's lines that say why. */
export class BuildFailedError extends Error {
  override name = 'BuildFailedError';
}
