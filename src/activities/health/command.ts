/** `command` health check: a shell command on the host; healthy when it exits 0. */
import { commandCheckSchema } from '../../shared/options/health-check';
import type { HealthCheckModule } from './check-interface';

const kind = 'command';

export const commandCheck: HealthCheckModule<typeof commandCheckSchema> = {
  kind,
  schema: commandCheckSchema,
  check: async (s, check) => {
    const r = await s.exec(check.command, { timeoutMs: check.timeoutSeconds * 1000 }).catch((e: Error) => e);
    if (r instanceof Error) return `health command \`${check.command}\`: ${r.message}`;
    if (r.code === 0) return null;
    const ended = r.code !== null ? `exited ${r.code}` : `was killed by ${r.signal ?? 'a signal'}`;
    // The end of what it said on stderr, else on stdout (`curl -s`, `systemctl is-active` print there).
    const said = r.stderr.trim() || r.stdout.trim();
    return `health command \`${check.command}\` ${ended}${said ? `: ${said.slice(-300)}` : ' and printed nothing'}`;
  },
};
