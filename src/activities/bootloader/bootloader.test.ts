/** The bootloader registry: a request's driver by name, detection, the refusal when none manages a host. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../shared/schemas';
import {
  BOOTLOADERS,
  bootloaderFactSections,
  bootloaderFor,
  detectBootloader,
  noBootloaderRefusal,
} from './bootloader';

describe('bootloader registry', () => {
  test('a request names its driver; requests from before there was a choice are GRUB on Debian', () => {
    assert.equal(bootloaderFor('grub-debian').kind, 'grub-debian');
    assert.equal(bootloaderFor(undefined).kind, 'grub-debian');
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
    for (const d of BOOTLOADERS) for (const [name] of d.factSections) assert.ok(names.includes(name));
  });

  test('a host without any bootloader’s files: none detected, refused with what to look for', () => {
    assert.equal(detectBootloader({ 'uname-r': '6.1.0-55-cloud-amd64' }), null);
    assert.match(noBootloaderRefusal(), /no GRUB 2 menu entries found/);
    const found = detectBootloader({ 'grub-cfg': "menuentry 'x' {\n}" });
    assert.equal(found?.driver.kind, 'grub-debian');
  });
});
