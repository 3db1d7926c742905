/**
 * The child of bundle.ts: builds the workflow bundle for the path in argv[2] with the SDK's
 * bundler (its default interceptors, as `Worker.create({ workflowsPath })` would), sends the code
 * to the parent over IPC and exits, taking webpack's memory with it.
 */
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import type { BundleReply } from './bundle';

async function main(): Promise<BundleReply> {
  const workflowsPath = process.argv[2];
  if (!workflowsPath) return { error: 'usage: bundle-child.js <workflows path>' };
  // Webpack's progress is INFO; its warnings and errors still reach the worker's stderr.
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  return { code };
}

main().then(
  (reply) => process.send?.(reply, () => process.exit(0)),
  (err: Error) => process.send?.({ error: err.message } satisfies BundleReply, () => process.exit(1)),
);
