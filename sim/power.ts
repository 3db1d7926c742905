/**
 * The simulated power driver, for kernel-rollout's `command` power driver:
 *   node dist/sim/power.js <state-dir>/control.json <host> [reset|off|state]
 * (`{host}` in the driver's argv is replaced by the host's name). Exit 0 when done.
 */
import { readFileSync } from 'node:fs';
import * as net from 'node:net';

export function sendControl(controlPath: string, line: string): Promise<string> {
  const { port, token } = JSON.parse(readFileSync(controlPath, 'utf8')) as { port: number; token: string };
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port }, () => sock.write(`${token} ${line}\n`));
    let buf = '';
    sock.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      if (buf.includes('\n')) {
        sock.end();
        resolve(buf.trim());
      }
    });
    sock.on('error', (err) => reject(new Error(`fleet simulator at 127.0.0.1:${port}: ${err.message}`)));
  });
}

export async function main(argv: string[]): Promise<number> {
  const [controlPath, host, action = 'reset'] = argv;
  const verbs: Record<string, string> = {
    reset: 'power-reset',
    cycle: 'power-reset',
    off: 'power-off',
    state: 'state',
  };
  const verb = verbs[action];
  if (!controlPath || !host || !verb) {
    process.stderr.write('usage: power.js <control.json> <host> [reset|off|state]\n');
    return 2;
  }
  const reply = await sendControl(controlPath, `${verb} ${host}`);
  process.stdout.write(`${host}: ${reply}\n`);
  return reply.startsWith('ok') ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    },
  );
}
