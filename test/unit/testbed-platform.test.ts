/**
 * The testbed's platforms (testbed/vm.ts): which platform an image directory is (image.json),
 * which firmware arguments a UEFI VM gets, and that an unknown platform is refused before the
 * builder runs. No VM is booted here; the booting is the builder's self-test and the e2e suite.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureImage, loadImage, ovmfArgs, OVMF_CODE, TESTBED_PLATFORMS, type TestbedPlatform } from '../../testbed/vm';

const tmp = mkdtempSync(path.join(tmpdir(), 'testbed-platform-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** An image directory as build-image.sh leaves it, with `imageJson` as its image.json (none if undefined). */
function imageDir(imageJson: Record<string, unknown> | undefined): string {
  const dir = mkdtempSync(path.join(tmp, 'img-'));
  const deb = path.join(dir, 'linux-image-new.deb');
  for (const f of ['base.qcow2', 'id_ed25519', 'linux-image-new.deb']) writeFileSync(path.join(dir, f), '');
  writeFileSync(path.join(dir, 'ssh_host_ed25519_key.pub'), 'ssh-ed25519 AAAAC3Nza root@testbed\n');
  writeFileSync(
    path.join(dir, 'kernels.json'),
    JSON.stringify({ old: '6.1.0-56-cloud-amd64', new: '6.1.0-57-cloud-amd64', newDeb: deb, newDebSha256: 'ab' }),
  );
  if (imageJson) writeFileSync(path.join(dir, 'image.json'), JSON.stringify(imageJson));
  return dir;
}

test('the platform comes from image.json; a build from before the platforms is bios-grub', () => {
  for (const platform of TESTBED_PLATFORMS) {
    assert.equal(loadImage(imageDir({ builderHash: 'x', platform })).platform, platform);
  }
  assert.equal(loadImage(imageDir({ builderHash: 'x' })).platform, 'bios-grub');
  assert.equal(loadImage(imageDir(undefined)).platform, 'bios-grub');
  assert.throws(() => loadImage(imageDir({ platform: 'uefi' })), /unknown platform "uefi"/);
});

test('a UEFI VM maps OVMF CODE read-only and its own VARS copy writable', () => {
  const args = ovmfArgs('/tmp/krvm-a/OVMF_VARS.fd');
  assert.deepEqual(args, [
    '-drive',
    `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`,
    '-drive',
    'if=pflash,format=raw,unit=1,file=/tmp/krvm-a/OVMF_VARS.fd',
  ]);
  assert.match(OVMF_CODE, /OVMF_CODE_4M\.fd$/, 'the non-secure-boot 4 MiB firmware');
});

test('an unknown platform is refused before the builder runs', () => {
  assert.throws(() => ensureImage({ platform: 'uefi' as TestbedPlatform }), /unknown platform "uefi"/);
});
