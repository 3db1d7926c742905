"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.httpCheck = void 0;
/**
 * `http` health check: a GET from the worker (not from the host); healthy when the status is
 * the expected one. Redirects are followed, as fetch does by default.
 */
const health_check_1 = require("../../shared/options/health-check");
const kind = 'http';
exports.httpCheck = {
    kind,
    schema: health_check_1.httpCheckSchema,
    check: async (_s, check) => {
        try {
            const res = await fetch(check.url, { signal: AbortSignal.timeout(check.timeoutSeconds * 1000) });
            return res.status === check.expectStatus
                ? null
                : `GET ${check.url} answered ${res.status}, expected ${check.expectStatus}`;
        }
        catch (err) {
            return `GET ${check.url} failed: ${err.message}`;
        }
    },
};
//# sourceMappingURL=http.js.map