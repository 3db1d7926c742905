/**
 * The bootloader registry: a request's driver by name (never a default), detection, the refusal
 * when none manages a host, and the check at each later step that the host still has it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../shared/schemas';
import type { HostSession } from '../host';
import { splitSections } from '../sections';
import {
  bootloaders,
  BootloaderChangedError,
  bootloaderFactSections,
  bootloaderStepSections,
  bootloaderFor,
  bootloaderOnHost,
  detectBootloader,
  noBootloaderRefusal,
} from './bootloader';
import { grubDebian } from './grub-debian';

const GRUB_CFG =
  "menuentry 'Debian GNU/Linux' $menuentry_id_option 'gnulinux-simple-x' {\n\tlinux /boot/vmlinuz-6.1.0-55-cloud-amd64 root=/dev/vda1 ro\n}";

/** A host that answers a sections round trip with `sections` (a section it lacks prints nothing). */
function hostShowing(sections: Record<string, string>): HostSession & { commands: string[] } {
  const commands: string[] = [];
  const answer = (cmd: string) =>
    [...cmd.matchAll(/echo '(@@kernel-rollout@@ [a-z-]+)'/g)]
      .map((m) => `${m[1]}\n${sections[(m[1] ?? '').split(' ')[1] ?? ''] ?? ''}`)
      .join('\n');
  return {
    commands,
    run: async (cmd) => {
      commands.push(cmd);
      return answer(cmd);
    },
    exec: async (cmd) => {
      commands.push(cmd);
      return { code: 0, signal: null, stdout: answer(cmd), stderr: '', durationMs: 0 };
    },
    upload: () => Promise.reject(new Error('no uploads here')),
    close: () => undefined,
  };
}

describe('bootloader registry', () => {
  test('a request names its driver; a request without one is refused, naming the field, not defaulted', () => {
    assert.equal(bootloaderFor('grub-debian').kind, 'grub-debian');
    for (const missing of [undefined, '']) {
      assert.throws(
        () => bootloaderFor(missing),
        (err: Error) =>
          err instanceof InvalidInputError &&
          /^bootloader: missing; the request must name the bootloader preflight found \(.*grub-debian.*\)$/.test(
            err.message,
          ),
      );
    }
  });

  test('an unknown driver is refused naming the field and the drivers there are', () => {
    assert.throws(
      () => bootloaderFor('lilo'),
      (err: Error) =>
        err instanceof InvalidInputError &&
        /^bootloader: lilo is not a bootloader kernel-rollout drives \(.*\bgrub-debian\b.*\)$/.test(err.message),
    );
  });

  test('every driver’s fact sections are in the preflight script once', () => {
    const names = bootloaderFactSections().map(([name]) => name);
    assert.equal(new Set(names).size, names.length);
    for (const d of bootloaders.drivers) for (const [name] of d.factSections) assert.ok(names.includes(name));
  });

  test('every driver’s step sections are fact sections of its own, the very same commands', () => {
    for (const d of bootloaders.drivers) {
      assert.ok(d.stepSections.length > 0, d.kind);
      for (const step of d.stepSections) {
        assert.ok(
          d.factSections.some(([name, cmd]) => name === step[0] && cmd === step[1]),
          `${d.kind}: ${step[0]}`,
        );
      }
    }
  });

  test('a host without any bootloader’s files: none detected, refused with what to look for', () => {
    assert.equal(detectBootloader({ 'uname-r': '6.1.0-55-cloud-amd64' }), null);
    assert.match(noBootloaderRefusal(), /no GRUB 2 menu entries found/);
    const found = detectBootloader({ 'grub-cfg': "menuentry 'x' {\n}" });
    assert.equal(found?.driver.kind, 'grub-debian');
  });

  test('/etc/default/grub and a grubenv without a GRUB menu: not claimed by GRUB (another loader may keep them)', () => {
    const leftovers = {
      'uname-r': '6.1.0-55-cloud-amd64',
      'default-grub': 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\n',
      grubenv: '# GRUB Environment Block\nsaved_entry=gnulinux-simple-x\n',
    };
    assert.equal(detectBootloader(leftovers), null);
    assert.equal(detectBootloader({ ...leftovers, 'grub-cfg': '# no entries: update-grub never ran\n' }), null);
    assert.equal(detectBootloader({ ...leftovers, 'grub-cfg': GRUB_CFG })?.driver.kind, 'grub-debian');
  });
});

describe('a later step confirms the bootloader preflight found', () => {
  test('still there: the step’s own sections come back from the same single round trip', async () => {
    const s = hostShowing({ 'uname-r': '6.1.0-55-cloud-amd64', 'grub-cfg': GRUB_CFG });
    const read = await bootloaderOnHost(s, grubDebian, 'web-01', [['uname-r', 'uname -r']]);
    assert.equal(read['uname-r'], '6.1.0-55-cloud-amd64');
    assert.equal(s.commands.length, 1);
    const names = Object.keys(splitSections(await s.run(s.commands[0] ?? '')));
    for (const [name] of bootloaderStepSections()) assert.ok(names.includes(name), `probes ${name}`);
    assert.ok(!names.includes('grub-packages'), 'what only preflight assesses is not read again');
  });

  test('gone (only /etc/default/grub left): BootloaderChangedError, and nothing but the probe ran', async () => {
    const s = hostShowing({ 'uname-r': '6.1.0-55-cloud-amd64', 'default-grub': 'GRUB_DEFAULT=saved\n' });
    await assert.rejects(
      bootloaderOnHost(s, grubDebian, 'web-01', [['uname-r', 'uname -r']]),
      (err: Error) =>
        err instanceof BootloaderChangedError &&
        err.name === 'BootloaderChangedError' &&
        /^web-01: preflight found the grub-debian bootloader, the host now shows none kernel-rollout drives; refusing/.test(
          err.message,
        ),
    );
    assert.equal(s.commands.length, 1);
  });
});
