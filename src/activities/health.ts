/**
 * Health checks run on the new kernel before it is committed. Each returns a failure message
 * or null; the verdict is the list of failures (empty = healthy).
 */
import type { HealthCheck } from '../shared/types';
import { SYSTEMD_UNIT_RE, assertMatches, shellQuote } from '../shared/shell';
import type { HostSession } from './index';

export async function runHealthCheck(s: HostSession, check: HealthCheck): Promise<string | null> {
  switch (check.kind) {
    case 'command': {
      const r = await s.exec(check.command, { timeoutMs: check.timeoutSeconds * 1000 }).catch((e: Error) => e);
      if (r instanceof Error) return `health command \`${check.command}\`: ${r.message}`;
      return r.code === 0
        ? null
        : `health command \`${check.command}\` exited ${r.code}: ${r.stderr.trim().slice(-300)}`;
    }
    case 'systemd-unit': {
      assertMatches('unit', check.unit, SYSTEMD_UNIT_RE, 'systemd unit');
      const r = await s.exec(`systemctl is-active ${shellQuote(check.unit)}`);
      return r.code === 0 ? null : `${check.unit} is ${r.stdout.trim() || 'not active'}`;
    }
    case 'system-running': {
      // `--wait` blocks while the system is still starting up; bounded by the exec timeout.
      const r = await s.exec('systemctl is-system-running --wait', { timeoutMs: 180_000 }).catch((e: Error) => e);
      if (r instanceof Error) return `systemctl is-system-running: ${r.message}`;
      const state = r.stdout.trim();
      if (state === 'running' || (state === 'degraded' && check.allowDegraded)) return null;
      const failed = await s.exec('systemctl --failed --no-legend --plain --no-pager | head -n 5');
      return `system state is ${state || 'unknown'}${failed.stdout.trim() ? ` (failed: ${failed.stdout.trim().replace(/\n/g, '; ')})` : ''}`;
    }
    case 'http': {
      try {
        const res = await fetch(check.url, { signal: AbortSignal.timeout(check.timeoutSeconds * 1000) });
        return res.status === check.expectStatus
          ? null
          : `GET ${check.url} answered ${res.status}, expected ${check.expectStatus}`;
      } catch (err) {
        return `GET ${check.url} failed: ${(err as Error).message}`;
      }
    }
  }
}

export async function runHealthChecks(s: HostSession, checks: readonly HealthCheck[]): Promise<string[]> {
  const failures: string[] = [];
  for (const check of checks) {
    const failure = await runHealthCheck(s, check);
    if (failure) failures.push(failure);
  }
  return failures;
}
