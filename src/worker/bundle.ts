/**
 * The workflow bundle, built by webpack in a short-lived child process rather than in the worker.
 *
 * Given `workflowsPath`, the SDK bundles inside the worker's own process: webpack's peak (some
 * 150 MiB of heap) then stays in the worker's resident set for as long as it runs, although the
 * bundle itself is about 2 MiB. Built in a child that exits, the worker keeps only the code, and a
 * worker with a second task queue (the rehearsal VMs') shares one bundle instead of building two.
 * The code is built from the same compiled workflows at every start, so it can never be stale.
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';

/** What the child says over IPC: the bundle's code, or why it could not build one. */
export type BundleReply = { code: string } | { error: string };

/** Bundles `workflowsPath` (the compiled workflows' index) in a child process; resolves with the code. */
export async function bundleWorkflowsApart(workflowsPath: string): Promise<string> {
  const child = fork(path.join(__dirname, 'bundle-child.js'), [workflowsPath], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<string>((resolve, reject) => {
    let reply: BundleReply | undefined;
    child.once('message', (m) => (reply = m as BundleReply));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (reply && 'code' in reply) resolve(reply.code);
      else if (reply) reject(new Error(`workflow bundle: ${reply.error}`));
      else reject(new Error(`workflow bundle: the bundler exited (${signal ?? `code ${code}`}) without a bundle`));
    });
  });
}
