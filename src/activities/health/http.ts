/**
 * `http` health check: a GET from the worker (not from the host); healthy when the status is
 * the expected one. Redirects are followed, as fetch does by default.
 */
import { httpCheckSchema } from '../../shared/options/health-check';
import type { HealthCheckModule } from './check-interface';

const kind = 'http';

export const httpCheck: HealthCheckModule<typeof httpCheckSchema> = {
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
