/**
 * Runs a command with a fresh `temporal server start-dev` beside it (its database in memory: no
 * test behind this restarts the server; its log in a temp dir), exporting TEMPORAL_ADDRESS; stops the server afterwards and exits with the command's status.
 * An already exported TEMPORAL_ADDRESS is used as is (no server started).
 *   node dist/scripts/with-temporal.js node --test dist/test/workflow
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startDevServer } from '../src/dev/temporal-server';

async function main(): Promise<void> {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) throw new Error('usage: with-temporal <command> [args...]');
  let stop: (() => Promise<void>) | null = null;
  const env = { ...process.env };
  if (!env['TEMPORAL_ADDRESS']) {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-temporal-'));
    const started = Date.now();
    const server = await startDevServer({ logPath: path.join(dir, 'temporal.log'), headless: true });
    process.stderr.write(
      `temporal dev server pid ${server.pid} on ${server.address} answered after ${Date.now() - started} ms (log ${server.logPath})\n`,
    );
    env['TEMPORAL_ADDRESS'] = server.address;
    stop = server.stop;
  }
  const child = spawn(cmd, args, { stdio: 'inherit', env });
  const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
  if (stop) await stop();
  process.exit(code);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
