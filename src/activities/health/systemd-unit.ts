/** `systemd-unit` health check: healthy when `systemctl is-active UNIT` says active. */
import { systemdUnitCheckSchema } from '../../shared/options/health-check';
import { SYSTEMD_UNIT_RE, assertMatches, shellQuote } from '../../shared/shell';
import type { HealthCheckModule } from './check-interface';

const kind = 'systemd-unit';

export const systemdUnitCheck: HealthCheckModule<typeof systemdUnitCheckSchema> = {
  kind,
  schema: systemdUnitCheckSchema,
  check: async (s, check) => {
    assertMatches('unit', check.unit, SYSTEMD_UNIT_RE, 'systemd unit');
    const r = await s.exec(`systemctl is-active ${shellQuote(check.unit)}`);
    return r.code === 0 ? null : `${check.unit} is ${r.stdout.trim() || 'not active'}`;
  },
};
