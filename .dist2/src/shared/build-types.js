"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BUILD_NON_RETRYABLE_ERRORS = void 0;
/** Failure types of the build activities that a retry cannot fix (src/activities/build/errors.ts). */
exports.BUILD_NON_RETRYABLE_ERRORS = ['BuildHostNotReadyError', 'BuildConfigError', 'BuildFailedError'];
//# sourceMappingURL=build-types.js.map