/**
 * `kernelctl plan` against a real OpenSSH sshd on loopback, through the dev server and a worker
 * with the real activities: a host whose key cannot be checked (no known_hosts file, or one
 * without the host) is refused with exit 6 and the reason and fix that `upgrade` gives for the
 * same input — not "Workflow execution failed" and exit 1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { createActivities } from '../../src/activities';
import { startSshd, type SshdHandle } from '../../testbed/sshd';
import { kernelctlOn } from '../helpers/kernelctl';
import { NEW, stopOwnServer, withWorker } from '../helpers/temporal';

describe('kernelctl plan: a host key that cannot be checked', () => {
  let sshd: SshdHandle;
  before(async () => {
    sshd = await startSshd();
  });
  after(async () => {
    await sshd?.stop();
    await stopOwnServer();
  });

  /** The same target flags for plan and upgrade: this sshd, known_hosts at `knownHosts`. */
  const target = (host: string, knownHosts: string): string[] => [
    host,
    '--to',
    NEW,
    '--ssh-address',
    '127.0.0.1',
    '--port',
    String(sshd.port),
    '-i',
    sshd.clientKeyPath,
    '--known-hosts',
    knownHosts,
  ];

  for (const [what, knownHosts] of [
    ['a missing known_hosts file', async () => path.join(sshd.dir, 'no-such-known_hosts')],
    [
      'a known_hosts file without the host',
      async () => {
        const file = path.join(sshd.dir, 'empty_known_hosts');
        await fsp.writeFile(file, '');
        return file;
      },
    ],
  ] as const) {
    test(`${what}: exit 6 with the reason and the fix, as upgrade says it`, async () => {
      const file = await knownHosts();
      const host = `web-${randomUUID().slice(0, 8)}`;
      const [plan, upgrade] = await withWorker(createActivities(), async ({ taskQueue }) => [
        await kernelctlOn(taskQueue, ['plan', ...target(host, file)]),
        await kernelctlOn(taskQueue, ['upgrade', ...target(host, file), '--wait']),
      ]);
      assert.equal(plan.code, 6, `plan exits 6 (refused):\n${plan.stdout}${plan.stderr}`);
      const said = plan.stdout.trim();
      assert.match(said, new RegExp(`^${host}: refused — preflight could not read ${host}: UnknownHostKeyError: `));
      assert.match(
        said,
        new RegExp(`host key ${sshd.hostFingerprint.replace(/[+/]/g, '\\$&')} \\(ssh-ed25519\\) is not known`),
      );
      assert.ok(said.includes(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${file}`), said);
      assert.ok(said.includes(`--host-key-sha256 ${sshd.hostFingerprint}`), said);
      assert.match(said, /; nothing was changed$/);
      assert.doesNotMatch(plan.stderr, /Workflow execution failed|Activity task failed/);

      assert.equal(upgrade.code, 6, `upgrade exits 6 (refused):\n${upgrade.stdout}${upgrade.stderr}`);
      assert.equal(upgrade.stdout.trim().split('\n').at(-1), said, 'the same words as upgrade');
    });
  }
});
