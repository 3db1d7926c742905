import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kexecCommandLine, trialKernelArgs } from './kernel-args';

describe('trial kernel arguments', () => {
  test('trial args always carry panic=N, oops=panic and the token; bad extras refused', () => {
    assert.deepEqual(trialKernelArgs(10, 'abc123', ['init=/nonexistent']), [
      'panic=10',
      'oops=panic',
      'kernel_rollout.trial=abc123',
      'init=/nonexistent',
    ]);
    assert.throws(() => trialKernelArgs(0, 'abc', []), /panicSeconds/);
    assert.throws(() => trialKernelArgs(10, 'abc', ['a;reboot']), /trialKernelArgs/);
    assert.throws(() => trialKernelArgs(10, 'a b', []), /trialToken/);
  });

  test('kexec: the running command line without the bootloader and earlier trial arguments, plus the trial', () => {
    const current =
      'BOOT_IMAGE=/boot/vmlinuz-6.1.0-55-cloud-amd64 root=UUID=x ro panic=5 kernel_rollout.trial=old console=ttyS0\n';
    assert.equal(
      kexecCommandLine(current, trialKernelArgs(10, 'new', [])),
      'root=UUID=x ro console=ttyS0 panic=10 oops=panic kernel_rollout.trial=new',
    );
  });
});
