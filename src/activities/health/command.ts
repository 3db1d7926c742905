/** `command` health check: a shell command on the host; healthy when it exits 0. */
import { z } from 'zod';
import type { HealthCheckModule } from './check';

const kind = 'command';

export const commandCheckSchema = z
  .object({
    kind: z.literal(kind),
    command: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[^\0\n]*$/, 'must be one line')
      .describe("One line of shell, run on the host as the SSH user (the operator's own command)"),
    timeoutSeconds: z.number().int().min(1).max(600).default(30).describe('The check fails after this'),
  })
  .strict()
  .describe('A shell command on the host; healthy when it exits 0');

export const commandCheck: HealthCheckModule<typeof kind, typeof commandCheckSchema> = {
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
