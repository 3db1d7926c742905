/**
 * A rehearsal VM that cannot start, on a real qemu and a real supervisor shell: the start fails
 * (rather than waiting out its boot timeout) and says why (how the supervisor ended, its own log and qemu's), and leaves no
 * process behind. qemu refuses the VM at once (`-smp 4096` is over the machine's limit), so no
 * guest boots and the test needs no image beyond an empty overlay base.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { processAlive } from '../../node/process-alive';
import { startRehearsalVm, type RehearsalConfig } from './vm';

const root = mkdtempSync(path.join(os.tmpdir(), 'kr-reh-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));

// The supervisor runs qemu-system-x86_64 (src/node/qemu-args.ts): a machine without it fails here, by name.
execFileSync('qemu-system-x86_64', ['--version']);

function fakeImage(): string {
  const dir = path.join(root, 'image');
  mkdirSync(dir, { recursive: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(dir, 'base.qcow2'), '1M']);
  writeFileSync(path.join(dir, 'id_ed25519'), 'not used: no guest boots\n', { mode: 0o600 });
  writeFileSync(
    path.join(dir, 'ssh_host_ed25519_key.pub'),
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test\n',
  );
  return dir;
}

it('a VM qemu refuses: the start fails at once, naming the supervisor exit and qemu message, and leaves no process', async () => {
  const config: RehearsalConfig = {
    imageDir: fakeImage(),
    stateDir: path.join(root, 'state'),
    memoryMiB: 64,
    cpus: 4096,
    bootTimeoutSeconds: 60,
  };
  await assert.rejects(
    new MockActivityEnvironment().run(startRehearsalVm, config, { rehearsalId: 'refused-1' }),
    (err: Error) => {
      assert.match(
        err.message,
        /^the rehearsal VM ended before SSH answered: its supervisor \(pid \d+\) exited with code 1;/,
      );
      assert.match(err.message, /qemu\.log: .*Invalid SMP CPUs 4096/s);
      return true;
    },
  );
  const vm = JSON.parse(readFileSync(path.join(config.stateDir, 'refused-1', 'vm.json'), 'utf8')) as { pid: number };
  assert.equal(processAlive(vm.pid), false, 'the supervisor is gone');
});
