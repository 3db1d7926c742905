/** Per-host faults other than the kernel's own: each as a client (OpenSSH or kernel-rollout) sees it. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SshSession } from '../../src/activities/ssh';
import { startSimulator, type Simulator } from '../../sim/simulator';
import { NEW, ssh, sshOk } from './helpers';

describe('fleet simulator faults', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({
      hosts: [
        {
          name: 'drops',
          faults: { dropMidCommand: { pattern: '^sleep 2; echo done > /tmp/finished$', afterMs: 300 } },
        },
        { name: 'locked' },
        { name: 'full', faults: { bootFreeBytes: 10 * 1024 * 1024 } },
        { name: 'rekeyed', faults: { hostKeyChangesOnReboot: true } },
        { name: 'slow', faults: { bootSeconds: 3 } },
      ],
      bootSeconds: 1,
    });
  });
  after(async () => {
    await sim?.stop();
  });

  it('SSH drop mid-command: the client loses the connection, the command still finishes on the host', async () => {
    const r = await ssh(sim, 'drops', 'sleep 2; echo done > /tmp/finished');
    assert.equal(r.code, 255, r.stderr);
    await new Promise((res) => setTimeout(res, 2500));
    assert.equal(await sshOk(sim, 'drops', 'cat /tmp/finished'), 'done\n');
  });

  it('dpkg lock held: lslocks shows it, dpkg -i fails at once, apt-get waits for it with DPkg::Lock::Timeout', async () => {
    assert.equal(await sshOk(sim, 'locked', 'lslocks -n -o PATH'), '');
    sim.setFaults('locked', { dpkgLockSeconds: 3 });
    assert.match(await sshOk(sim, 'locked', 'lslocks -n -o PATH'), /^\/var\/lib\/dpkg\/lock-frontend$/m);
    const dpkg = await ssh(sim, 'locked', 'touch /tmp/x.deb; dpkg -i /tmp/x.deb');
    assert.equal(dpkg.code, 2);
    assert.match(dpkg.stderr, /dpkg frontend lock was locked by another process/);
    const noWait = await ssh(sim, 'locked', `apt-get install -y linux-image-${NEW}`);
    assert.equal(noWait.code, 100);
    assert.match(noWait.stderr, /Could not get lock \/var\/lib\/dpkg\/lock-frontend/);
    const waits = await ssh(sim, 'locked', `apt-get -o DPkg::Lock::Timeout=30 install -y linux-image-${NEW}`);
    assert.equal(waits.code, 0, waits.stderr);
    assert.match(waits.stderr, /Waiting for cache lock/);
    assert.equal(await sshOk(sim, 'locked', 'lslocks -n -o PATH'), '');
  });

  it('/boot full: df shows it and the install fails as dpkg does', async () => {
    assert.equal(await sshOk(sim, 'full', 'df -B1 --output=avail /boot | tail -n 1'), `${10 * 1024 * 1024}\n`);
    const r = await ssh(sim, 'full', `apt-get install -y linux-image-${NEW}`);
    assert.equal(r.code, 100);
    assert.match(r.stderr, /No space left on device/);
    assert.deepEqual(sim.inspect('full').installedKernels, ['6.1.0-55-cloud-amd64']);
  });

  it('host key changed after reboot: OpenSSH and kernel-rollout both refuse the host', async () => {
    const before = sim.host('rekeyed');
    await sshOk(sim, 'rekeyed', 'systemctl reboot');
    await sim.waitFor('rekeyed', ['down'], 5000);
    await sim.waitFor('rekeyed', ['up'], 10_000);
    assert.notEqual(sim.host('rekeyed').hostKeyFingerprint, before.hostKeyFingerprint);
    const r = await ssh(sim, 'rekeyed', 'true');
    assert.equal(r.code, 255);
    assert.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
    await assert.rejects(
      SshSession.connect({
        host: '127.0.0.1',
        port: before.port,
        user: 'root',
        trustOnFirstUse: false,
        privateKeyPath: sim.clientKeyPath,
        knownHostsPath: sim.knownHostsPath,
      }),
      (err: Error) => err.name === 'HostKeyMismatchError',
    );
  });

  it('slow boot: this host takes its own boot time', async () => {
    await sshOk(sim, 'slow', 'reboot');
    const started = Date.now();
    await sim.waitFor('slow', ['down'], 5000);
    await sim.waitFor('slow', ['up'], 10_000);
    const took = Date.now() - started;
    assert.ok(took >= 2900, `back after ${took} ms`);
  });
});
