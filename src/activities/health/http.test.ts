/** The `http` check against a real HTTP server on loopback: status match, mismatch, timeout, refused. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { healthCheckSchema } from '../../shared/schemas';
import type { HostSession } from '../index';
import { runHealthCheck, runHealthChecks, type HealthCheck } from './check';

/** The http check is made from the worker: any use of the host's session is a bug. */
const noSession: HostSession = {
  exec: () => Promise.reject(new Error('the http check used the SSH session')),
  run: () => Promise.reject(new Error('the http check used the SSH session')),
  upload: () => Promise.reject(new Error('the http check used the SSH session')),
  close: () => undefined,
};

describe('http health check (real HTTP server)', () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];
  const http = (config: Record<string, unknown>): HealthCheck => healthCheckSchema.parse({ kind: 'http', ...config });

  before(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/healthz') res.writeHead(200).end('ok');
      else if (req.url === '/teapot') res.writeHead(418).end();
      else if (req.url === '/moved') res.writeHead(302, { location: '/healthz' }).end();
      else if (req.url === '/hang')
        return; // never answers
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is healthy when the status is the expected one (200 by default; redirects followed)', async () => {
    assert.equal(await runHealthCheck(noSession, http({ url: `${base}/healthz` })), null);
    assert.equal(await runHealthCheck(noSession, http({ url: `${base}/teapot`, expectStatus: 418 })), null);
    assert.equal(await runHealthCheck(noSession, http({ url: `${base}/moved` })), null);
  });

  it('fails on another status, naming both', async () => {
    assert.equal(
      await runHealthCheck(noSession, http({ url: `${base}/teapot` })),
      `GET ${base}/teapot answered 418, expected 200`,
    );
    assert.equal(
      await runHealthCheck(noSession, http({ url: `${base}/healthz`, expectStatus: 204 })),
      `GET ${base}/healthz answered 200, expected 204`,
    );
  });

  it('fails when the server does not answer within the timeout', async () => {
    const started = Date.now();
    assert.equal(
      await runHealthCheck(noSession, http({ url: `${base}/hang`, timeoutSeconds: 1 })),
      `GET ${base}/hang failed: The operation was aborted due to timeout`,
    );
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('fails when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/healthz`;
    await new Promise((resolve) => closed.close(resolve));
    assert.equal(await runHealthCheck(noSession, http({ url })), `GET ${url} failed: fetch failed`);
  });

  it('runHealthChecks runs the checks in order and lists every failure in that order', async () => {
    requests.length = 0;
    const failures = await runHealthChecks(noSession, [
      http({ url: `${base}/teapot` }),
      http({ url: `${base}/healthz` }),
      http({ url: `${base}/missing` }),
    ]);
    assert.deepEqual(requests, ['/teapot', '/healthz', '/missing']);
    assert.deepEqual(failures, [
      `GET ${base}/teapot answered 418, expected 200`,
      `GET ${base}/missing answered 404, expected 200`,
    ]);
  });

  it('takes http(s) URLs only', () => {
    assert.equal(healthCheckSchema.safeParse({ kind: 'http', url: 'ftp://127.0.0.1/healthz' }).success, false);
    assert.deepEqual(healthCheckSchema.parse({ kind: 'http', url: 'https://web-01.example/healthz' }), {
      kind: 'http',
      url: 'https://web-01.example/healthz',
      expectStatus: 200,
      timeoutSeconds: 10,
    });
  });
});
