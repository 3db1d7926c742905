/**
 * The rehearsal worker's own activities (`kernelctl worker --rehearsal-image DIR`): start the VM,
 * and stop it keeping its serial log and outcome — on the worker, and next to the package on its
 * artifact host (for a build: the build host, in the build's directory).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { RehearsalRecord, RehearsalVm, StopRehearsalRequest } from '../../shared/rehearsal-types';
import { safePathSchema } from '../../shared/schema-fields';
import { parseOrThrow, sshTargetSchema } from '../../shared/schemas';
import { shellJoin } from '../../shared/shell';
import { connectTo } from '../ssh/connect';
import { awaitStopped, rehearsalDir, startRehearsalVm, stopSupervisor, type RehearsalConfig } from './vm';

export type { RehearsalConfig } from './vm';
export { loadRehearsalImage } from './vm';

/** Ends the VM, drops its disk, keeps its serial log and outcome. Idempotent. */
export async function stopRehearsalVm(config: RehearsalConfig, req: StopRehearsalRequest): Promise<RehearsalRecord> {
  const dir = rehearsalDir(config, req.rehearsalId);
  if (!fs.existsSync(dir)) {
    throw ApplicationFailure.nonRetryable(
      `no rehearsal ${req.rehearsalId} on this worker (${dir})`,
      'InvalidInputError',
    );
  }
  stopSupervisor(dir);
  await awaitStopped(dir);
  fs.rmSync(path.join(dir, 'disk.qcow2'), { force: true });
  const outcome = path.join(dir, 'outcome.json');
  fs.writeFileSync(outcome, `${JSON.stringify({ outcome: req.outcome, reason: req.reason }, null, 2)}\n`);
  const serial = path.join(dir, 'serial.log');
  if (!fs.existsSync(serial)) fs.writeFileSync(serial, '');
  const record: RehearsalRecord = { worker: { dir, serialLogBytes: fs.statSync(serial).size } };
  if (req.keepWith) {
    const host = parseOrThrow(sshTargetSchema, req.keepWith.host, 'keepWith.host');
    const debPath = parseOrThrow(safePathSchema, req.keepWith.debPath, 'keepWith.debPath');
    const remoteDir = path.posix.join(path.posix.dirname(debPath), 'rehearsals', req.rehearsalId);
    const s = await connectTo(host);
    try {
      await s.run(shellJoin(['mkdir', '-p', '--', remoteDir]));
      await s.upload(serial, path.posix.join(remoteDir, 'serial.log'));
      await s.upload(outcome, path.posix.join(remoteDir, 'outcome.json'));
    } finally {
      s.close();
    }
    record.artifactHost = { host: host.host, dir: remoteDir };
  }
  return record;
}

/** `vmQueue`: this worker's own queue, where everything after a VM's start must run. */
export function createRehearsalActivities(config: RehearsalConfig, vmQueue: string) {
  return {
    startRehearsalVm: async (req: { rehearsalId: string }): Promise<RehearsalVm> => ({
      ...(await startRehearsalVm(config, req)),
      taskQueue: vmQueue,
    }),
    stopRehearsalVm: (req: StopRehearsalRequest): Promise<RehearsalRecord> => stopRehearsalVm(config, req),
  };
}

export type RehearsalActivities = ReturnType<typeof createRehearsalActivities>;
