/** `kernelctl dev`: the Temporal CLI's dev server (SQLite in the state dir) and a worker beside it. */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { EXIT, int } from '../common';
import type { Command, CommandContext } from './command';

function stateDir(): string {
  const base = process.env['XDG_STATE_HOME'] || path.join(homedir(), '.local', 'state');
  return path.join(base, 'kernel-rollout');
}

async function devCommand({ v, clientOpts }: CommandContext): Promise<number> {
  const { startDevServer } = await import('../../dev/temporal-server');
  const { createWorker } = await import('../../worker');
  // The worker's INFO lines (about 20 of bundler statistics at start) would bury the addresses
  // printed below; warnings and errors still reach stderr. Installed before anything creates
  // the Runtime.
  const { DefaultLogger, Runtime } = await import('@temporalio/worker');
  const { devLogFunction } = await import('../../dev/worker-log');
  // An expected failure (a refused host, a failed build) is one line, not its stack.
  Runtime.install({ logger: new DefaultLogger('WARN', devLogFunction) });
  const dir = path.resolve((v['state-dir'] as string | undefined) ?? stateDir());
  mkdirSync(dir, { recursive: true });
  const server = await startDevServer({
    dbFile: path.join(dir, 'temporal.sqlite'),
    port: int('--port', v['port'] as string | undefined) ?? 7233,
    uiPort: int('--ui-port', v['ui-port'] as string | undefined) ?? 8233,
    logPath: path.join(dir, 'temporal.log'),
    pidFile: path.join(dir, 'temporal.pid'),
  });
  if (server.stoppedLeftover !== undefined) {
    process.stderr.write(
      `kernelctl dev: stopped the Temporal dev server (pid ${server.stoppedLeftover}) an earlier kernelctl dev left running on ${dir}\n`,
    );
  }
  let created: Awaited<ReturnType<typeof createWorker>>;
  try {
    // The embedded server speaks plaintext: a profile's TLS or API key is not for it.
    created = await createWorker({ ...clientOpts, address: server.address, transport: undefined });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const { worker, connection } = created;
  // Printed once the worker exists (bundling takes a while), so the addresses mean "ready".
  process.stdout.write(
    `Temporal dev server ${server.address} (pid ${server.pid}, state ${dir})\nWeb UI: ${server.uiUrl}\nWorker on task queue ${clientOpts.taskQueue}; Ctrl-C stops both.\n`,
  );
  try {
    await worker.run();
  } finally {
    await connection.close();
    await server.stop();
  }
  return EXIT.ok;
}

export const dev: Command = {
  options: { 'state-dir': { type: 'string' }, port: { type: 'string' }, 'ui-port': { type: 'string' } },
  needsHost: () => false,
  run: devCommand,
};
