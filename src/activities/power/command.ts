/**
 * `command` power driver: runs an operator-supplied program on the worker (ipmitool, a cloud
 * CLI, a PDU script). argv is executed without a shell; the host's name is passed in the
 * environment as KERNEL_ROLLOUT_HOST and `{host}` in an argument is replaced by it.
 */
import { spawn } from 'node:child_process';
import { z } from 'zod';
import type { PowerDriver, PowerDriverModule } from './driver';

const kind = 'command';

export const commandPowerSchema = z
  .object({
    driver: z.literal(kind),
    argv: z
      .array(
        z
          .string()
          .min(1)
          .max(4096)
          .regex(/^[^\0]*$/, 'must not contain NUL'),
      )
      .min(1)
      .max(64)
      .describe(
        'Program and arguments, run without a shell; `{host}` becomes the host name (also $KERNEL_ROLLOUT_HOST)',
      ),
    timeoutSeconds: z.number().int().min(1).max(600).default(60).describe('The program is killed after this'),
  })
  .strict()
  .describe('Runs a program on the worker (ipmitool, a cloud CLI, a PDU script); exit 0 means the host was reset');

export function commandPowerDriver(argv: readonly string[], timeoutSeconds: number): PowerDriver {
  if (argv.length === 0 || !argv[0]) throw new Error('power.argv: give the program and its arguments');
  return {
    name: kind,
    powerCycle: (host) =>
      new Promise((resolve, reject) => {
        const args = argv.map((a) => a.split('{host}').join(host));
        const child = spawn(args[0] as string, args.slice(1), {
          env: { ...process.env, KERNEL_ROLLOUT_HOST: host },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: timeoutSeconds * 1000,
          killSignal: 'SIGKILL',
        });
        let output = '';
        const keep = (b: Buffer) => {
          output = (output + b.toString()).slice(-2000);
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        child.on('error', (err) =>
          reject(new Error(`${host}: power command ${args[0]} could not start: ${err.message}`)),
        );
        child.on('close', (code, signal) => {
          if (code === 0) {
            resolve({
              performed: true,
              message: `${host}: power command ${args[0]} succeeded ${output.trim()}`.trim(),
            });
          } else {
            reject(
              new Error(
                `${host}: power command ${args[0]} failed (${signal ? `signal ${signal}, timeout ${timeoutSeconds}s?` : `exit ${code}`}): ${output.trim()}`,
              ),
            );
          }
        });
      }),
  };
}

export const commandPower: PowerDriverModule<typeof kind, typeof commandPowerSchema> = {
  kind,
  schema: commandPowerSchema,
  create: (config) => commandPowerDriver(config.argv, config.timeoutSeconds),
};
