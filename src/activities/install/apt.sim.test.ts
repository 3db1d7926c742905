/**
 * The apt installer: an install over real SSH on a simulated
 * Debian host (sim/: its apt-get serves the testbed's next kernel) — apt is not run for real on
 * this machine, which must not get a kernel.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SshSession } from '../ssh';
import { startSimulator, type Simulator } from '../../../sim/simulator';
import { create } from './apt';

const NEW = '6.1.0-56-cloud-amd64';

describe('apt installer over SSH (simulated Debian host)', () => {
  let sim: Simulator;
  let s: SshSession;

  before(async () => {
    sim = await startSimulator({ hosts: [{ name: 'apt-01' }], bootSeconds: 1 });
    s = await SshSession.connect({
      host: '127.0.0.1',
      port: sim.host('apt-01').port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: sim.clientKeyPath,
      knownHostsPath: sim.knownHostsPath,
    });
  });
  after(async () => {
    s?.close();
    await sim?.stop();
  });

  test('installs the package; dpkg then reports the kernel installed with its files', async () => {
    const installer = create();
    const source = { kind: 'apt' as const, packageName: `linux-image-${NEW}` };
    assert.equal((await installer.packageManager.probe(s, NEW)).installed, false);
    const r = await installer.install(s, source, NEW);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await installer.packageManager.recordInstalled(s, NEW, 'apt'), null, 'its files are in /boot');
    assert.equal((await installer.packageManager.probe(s, NEW)).installed, true);
    assert.ok(sim.inspect('apt-01').installedKernels.includes(NEW));
  });

  test('a package apt does not know fails with apt saying so', async () => {
    const r = await create().install(s, { kind: 'apt', packageName: 'linux-image-0.0.1-nonexistent' }, '0.0.1');
    assert.notEqual(r.code, 0);
  });
});
