"use strict";
/** gRPC status codes kernelctl and the worker name in their own words. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.permissionDenied = permissionDenied;
/** gRPC's PERMISSION_DENIED (7), anywhere in the error's cause chain: the server's authorizer said no. */
function permissionDenied(err) {
    let e = err;
    for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
        const x = e;
        if (x.code === 7)
            return true;
        if (typeof x.message === 'string' && /^7 PERMISSION_DENIED\b/.test(x.message))
            return true;
        e = x.cause;
    }
    return false;
}
//# sourceMappingURL=grpc-status.js.map