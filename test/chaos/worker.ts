/**
 * The chaos suite's worker, in its own process so the suite can SIGKILL it at any moment:
 * kernel-rollout's real activities (SSH to the simulated hosts, the `command` power driver) and
 * workflows, wired as src/worker/index.ts wires them (search attributes ensured, every activity
 * heartbeating), except that the workflow code comes from a bundle the suite builds once, so a
 * replacement worker polls after about a second instead of re-bundling for every kill.
 *   node dist/test/chaos/worker.js <temporal address> <task queue> <workflow bundle file>
 * Prints `worker-ready` on stdout once it polls. Exits on SIGTERM after draining.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { keepAlive } from '../../src/activities/keep-alive';
import { ensureSearchAttributes } from '../../src/worker';

// Killed workers and a killed server make the SDK warn a lot; the suite reads its own evidence.
Runtime.install({ logger: new DefaultLogger('ERROR') });

async function main(): Promise<void> {
  const [address, taskQueue, bundlePath] = process.argv.slice(2);
  if (!address || !taskQueue || !bundlePath) {
    throw new Error('usage: worker.js <temporal address> <task queue> <workflow bundle file>');
  }
  const connection = await NativeConnection.connect({ address });
  await ensureSearchAttributes(connection, 'default', () => undefined);
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: bundlePath },
    activities: keepAlive(createActivities()),
  });
  const running = worker.run();
  // The suite holds our stdin open; when the suite dies (killed, crashed) we go with it.
  process.stdin.on('end', () => process.exit(1));
  process.stdin.resume();
  process.stdout.write('worker-ready\n');
  try {
    await running;
  } finally {
    await connection.close();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`chaos worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
