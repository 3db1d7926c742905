/** gRPC status codes kernelctl and the worker name in their own words. */

/** gRPC's PERMISSION_DENIED (7), anywhere in the error's cause chain: the server's authorizer said no. */
export function permissionDenied(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
    const x = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (x.code === 7) return true;
    if (typeof x.message === 'string' && /^7 PERMISSION_DENIED\b/.test(x.message)) return true;
    e = x.cause;
  }
  return false;
}
