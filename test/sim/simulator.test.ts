import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startSimulator, type Simulator } from '../../sim/simulator';
import { NEW, OLD, entryOf, ssh, sshOk } from './helpers';

const fixture = (name: string) =>
  readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'debian12', name), 'utf8').replace(
    /^# captured from[^\n]*\n/,
    '',
  );

/** Until the boot id differs from `before` (SSH answering again), or fail after ms. */
async function waitBack(sim: Simulator, host: string, before: string, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const r = await ssh(sim, host, 'cat /proc/sys/kernel/random/boot_id', 5000);
    if (r.code === 0 && r.stdout.trim() !== before) return r.stdout.trim();
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`${host} did not come back within ${ms} ms`);
}

describe('fleet simulator: simulated hosts over real OpenSSH', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({
      hosts: [
        { name: 'web-01' },
        { name: 'web-02' },
        { name: 'panicky', faults: { kernels: { [NEW]: 'panic' } } },
        { name: 'hangs', faults: { kernels: { [NEW]: 'hang' } } },
      ],
      bootSeconds: 1,
    });
  });
  after(async () => {
    await sim?.stop();
  });

  it('answers a real ssh client that checks the host key, with the facts of the Debian 12 testbed', async () => {
    const out = await sshOk(
      sim,
      'web-01',
      'uname -r; df -B1 --output=avail /boot; findmnt -n -o SOURCE,FSTYPE,TARGET -T /boot; cat /proc/cmdline',
    );
    assert.equal(
      out,
      [fixture('uname-r.txt'), fixture('df-boot.txt'), fixture('findmnt-boot.txt'), fixture('proc-cmdline.txt')]
        .map((s) => s.replace(/\s+$/, '') + '\n')
        .join(''),
    );
    // update-grub's output for one kernel and GRUB_DEFAULT=0 is byte for byte the real one.
    assert.equal(await sshOk(sim, 'web-01', 'cat /boot/grub/grub.cfg'), fixture('grub.cfg'));
    assert.equal(await sshOk(sim, 'web-01', 'cat /etc/default/grub'), fixture('default-grub'));
    const log = sim.commands('web-01').map((c) => c.command);
    assert.ok(log.includes('cat /boot/grub/grub.cfg'));
  });

  it('refuses a client that does not know the host key (StrictHostKeyChecking=yes)', async () => {
    const h = sim.host('web-02');
    const other = sim.host('web-01');
    // A known_hosts line with web-01's key for web-02's port: ssh must refuse.
    const wrong = path.join(sim.stateDir, 'wrong_known_hosts');
    writeFileSync(wrong, `[127.0.0.1]:${h.port} ${other.hostPublicKey}\n`);
    await assert.rejects(
      promisify(execFile)(
        'ssh',
        ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${wrong}`, '-i', sim.clientKeyPath,
          '-p', String(h.port), 'root@127.0.0.1', 'true'], // prettier-ignore
      ),
      /Host key verification failed/,
    );
  });

  it('keeps each host its own state', async () => {
    await sshOk(
      sim,
      'web-01',
      "sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && echo one > /tmp/x",
    );
    assert.match(await sshOk(sim, 'web-01', 'grep ^GRUB_DEFAULT /etc/default/grub; cat /tmp/x'), /saved\none/);
    assert.equal(await sshOk(sim, 'web-02', 'grep ^GRUB_DEFAULT /etc/default/grub; cat /tmp/x 2>&1 || true'),
      'GRUB_DEFAULT=0\ncat: /tmp/x: No such file or directory\n'); // prettier-ignore
    assert.equal(await sshOk(sim, 'web-02', 'hostname'), 'web-02\n');
    assert.notEqual(sim.inspect('web-01').bootId, sim.inspect('web-02').bootId);
    await sshOk(sim, 'web-01', "sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=0/' /etc/default/grub");
  });

  it('reboot: SSH goes away for the boot time and returns with a new boot id and uptime', async () => {
    const before = (await sshOk(sim, 'web-02', 'cat /proc/sys/kernel/random/boot_id')).trim();
    const started = Date.now();
    await sshOk(sim, 'web-02', 'systemctl reboot');
    await sim.waitFor('web-02', ['down'], 5000);
    const during = await ssh(sim, 'web-02', 'true', 5000);
    assert.notEqual(during.code, 0, 'ssh must fail while the host boots');
    const after = await waitBack(sim, 'web-02', before, 10_000);
    assert.ok(Date.now() - started >= 1000, 'not back before the boot time');
    assert.notEqual(after, before);
    const uptime = Number((await sshOk(sim, 'web-02', 'cut -d" " -f1 /proc/uptime')).trim());
    assert.ok(uptime < 5, `uptime ${uptime}`);
    const st = sim.inspect('web-02');
    assert.equal(st.rebootsRequested, 1);
    assert.equal(st.bootCount, 2);
  });

  it('grub-reboot boots the new kernel once, then the saved default again (GRUB_DEFAULT=saved)', async () => {
    const install = await ssh(sim, 'web-01', `apt-get install -y linux-image-${NEW}`);
    assert.equal(install.code, 0, install.stderr);
    assert.match(install.stdout, /Setting up linux-image-6\.1\.0-56-cloud-amd64 \(6\.1\.192-2\)/);
    assert.deepEqual(sim.inspect('web-01').installedKernels.sort(), [OLD, NEW]);
    // With Debian's GRUB_DEFAULT=0, the grub.cfg is the real two-kernel one.
    assert.equal(await sshOk(sim, 'web-01', 'cat /boot/grub/grub.cfg'), fixture('grub.cfg-two-kernels'));
    await sshOk(
      sim,
      'web-01',
      `sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && update-grub 2>/dev/null && ` +
        `grub-set-default '${entryOf(OLD)}' && grub-reboot '${entryOf(NEW)}'`,
    );
    assert.equal(await sshOk(sim, 'web-01', 'cat /boot/grub/grub.cfg'), fixture('grub.cfg-default-saved'));
    assert.equal(await sshOk(sim, 'web-01', 'cat /boot/grub/grubenv'), fixture('grubenv-saved-next-entry'));
    let id = sim.inspect('web-01').bootId;
    await sshOk(sim, 'web-01', 'reboot');
    id = await waitBack(sim, 'web-01', id, 10_000);
    assert.equal(await sshOk(sim, 'web-01', 'uname -r'), `${NEW}\n`);
    assert.equal(await sshOk(sim, 'web-01', 'cat /boot/grub/grubenv'), fixture('grubenv-after-trial-boot'));
    await sshOk(sim, 'web-01', 'shutdown -r now');
    await waitBack(sim, 'web-01', id, 10_000);
    assert.equal(await sshOk(sim, 'web-01', 'uname -r'), `${OLD}\n`);
  });

  it('a kernel that panics with panic=N reboots into the saved default', async () => {
    const h = 'panicky';
    await sshOk(
      sim,
      h,
      `apt-get install -y linux-image-${NEW} >/dev/null && sed -i -e 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' ` +
        `-e 's/^GRUB_CMDLINE_LINUX_DEFAULT=.*/GRUB_CMDLINE_LINUX_DEFAULT="panic=1"/' /etc/default/grub && ` +
        `update-grub 2>/dev/null && grub-set-default '${entryOf(OLD)}' && grub-reboot '${entryOf(NEW)}' && reboot`,
    );
    await waitBack(sim, h, sim.inspect(h).bootId, 15_000);
    assert.equal(await sshOk(sim, h, 'uname -r'), `${OLD}\n`);
    const boots = sim.inspect(h).boots.map((b) => `${b.release}:${b.outcome}`);
    assert.deepEqual(boots, [`${OLD}:up`, `${NEW}:panic`, `${OLD}:up`]);
    assert.equal(sim.inspect(h).nextEntry, null);
  });

  it('a kernel that hangs stays unreachable until the power driver resets the host', async () => {
    const h = 'hangs';
    await sshOk(
      sim,
      h,
      `apt-get install -y linux-image-${NEW} >/dev/null && sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' ` +
        `/etc/default/grub && update-grub 2>/dev/null && grub-set-default '${entryOf(OLD)}' && ` +
        `grub-reboot '${entryOf(NEW)}' && systemctl reboot`,
    );
    await sim.waitFor(h, ['hung'], 5000);
    await new Promise((r) => setTimeout(r, 1500));
    assert.notEqual((await ssh(sim, h, 'true', 5000)).code, 0);
    assert.equal(sim.inspect(h).state, 'hung');
    // The simulated power driver, as kernel-rollout's `command` driver would call it.
    await promisify(execFile)(process.execPath, [
      path.join(__dirname, '..', '..', 'sim', 'power.js'),
      sim.controlPath,
      h,
    ]);
    await sim.waitFor(h, ['up'], 5000);
    assert.equal(await sshOk(sim, h, 'uname -r'), `${OLD}\n`);
    assert.equal(sim.inspect(h).powerResets, 1);
  });
});
