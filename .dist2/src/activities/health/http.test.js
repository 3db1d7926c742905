"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** The `http` check against a real HTTP server on loopback: status match, mismatch, timeout, refused. */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_http_1 = require("node:http");
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const check_1 = require("./check");
/** The http check is made from the worker: any use of the host's session is a bug. */
const noSession = {
    exec: () => Promise.reject(new Error('the http check used the SSH session')),
    run: () => Promise.reject(new Error('the http check used the SSH session')),
    upload: () => Promise.reject(new Error('the http check used the SSH session')),
    close: () => undefined,
};
(0, node_test_1.describe)('http health check (real HTTP server)', () => {
    let server;
    let base;
    const requests = [];
    const http = (config) => schemas_1.healthCheckSchema.parse({ kind: 'http', ...config });
    (0, node_test_1.before)(async () => {
        server = (0, node_http_1.createServer)((req, res) => {
            requests.push(req.url ?? '');
            if (req.url === '/healthz')
                res.writeHead(200).end('ok');
            else if (req.url === '/teapot')
                res.writeHead(418).end();
            else if (req.url === '/moved')
                res.writeHead(302, { location: '/healthz' }).end();
            else if (req.url === '/hang')
                return; // never answers
            else
                res.writeHead(404).end();
        });
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        base = `http://127.0.0.1:${server.address().port}`;
    });
    (0, node_test_1.after)(async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
    });
    (0, node_test_1.it)('is healthy when the status is the expected one (200 by default; redirects followed)', async () => {
        strict_1.default.equal(await (0, check_1.runHealthCheck)(noSession, http({ url: `${base}/healthz` })), null);
        strict_1.default.equal(await (0, check_1.runHealthCheck)(noSession, http({ url: `${base}/teapot`, expectStatus: 418 })), null);
        strict_1.default.equal(await (0, check_1.runHealthCheck)(noSession, http({ url: `${base}/moved` })), null);
    });
    (0, node_test_1.it)('fails on another status, naming both', async () => {
        strict_1.default.equal(await (0, check_1.runHealthCheck)(noSession, http({ url: `${base}/teapot` })), `GET ${base}/teapot answered 418, expected 200`);
        strict_1.default.equal(await (0, check_1.runHealthCheck)(noSession, http({ url: `${base}/healthz`, expectStatus: 204 })), `GET ${base}/healthz answered 200, expected 204`);
    });
    (0, node_test_1.it)('fails when the server does not answer within the timeout', async () => {
        const started = Date.now();
        strict_1.default.equal(await (0, check_1.runHealthCheck)(noSession, http({ url: `${base}/hang`, timeoutSeconds: 1 })), `GET ${base}/hang failed: The operation was aborted due to timeout`);
        strict_1.default.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    });
    (0, node_test_1.it)('fails when nothing listens', async () => {
        const closed = (0, node_http_1.createServer)();
        await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
        const url = `http://127.0.0.1:${closed.address().port}/healthz`;
        await new Promise((resolve) => closed.close(resolve));
        strict_1.default.equal(await (0, check_1.runHealthCheck)(noSession, http({ url })), `GET ${url} failed: fetch failed`);
    });
    (0, node_test_1.it)('runHealthChecks runs the checks in order and lists every failure in that order', async () => {
        requests.length = 0;
        const failures = await (0, check_1.runHealthChecks)(noSession, [
            http({ url: `${base}/teapot` }),
            http({ url: `${base}/healthz` }),
            http({ url: `${base}/missing` }),
        ]);
        strict_1.default.deepEqual(requests, ['/teapot', '/healthz', '/missing']);
        strict_1.default.deepEqual(failures, [
            `GET ${base}/teapot answered 418, expected 200`,
            `GET ${base}/missing answered 404, expected 200`,
        ]);
    });
    (0, node_test_1.it)('takes http(s) URLs only', () => {
        strict_1.default.equal(schemas_1.healthCheckSchema.safeParse({ kind: 'http', url: 'ftp://127.0.0.1/healthz' }).success, false);
        strict_1.default.deepEqual(schemas_1.healthCheckSchema.parse({ kind: 'http', url: 'https://web-01.example/healthz' }), {
            kind: 'http',
            url: 'https://web-01.example/healthz',
            expectStatus: 200,
            timeoutSeconds: 10,
        });
    });
});
//# sourceMappingURL=http.test.js.map