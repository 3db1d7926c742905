/**
 * Every activity that uses a driver takes its kind from the request and has no default: a request
 * without one is refused, naming the field, before any connection is made. A pin on a host that no
 * longer shows the bootloader preflight found is refused after one read-only round trip, before
 * anything on the host is changed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createActivities, type HostSession } from '../../src/activities';
import type { SshTargetInput } from '../../src/shared/types';

const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';
const target: SshTargetInput = {
  host: 'web-01',
  port: 22,
  user: 'root',
  privateKeyPath: '/nonexistent/key',
  trustOnFirstUse: false,
};
const source = { kind: 'apt' as const, packageName: `linux-image-${NEW}` };

/** Activities over a host that answers every sections round trip with `sections`; counts connections. */
function activitiesOn(sections: Record<string, string>) {
  const seen = { connections: 0, commands: [] as string[] };
  const answer = (cmd: string) =>
    [...cmd.matchAll(/echo '(@@kernel-rollout@@ ([a-z-]+))'/g)]
      .map((m) => `${m[1]}\n${sections[m[2] ?? ''] ?? ''}`)
      .join('\n');
  const session: HostSession = {
    run: async (cmd) => {
      seen.commands.push(cmd);
      return answer(cmd);
    },
    exec: async (cmd) => {
      seen.commands.push(cmd);
      return { code: 0, signal: null, stdout: answer(cmd), stderr: '', durationMs: 0 };
    },
    upload: () => Promise.reject(new Error('no uploads here')),
    close: () => undefined,
  };
  const acts = createActivities({
    connect: async () => {
      seen.connections += 1;
      return session;
    },
  });
  return { acts, seen };
}

const refusedFor = (field: string) => (err: Error) =>
  err.name === 'InvalidInputError' && err.message.startsWith(`${field}: missing; the request must name the `);

describe('an activity given no driver kind refuses, naming the field, before connecting', () => {
  test('no bootloader: pin, stage, commit and undo', async () => {
    const { acts, seen } = activitiesOn({});
    await assert.rejects(acts.pinKnownGood({ target, knownGoodRelease: OLD }), refusedFor('bootloader'));
    await assert.rejects(
      acts.stageTrialBoot({
        target,
        knownGoodRelease: OLD,
        toRelease: NEW,
        panicSeconds: 10,
        trialKernelArgs: [],
        revertAfterSeconds: 120,
        trialToken: 'abc123',
        useKexec: false,
      }),
      refusedFor('bootloader'),
    );
    await assert.rejects(
      acts.commitKernel({ target, toRelease: NEW, expectedBootId: '00000000-0000-4000-8000-000000000001' }),
      refusedFor('bootloader'),
    );
    await assert.rejects(
      acts.undoTrial({
        target,
        knownGoodRelease: OLD,
        failedRelease: NEW,
        removeFailedKernel: false,
        packageManager: 'dpkg',
      }),
      refusedFor('bootloader'),
    );
    assert.equal(seen.connections, 0);
  });

  test('no package manager: install, undo, and a kexec reboot', async () => {
    const { acts, seen } = activitiesOn({});
    await assert.rejects(acts.installKernel({ target, toRelease: NEW, source }), refusedFor('packageManager'));
    await assert.rejects(
      acts.undoTrial({
        target,
        knownGoodRelease: OLD,
        failedRelease: NEW,
        removeFailedKernel: true,
        bootloader: 'grub-debian',
      }),
      refusedFor('packageManager'),
    );
    await assert.rejects(
      acts.rebootHost({
        target,
        expectedBootId: '00000000-0000-4000-8000-000000000000',
        useKexec: true,
        toRelease: NEW,
        trialToken: 'abc123',
        panicSeconds: 10,
        trialKernelArgs: [],
      }),
      refusedFor('packageManager'),
    );
    assert.equal(seen.connections, 0);
  });
});

describe('the host no longer shows the bootloader preflight found', () => {
  test('pin: BootloaderChangedError, non-retryable, after one read-only round trip', async () => {
    // GRUB's configuration is left, its menu is not: GRUB does not boot this host any more.
    const { acts, seen } = activitiesOn({ 'uname-r': OLD, 'default-grub': 'GRUB_DEFAULT=saved\n' });
    await assert.rejects(
      acts.pinKnownGood({ target, knownGoodRelease: OLD, bootloader: 'grub-debian' }),
      (err: Error & { type?: string; nonRetryable?: boolean }) =>
        err.type === 'BootloaderChangedError' &&
        err.nonRetryable === true &&
        /^web-01: preflight found the grub-debian bootloader, the host now shows none kernel-rollout drives/.test(
          err.message,
        ),
    );
    assert.equal(seen.connections, 1);
    assert.equal(seen.commands.length, 1, seen.commands.join('\n---\n'));
    assert.doesNotMatch(seen.commands[0] ?? '', /grub-set-default|update-grub|sed -i/);
  });
});
