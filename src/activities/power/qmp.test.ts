/**
 * The qmp driver's console: the end of a real serial log file on this worker, cleaned and with
 * credentials masked; the option validated; no console without it. (Resetting a real qemu guest
 * through QMP: qmp.qemu.test.ts.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { qmpPowerSchema } from '../../shared/options/power';
import { consoleLine, qmpPower } from './qmp';

describe('qmp driver: the serial console', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kr-serial-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const driver = (serialLogPath?: string) =>
    qmpPower.create(
      qmpPowerSchema.parse({
        driver: 'qmp',
        socketPath: '/run/vm/qmp.sock',
        ...(serialLogPath ? { serialLogPath } : {}),
      }),
    );

  test('the last lines of a long log, from its end; escape sequences and credentials out', async () => {
    const log = path.join(dir, 'serial.log');
    // ~200 KiB of boot noise, then a login prompt someone answered, then the trial's panic.
    const noise = Array.from({ length: 3000 }, (_, i) => `[   ${i}.000000] noise line ${i} ${'x'.repeat(40)}`);
    writeFileSync(
      log,
      [
        ...noise,
        '[\x1b[0;32m  OK  \x1b[0m] Reached target multi-user.target - Multi-User System.',
        'web-01 login: root',
        'Password: hunter2-not-for-the-evidence',
        'export API_TOKEN=abc123secret',
        '[    2.114513] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r',
        '[    2.115322] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
        '',
      ].join('\n'),
    );
    const d = driver(log);
    assert.ok(d.consoleTail, 'a qmp driver with serialLogPath has the console');
    const lines = await d.consoleTail('web-01', 5);
    assert.deepEqual(lines, [
      'web-01 login: root',
      'Password: [masked]',
      'export API_TOKEN=[masked]',
      '[    2.114513] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
      '[    2.115322] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
    ]);
    assert.equal(
      (await d.consoleTail('web-01', 6))[0],
      '[  OK  ] Reached target multi-user.target - Multi-User System.',
    );
    assert.doesNotMatch((await d.consoleTail('web-01', 50)).join('\n'), /hunter2|abc123/);
  });

  test('a panic followed by the boot that came back: the lines up to the panic, not that boot', async () => {
    const log = path.join(dir, 'serial-fallback.log');
    const fallback = Array.from({ length: 400 }, (_, i) => `[  OK  ] Started unit ${i} of the known-good boot.`);
    writeFileSync(
      log,
      [
        '[    1.900000] Run /sbin/init as init process',
        '[    2.000000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
        '[    2.000100] Rebooting in 5 seconds..',
        'BdsDxe: loading Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x3,0x0)',
        '[    0.000000] Linux version 6.1.0-56-cloud-amd64',
        ...fallback,
        'testbed login: ',
      ].join('\n'),
    );
    assert.deepEqual(await driver(log).consoleTail?.('web-01', 3), [
      '[    1.900000] Run /sbin/init as init process',
      '[    2.000000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
      '[    2.000100] Rebooting in 5 seconds..',
    ]);
  });

  test('a log that cannot be read rejects, naming the host and the file', async () => {
    const missing = path.join(dir, 'no-such.log');
    await assert.rejects(driver(missing).consoleTail!('web-01', 5), (err: Error) =>
      err.message.startsWith(`web-01: the serial log ${missing} could not be read: ENOENT`),
    );
  });

  test('no serialLogPath: no console; a path that is not a plain absolute path is refused', () => {
    assert.equal(driver().consoleTail, undefined);
    for (const bad of ['serial.log', '/var/log/../etc/shadow', '/tmp/a log', '/tmp/$(reboot)']) {
      const r = qmpPowerSchema.safeParse({ driver: 'qmp', socketPath: '/run/vm/qmp.sock', serialLogPath: bad });
      assert.equal(r.success, false, bad);
      assert.deepEqual(r.success ? [] : r.error.issues.map((i) => i.path.join('.')), ['serialLogPath']);
    }
  });

  test('a line is cut at 200 characters; a credential named anywhere in it is masked', () => {
    assert.equal(consoleLine('y'.repeat(250)), `${'y'.repeat(200)}…`);
    assert.equal(consoleLine('db connect: passwd = s3cr3t now'), 'db connect: passwd = [masked]');
    assert.equal(
      consoleLine('Kernel panic - not syncing: Fatal exception'),
      'Kernel panic - not syncing: Fatal exception',
    );
  });
});
