/**
 * A worker in its own process, with stub activities acting on a model host persisted in a JSON
 * file: tests kill it with SIGKILL and start another to show the run survives.
 *   node dist/test/helpers/stub-worker.js <temporal-address> <task-queue> <state-file>
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { keepAlive } from '../../src/activities/keep-alive';
import { FakeHost, createStubActivities } from './fake-host';
// Importing ./temporal also quiets the SDK's runtime logger.
import { workflowsPath } from './temporal';

async function main(): Promise<void> {
  const [address, taskQueue, stateFile] = process.argv.slice(2);
  if (!address || !taskQueue || !stateFile) throw new Error('usage: stub-worker <address> <task-queue> <state-file>');
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: workflowsPath(),
    activities: keepAlive(createStubActivities(FakeHost.fromFile(stateFile))),
  });
  process.stdout.write('worker-ready\n');
  await worker.run();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
