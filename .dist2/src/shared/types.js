"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NON_RETRYABLE_ERRORS = void 0;
/** Names of errors that retrying cannot fix. Activities throw ApplicationFailure with these types. */
exports.NON_RETRYABLE_ERRORS = [
    'HostKeyMismatchError',
    'UnknownHostKeyError',
    'AuthFailedError',
    'InvalidInputError',
    'UnsafeHostError',
    'UploadChecksumError',
    'ForwardingRefusedError',
    'BootloaderChangedError',
];
//# sourceMappingURL=types.js.map