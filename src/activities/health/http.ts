/**
 * `http` health check: a GET from the worker (not from the host); healthy when the status is
 * the expected one. Redirects are followed, as fetch does by default.
 */
import { z } from 'zod';
import type { HealthCheckModule } from './check';

const kind = 'http';

export const httpCheckSchema = z
  .object({
    kind: z.literal(kind),
    url: z
      .string()
      .url()
      .regex(/^https?:\/\//, 'must be http(s)')
      .describe('http(s) URL, fetched from the worker'),
    expectStatus: z.number().int().min(100).max(599).default(200).describe('The status that means healthy'),
    timeoutSeconds: z.number().int().min(1).max(120).default(10).describe('The check fails after this'),
  })
  .strict()
  .describe('A GET from the worker; healthy when it answers with the expected status');

export const httpCheck: HealthCheckModule<typeof kind, typeof httpCheckSchema> = {
  kind,
  schema: httpCheckSchema,
  check: async (_s, check) => {
    try {
      const res = await fetch(check.url, { signal: AbortSignal.timeout(check.timeoutSeconds * 1000) });
      return res.status === check.expectStatus
        ? null
        : `GET ${check.url} answered ${res.status}, expected ${check.expectStatus}`;
    } catch (err) {
      return `GET ${check.url} failed: ${(err as Error).message}`;
    }
  },
};
