"use strict";
/**
 * Errors of the build activities; their names are the failure types the workflow sees, and none
 * of them is retried (BUILD_NON_RETRYABLE_ERRORS in src/shared/build-types.ts).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.BuildFailedError = exports.BuildConfigError = exports.BuildHostNotReadyError = void 0;
/** The build host lacks something (a tool, the source, disk): retrying does not help. */
class BuildHostNotReadyError extends Error {
    name = 'BuildHostNotReadyError';
}
exports.BuildHostNotReadyError = BuildHostNotReadyError;
/** The configuration cannot be built as asked (a fragment that did not take, a release collision). */
class BuildConfigError extends Error {
    name = 'BuildConfigError';
}
exports.BuildConfigError = BuildConfigError;
/** make failed (now, or before for this key); the message quotes the log's lines that say why. */
class BuildFailedError extends Error {
    name = 'BuildFailedError';
}
exports.BuildFailedError = BuildFailedError;
//# sourceMappingURL=errors.js.map